"""The site's URLs: the account's pages, each pillar's pages at its contract's
``url_prefix`` (in the order of INSTALLED_APPS), the API, the admin and the probes."""

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from sylva.core import health, search
from sylva.core.api import api
from sylva.core.pillars import pillars

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("sylva.people.urls_account")),
    path("search/", search.search, name="search"),
    *(
        path(config.url_prefix, include(f"{config.name}.urls"))
        for config in pillars()
        if config.url_prefix is not None
    ),
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
