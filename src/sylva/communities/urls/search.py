from django.urls import path

from sylva.communities.views import search

urlpatterns = [
    path("search/", search.search, name="search"),
    path("search/similar/", search.similar, name="similar"),
]
