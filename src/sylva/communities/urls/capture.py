from django.urls import path

from sylva.communities.views import capture

urlpatterns = [
    path("capitalise/", capture.capitalise, name="capitalise"),
]
