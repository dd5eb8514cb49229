"""Personal-data rules: keyed hashing of ID numbers and data we never accept."""

from __future__ import annotations

import hashlib
import hmac
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

# Data the law forbids collecting on persons (seed §1.2): matched against field
# and column names, English or Chinese, after normalisation.
PROHIBITED_DATA = {
    "religion": ("religion", "religious_belief", "religious_beliefs", "宗教", "宗教信仰"),
    "fingerprints": ("fingerprint", "fingerprints", "指纹"),
    "genes": ("gene", "genes", "genetic_data", "dna", "基因"),
    "medical history": ("medical_history", "medical_record", "病史", "既往病史", "病历"),
    "blood type": ("blood_type", "blood_group", "血型"),
}
_PROHIBITED_NAMES = {alias: category for category, aliases in PROHIBITED_DATA.items() for alias in aliases}


def normalise_name(name: str) -> str:
    return unicodedata.normalize("NFKC", str(name)).strip().lower().replace(" ", "_").replace("-", "_")


def prohibited_category(name: str) -> str | None:
    return _PROHIBITED_NAMES.get(normalise_name(name))


def reject_prohibited_fields(names: Iterable[str]) -> None:
    """Raise a ValidationError naming every prohibited field among ``names``."""
    errors = {}
    for name in names:
        category = prohibited_category(name)
        if category:
            errors[str(name)] = _(
                "%(field)s is prohibited personal data (%(category)s) and is never accepted."
            ) % {"field": name, "category": category}
    if errors:
        raise ValidationError(errors)


def normalise_resident_id(raw: str) -> str:
    """Full-width to half-width, spaces removed, check character upper-cased."""
    return unicodedata.normalize("NFKC", str(raw)).replace(" ", "").strip().upper()


def resident_id_hash(number: str) -> str:
    """Keyed HMAC-SHA256 of a normalised resident ID number, for exact lookup only."""
    key = settings.ID_HASH_KEY
    if not key:
        raise ImproperlyConfigured("ID_HASH_KEY is not set.")
    return hmac.new(key.encode(), number.encode(), hashlib.sha256).hexdigest()
