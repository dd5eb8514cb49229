from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.identifiers import (
    is_valid_resident_id,
    mask_resident_id,
    resident_id_birth_date,
)
from core.privacy import normalise_resident_id, reject_prohibited_fields, resident_id_hash
from registry.models import Person
from registry.services.audit import Actor
from registry.services.base import instance_create, instance_update


def resident_id_error(number: str) -> str | None:
    """A message saying exactly what is wrong with ``number``, or None when it is valid."""
    if len(number) != 18:
        return _("A resident ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}
    if not number[:17].isdigit() or not number[:17].isascii() or number[17] not in "0123456789X":
        return _("A resident ID number is 17 digits followed by a digit or X.")
    birth = resident_id_birth_date(number)
    if birth is None or birth.year < 1900:
        return _("Characters 7-14 of a resident ID number must be a real birth date (YYYYMMDD).")
    if not is_valid_resident_id(number):
        return _("The check character of this resident ID number is wrong.")
    return None


def validated_resident_id(raw: str, *, field: str = "id_number") -> str:
    number = normalise_resident_id(raw)
    error = resident_id_error(number)
    if error:
        raise ValidationError({field: error})
    return number


def identity_fields(raw_id_number: str) -> dict:
    """Hash, mask, sex and birth year derived from an ID number; the number itself is dropped."""
    number = validated_resident_id(raw_id_number)
    return {
        "id_hash": resident_id_hash(number),
        "id_masked": mask_resident_id(number),
        "sex": Person.Sex.MALE if int(number[16]) % 2 else Person.Sex.FEMALE,
        "birth_year": int(number[6:10]),
    }


def person_find_by_id_number(*, id_number: str) -> Person | None:
    number = validated_resident_id(id_number)
    return Person.objects.filter(id_hash=resident_id_hash(number)).first()


def person_create(*, actor: Actor, via: str, name: str, id_number: str, **extra) -> Person:
    reject_prohibited_fields(extra.keys())
    fields = {"name": (name or "").strip(), **identity_fields(id_number), **extra}
    if Person.objects.filter(id_hash=fields["id_hash"]).exists():
        raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    return instance_create(model=Person, actor=actor, via=via, fields=fields)


def person_get_or_create(*, actor: Actor, via: str, name: str, id_number: str) -> tuple[Person, bool]:
    existing = person_find_by_id_number(id_number=id_number)
    if existing is not None:
        return existing, False
    return person_create(actor=actor, via=via, name=name, id_number=id_number), True


def person_update(*, person: Person, actor: Actor, via: str, note: str = "", **changes) -> Person:
    if "id_number" in changes:
        changes.update(identity_fields(changes.pop("id_number")))
        if Person.objects.filter(id_hash=changes["id_hash"]).exclude(pk=person.pk).exists():
            raise ValidationError({"id_number": _("A person with this ID number is already registered.")})
    return instance_update(instance=person, actor=actor, via=via, changes=changes, note=note)


__all__ = [
    "identity_fields",
    "person_create",
    "person_find_by_id_number",
    "person_get_or_create",
    "person_update",
    "resident_id_error",
    "validated_resident_id",
]
