from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Master credit database")

    def ready(self):
        from registry import checks  # noqa: F401  (registers the system checks)
