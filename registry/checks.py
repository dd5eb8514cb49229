"""System checks of the master database's reference data (run by ``manage.py check``)."""

from __future__ import annotations

from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.utils.translation import gettext as _

from registry.selectors import calendar_years_unconfirmed


def calendar_warning_text(year: int) -> str:
    return _(
        "The working-day calendar for %(year)s has not been confirmed against the State Council's "
        "notice: deadlines that run into %(year)s count only the statutory holidays, without make-up "
        "working days. Enter the notice's days and confirm the year in admin (Working-day calendar)."
    ) % {"year": year}


# A database check: Django passes ``databases`` on `manage.py check --database default` and before
# `migrate`; a plain `check` (or a test without a database) reads nothing.
@register(Tags.database)
def check_working_calendar(app_configs=None, databases=None, **kwargs):
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    try:
        years = calendar_years_unconfirmed()
    except DatabaseError:  # no database yet (before the first migrate): nothing to check
        return []
    return [CheckWarning(calendar_warning_text(year), id="registry.W001") for year in years]
