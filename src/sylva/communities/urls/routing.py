from django.urls import URLPattern, path

from sylva.communities.views import routing as views

urlpatterns: list[URLPattern] = [
    path("invitations/", views.my_invitations, name="my_invitations"),
    path("invitations/<int:invitation_id>/pass/", views.pass_invitation, name="pass_invitation"),
    path("questions/<int:post_id>/invitations/", views.invitations, name="invitations"),
    path("questions/<int:post_id>/invite/", views.invite, name="invite"),
]
