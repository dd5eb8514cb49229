"""Instant disclosure by the company itself (即时信息公示), under ``account/enterprises/<USCC>/disclosures/``.

Each form has two steps and needs no JavaScript: the first submit shows what will be published
with its due date (20 working days after the fact), the second publishes it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.selectors import enterprise_for_actor
from filings.models import InstantDisclosure
from filings.models.disclosures import details_display
from filings.services import instant_disclosure_correct, instant_disclosure_due_on, instant_disclosure_publish
from portal.disclosure_forms import FORMS, DisclosureForm
from registry.models import AuditEntry

VIA = AuditEntry.Via.FORM


def _kinds() -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in InstantDisclosure.Kind]


@login_required
def disclosure_list(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    disclosures = list(enterprise.instant_disclosures.order_by("-occurred_on", "-id"))
    rows = [(disclosure, details_display(disclosure.kind, disclosure.details)) for disclosure in disclosures]
    return render(
        request,
        "portal/disclosures/list.html",
        {"enterprise": enterprise, "rows": rows, "kinds": _kinds(), "today": timezone.localdate()},
    )


def _step(request, form: DisclosureForm) -> str:
    """ "form" (show the fields), "preview" (show the due date, ask to confirm) or "publish"."""
    if request.method != "POST" or not form.is_valid():
        return "form"
    step = request.POST.get("step")
    return step if step in {"preview", "publish"} else "form"


def _preview_context(form: DisclosureForm) -> dict:
    occurred_on = form.cleaned_data["occurred_on"]
    due_on = instant_disclosure_due_on(occurred_on)
    today = timezone.localdate()
    return {
        "occurred_on": occurred_on,
        "due_on": due_on,
        "late_if_published_today": today > due_on,
        "details": details_display(form.kind, form.details()),
    }


def _render_form(request, *, enterprise, form, step, disclosure=None):
    context = {
        "enterprise": enterprise,
        "form": form,
        "kind_label": InstantDisclosure.Kind(form.kind).label,
        "kind": form.kind,
        "step": step,
        "disclosure": disclosure,
    }
    if step == "preview":
        context.update(_preview_context(form))
    return render(request, "portal/disclosures/form.html", context)


@login_required
def disclosure_new(request, uscc: str, kind: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    form_class = FORMS.get(kind)
    if form_class is None:
        raise Http404(_("Unknown kind of instant disclosure."))
    form = form_class(request.POST or None) if request.method == "POST" else form_class()
    step = _step(request, form)
    if step == "publish":
        try:
            disclosure = instant_disclosure_publish(
                enterprise=enterprise,
                kind=form.kind,
                occurred_on=form.cleaned_data["occurred_on"],
                details=form.details(),
                actor=request.user,
                via=VIA,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            step = "form"
        else:
            messages.success(
                request,
                _("Published. It was due by %(due)s.")
                % {"due": date_format(disclosure.due_on, "DATE_FORMAT")},
            )
            return redirect("portal:disclosures", uscc=enterprise.uscc)
    return _render_form(request, enterprise=enterprise, form=form, step=step)


@login_required
def disclosure_correct(request, uscc: str, pk: int):
    enterprise = enterprise_for_actor(request.user, uscc)
    disclosure = get_object_or_404(InstantDisclosure, pk=pk, enterprise=enterprise)
    form_class = FORMS[disclosure.kind]
    if request.method == "POST":
        form = form_class(request.POST, correcting=True)
    else:
        form = form_class(initial=form_class.initial_from(disclosure), correcting=True)
    step = _step(request, form)
    if step == "publish":
        try:
            instant_disclosure_correct(
                disclosure=disclosure,
                occurred_on=form.cleaned_data["occurred_on"],
                details=form.details(),
                reason=form.cleaned_data["reason"],
                actor=request.user,
                via=VIA,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
            step = "form"
        else:
            messages.success(request, _("The correction was published; the earlier version is kept."))
            return redirect("portal:disclosures", uscc=enterprise.uscc)
    return _render_form(request, enterprise=enterprise, form=form, step=step, disclosure=disclosure)
