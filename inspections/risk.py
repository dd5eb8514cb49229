"""The one place the draw reads credit-risk classes from.

Until the scoring app offers them, every enterprise counts as class B (issue: "until that lands,
every enterprise counts as class B").
"""

from django.db.models import CharField, QuerySet, Value


def with_risk_class(queryset: QuerySet) -> QuerySet:
    """``queryset`` of enterprises annotated with ``risk_class`` (A, B, C or D)."""
    # To be wired to scoring.selectors.enterprises_with_risk_class once scoring offers it.
    return queryset.annotate(risk_class=Value("B", output_field=CharField(max_length=1)))
