from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

#: third-party apps whose admin name is not translatable (a plain string in their AppConfig)
THIRD_PARTY_NAMES = {
    "django_tasks_database": _("Background tasks"),
    "otp_static": _("Second factor: backup codes"),
    "otp_totp": _("Second factor: authenticator apps"),
    "axes": _("Sign-in attempts"),
}


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
        for label, name in THIRD_PARTY_NAMES.items():
            if label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
