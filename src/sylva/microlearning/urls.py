from django.urls import path

from sylva.microlearning.views import analytics, challenges, content, pwa, today

app_name = "microlearning"

urlpatterns = [
    path("", today.today, name="today"),
    path("answer/<int:card_id>/", today.answer, name="answer"),
    path("pause/", today.pause, name="pause"),
    path("resume/", today.resume, name="resume"),
    path("memory/", today.memory, name="memory"),
    path("memory/teams/<int:team_id>/", today.team_memory, name="team_memory"),
    path("leaderboards/consent/", today.leaderboard_consent, name="leaderboard_consent"),
    path("settings/", content.memory_settings, name="settings"),
    path("modules/", content.studio, name="studio"),
    path("modules/new/", content.editor, name="new_module"),
    path("modules/import/", content.import_module, name="import"),
    path("modules/preview/", content.preview, name="preview"),
    path("modules/<slug:code>/", content.module_detail, name="module"),
    path("modules/<slug:code>/edit/", content.editor, name="edit_module"),
    path("modules/<slug:code>/export/", content.export, name="export"),
    path("modules/<slug:code>/publish/", content.publish, name="publish"),
    path("modules/<slug:code>/submit/", content.submit, name="submit"),
    path("modules/<slug:code>/review/", content.review, name="review"),
    path("share/", content.share, name="share"),
    path("reviews/", content.reviews, name="reviews"),
    path("campaigns/", content.campaign_list, name="campaigns"),
    path("campaigns/new/", content.campaign_edit, name="new_campaign"),
    path("campaigns/<int:campaign_id>/", content.campaign_edit, name="edit_campaign"),
    path("challenges/", challenges.challenge_home, name="challenges"),
    path("challenges/colleagues/", challenges.colleagues, name="colleagues"),
    path("duels/<int:duel_id>/", challenges.duel, name="duel"),
    path("duels/<int:duel_id>/answer/<int:card_id>/", challenges.duel_answer, name="duel_answer"),
    path("duels/<int:duel_id>/rematch/", challenges.rematch, name="rematch"),
    path("team-challenges/new/", challenges.team_challenge_new, name="new_team_challenge"),
    path("team-challenges/<int:challenge_id>/", challenges.team_challenge, name="team_challenge"),
    path("analytics/", analytics.overview, name="analytics"),
    path("analytics/<slug:code>/", analytics.module, name="analytics_module"),
    path("analytics/<slug:code>/questions.csv", analytics.module_csv, name="analytics_csv"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
]
