"""The account page of developer keys: list, create (the key is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from opendata.forms import DeveloperKeyForm
from opendata.limits import KEY, limit_for
from opendata.models import DeveloperKey
from opendata.services.keys import MAX_ACTIVE_KEYS, developer_key_create, developer_key_revoke


@never_cache  # the one answer that shows a new key must not be kept by any cache
@login_required
def developer_keys(request):
    form = DeveloperKeyForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                developer_key, new_key = developer_key_create(
                    owner=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                form.add_error("name" if "name" in getattr(exc, "message_dict", {}) else None, exc)
            else:
                form = DeveloperKeyForm()
                messages.success(request, _("Key “%(name)s” created.") % {"name": developer_key.name})
        if new_key is None:
            status = 400
    keys = DeveloperKey.objects.filter(owner=request.user).order_by("revoked_at", "-created_at", "-id")
    return render(
        request,
        "opendata/developer_keys.html",
        {
            "form": form,
            "keys": keys,
            "new_key": new_key,
            "key_limit": limit_for(KEY),
            "max_keys": MAX_ACTIVE_KEYS,
        },
        status=status,
    )


@require_POST
@login_required
def developer_key_revoke_view(request, pk: int):
    developer_key = developer_key_revoke(owner=request.user, key_id=pk)  # another's key: 403
    messages.success(request, _("Key “%(name)s” revoked: it no longer works.") % {"name": developer_key.name})
    return redirect("opendata:developer-keys")
