"""Company self-service: filing one year's annual report as steps, one section a page, each saved
as a draft, then a check-your-answers page that submits and publishes it, or amends it once
submitted (``docs/forms.md``). Only the enterprise's own users get these pages.

An amendment is not a draft: its changes are kept in the session, step by step, until the check
page records them with their note.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.selectors import enterprise_for_actor
from filings.forms import FILING_LISTS, FilingMainForm
from filings.models import AnnualReportFiling, AnnualReportFilingVersion
from filings.models.annual_reports import FILING_YEAR_MIN, filing_window
from filings.services import annual_report_amend, annual_report_draft_save, annual_report_submit
from filings.services.annual_reports import filing_data_clean, filing_is_late
from portal.filing_forms import WITHHOLD_PREFIX, AnnualReportPageForm
from portal.filing_steps import (
    STEPS,
    STEPS_BY_SLUG,
    answer_sections,
    step_for_key,
    step_form,
    step_formset,
    step_initial,
    step_values,
)
from portal.views.filings import VIA, attach_errors, json_ready
from registry.models import Enterprise

RETURN_TO_CHECK = "check"


def _filing(enterprise: Enterprise, year: int) -> AnnualReportFiling | None:
    if not FILING_YEAR_MIN <= year <= timezone.localdate().year:
        raise Http404(_("There is no report for this year."))
    return (
        AnnualReportFiling.objects.filter(enterprise=enterprise, year=year)
        .select_related("attachment")
        .prefetch_related(
            Prefetch("versions", queryset=AnnualReportFilingVersion.objects.select_related("created_by"))
        )
        .first()
    )


def _amending(filing: AnnualReportFiling | None) -> bool:
    return filing is not None and filing.is_submitted


def _steps(filing) -> tuple:
    """An amendment's attachment is uploaded with it on the check page, not kept between steps."""
    return tuple(step for step in STEPS if not (step.attachment and _amending(filing)))


def _session_key(filing: AnnualReportFiling) -> str:
    return f"annual-report-amendment-{filing.pk}"


def _working_copy(request, filing) -> tuple[dict, list[str]]:
    """The report as the company has it so far: the draft, or the amendment under way."""
    if filing is None:
        return {}, []
    if _amending(filing):
        kept = request.session.get(_session_key(filing))
        if kept:
            return kept["data"], kept["unpublished"]
    return filing.data, list(filing.unpublished_fields)


def _header_context(enterprise, year, filing) -> dict:
    opens, closes = filing_window(year)
    today = timezone.localdate()
    return {
        "enterprise": enterprise,
        "year": year,
        "filing": filing,
        "opens": opens,
        "closes": closes,
        "would_be_late": filing_is_late(year=year, on=today),
        "can_submit": today >= opens,
        "amending": _amending(filing),
    }


def _step_url(enterprise, year, step, *, to_check: bool = False) -> str:
    url = reverse(
        "portal:annual-report-step", kwargs={"uscc": enterprise.uscc, "year": year, "step": step.slug}
    )
    return f"{url}?return={RETURN_TO_CHECK}" if to_check else url


@login_required
@require_http_methods(["GET", "POST"])
def report_step(request, uscc: str, year: int, step: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    filing = _filing(enterprise, year)
    steps = _steps(filing)
    current = STEPS_BY_SLUG.get(step)
    if current not in steps:
        raise Http404(_("There is no such step of the annual report."))
    stored, unpublished = _working_copy(request, filing)
    to_check = (request.POST if request.method == "POST" else request.GET).get("return") == RETURN_TO_CHECK
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "continue")
        # "Continue" asks for every answer of the page; a draft saved for later may be incomplete.
        form = step_form(current, data=request.POST, files=request.FILES, complete=action == "continue")
        formset = step_formset(current, data=request.POST)
        if form.is_valid() and (formset is None or formset.is_valid()):
            data, withheld = step_values(current, form, formset, stored, unpublished)
            try:
                if _amending(filing):
                    # Checked as a draft would be; the whole report is checked when amended.
                    request.session[_session_key(filing)] = {
                        "data": filing_data_clean(data=json_ready(data), complete=False),
                        "unpublished": withheld,
                    }
                else:
                    filing = annual_report_draft_save(
                        enterprise=enterprise,
                        year=year,
                        data=json_ready(data),
                        unpublished_fields=withheld,
                        attachment=filing.attachment if filing else None,
                        attachment_file=form.cleaned_data.get("attachment_file"),
                        actor=request.user,
                        via=VIA,
                    )
            except ValidationError as error:
                attach_errors(error, form, {current.list_key: formset} if formset is not None else {})
            else:
                return redirect(_after_step(enterprise, year, current, steps, action, to_check))
        status = 400
    else:
        form = step_form(current, initial=step_initial(stored, unpublished))
        formset = step_formset(current, stored=stored)
    index = steps.index(current)
    context = {
        **_header_context(enterprise, year, filing),
        "step": current,
        "number": index + 1,
        "total": len(steps),
        "steps": [{"step": step, "url": _step_url(enterprise, year, step)} for step in steps],
        "previous_url": _step_url(enterprise, year, steps[index - 1]) if index else None,
        "check_url": reverse("portal:annual-report", kwargs={"uscc": enterprise.uscc, "year": year}),
        "to_check": to_check,
        "form": form,
        "formset": formset,
        "pairs": _field_pairs(form, current),
        "withhold_group": [form[WITHHOLD_PREFIX + name] for name in current.withhold],
    }
    return render(request, "portal/filings/step.html", context, status=status)


