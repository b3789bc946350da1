from django.http import HttpRequest


def greeting(request: HttpRequest) -> dict[str, str]:
    return {"sample_greeting": "hello from the sample pillar"}
