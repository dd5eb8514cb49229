"""Writes to the working-day calendar: years, their days, confirmation, seeding from the library.

Every write clears the process's cached calendar once it commits, so deadlines computed after it
use the new days. Deadlines already given are stored and never recomputed (a company or an agency
was told that date); see ``docs/working-days.md``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.workdays import library_days, working_calendar_clear
from registry.models import CalendarDay, WorkingCalendarYear
from registry.services.audit import Actor, audit_record, diff, snapshot
from registry.services.base import instance_create, instance_delete, instance_update


def _clear_on_commit() -> None:
    transaction.on_commit(working_calendar_clear)


def calendar_year_create(
    *, actor: Actor, via: str, year: int, source: str, source_url: str = ""
) -> WorkingCalendarYear:
    """A provisional year, to be filled with days and confirmed against the official notice."""
    with transaction.atomic():
        calendar_year = instance_create(
            model=WorkingCalendarYear,
            actor=actor,
            via=via,
            fields={"year": year, "source": source, "source_url": source_url},
            read_only={"status", "confirmed_at", "confirmed_by"},
        )
        _clear_on_commit()
    return calendar_year


def calendar_year_update(*, calendar_year: WorkingCalendarYear, actor: Actor, via: str, **changes: Any):
    """Correct a year's source; confirmation has a service of its own."""
    with transaction.atomic():
        instance_update(
            instance=calendar_year,
            actor=actor,
            via=via,
            changes=changes,
            read_only={"year", "status", "confirmed_at", "confirmed_by"},
        )
        _clear_on_commit()
    return calendar_year


def calendar_year_confirm(
    *, calendar_year: WorkingCalendarYear, actor: Actor, via: str, source: str = "", source_url: str = ""
) -> WorkingCalendarYear:
    """Record that a clerk checked the year's days against the State Council's notice."""
    with transaction.atomic():
        locked = WorkingCalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
        if locked.is_confirmed:
            raise ValidationError(
                _("The calendar for %(year)s is confirmed already.") % {"year": locked.year}
            )
        before = snapshot(locked)
        locked.source = source.strip() or locked.source
        locked.source_url = source_url.strip() or locked.source_url
        if not locked.source.strip():
            raise ValidationError({"source": _("Name the notice the year follows before confirming it.")})
        locked.status = WorkingCalendarYear.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = actor if getattr(actor, "pk", None) else None
        locked.full_clean()
        locked.save()
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            changes=diff(before, snapshot(locked)),
            reason=_("Confirmed against the official notice."),
        )
        _clear_on_commit()
    for name in ("source", "source_url", "status", "confirmed_at", "confirmed_by_id"):
        setattr(calendar_year, name, getattr(locked, name))
    return calendar_year


def calendar_day_create(
    *, actor: Actor, via: str, calendar_year: WorkingCalendarYear, day: dt.date, kind: str, name: str = ""
) -> CalendarDay:
    with transaction.atomic():
        created = instance_create(
            model=CalendarDay,
            actor=actor,
            via=via,
            fields={"calendar_year": calendar_year, "day": day, "kind": kind, "name": name},
        )
        _clear_on_commit()
    return created


def calendar_day_update(*, calendar_day: CalendarDay, actor: Actor, via: str, **changes: Any) -> CalendarDay:
    with transaction.atomic():
        instance_update(instance=calendar_day, actor=actor, via=via, changes=changes)
        _clear_on_commit()
    return calendar_day


def calendar_day_delete(*, calendar_day: CalendarDay, actor: Actor, via: str, note: str = "") -> None:
    with transaction.atomic():
        instance_delete(instance=calendar_day, actor=actor, via=via, note=note)
        _clear_on_commit()


def calendar_year_seed_from_library(*, actor: Actor, via: str, year: int) -> tuple[WorkingCalendarYear, int]:
    """Add ``year`` as a provisional year with the ``holidays`` library's days; (year, days added).

    A year the calendar holds already is refused: its days were checked or edited by a clerk, and
    a library update must never overwrite them."""
    from importlib.metadata import version

    with transaction.atomic():
        if WorkingCalendarYear.objects.filter(year=year).exists():
            raise ValidationError(
                _("The calendar holds %(year)s already; correct its days in admin.") % {"year": year}
            )
        calendar_year = calendar_year_create(
            actor=actor,
            via=via,
            year=year,
            source=f"Statutory holidays computed by the holidays library {version('holidays')}; "
            "notice not yet entered",
        )
        days = library_days(year)
        for day, kind, name in days:
            calendar_day_create(
                actor=actor, via=via, calendar_year=calendar_year, day=day, kind=kind, name=name
            )
    return calendar_year, len(days)
