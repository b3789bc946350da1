from django.urls import path

from sylva.communities.views import spaces

urlpatterns = [
    path("", spaces.home, name="home"),
    path("new/", spaces.new, name="new_community"),
    path("c/<slug:slug>/", spaces.community, name="community"),
    path("c/<slug:slug>/edit/", spaces.edit, name="edit_community"),
    path("c/<slug:slug>/members/", spaces.members, name="members"),
    path("c/<slug:slug>/join/", spaces.join, name="join"),
    path("c/<slug:slug>/leave/", spaces.leave, name="leave"),
    path("c/<slug:slug>/archive/", spaces.archive, name="archive"),
    path("c/<slug:slug>/hosts/", spaces.name_host, name="name_host"),
    path("c/<slug:slug>/follow/", spaces.follow, name="follow"),
    path("c/<slug:slug>/unfollow/", spaces.follow, {"undo": True}, name="unfollow"),
    path(
        "c/<slug:slug>/requests/<int:pk>/accept/",
        spaces.answer_request,
        {"answer": "accept"},
        name="accept_request",
    ),
    path(
        "c/<slug:slug>/requests/<int:pk>/decline/",
        spaces.answer_request,
        {"answer": "decline"},
        name="decline_request",
    ),
    path("skills/<slug:code>/follow/", spaces.follow_skill, name="follow_skill"),
    path(
        "skills/<slug:code>/unfollow/", spaces.follow_skill, {"undo": True}, name="unfollow_skill"
    ),
]
