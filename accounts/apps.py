from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Who acts for whom: company users and their activation codes, agency clerks, and the checks.

    Above ``registry`` (it names enterprises and agencies), below every app whose services act for
    a company (they ask here whether the actor may)."""

    name = "accounts"
    verbose_name = _("Accounts and memberships")

    def ready(self) -> None:
        # The register's admin imports ask here who is a clerk of which agency; it cannot import us.
        from accounts.permissions import import_scope_of
        from registry.importing.kinds import import_scope_register

        import_scope_register(import_scope_of)
