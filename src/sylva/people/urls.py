from django.urls import path

from sylva.people import views, views_security

app_name = "people"

urlpatterns = [
    path("me/", views.my_profile, name="me"),
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("me/skills/", views.my_skills, name="my_skills"),
    path("me/skills/<slug:code>/remove/", views.remove_skill, name="remove_skill"),
    path("me/wishes/<slug:code>/remove/", views.remove_wish, name="remove_wish"),
    path("me/tokens/", views_security.my_tokens, name="my_tokens"),
    path("me/tokens/<int:token_id>/revoke/", views_security.revoke_token, name="revoke_token"),
    path("people/", views.directory, name="directory"),
    path("people/<int:person_id>/", views.person_detail, name="person"),
    path("org/", views.organisation, name="organisation"),
    path("org/departments/<slug:code>/", views.department_detail, name="department"),
    path("org/teams/<int:team_id>/", views.team_detail, name="team"),
    path("skills/", views.skills, name="skills"),
    path("skills/<slug:code>/", views.skill_detail, name="skill"),
    path("team/", views.my_team, name="my_team"),
    path("team/<int:team_id>/", views.team_overview, name="team_overview"),
]
