from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Master credit database")

    def ready(self):
        from core.workdays import working_calendar_loader_register
        from registry import checks  # noqa: F401  (registers the system checks)
        from registry.selectors import working_calendar_from_database
        from registry.services.search import search_index_rebuild_enterprises
        from search.models import SearchDocument
        from search.services import search_rebuilder_register

        working_calendar_loader_register(working_calendar_from_database)
        search_rebuilder_register(SearchDocument.Kind.ENTERPRISE, search_index_rebuild_enterprises)
