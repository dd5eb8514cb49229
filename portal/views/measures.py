"""Public pages of joint rewards and punishments: how they work, each memorandum, an enterprise's measures."""

from __future__ import annotations

from collections import Counter

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from blacklists.models import BINDING_GROUPS, BINDING_LABELS, Measure
from blacklists.selectors import list_feeds_public, memoranda_public, restrictions_in_force
from core.identifiers import uscc_has_valid_shape
from portal.ratelimit import rate_limited
from registry.models import Enterprise


def how_it_works(request):
    """The framework explained from the data itself: every memorandum, feed and binding rule."""
    memoranda = list(memoranda_public().order_by("signed_on", "document_number"))
    rows = []
    for memorandum in memoranda:
        kinds = Counter(measure.kind for measure in memorandum.measures.all())
        rows.append(
            {
                "memorandum": memorandum,
                "punishments": kinds.get(Measure.Kind.PUNISHMENT, 0),
                "rewards": kinds.get(Measure.Kind.REWARD, 0),
                "enforcers": len({measure.enforcing_agency_id for measure in memorandum.measures.all()}),
            }
        )
    return render(
        request,
        "portal/measures/how_it_works.html",
        {
            "rows": rows,
            "feeds": list(list_feeds_public()),
            "binding": [str(BINDING_LABELS[group]) for group in BINDING_GROUPS],
            "agency_count": len({agency.pk for m in memoranda for agency in m.signatories.all()}),
            "measure_count": sum(row["punishments"] + row["rewards"] for row in rows),
        },
    )


def memorandum_detail(request, pk: int):
    memorandum = memoranda_public().filter(pk=pk).first()
    if memorandum is None:
        raise Http404(_("No such memorandum."))
    measures = list(memorandum.measures.all())
    return render(
        request,
        "portal/measures/memorandum.html",
        {
            "memorandum": memorandum,
            "punishments": [m for m in measures if m.kind == Measure.Kind.PUNISHMENT],
            "rewards": [m for m in measures if m.kind == Measure.Kind.REWARD],
            "feeds": list(list_feeds_public().filter(memorandum=memorandum)),
        },
    )


@rate_limited("enterprise-measures")
def enterprise_measures(request, uscc: str):
    """An enterprise's measures in force today with their reasons (the profile page links here)."""
    code = uscc.strip().upper()
    enterprise = Enterprise.objects.filter(uscc=code).first() if uscc_has_valid_shape(code) else None
    if enterprise is None:
        raise Http404(_("No enterprise with this code is registered."))
    answer = restrictions_in_force(enterprise=enterprise)
    return render(
        request,
        "portal/measures/enterprise.html",
        {"enterprise": enterprise, "answer": answer, "measures": answer.measures},
    )
