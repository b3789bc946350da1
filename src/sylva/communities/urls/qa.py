"""Posts, replies and moderation (the qa area)."""

from django.urls import path

from sylva.communities.views import qa

urlpatterns = [
    path("p/new/", qa.new_post, name="new_post"),
    path("p/<int:pk>/", qa.post, name="post"),
    path("p/<int:pk>/edit/", qa.edit_post, name="edit_post"),
    path("p/<int:pk>/history/", qa.post_history, name="post_history"),
    path("p/<int:pk>/reply/", qa.reply, name="reply"),
    path("p/<int:pk>/report/", qa.flag_post, name="flag_post"),
    path("p/<int:pk>/hide/", qa.hide_post, name="hide_post"),
    path("p/<int:pk>/restore/", qa.restore_post, name="restore_post"),
    path("r/<int:pk>/edit/", qa.edit_reply, name="edit_reply"),
    path("r/<int:pk>/thank/", qa.thank, name="thank"),
    path("r/<int:pk>/accept/", qa.accept, name="accept"),
    path("r/<int:pk>/unaccept/", qa.unaccept, name="unaccept"),
    path("r/<int:pk>/report/", qa.flag_reply, name="flag_reply"),
    path("r/<int:pk>/hide/", qa.hide_reply, name="hide_reply"),
    path("r/<int:pk>/restore/", qa.restore_reply, name="restore_reply"),
    path("moderation/", qa.moderation, name="moderation"),
    path("moderation/<int:pk>/close/", qa.dismiss_flag, name="dismiss_flag"),
]
