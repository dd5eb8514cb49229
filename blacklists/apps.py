from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlacklistsConfig(AppConfig):
    name = "blacklists"
    verbose_name = _("Blacklists, redlists and watch lists")
