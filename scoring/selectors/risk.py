"""Credit-risk classes for regulators (the inspections draw). Never for pages the public or a
company sees: ``RiskClassAssessment`` is government-only data."""

from __future__ import annotations

from django.db.models import CharField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from scoring.models import RiskClassAssessment

# Without an assessment an enterprise is treated as ordinary risk.
DEFAULT_RISK_CLASS = "B"


def enterprises_with_risk_class(queryset: QuerySet) -> QuerySet:
    """``queryset`` of enterprises, each annotated with ``risk_class``: its current class, or 'B'.

    One correlated subquery on the current assessment (a unique partial index), so a draw over
    millions of enterprises stays one statement."""
    # At most one current assessment per enterprise (a unique partial index): no ordering, which
    # would sort (and join the enterprise for its USCC) once per enterprise.
    current = (
        RiskClassAssessment.objects.filter(enterprise_id=OuterRef("pk"), is_current=True)
        .order_by()
        .values("grade")[:1]
    )
    return queryset.annotate(
        risk_class=Coalesce(Subquery(current, output_field=CharField()), Value(DEFAULT_RISK_CLASS))
    )
