"""Credit evaluations in the portal: the company's evaluation with its explanation and history
(also for clerks), and the public alert list.

The credit-risk class is never read here: it is for regulators only (``scoring.selectors.risk``).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from blacklists.restrictions import local_name
from casework.models import Objection
from portal.middleware import bad_request
from registry.models import Enterprise
from scoring.indicators import indicator_get
from scoring.models import Evaluation, EvaluationContribution, Remedy
from scoring.selectors import (
    alert_areas_named,
    alert_entry_current,
    alert_list,
    area_names,
    briefings_of,
    evaluation_explanation,
    evaluation_history,
    interviews_of,
    public_scoring,
    sees_every_evaluation,
)

HISTORY_SHOWN = 20
# The grades as the published scheme names them (优良中差).
GRADE_NAMES = {
    "A": gettext_lazy("A (excellent)"),
    "B": gettext_lazy("B (good)"),
    "C": gettext_lazy("C (medium)"),
    "D": gettext_lazy("D (poor)"),
}
ALERTS_PER_PAGE = 50

# The record a contribution comes from, as the objection form names it.
OBJECTION_RECORD_TYPES = {
    "registry.administrativepenalty": Objection.RecordType.PENALTY,
    "registry.abnormaloperationlisting": Objection.RecordType.ABNORMAL_LISTING,
    "registry.inspectionrecord": Objection.RecordType.INSPECTION,
    "registry.annualreport": Objection.RecordType.ANNUAL_REPORT,
    "registry.award": Objection.RecordType.AWARD,
    "filings.creditcommitment": Objection.RecordType.COMMITMENT,
    "blacklists.listentry": Objection.RecordType.LIST_ENTRY,
    "registry.enterprise": Objection.RecordType.ENTERPRISE,
}


def objection_url(enterprise: Enterprise, record_type: str, record_id: int) -> str:
    return (
        reverse("portal:objection-new", kwargs={"uscc": enterprise.uscc})
        + "?"
        + urlencode({"record_type": record_type, "record_id": record_id})
    )


def _remedy_url(enterprise: Enterprise, item: EvaluationContribution) -> str:
    if item.remedy == Remedy.CREDIT_REPAIR:
        return reverse("portal:repair", kwargs={"uscc": enterprise.uscc})
    if item.remedy == Remedy.ABNORMAL_REMOVAL:
        if item.source_model == "registry.abnormaloperationlisting":
            return reverse(
                "portal:abnormal-removal-apply", kwargs={"uscc": enterprise.uscc, "pk": item.source_pk}
            )
        return reverse("portal:annual-reports", kwargs={"uscc": enterprise.uscc})
    return ""


def explanation_rows(enterprise: Enterprise, items: list[EvaluationContribution], *, own: bool) -> list[dict]:
    """Each contributing record as the page shows it; the repair and objection links for the
    company's own users only."""
    rows = []
    for item in items:
        indicator = indicator_get(item.indicator)
        record_type = OBJECTION_RECORD_TYPES.get(item.source_model)
        rows.append(
            {
                "item": item,
                "indicator": str(indicator.name) if indicator else item.indicator,
                "tier": str(indicator.tier_name(item.tier)) if indicator and item.tier else "",
                "agency": local_name(item.agency) if item.agency else "",
                "remedy": Remedy(item.remedy).label if item.remedy else "",
                "remedy_url": _remedy_url(enterprise, item) if own else "",
                "objection_url": objection_url(enterprise, record_type, item.source_pk)
                if own and record_type
                else "",
            }
        )
    return rows


@login_required
def evaluation_page(request, uscc: str):
    """The enterprise's current evaluation, every record that moved it, and its history: for the
    enterprise's own users and for clerks; 404 to everybody else."""
    code = uscc.strip().upper()
    enterprise = Enterprise.objects.filter(uscc=code).select_related("registration_authority").first()
    own = enterprise is not None and acts_for(request.user, enterprise)
    if enterprise is None or not (own or sees_every_evaluation(request.user)):
        raise Http404(_("No enterprise you act for has this code."))
    history = list(evaluation_history(enterprise_id=enterprise.pk)[:HISTORY_SHOWN])
    current = next((evaluation for evaluation in history if evaluation.is_current), None)
    items = evaluation_explanation(evaluation=current) if current else []
    alert = alert_entry_current(enterprise_id=enterprise.pk)
    interviews = list(interviews_of(enterprise_id=enterprise.pk))
    for interview in interviews:
        interview.agency_name = local_name(interview.agency)
    return render(
        request,
        "portal/scoring/evaluation.html",
        {
            "enterprise": enterprise,
            "own": own,
            "evaluation": current,
            "rows": explanation_rows(enterprise, items, own=own),
            "history": history,
            "briefings": list(briefings_of(enterprise_id=enterprise.pk)),
            "interviews": interviews,
            "grade_name": GRADE_NAMES[current.grade] if current else "",
            "rule_set_name": current.rule_set.name_for(get_language()) if current else "",
            "alert": alert,
            "alert_areas": area_names(alert.areas) if alert else [],
            "objection_url": objection_url(enterprise, Objection.RecordType.EVALUATION, current.pk)
            if own and current
            else "",
            "today": timezone.localdate(),
        },
    )


def alert_list_page(request):
    """The public alert list (大数据预警名单): each enterprise with the areas of its adverse records."""
    paginator = Paginator(alert_list(), ALERTS_PER_PAGE)
    raw = request.GET.get("page", "1")
    try:
        page = paginator.page(raw)
    except (PageNotAnInteger, EmptyPage):
        return bad_request(
            request, message=_("There is no page “%(page)s” of the alert list.") % {"page": raw[:20]}
        )
    return render(
        request,
        "portal/scoring/alerts.html",
        {"page": page, "entries": alert_areas_named(list(page.object_list))},
    )


def evaluation_objection_target(enterprise: Enterprise, raw_id: str):
    """(agency, summary) of an evaluation of ``enterprise`` the company may object to, or 404."""
    evaluation = (
        Evaluation.objects.filter(pk=int(raw_id), enterprise=enterprise)
        .select_related("rule_set__author_agency")
        .first()
        if raw_id.isdigit()
        else None
    )
    if evaluation is None:
        raise Http404(_("This record is not on your enterprise's profile."))
    rule_set = evaluation.rule_set
    agency = rule_set.author_agency or enterprise.registration_authority
    summary = f"{rule_set.name_zh} v{rule_set.version} {evaluation.grade} {evaluation.as_of.isoformat()}"
    return agency, summary


def profile_scoring_context(uscc: str) -> dict:
    """What the public profile shows of scoring: the grade when its rule set is published, the
    alert list's early warning. Agency grades have their own profile section."""
    found = public_scoring(uscc=uscc)
    if found is None:
        return {}
    return {
        "scoring": found,
        "scoring_grade_name": GRADE_NAMES.get(found.grade, ""),
        "scoring_rule_set_name": found.rule_set_name(get_language()),
    }
