"""Who may see an evaluation: the rule set decides.

- the subject's own users (company members): always;
- clerks (agency members), the central office (superusers) and API clients with the
  ``evaluations`` scope: every evaluation;
- everybody else (the public, other companies' users, clients without the scope): only
  evaluations made by a published rule set.

Credit-risk classes are never visible through here: see ``scoring.selectors.risk``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import EnterpriseMembership
from accounts.permissions import clerk_agency_id, is_unrestricted
from blacklists.models import ApiClient, ApiScope
from scoring.models import Evaluation

EVALUATIONS_SCOPE = ApiScope.EVALUATIONS


def _client(viewer) -> ApiClient | None:
    if isinstance(viewer, ApiClient):
        return viewer
    client = getattr(viewer, "client", None)  # the API's ClientPrincipal
    return client if isinstance(client, ApiClient) else None


def sees_every_evaluation(viewer) -> bool:
    client = _client(viewer)
    if client is not None:
        return client.has_scope(EVALUATIONS_SCOPE)
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    return is_unrestricted(viewer) or clerk_agency_id(viewer) is not None


def evaluations_visible_to(viewer, queryset: QuerySet[Evaluation] | None = None) -> QuerySet[Evaluation]:
    """``queryset`` (every evaluation by default) narrowed to what ``viewer`` may see."""
    queryset = Evaluation.objects.all() if queryset is None else queryset
    if sees_every_evaluation(viewer):
        return queryset
    visible = Q(rule_set__published=True)
    if _client(viewer) is None and getattr(viewer, "is_authenticated", False):
        own = EnterpriseMembership.objects.filter(user=viewer).values("enterprise_id")
        visible |= Q(enterprise_id__in=own)
    return queryset.filter(visible)


def evaluation_visible_to(viewer, evaluation: Evaluation) -> bool:
    if sees_every_evaluation(viewer) or evaluation.rule_set.published:
        return True
    if _client(viewer) is not None or not getattr(viewer, "is_authenticated", False):
        return False
    return EnterpriseMembership.objects.filter(user=viewer, enterprise_id=evaluation.enterprise_id).exists()
