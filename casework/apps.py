from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    """Decided applications: objections, credit repair and removal from the abnormal-operations list.

    One workflow (apply with evidence, a clerk decides with a reason, the applicant is told) on one
    abstract base (``casework.models.DecidedApplication``) and one decide service
    (``casework.services.application_decide``). See docs/casework.md."""

    name = "casework"
    verbose_name = _("Applications and objections")

    def ready(self) -> None:
        # Each type registers how it is decided (its outcomes, permission rule and effect).
        from casework.services import objections, removal, repair  # noqa: F401
