"""Reads about who acts for whom."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from accounts.permissions import acts_for
from registry.models import Enterprise


def enterprise_for_actor(user, uscc: str, *, role: str | None = None) -> Enterprise:
    """The enterprise with ``uscc`` if ``user`` acts for it (with ``role``, when given).

    Raises :class:`Http404` for everyone else, whether the enterprise exists or not: a company's
    self-service pages do not exist for other users, so nobody learns what others hold.
    """
    code = uscc.strip().upper()
    enterprise = Enterprise.objects.select_related("registration_authority").filter(uscc=code).first()
    if enterprise is None or not acts_for(user, enterprise, role=role):
        raise Http404(_("No enterprise you act for has this code."))
    return enterprise
