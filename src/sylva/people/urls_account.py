"""The account's pages, at the root of the site and outside any namespace (``login``,
``home``, ``set_language``…): what every page and the second-factor gate link to."""

from django.contrib.auth import views as auth_views
from django.urls import path

from sylva.people import views, views_account, views_security

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views_account.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", views_security.verify, name="second_factor_verify"),
    path("me/security/", views_security.setup, name="second_factor_setup"),
    path("me/security/codes/", views_security.recovery_codes, name="second_factor_codes"),
    path("me/security/off/", views_security.turn_off, name="second_factor_off"),
    path("language/", views_account.set_language, name="set_language"),
]
