"""schemathesis on the whole API, for a learner's and an animator's token (class 6 of
issue 9): no 5xx, and every response — status, content type, headers, body — is one the
OpenAPI document declares.

Bounded to run in the suite: a fixed number of examples per operation and generation mode,
derandomized (the same examples on every run), no shrinking, no example database. The
application is Django's own WSGI handler, called in-process on the test database.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from sylva.core.api import api
from sylva.people.services import create_token, revoke_token
from tests.factories import Org

pytestmark = pytest.mark.walk

EXAMPLES = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _schema() -> Any:
    raw = json.loads(json.dumps(api.get_openapi_schema()))
    schema = schemathesis.openapi.from_dict(raw)
    # The token is ours; NUL is refused by the input guard (tests/core/test_api_edges.py)
    # and would only make most examples a 400.
    schema.config.generation.update(allow_x00=False, with_security_parameters=False)
    return schema


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's WSGI handler on the test database: the connection must outlive requests
    (inside the test's transaction, Django would close it at each request's start and end,
    as its own test client prevents: on PostgreSQL that closes the test's connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _describe(exc: BaseException) -> str:
    parts = [str(exc), *getattr(exc, "__notes__", [])]
    for sub in getattr(exc, "exceptions", ()):
        parts += [f"{type(sub).__name__}: {sub}", *getattr(sub, "__notes__", [])]
    return "\n".join(parts)


def _run_operation(operation: Any, mode: GenerationMode, app: Any, person: Any) -> str | None:
    # A fresh token per operation: DELETE /me/tokens/{id} may well revoke the last one.
    token, secret = create_token(person=person, name="schemathesis")
    headers = {"Authorization": f"Bearer {secret}"}
    failure: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(app=app, headers=headers, base_url="http://localhost")
        case.validate_response(response, checks=CHECKS)

    try:
        run()
    except Unsatisfiable:
        pass  # negative mode on an operation with nothing to make invalid
    except (Exception, BaseExceptionGroup) as exc:  # every failing operation is reported
        failure.append(f"{operation.label} [{mode.value}]: {_describe(exc)}"[:2000])
    finally:
        revoke_token(person=person, token_id=token.pk)
    return failure[0] if failure else None


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["learner", "animator"])
def test_the_whole_api_keeps_to_its_schema(org: Org, wsgi_app: Any, role: str) -> None:
    person = getattr(org, role)
    schema = _schema()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    failures = [
        failure
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (failure := _run_operation(operation, mode, wsgi_app, person))
    ]
    assert not failures, f"{len(failures)} operations fail:\n\n" + "\n\n".join(failures)
