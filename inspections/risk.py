"""The one place the draw reads credit-risk classes from: the scoring app's current assessment of
each enterprise, class B where it has none (docs/scoring.md, "Credit-risk classes")."""

from django.db.models import QuerySet

from scoring.selectors import enterprises_with_risk_class


def with_risk_class(queryset: QuerySet) -> QuerySet:
    """``queryset`` of enterprises annotated with ``risk_class`` (A, B, C or D)."""
    return enterprises_with_risk_class(queryset)
