"""Writes of memoranda, measures and list feeds. Clerks maintain the memoranda their agency signed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils.translation import gettext as _

from accounts.permissions import clerk_agency, is_unrestricted
from blacklists.models import ListFeed, ListType, Measure, Memorandum
from blacklists.selectors import restriction_catalogue_clear
from registry.models import Agency
from registry.services import audit_record
from registry.services.audit import Actor, diff, snapshot
from registry.services.base import check_field_names, instance_delete, instance_update


def _catalogue_changed() -> None:
    # Checks in this process see the change at once; other processes within CATALOGUE_SECONDS.
    restriction_catalogue_clear()
    transaction.on_commit(restriction_catalogue_clear)


def _require_signatory(actor: Actor, memorandum: Memorandum) -> None:
    if is_unrestricted(actor):
        return
    agency = clerk_agency(actor)
    if agency is None or not memorandum.signatories.filter(pk=agency.pk).exists():
        raise PermissionDenied(
            _("Only clerks of an agency that signed %(memorandum)s may change it or its measures.")
            % {"memorandum": memorandum.document_number}
        )


def _ids(objects: Iterable[models.Model]) -> list[int]:
    return sorted(obj.pk for obj in objects)


def _check_memorandum_links(
    memorandum: Memorandum, signatories: list[Agency], trigger_list_types: list[ListType]
) -> None:
    """A memorandum keeps every agency that enforces one of its measures, and every list a measure needs."""
    errors: dict[str, str] = {}
    if not signatories:
        errors["signatories"] = _("A memorandum has at least one signatory agency.")
    if not trigger_list_types:
        errors["trigger_list_types"] = _("A memorandum is triggered by at least one list.")
    if memorandum.pk:
        enforcing = Agency.objects.filter(measures_enforced__memorandum=memorandum).exclude(
            pk__in=_ids(signatories)
        )
        if enforcing.exists():
            errors["signatories"] = _(
                "%(agencies)s enforce measures of this memorandum and must stay signatories."
            ) % {"agencies": "、".join(sorted({agency.name_zh for agency in enforcing}))}
        used = memorandum.measures.filter(trigger_list_type__isnull=False).exclude(
            trigger_list_type__in=_ids(trigger_list_types)
        )
        if used.exists():
            errors["trigger_list_types"] = _(
                "A measure of this memorandum applies only to a list you removed."
            )
    if errors:
        raise ValidationError(errors)


def memorandum_create(
    *,
    actor: Actor,
    via: str,
    signatories: Iterable[Agency],
    trigger_list_types: Iterable[ListType],
    note: str = "",
    **fields: Any,
) -> Memorandum:
    signatories, trigger_list_types = list(signatories), list(trigger_list_types)
    if not is_unrestricted(actor):
        agency = clerk_agency(actor)
        if agency is None or agency.pk not in _ids(signatories):
            raise PermissionDenied(_("A clerk can record only memoranda their own agency signed."))
    check_field_names(Memorandum, fields.keys())
    memorandum = Memorandum(**fields)
    _check_memorandum_links(memorandum, signatories, trigger_list_types)
    with transaction.atomic():
        memorandum.full_clean()
        memorandum.save(force_insert=True)
        memorandum.signatories.set(signatories)
        memorandum.trigger_list_types.set(trigger_list_types)
        changes = diff({}, snapshot(memorandum))
        changes["signatories"] = [[], _ids(signatories)]
        changes["trigger_list_types"] = [[], _ids(trigger_list_types)]
        audit_record(actor=actor, via=via, action="create", instance=memorandum, changes=changes, reason=note)
        _catalogue_changed()
    return memorandum


def memorandum_update(
    *,
    memorandum: Memorandum,
    actor: Actor,
    via: str,
    signatories: Iterable[Agency] | None = None,
    trigger_list_types: Iterable[ListType] | None = None,
    note: str = "",
    **changes: Any,
) -> Memorandum:
    _require_signatory(actor, memorandum)
    with transaction.atomic():
        _catalogue_changed()
        if changes:
            instance_update(instance=memorandum, actor=actor, via=via, changes=changes, note=note)
        if signatories is None and trigger_list_types is None:
            return memorandum
        old_signatories = list(memorandum.signatories.all())
        old_lists = list(memorandum.trigger_list_types.all())
        new_signatories = old_signatories if signatories is None else list(signatories)
        new_lists = old_lists if trigger_list_types is None else list(trigger_list_types)
        _check_memorandum_links(memorandum, new_signatories, new_lists)
        m2m_changes = {
            name: [_ids(old), _ids(new)]
            for name, old, new in (
                ("signatories", old_signatories, new_signatories),
                ("trigger_list_types", old_lists, new_lists),
            )
            if _ids(old) != _ids(new)
        }
        if m2m_changes:
            memorandum.signatories.set(new_signatories)
            memorandum.trigger_list_types.set(new_lists)
            audit_record(
                actor=actor, via=via, action="update", instance=memorandum, changes=m2m_changes, reason=note
            )
    return memorandum


def _check_measure(measure: Measure) -> None:
    memorandum = measure.memorandum
    errors = {}
    if (
        measure.enforcing_agency_id
        and not memorandum.signatories.filter(pk=measure.enforcing_agency_id).exists()
    ):
        errors["enforcing_agency"] = _(
            "%(agency)s did not sign %(memorandum)s, so it cannot enforce one of its measures."
        ) % {"agency": measure.enforcing_agency.name_zh, "memorandum": memorandum.document_number}
    if (
        measure.trigger_list_type_id
        and not memorandum.trigger_list_types.filter(pk=measure.trigger_list_type_id).exists()
    ):
        errors["trigger_list_type"] = _("The list must be one of the memorandum's trigger lists.")
    if errors:
        raise ValidationError(errors)


def measure_create(*, actor: Actor, via: str, note: str = "", **fields: Any) -> Measure:
    check_field_names(Measure, fields.keys())
    measure = Measure(**fields)
    if measure.memorandum_id is None:
        raise ValidationError({"memorandum": _("A measure belongs to a memorandum.")})
    _require_signatory(actor, measure.memorandum)
    _check_measure(measure)
    with transaction.atomic():
        _catalogue_changed()
        measure.full_clean()
        measure.save(force_insert=True)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=measure,
            changes=diff({}, snapshot(measure)),
            reason=note,
        )
    return measure


def measure_update(*, measure: Measure, actor: Actor, via: str, note: str = "", **changes: Any) -> Measure:
    _require_signatory(actor, measure.memorandum)
    if "memorandum" in changes or "memorandum_id" in changes:
        raise ValidationError({"memorandum": _("A measure cannot move to another memorandum.")})
    candidate = Measure(
        **{field.attname: getattr(measure, field.attname) for field in Measure._meta.concrete_fields}
    )
    for name, value in changes.items():
        setattr(candidate, name, value)
    _check_measure(candidate)
    with transaction.atomic():
        _catalogue_changed()
        return instance_update(instance=measure, actor=actor, via=via, changes=changes, note=note)


def measure_delete(*, measure: Measure, actor: Actor, via: str, note: str = "") -> None:
    _require_signatory(actor, measure.memorandum)
    with transaction.atomic():
        _catalogue_changed()
        instance_delete(instance=measure, actor=actor, via=via, note=note)


# --- list feeds ------------------------------------------------------------------------------------


def _require_feed_maintainer(actor: Actor, *, target: ListType, memorandum: Memorandum | None) -> None:
    """Inclusion on a list is its owner's business: its clerks, or a signatory of the feed's basis."""
    if is_unrestricted(actor):
        return
    agency = clerk_agency(actor)
    if agency is not None and (
        target.owner_id == agency.pk or (memorandum and memorandum.signatories.filter(pk=agency.pk).exists())
    ):
        return
    raise PermissionDenied(
        _(
            "Only clerks of %(owner)s, or of a signatory of the feed's memorandum, "
            "may change feeds into %(list)s."
        )
        % {"owner": target.owner.name_zh, "list": target.name_zh}
    )


def _lock_feeds() -> None:
    # Two concurrent feeds could each pass the cycle check and together close a loop.
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {ListFeed._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")


def feed_cycle(*, source_id: int, target_id: int, exclude_pk: int | None = None) -> list[int] | None:
    """The list ids of the loop that a feed source -> target would close, or None."""
    edges: dict[int, list[int]] = {}
    for pk, src, dst in ListFeed.objects.values_list("pk", "source_id", "target_id"):
        if pk != exclude_pk:
            edges.setdefault(src, []).append(dst)
    paths = {target_id: [target_id]}
    frontier = [target_id]
    while frontier:
        following = []
        for node in frontier:
            for nxt in edges.get(node, ()):
                if nxt == source_id:
                    return [source_id, *paths[node], source_id]
                if nxt not in paths:
                    paths[nxt] = [*paths[node], nxt]
                    following.append(nxt)
        frontier = following
    return None


def _refuse_cycle(feed: ListFeed) -> None:
    loop = feed_cycle(source_id=feed.source_id, target_id=feed.target_id, exclude_pk=feed.pk)
    if loop:
        codes = dict(ListType.objects.filter(pk__in=loop).values_list("pk", "code"))
        raise ValidationError(
            {
                "target": _("This feed would make a loop: %(loop)s.")
                % {"loop": " → ".join(codes[pk] for pk in loop)}
            }
        )


def list_feed_create(*, actor: Actor, via: str, note: str = "", **fields: Any) -> ListFeed:
    check_field_names(ListFeed, fields.keys())
    feed = ListFeed(**fields)
    if feed.target_id is None or feed.source_id is None:
        raise ValidationError({"target": _("A feed joins two lists.")})
    _require_feed_maintainer(actor, target=feed.target, memorandum=feed.memorandum)
    with transaction.atomic():
        feed.full_clean()
        _catalogue_changed()
        _lock_feeds()
        _refuse_cycle(feed)
        feed.save(force_insert=True)
        audit_record(
            actor=actor,
            via=via,
            action="create",
            instance=feed,
            changes=diff({}, snapshot(feed)),
            reason=note,
        )
    return feed


def list_feed_update(*, feed: ListFeed, actor: Actor, via: str, note: str = "", **changes: Any) -> ListFeed:
    _require_feed_maintainer(actor, target=feed.target, memorandum=feed.memorandum)
    with transaction.atomic():
        _catalogue_changed()
        _lock_feeds()
        candidate = ListFeed(
            **{field.attname: getattr(feed, field.attname) for field in ListFeed._meta.concrete_fields}
        )
        for name, value in changes.items():
            setattr(candidate, name, value)
        if candidate.source_id != candidate.target_id:  # the constraint reports a self-feed
            _refuse_cycle(candidate)
        if "target" in changes or "memorandum" in changes:
            _require_feed_maintainer(actor, target=candidate.target, memorandum=candidate.memorandum)
        return instance_update(instance=feed, actor=actor, via=via, changes=changes, note=note)


def list_feed_delete(*, feed: ListFeed, actor: Actor, via: str, note: str = "") -> None:
    _require_feed_maintainer(actor, target=feed.target, memorandum=feed.memorandum)
    with transaction.atomic():
        _catalogue_changed()
        instance_delete(instance=feed, actor=actor, via=via, note=note)
