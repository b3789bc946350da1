from django.urls import path

from sylva.notifications import views, views_push

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("preferences/", views.preferences, name="preferences"),
    path("log/", views.log, name="log"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("sw.js", views_push.service_worker, name="service_worker"),
]
