from django.urls import path

from sylva.communities.views import feedback as views

urlpatterns = [
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/new/", views.new_feedback, name="new_feedback"),
    path("feedback/<int:pk>/", views.feedback_detail, name="feedback_detail"),
    path("feedback/<int:pk>/answer/", views.answer, name="feedback_answer"),
    path("feedback/<int:pk>/share/", views.share, name="feedback_share"),
]
