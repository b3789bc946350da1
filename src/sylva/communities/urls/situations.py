from django.urls import path

from sylva.communities.views import situations as views

urlpatterns = [
    path("situations/", views.situations, name="situations"),
    path("situations/new/", views.new_situation, name="new_situation"),
    path("situations/<int:pk>/", views.situation, name="situation"),
    path("situations/<int:pk>/edit/", views.edit_situation, name="edit_situation"),
    path("situations/<int:pk>/assign/", views.assign, name="assign_situation"),
    path("situations/assignments/<int:pk>/", views.assignment, name="assignment"),
    path("situations/assignments/<int:pk>/done/", views.done, name="assignment_done"),
    path("situations/assignments/<int:pk>/debrief/", views.debrief, name="assignment_debrief"),
    path("situations/assignments/<int:pk>/propose/", views.propose, name="assignment_propose"),
    path("situations/assignments/<int:pk>/agree/", views.agree, name="assignment_agree"),
    path("situations/assignments/<int:pk>/decline/", views.decline, name="assignment_decline"),
    path("situations/assignments/<int:pk>/cancel/", views.cancel, name="assignment_cancel"),
]
