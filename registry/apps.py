from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("Master credit database")

    def ready(self):
        import datetime as dt
        from functools import partial

        from core.workdays import working_calendar_loader_register
        from registry import checks  # noqa: F401  (registers the system checks)
        from registry.selectors import working_calendar_from_database
        from registry.services.jobs import periodic_task_register
        from registry.services.search import search_index_rebuild_enterprises
        from search.models import SearchDocument
        from search.services import (
            FREQUENT_RUNS_FRESH,
            search_frequent_runs_refresh,
            search_rebuilder_register,
        )

        working_calendar_loader_register(working_calendar_from_database)
        search_rebuilder_register(SearchDocument.Kind.ENTERPRISE, search_index_rebuild_enterprises)
        # The search engine has no worker of its own: the register's workers recount the runs of
        # characters that prove a search's "1000+" (docs/search.md) once they are a day old.
        periodic_task_register(
            "search.frequent_runs",
            every=dt.timedelta(hours=1),
            run=partial(search_frequent_runs_refresh, if_older_than=FREQUENT_RUNS_FRESH),
        )
