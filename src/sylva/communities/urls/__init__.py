"""The communities' pages under /communities/: one module per area, one namespace."""

from sylva.communities.urls import circles, feedback, projects, qa, situations, spaces

app_name = "communities"

urlpatterns = [
    *spaces.urlpatterns,
    *qa.urlpatterns,
    *circles.urlpatterns,
    *projects.urlpatterns,
    *situations.urlpatterns,
    *feedback.urlpatterns,
]
