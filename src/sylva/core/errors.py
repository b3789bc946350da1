"""The one error type that business rules raise; views and the API turn it into a 4xx."""

from __future__ import annotations


class ServiceError(Exception):
    """A business rule refused an operation. Nothing was changed.

    ``field`` names the input at fault when there is one; ``status`` is the HTTP status the
    API answers with (400 bad input, 403 forbidden, 404 unknown, 409 conflict).
    """

    def __init__(self, message: str, *, field: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field
        self.status = status

    def as_dict(self) -> dict[str, object]:
        body: dict[str, object] = {"detail": self.message}
        if self.field:
            body["errors"] = [{"field": self.field, "message": self.message}]
        return body


class NotFound(ServiceError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, status=404)


class Forbidden(ServiceError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field, status=403)
