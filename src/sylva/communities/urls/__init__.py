"""The communities' pages under /communities/: one module per area, one namespace."""

from sylva.communities.urls import (
    capture,
    circles,
    feedback,
    projects,
    qa,
    routing,
    search,
    situations,
    spaces,
)

app_name = "communities"

urlpatterns = [
    *spaces.urlpatterns,
    *qa.urlpatterns,
    *circles.urlpatterns,
    *projects.urlpatterns,
    *situations.urlpatterns,
    *feedback.urlpatterns,
    *routing.urlpatterns,
    *search.urlpatterns,
    *capture.urlpatterns,
]
