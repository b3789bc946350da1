from django.urls import path

from sylva.communities.views import projects as v

urlpatterns = [
    path("projects/", v.projects, name="projects"),
    path("projects/new/", v.new_project, name="new_project"),
    path("projects/<int:pk>/", v.project, name="project"),
    path("projects/<int:pk>/members/", v.add_member, name="project_add_member"),
    path(
        "projects/<int:pk>/members/<int:person_id>/remove/",
        v.remove_member,
        name="project_remove_member",
    ),
    path("projects/<int:pk>/milestones/", v.add_milestone, name="project_add_milestone"),
    path("projects/<int:pk>/close/", v.close_project, name="project_close"),
    path("projects/milestones/<int:mid>/close/", v.close_milestone, name="milestone_close"),
]
