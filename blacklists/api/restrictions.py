"""``GET /api/v1/restrictions/``: is this subject restricted (or rewarded), by whom, and why?"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from blacklists.api.auth import BearerTokenAuthentication, RestrictionsScope
from blacklists.models import ListType, RestrictionCheck
from blacklists.restrictions import MeasureInForce, Reason, RestrictionAnswer
from blacklists.selectors import restriction_catalogue, restrictions_in_force
from blacklists.services import restriction_check_record
from core.api.schema import USCC
from core.identifiers import mask_resident_id, uscc_has_valid_shape
from core.privacy import normalise_resident_id
from registry.models import Agency, Enterprise
from registry.services import person_find_by_id_number


def _agency(agency: Agency) -> dict:
    return {"code": agency.short_code, "name_zh": agency.name_zh, "name_en": agency.name_en}


def _list(list_type: ListType) -> dict:
    return {"code": list_type.code, "name_zh": list_type.name_zh, "name_en": list_type.name_en}


def _reason(reason: Reason) -> dict:
    entry, memorandum = reason.entry, reason.memorandum
    link = reason.link
    return {
        "text": reason.text,
        "entry": {
            "id": entry.pk,
            "list": _list(entry.list_type),
            "subject_name": entry.subject_name,
            "decision_number": entry.decision_number,
            "issuing_agency": _agency(entry.issuing_agency),
            "decision_date": entry.decision_date,
            "starts_on": entry.starts_on,
            "planned_end": entry.planned_end,
            "permanent": entry.permanent,
        },
        "via_lists": [_list(list_type) for list_type in reason.lists[1:]],
        "memorandum": {
            "document_number": memorandum.document_number,
            "title_zh": memorandum.title_zh,
            "title_en": memorandum.title_en,
        },
        "link": None
        if link is None
        else {
            "kind": link.kind,
            "role": link.group,
            "register_role": link.role or None,
            "enterprise": {"uscc": link.enterprise.uscc, "name": link.enterprise.name},
        },
        "since": reason.since,
        "until": reason.until,
    }


def _measure(item: MeasureInForce) -> dict:
    measure = item.measure
    return {
        "code": measure.code,
        "kind": measure.kind,
        "category": measure.category,
        "description_zh": measure.description_zh,
        "description_en": measure.description_en,
        "enforcing_agency": _agency(measure.enforcing_agency),
        "parameter": measure.parameter_display or None,
        "parameter_unit": measure.parameter_unit or None,
        "since": item.since,
        "until": item.until,
        "reasons": [_reason(reason) for reason in item.reasons],
    }


def _subject(answer: RestrictionAnswer, *, uscc: str, masked_id: str) -> dict:
    # Identical for a subject not in the register and one with nothing in force: no oracle.
    subject = {"kind": "enterprise", "uscc": uscc} if uscc else {"kind": "person", "id_number": masked_id}
    if answer.measures:
        subject["name"] = (answer.person or answer.enterprise).name
    return subject


RESIDENT_ID = {"type": "string", "pattern": r"^[0-9]{17}[0-9Xx]$"}
MEASURE_CODE = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]{0,63}$"}


class RestrictionCheckView(APIView):
    """Measures in force for one subject on one date, each with the chain of reasons behind it.

    Authenticate with ``Authorization: Bearer <token>`` (a client with the ``restrictions`` scope).
    Every call is logged with the client, the subject and the time.
    """

    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [RestrictionsScope]
    throttle_classes = []  # clients are known and logged; their volume is agreed, not guessed

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "uscc", USCC, description="USCC of an enterprise. Give exactly one of uscc and id_number."
            ),
            OpenApiParameter(
                "id_number",
                RESIDENT_ID,
                description="Full resident ID number; matched by its hash, never echoed.",
            ),
            OpenApiParameter("measure", MEASURE_CODE, description="Only this measure code, e.g. no-flight."),
            OpenApiParameter(
                "on",
                {"type": "string", "format": "date"},
                description="Date asked about, YYYY-MM-DD, 1900 to 2100 (default today).",
            ),
        ],
        responses={200: dict},
    )
    def get(self, request):
        params = request.query_params
        uscc = (params.get("uscc") or "").strip().upper()
        raw_id = (params.get("id_number") or "").strip()
        errors: dict[str, list[str]] = {}
        if uscc and raw_id:
            message = _("Give either uscc or id_number, not both.")
            errors = {"uscc": [message], "id_number": [message]}
        elif not uscc and not raw_id:
            message = _("Give the subject's uscc or id_number.")
            errors = {"uscc": [message], "id_number": [message]}
        elif uscc and not uscc_has_valid_shape(uscc):
            errors["uscc"] = [_("A USCC is 18 characters: digits and capital letters without I, O, S, V, Z.")]
        on = self._date(params.get("on"), errors)
        measure_code = (params.get("measure") or "").strip()
        if measure_code and measure_code not in {measure.code for measure in restriction_catalogue()[1]}:
            errors["measure"] = [_("Unknown measure code '%(code)s'.") % {"code": measure_code[:64]}]
        person = enterprise = None
        masked_id = ""
        if raw_id and not errors:
            try:
                person = person_find_by_id_number(id_number=raw_id)
            except DjangoValidationError as exc:
                errors["id_number"] = exc.messages
            else:
                masked_id = mask_resident_id(normalise_resident_id(raw_id))
        if errors:
            raise ValidationError(errors)
        if uscc:
            enterprise = (
                Enterprise.objects.filter(uscc=uscc).only("pk", "uscc", "name", "entity_type").first()
            )
        answer = restrictions_in_force(
            person=person,
            enterprise=enterprise,
            subject_kind="enterprise" if uscc else "person",
            on=on,
            measure_code=measure_code,
        )
        restriction_check_record(
            client=request.auth,
            identifier=RestrictionCheck.Identifier.USCC if uscc else RestrictionCheck.Identifier.ID_NUMBER,
            person=person,
            enterprise=enterprise,
            on=on,
            measure_code=measure_code,
            restricted=answer.restricted,
            measure_count=len(answer.measures),
        )
        return Response(
            {
                "subject": _subject(answer, uscc=uscc, masked_id=masked_id),
                "on": on,
                "restricted": answer.restricted,
                "measures": [_measure(item) for item in answer.measures],
            }
        )

    @staticmethod
    def _date(raw: str | None, errors: dict) -> dt.date:
        if not raw:
            return timezone.localdate()
        try:
            day = dt.date.fromisoformat(raw.strip())
        except ValueError:
            errors["on"] = [_("A date is written YYYY-MM-DD.")]
            return timezone.localdate()
        if not 1900 <= day.year <= 2100:
            errors["on"] = [_("The date must be between 1900 and 2100.")]
            return timezone.localdate()
        return day
