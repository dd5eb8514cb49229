"""The one decide service of every decided application (``casework.models.DecidedApplication``).

Each type registers its ``DecisionRule`` (``decision_rule_register``) from its own services module:
who may decide it, the outcomes it knows, what a decision without a reason says by default (none
but the removal's approval has one), the related rows to load with the lock, and the effect of
the decision, which also tells the applicant (a subject event). ``application_decide`` does the
rest the same way for all: lock the row, check, record the decision, audit it, run the effect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from casework.models import DecidedApplication
from registry.services.audit import Actor, audit_record, diff, snapshot


@dataclass(frozen=True)
class DecisionRule:
    """How one type of application is decided."""

    # actor, application -> may this actor decide it (the type's own permission rule)
    may_decide: Callable[[Actor, DecidedApplication], bool]
    # application -> the message of the refusal
    refusal: Callable[[DecidedApplication], str]
    # the message when the outcome is not one of the model's DECISION_OUTCOMES
    unknown_outcome: str | Promise
    # (application, actor, via, extra) -> None: the decision's effect and the notice to the applicant,
    # run inside the transaction once the decision is saved and audited
    effect: Callable[..., None]
    # related rows the effect reads, loaded with the locked row
    select_related: tuple[str, ...] = ()
    # outcome -> the reason recorded when the clerk gives none (no entry: a reason is required)
    default_reasons: Mapping[str, Callable[[], str]] = field(default_factory=dict)
    # field errors on the reason are reported under this name
    reason_field: str = "decision_reason"


_RULES: dict[type[DecidedApplication], DecisionRule] = {}


def decision_rule_register(model: type[DecidedApplication], rule: DecisionRule) -> None:
    _RULES[model] = rule


def decision_rule(model: type[DecidedApplication]) -> DecisionRule:
    try:
        return _RULES[model]
    except KeyError:
        raise LookupError(f"No decision rule is registered for {model.__name__}.") from None


def may_decide(actor: Actor, application: DecidedApplication) -> bool:
    """Whether ``actor`` may decide ``application`` under its type's rule."""
    return decision_rule(type(application)).may_decide(actor, application)


DECISION_FIELDS = ("status", "decided_by_id", "decided_at", "decision_reason")


def application_decide(
    *,
    application: DecidedApplication,
    actor: Actor,
    outcome: str,
    reason: str,
    via: str,
    audit_changes: Mapping[str, list[Any]] | None = None,
    **extra: Any,
) -> DecidedApplication:
    """Decide a pending application: ``outcome`` is one of its model's ``DECISION_OUTCOMES``.

    Refuses an actor the type's rule does not allow (``PermissionDenied``), an unknown outcome, a
    missing reason and an application decided already (``ValidationError``). Records who decided,
    when and why, audits it, and runs the type's effect (which tells the applicant), all in one
    transaction. ``audit_changes`` are added to the decision's audit entry (what else the same
    step changed: the record an objection corrected). ``extra`` goes to the effect (``now``: the
    time of the decision, for a test or an import). The decision's fields are copied onto
    ``application``, which is returned.
    """
    model = type(application)
    rule = decision_rule(model)
    if not rule.may_decide(actor, application):
        raise PermissionDenied(rule.refusal(application))
    if outcome not in model.DECISION_OUTCOMES:
        raise ValidationError({"status": str(rule.unknown_outcome)})
    reason = (reason or "").strip()
    if not reason and outcome in rule.default_reasons:
        reason = rule.default_reasons[outcome]()
    if not reason:
        raise ValidationError({rule.reason_field: _("Give the reason for the decision.")})
    now = extra.get("now") or timezone.now()
    with transaction.atomic():
        locked = (
            model._default_manager.select_for_update(of=("self",))
            .select_related(*rule.select_related)
            .get(pk=application.pk)
        )
        if not locked.is_pending:
            raise ValidationError(
                _("This application was already decided (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        before = snapshot(locked)
        locked.status = outcome
        locked.decided_by = actor if getattr(actor, "pk", None) else None
        locked.decided_at = now
        locked.decision_reason = reason
        locked.full_clean()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            actor=actor,
            via=via,
            action="update",
            instance=locked,
            changes={**diff(before, snapshot(locked)), **(audit_changes or {})},
            reason=reason,
        )
        rule.effect(locked, actor=actor, via=via, now=now, **{k: v for k, v in extra.items() if k != "now"})
    for name in DECISION_FIELDS:
        setattr(application, name, getattr(locked, name))
    return application
