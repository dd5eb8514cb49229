from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The search engine: one document per subject, tokens, ranked queries, bulk writes.

    Apps that publish subjects register their bulk rebuilds here; the engine imports none of them."""

    name = "search"
    verbose_name = _("Search index")
