from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sylva.core"
    label = "core"
    verbose_name = "Sylva"

    def ready(self) -> None:
        # Every app's admin module is loaded by now (the admin app comes first): wrap the
        # admins Sylva does not write in the confidentiality guard.
        from django.contrib import admin

        from sylva.core.admin import guard_site

        guard_site(admin.site)
