from typing import Any

from django.http import HttpRequest
from ninja import Router

router = Router(tags=["sample"])


@router.get("/ping", summary="The sample pillar answers")
def ping(request: HttpRequest) -> Any:
    return {"pong": True}
