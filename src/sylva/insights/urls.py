from django.urls import path

from sylva.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.health, name="health"),
    path("me/", views.me, name="me"),
    path("spot/", views.spot, name="spot"),
    path("visible/", views.visible, name="visible"),
    path("showcase/", views.showcase, name="showcase"),
    path("links/", views.links, name="links"),
    path("structure/", views.structure, name="structure"),
    path("export/<slug:table>.csv", views.export, name="export"),
    path("introduce/", views.introduce, name="introduce"),
    path("accept/", views.accept, name="accept"),
    path("introductions/<int:pk>/answer/", views.answer, name="answer"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("recompute/", views.recompute, name="recompute"),
]
