"""What every operation of the OpenAPI document says about its refusals.

django-ninja documents the success of each operation; the refusals come from mechanisms
shared by every route (the input guard, authentication, ``ServiceError``, pydantic's
validation, rate limits, the database being away), so they are declared here once, for
every operation of every router, with the one error shape
``{"detail": str, "errors": [{"field": str, "message": str}]}``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

ERROR_REF = "#/components/schemas/Error"

ERROR_SCHEMAS: dict[str, Any] = {
    "FieldError": {
        "title": "FieldError",
        "type": "object",
        "properties": {
            "field": {"type": "string", "description": "The input at fault (dotted path)."},
            "message": {"type": "string"},
        },
        "required": ["field", "message"],
    },
    "Error": {
        "title": "Error",
        "type": "object",
        "properties": {
            "detail": {"type": "string", "description": "What went wrong, for a person."},
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/FieldError"},
                "description": "One entry per input at fault, when there is one.",
            },
        },
        "required": ["detail"],
    },
}

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}

# status: (description, applies to: "all" | "auth" | "write" | "body" | "input", headers)
ERRORS: dict[int, tuple[str, str, dict[str, Any]]] = {
    400: (
        "Bad input: a rule refused it, or it holds a character or a number that is not "
        "allowed; nothing was changed.",
        "all",
        {},
    ),
    401: ("Authentication required: sign in, or send a personal token.", "auth", {}),
    403: ("Forbidden: your role or your token does not allow this.", "auth", {}),
    404: ("Not found: what the request names does not exist, or is not visible to you.", "all", {}),
    409: ("Conflict: the current state does not allow this, or it already exists.", "write", {}),
    413: ("The body is too large.", "body", {}),
    415: ("The body is not JSON (send Content-Type: application/json).", "body", {}),
    422: (
        "Invalid input: a parameter or body field is missing, of the wrong type or out of bounds.",
        "input",
        {},
    ),
    429: ("Too many requests: wait before trying again.", "all", _RETRY_AFTER),
    503: ("The database does not answer: try again later.", "all", _RETRY_AFTER),
}

_WRITES = {"post", "put", "patch", "delete"}


def _applies(kind: str, method: str, operation: dict[str, Any]) -> bool:
    if kind == "all":
        return True
    if kind == "auth":
        return bool(operation.get("security"))
    if kind == "write":
        return method in _WRITES
    if kind == "body":
        return "requestBody" in operation
    # "input": anything pydantic validates
    return bool(operation.get("parameters")) or "requestBody" in operation


# What the input guard (core/edges.py) refuses in any string: control characters other than
# tab and line breaks. Declared on every string that has no pattern of its own.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F]*$"


def _declare_text(node: Any) -> None:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if item.get("type") == "string" and not {"pattern", "format", "enum", "const"} & set(
                item
            ):
                item["pattern"] = TEXT_PATTERN
            stack.extend(v for k, v in item.items() if k not in ("example", "examples", "default"))


def _input_schemas(schema: dict[str, Any]) -> set[str]:
    """The component schemas a request can carry (followed through their references)."""
    components = schema.get("components", {}).get("schemas", {})
    names: set[str] = set()
    stack: list[Any] = [
        [op.get("parameters", []), op.get("requestBody", {})]
        for item in schema.get("paths", {}).values()
        for op in item.values()
        if isinstance(op, dict)
    ]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.rsplit("/", 1)[-1] if ref.startswith("#/components/schemas/") else ""
            if name and name not in names and name in components:
                names.add(name)
                stack.append(components[name])
            stack.extend(node.values())
    return names


def _operations(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path_item in schema.get("paths", {}).values():
        for method, operation in path_item.items():
            if isinstance(operation, dict):
                yield method, operation


def _error_response(description: str, headers: dict[str, Any] | None) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }
    if headers:
        response["headers"] = headers
    return response


def _declare_operation_errors(method: str, operation: dict[str, Any]) -> None:
    responses = operation["responses"]
    for status, (description, kind, headers) in ERRORS.items():
        if str(status) in responses or status in responses:
            continue
        if _applies(kind, method, operation):
            responses[status] = _error_response(description, headers)


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the shared error responses to every operation (keeping any it declares), and the
    characters no string may hold to every string a request can carry."""
    components_schemas = schema.get("components", {}).get("schemas", {})
    for name in _input_schemas(schema):
        _declare_text(components_schemas[name])
    for _method, operation in _operations(schema):
        _declare_text(operation.get("parameters", []))
        _declare_text(operation.get("requestBody", {}))
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {}).update(ERROR_SCHEMAS)
    for method, operation in _operations(schema):
        if "responses" in operation:
            _declare_operation_errors(method, operation)
    return schema
