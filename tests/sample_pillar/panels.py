from typing import Any

from django.http import HttpRequest


def home(request: HttpRequest, person: Any) -> str:
    return "<p>sample-panel</p>"
