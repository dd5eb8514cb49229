from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who acts for whom: company users and their activation codes, agency clerks, and the checks.

    Above ``registry`` (it names enterprises and agencies), below every app whose services act for
    a company (they ask here whether the actor may)."""

    name = "accounts"
    verbose_name = _("Accounts and memberships")
