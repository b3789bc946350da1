from django.http import HttpRequest, HttpResponse
from django.urls import path

from sylva.core.web import perm_page

app_name = "sample_pillar"


@perm_page("people.view_person")
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("sample pillar home")


urlpatterns = [path("", home, name="home")]
