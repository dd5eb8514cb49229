"""The public profile of one enterprise (NECIPS style), at ``/enterprises/<USCC>/``."""

from __future__ import annotations

from django.shortcuts import redirect, render

from core.identifiers import is_valid_uscc, uscc_has_valid_shape
from portal.profile.build import enterprise_profile_public
from portal.ratelimit import rate_limited
from portal.views.scoring import profile_scoring_context


def _not_found(request, *, code: str, malformed: bool):
    return render(
        request,
        "portal/enterprise/not_found.html",
        {"code": code, "malformed": malformed},
        status=404,
    )


@rate_limited("enterprise-profile")
def enterprise_profile(request, uscc: str):
    code = uscc.strip().upper()
    if not uscc_has_valid_shape(code):
        return _not_found(request, code=uscc[:40], malformed=True)
    if code != uscc:
        return redirect("portal:enterprise", uscc=code, permanent=True)
    profile = enterprise_profile_public(uscc=code)
    if profile is None:
        # A wrong check character is a typing mistake unless an official legacy code is registered.
        return _not_found(request, code=code, malformed=not is_valid_uscc(code))
    return render(
        request, "portal/enterprise/profile.html", {"profile": profile, **profile_scoring_context(code)}
    )
