"""Public reads of memoranda and list feeds."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from blacklists.models import ListFeed, ListType, Measure, Memorandum
from registry.models import Agency


def memoranda_public() -> QuerySet[Memorandum]:
    """Memoranda with everything their public pages show, in a fixed number of queries."""
    return Memorandum.objects.select_related("lead_agency").prefetch_related(
        Prefetch("signatories", queryset=Agency.objects.order_by("level", "name_zh")),
        Prefetch("trigger_list_types", queryset=ListType.objects.select_related("owner").order_by("code")),
        Prefetch(
            "measures",
            queryset=Measure.objects.select_related("enforcing_agency", "trigger_list_type").order_by(
                "kind", "category", "code", "id"
            ),
        ),
    )


def list_feeds_public() -> QuerySet[ListFeed]:
    return ListFeed.objects.select_related("source", "target", "memorandum").order_by(
        "source__code", "target__code"
    )
