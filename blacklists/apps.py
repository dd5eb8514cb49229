from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlacklistsConfig(AppConfig):
    name = "blacklists"
    verbose_name = _("Blacklists, redlists and watch lists")

    def ready(self) -> None:
        # Lets `rebuild_search_index --kind list_entry` rebuild list entries; the engine cannot import us.
        from blacklists.importing.kind import LIST_IMPORTER
        from blacklists.search import KIND, search_index_rebuild_entries
        from imports.kinds import importer_register
        from search.services import search_rebuilder_register

        search_rebuilder_register(KIND, search_index_rebuild_entries)
        # Clerks import their lists from admin through the register's import pages.
        importer_register(LIST_IMPORTER)
