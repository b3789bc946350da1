from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sylva.core import health
from sylva.core import views as core_views
from sylva.core.api import api
from sylva.people import views as people_views
from sylva.people import views_security as security_views

urlpatterns = [
    path("", people_views.home, name="home"),
    path("login/", core_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", security_views.verify, name="second_factor_verify"),
    path("me/security/", security_views.setup, name="second_factor_setup"),
    path("me/security/codes/", security_views.recovery_codes, name="second_factor_codes"),
    path("me/security/off/", security_views.turn_off, name="second_factor_off"),
    path("language/", core_views.set_language, name="set_language"),
    path("", include("sylva.people.urls")),
    path("exchange/", include("sylva.exchange.urls")),
    path("learn/", include("sylva.microlearning.urls")),
    path("insights/", include("sylva.insights.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]

admin.site.site_header = "Sylva"
admin.site.site_title = "Sylva"
admin.site.index_title = "Administration"

# Every refusal, for every route: JSON under /api/, a translated page elsewhere, a 503
# with Retry-After when the database does not answer (core/errorpages.py).
handler400 = "sylva.core.errorpages.bad_request"
handler403 = "sylva.core.errorpages.permission_denied"
handler404 = "sylva.core.errorpages.page_not_found"
handler500 = "sylva.core.errorpages.server_error"
