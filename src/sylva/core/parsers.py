"""The API's body parser: the JSON the input guard already parsed and checked.

``InputGuardMiddleware`` (``core/edges.py``) parses every JSON body once, refusing invalid
JSON, invalid characters and numbers no column holds before any view runs; this parser hands
that result to django-ninja instead of parsing the body a second time. Outside the
middleware (a test calling a view directly), it applies the same checks itself.
"""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from ninja.parser import Parser
from ninja.types import DictStrAny

from sylva.core.edges import PARSED_JSON, check_json, parse_json

_MISSING = object()


class CheckedJsonParser(Parser):
    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data: Any = getattr(request, PARSED_JSON, _MISSING)
        if data is _MISSING:
            data = parse_json(request.body)
            check_json(data)
        return cast(DictStrAny, data)
