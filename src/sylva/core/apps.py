from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sylva.core"
    label = "core"
    verbose_name = "Sylva"
