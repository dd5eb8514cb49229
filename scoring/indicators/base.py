"""The indicator catalogue: what kinds of records a rule set can weigh.

An indicator is one small class whose ``source_sql`` selects, for every enterprise at once (or for
the enterprises its ``{scope}`` condition names), the records it yields, with these columns in
this order (see ``COLUMNS``):

``enterprise_id, tier, source_model, source_pk, agency_id, document_number, record_date, ends_on,
repairable_from, remedy``

``ends_on`` is the first day the record no longer exists (removed, repaired, expired; NULL while it
lasts). The engine adds how long the rule set lets it count and keeps what counts on the day of
the evaluation. ``%(as_of)s`` is that day, for indicators whose records depend on it. Adding an
indicator is one subclass registered with :func:`indicator_register`; no migration is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

COLUMNS = (
    "enterprise_id",
    "tier",
    "source_model",
    "source_pk",
    "agency_id",
    "document_number",
    "record_date",
    "ends_on",
    "repairable_from",
    "remedy",
)


@dataclass(frozen=True)
class Tier:
    code: str
    name: Promise


class Indicator:
    code: str = ""
    name: Promise | str = ""
    adverse: bool = True
    tiers: tuple[Tier, ...] = ()
    # The column ``{scope}`` is a condition on, e.g. "p.enterprise_id".
    enterprise_column: str = ""

    def source_sql(self) -> str:
        raise NotImplementedError

    def sql(self, scope: str) -> str:
        """The records of this indicator for the enterprises ``scope`` selects (an SQL condition on
        ``{column}``, which is replaced by this indicator's enterprise column)."""
        return self.source_sql().replace("{scope}", scope.replace("{column}", self.enterprise_column))

    @property
    def tier_codes(self) -> tuple[str, ...]:
        return tuple(tier.code for tier in self.tiers)

    def tier_name(self, code: str) -> Promise | str:
        for tier in self.tiers:
            if tier.code == code:
                return tier.name
        return ""


_catalogue: dict[str, Indicator] = {}


def indicator_register(indicator_class: type[Indicator]) -> type[Indicator]:
    """Add an indicator to the catalogue (a class decorator)."""
    indicator = indicator_class()
    if not indicator.code or not indicator.enterprise_column:
        raise ValueError(f"{indicator_class.__name__} needs a code and an enterprise column")
    _catalogue[indicator.code] = indicator
    return indicator_class


def indicator_get(code: str) -> Indicator | None:
    return _catalogue.get(code)


def indicators_all() -> dict[str, Indicator]:
    return dict(_catalogue)


def indicator_choices() -> list[tuple[str, str]]:
    return [(code, str(indicator.name)) for code, indicator in sorted(_catalogue.items())]


def beijing_date(column: str) -> str:
    """The Beijing calendar day of a timestamp column, in SQL."""
    return f"(({column}) AT TIME ZONE 'Asia/Shanghai')::date"