def _field_pairs(form, step) -> list:
    """Each field of the page with its "do not publish" checkbox, if it has one."""
    names = [*step.fields, *(["attachment_file"] if step.attachment else [])]
    return [
        (form[name], form[WITHHOLD_PREFIX + name] if WITHHOLD_PREFIX + name in form.fields else None)
        for name in names
    ]


def _after_step(enterprise, year, step, steps, action, to_check) -> str:
    if action == "more":
        return _step_url(enterprise, year, step, to_check=to_check)
    if action == "save":
        return reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})
    index = steps.index(step)
    if to_check or index + 1 == len(steps):
        return reverse("portal:annual-report", kwargs={"uscc": enterprise.uscc, "year": year})
    return _step_url(enterprise, year, steps[index + 1])


def _label_of(key: str, step) -> str:
    if step is None:
        return ""
    if step.list_key:
        row_form = FILING_LISTS[step.list_key][0]
        _list, _sep, rest = key.partition("-")
        index, _sep, name = rest.partition("-")
        if name in row_form.base_fields:
            row = _("Row %(number)s") % {"number": int(index) + 1}
            return f"{step.title}, {row}: {row_form.base_fields[name].label}"
        return str(step.title)
    if key in FilingMainForm.base_fields:
        return str(FilingMainForm.base_fields[key].label)
    return str(AnnualReportPageForm.base_fields["attachment_file"].label)


def _service_error_items(error: ValidationError, enterprise, year, steps) -> list[dict]:
    """The report service's errors, each linking to its field on the step that asks for it."""
    if not hasattr(error, "error_dict"):
        return [{"href": "", "text": message} for message in error.messages]
    items = []
    for key, errors in error.error_dict.items():
        step = step_for_key(key)
        if step not in steps:
            step = None
        anchor = "id_attachment_file" if key == "attachment" else f"id_{key}"
        href = f"{_step_url(enterprise, year, step, to_check=True)}#{anchor}" if step else ""
        label = _label_of(key, step)
        for message in ValidationError(errors).messages:
            items.append({"href": href, "text": f"{label}: {message}" if label else message})
    return items


def _amend_form(data=None, files=None):
    form = AnnualReportPageForm(data=data, files=files, complete=False)
    for name in list(form.fields):
        if name not in ("attachment_file", "note"):
            del form.fields[name]
    form.fields["note"].required = True
    form.fields["note"].error_messages["required"] = _("Say what the amendment changes.")
    return form


@login_required
@require_http_methods(["GET", "POST"])
def report_check(request, uscc: str, year: int):
    enterprise = enterprise_for_actor(request.user, uscc)
    filing = _filing(enterprise, year)
    steps = _steps(filing)
    if filing is None and request.method == "GET":
        return redirect(_step_url(enterprise, year, steps[0]))
    stored, unpublished = _working_copy(request, filing)
    amending = _amending(filing)
    form = _amend_form() if amending else None
    items: list[dict] = []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "amend" and amending:
                form = _amend_form(request.POST, request.FILES)
                if form.is_valid():
                    annual_report_amend(
                        filing=filing,
                        data=stored,
                        unpublished_fields=unpublished,
                        attachment=filing.attachment,
                        attachment_file=form.cleaned_data.get("attachment_file"),
                        note=form.cleaned_data["note"],
                        actor=request.user,
                        via=VIA,
                    )
                    request.session.pop(_session_key(filing), None)
                    messages.success(request, _("The amendment was recorded and is now public."))
                    return redirect("portal:annual-report", uscc=enterprise.uscc, year=year)
            elif action == "submit" and not amending:
                saved = annual_report_submit(
                    enterprise=enterprise,
                    year=year,
                    data=stored,
                    unpublished_fields=unpublished,
                    attachment=filing.attachment if filing else None,
                    actor=request.user,
                    via=VIA,
                )
                messages.success(
                    request,
                    _("The report was submitted late and is now public.")
                    if saved.late
                    else _("The report was submitted and is now public."),
                )
                return redirect("portal:annual-report", uscc=enterprise.uscc, year=year)
            else:
                items.append({"href": "", "text": _("Choose what to do with the report.")})
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict") and "attachment" in error.error_dict:
                attach_errors(error, form, {})
            else:
                items = _service_error_items(error, enterprise, year, steps)
    context = {
        **_header_context(enterprise, year, filing),
        "sections": [
            {**section, "url": _step_url(enterprise, year, section["step"], to_check=True)}
            for section in answer_sections(stored, unpublished)
            if section["step"] in steps
        ],
        "first_step_url": _step_url(enterprise, year, steps[0]),
        "form": form,
        "items": items,
        "changed": amending and request.session.get(_session_key(filing)) is not None,
        "versions": list(filing.versions.all()) if filing else [],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "portal/filings/check.html", context, status=status)
