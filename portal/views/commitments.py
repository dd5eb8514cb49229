"""Credit commitment letters the company signs (信用承诺书), at ``<USCC>/commitments/`` of its account.

The company gives the matter, reads the letter filled with its registered details, types the
signer's name, confirms the signer's authority, and the letter is published at once. No JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import enterprise_for_actor
from filings.commitment_templates import TEMPLATES, commitment_letter_fill
from filings.models import CreditCommitment
from filings.services import credit_commitment_sign
from portal.commitment_forms import MatterForm, SignForm
from registry.models import Agency, AuditEntry

VIA = AuditEntry.Via.FORM


@login_required
def commitment_list(request, uscc: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    commitments = enterprise.credit_commitments.select_related("source_agency", "broken_by").order_by(
        "-signed_on", "-id"
    )
    return render(
        request,
        "portal/commitments/list.html",
        {"enterprise": enterprise, "commitments": commitments, "templates": list(TEMPLATES.values())},
    )


@login_required
def commitment_detail(request, uscc: str, pk: int):
    enterprise = enterprise_for_actor(request.user, uscc)
    commitment = get_object_or_404(
        CreditCommitment.objects.select_related("source_agency", "broken_by"), pk=pk, enterprise=enterprise
    )
    return render(
        request, "portal/commitments/detail.html", {"enterprise": enterprise, "commitment": commitment}
    )


def _agency_named(name: str) -> Agency | None:
    """The agency a letter is made to, when the company typed its exact name."""
    name = (name or "").strip()
    if not name:
        return None
    return Agency.objects.filter(Q(name_zh=name) | Q(name_en=name)).order_by("pk").first()


@login_required
def commitment_new(request, uscc: str, kind: str):
    enterprise = enterprise_for_actor(request.user, uscc)
    template = TEMPLATES.get(kind)
    if template is None:
        raise Http404(_("Unknown kind of credit commitment."))
    posted = request.method == "POST"
    step = request.POST.get("step") if posted else ""
    matter = MatterForm(request.POST if posted else None, kind=kind)
    # A letter without matter fields goes straight to the preview.
    matter_ready = matter.is_valid() if posted else not template.matter
    sign = SignForm(request.POST if step == "sign" else None)
    today = timezone.localdate()
    context = {"enterprise": enterprise, "template": template, "matter": matter, "sign": sign, "kind": kind}

    key = f"commitment-matter-{enterprise.pk}-{kind}"
    if not matter_ready or step == "edit":
        if step == "edit":
            matter = MatterForm(initial=matter.cleaned_data if matter.is_valid() else None, kind=kind)
        elif not posted and request.session.get(key):
            # "Change" on the check page: the answers given so far.
            matter = MatterForm(initial=request.session[key], kind=kind)
        context["matter"] = matter
        return render(
            request, "portal/commitments/matter.html", context, status=400 if matter.errors else 200
        )
    if posted:
        request.session[key] = {name: _plain(value) for name, value in matter.cleaned_data.items()}

    if step == "sign" and sign.is_valid():
        signer = sign.cleaned_data["signer_name"]
        letter = commitment_letter_fill(
            kind=kind, enterprise=enterprise, matter=matter.cleaned_data, signer=signer, signed_on=today
        )
        try:
            commitment = credit_commitment_sign(
                enterprise=enterprise,
                kind=kind,
                title=letter.title,
                text=letter.text,
                signed_on=today,
                signer_name=signer,
                source_agency=_agency_named(matter.cleaned_data.get("agency", "")),
                actor=request.user,
                via=VIA,
            )
        except ValidationError as error:
            sign.add_error(None, error.messages)
        else:
            request.session.pop(key, None)
            messages.success(
                request, _("The letter is signed and published on the enterprise's public record.")
            )
            return redirect("portal:commitment-detail", uscc=enterprise.uscc, pk=commitment.pk)

    typed = sign.data.get("signer_name", "").strip() if sign.is_bound else ""
    context["letter"] = commitment_letter_fill(
        kind=kind,
        enterprise=enterprise,
        matter=matter.cleaned_data if posted else {},
        signer=typed or _("(the name you type below)"),
        signed_on=today,
    )
    context["answers"] = (
        [
            {"name": name, "label": matter.fields[name].label, "value": matter.cleaned_data.get(name)}
            for name in matter.fields
        ]
        if posted
        else []
    )
    return render(request, "portal/commitments/preview.html", context, status=400 if sign.errors else 200)


def _plain(value):
    """A matter answer as the session keeps it (JSON)."""
    return value.isoformat() if hasattr(value, "isoformat") else value
