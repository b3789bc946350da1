from django.urls import path

from sylva.communities.views import spaces

urlpatterns = [
    path("", spaces.home, name="home"),
]
