# ruff: noqa: E501, S608 - SQL text: table names come from model metadata, codes from the catalogue
"""The indicators every rule set can weigh: adverse records first, then good ones.

Each class selects its records set-based (see :mod:`scoring.indicators.base` for the columns).
Repair dates follow the casework rules (``casework.selectors.repair``): a penalty can be repaired
3 months after its decision, a serious one after 12; an agency list entry after its list's minimum
period, never when extremely serious or permanent; court lists are left by performing the judgment.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from blacklists.models import ListEntry, ListType
from blacklists.selectors.entries import COURT_LIST_CODES
from casework.selectors.repair import GENERAL_PENALTY_MONTHS, SERIOUS_PENALTY_FINE, SERIOUS_PENALTY_MONTHS
from filings.models import CreditCommitment, InstantDisclosure
from filings.selectors import FIRST_REPORT_YEAR
from registry.models import (
    AbnormalOperationListing,
    AdministrativePenalty,
    AnnualReport,
    Award,
    Enterprise,
    InspectionRecord,
    TaxRecord,
)
from scoring.indicators.base import COLUMNS, Indicator, Tier, beijing_date, indicator_register, indicators_all
from scoring.models import AgencyGrade, AgencyGradeLevel, AgencyGradeScheme
from scoring.selectors.agency_grades import CUSTOMS_CREDIT_SCHEME, TAX_CREDIT_SCHEME

# Below this fine, and with nothing confiscated, a penalty is minor (a warning or a small fine).
MINOR_PENALTY_FINE_BELOW = Decimal("10000")
# Missing annual reports are looked for in the last this many report years.
REPORT_YEARS_LOOKED_AT = 5
# "Years without adverse records": this many full years.
CLEAN_YEARS = 3

LISTENTRY = ListEntry._meta.db_table
LISTTYPE = ListType._meta.db_table
ENTERPRISE = Enterprise._meta.db_table


def _list_entry_ends() -> str:
    """When an entry stopped existing: the day after its planned end, or the day its status changed."""
    return (
        f"CASE WHEN le.status = 'in_force' THEN le.planned_end + 1 "
        f"ELSE {beijing_date('le.status_changed_at')} END"
    )


def _list_entry_sql(list_condition: str, tier: str, repairable_from: str, remedy: str) -> str:
    return f"""
        SELECT le.enterprise_id, ({tier})::text, 'blacklists.listentry'::text, le.id, le.issuing_agency_id,
               le.decision_number::text, le.starts_on, {_list_entry_ends()}, ({repairable_from})::date,
               ({remedy})::text
        FROM {LISTENTRY} le JOIN {LISTTYPE} lt ON lt.id = le.list_type_id
        WHERE le.enterprise_id IS NOT NULL AND {list_condition} AND {{scope}}
    """


@indicator_register
class CourtDefaulter(Indicator):
    code = "court_defaulter"
    name = _("court defaulter list entry")
    enterprise_column = "le.enterprise_id"

    def source_sql(self) -> str:
        return _list_entry_sql("lt.code = 'court-defaulters'", "''", "NULL", "'perform_judgment'")


@indicator_register
class ConsumptionRestriction(Indicator):
    code = "consumption_restriction"
    name = _("consumption restriction list entry")
    enterprise_column = "le.enterprise_id"

    def source_sql(self) -> str:
        return _list_entry_sql("lt.code = 'consumption-restriction'", "''", "NULL", "'perform_judgment'")


@indicator_register
class AgencyBlacklist(Indicator):
    code = "agency_blacklist"
    name = _("agency blacklist entry")
    tiers = (
        Tier("general", _("general")),
        Tier("serious", _("serious")),
        Tier("extremely_serious", _("extremely serious")),
    )
    enterprise_column = "le.enterprise_id"

    def source_sql(self) -> str:
        court = ", ".join(f"'{code}'" for code in COURT_LIST_CODES)
        not_repairable = "le.permanent OR le.severity = 'extremely_serious'"
        return _list_entry_sql(
            f"lt.kind = 'blacklist' AND lt.code NOT IN ({court})",
            "le.severity",
            f"CASE WHEN {not_repairable} THEN NULL ELSE le.starts_on + COALESCE(lt.min_period_days, 0) END",
            f"CASE WHEN {not_repairable} THEN '' ELSE 'credit_repair' END",
        )


def penalty_tier_sql(alias: str = "p") -> str:
    return (
        f"CASE WHEN {alias}.fine_amount >= {SERIOUS_PENALTY_FINE} OR {alias}.confiscated_amount > 0 THEN 'serious' "
        f"WHEN {alias}.fine_amount >= {MINOR_PENALTY_FINE_BELOW} THEN 'general' ELSE 'minor' END"
    )


@indicator_register
class Penalty(Indicator):
    """Administrative penalties by tier: serious (fine of RMB 100,000 or more, or confiscation, as for
    credit repair), general (RMB 10,000 or more), minor (a warning or a smaller fine)."""

    code = "administrative_penalty"
    name = _("administrative penalty")
    tiers = (Tier("minor", _("minor")), Tier("general", _("general")), Tier("serious", _("serious")))
    enterprise_column = "p.enterprise_id"

    def source_sql(self) -> str:
        tier = penalty_tier_sql("p")
        return f"""
            SELECT p.enterprise_id, ({tier})::text, 'registry.administrativepenalty'::text, p.id,
                   p.deciding_agency_id, p.decision_number::text, p.decided_on, p.publication_ends_on,
                   (p.decided_on + CASE WHEN ({tier}) = 'serious' THEN interval '{SERIOUS_PENALTY_MONTHS} months'
                                        ELSE interval '{GENERAL_PENALTY_MONTHS} months' END)::date,
                   'credit_repair'::text
            FROM {AdministrativePenalty._meta.db_table} p
            WHERE {{scope}}
        """


@indicator_register
class AbnormalOperations(Indicator):
    code = "abnormal_operations"
    name = _("abnormal-operations listing")
    enterprise_column = "a.enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT a.enterprise_id, ''::text, 'registry.abnormaloperationlisting'::text, a.id, a.listing_agency_id,
                   a.decision_number::text, a.listed_on, a.removed_on,
                   CASE WHEN a.reason = 'annual_report' THEN a.listed_on END,
                   (CASE WHEN a.reason = 'annual_report' THEN 'abnormal_removal' ELSE '' END)::text
            FROM {AbnormalOperationListing._meta.db_table} a
            WHERE {{scope}}
        """


@indicator_register
class InspectionProblem(Indicator):
    code = "inspection_problem"
    name = _("inspection with problems found")
    tiers = (
        Tier("minor", _("problems found and corrected")),
        Tier("general", _("not found or not operating")),
        Tier("serious", _("violations found, case filed")),
    )
    enterprise_column = "i.enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT i.enterprise_id,
                   (CASE i.result WHEN 'corrected' THEN 'minor' WHEN 'violation' THEN 'serious' ELSE 'general' END)::text,
                   'registry.inspectionrecord'::text, i.id, i.inspecting_agency_id, ''::text, i.inspected_on,
                   NULL::date, NULL::date, ''::text
            FROM {InspectionRecord._meta.db_table} i
            WHERE i.result IN ('corrected', 'not_found', 'violation', 'not_operating') AND {{scope}}
        """


@indicator_register
class AnnualReportLateOrMissing(Indicator):
    """A report filed after 30 June of the next year (late), or not filed by then (missing; the last
    few report years of an enterprise in operation, as ``filings.selectors.overdue_annual_reports``)."""

    code = "annual_report"
    name = _("late or missing annual report")
    tiers = (Tier("late", _("filed late")), Tier("missing", _("not filed")))
    enterprise_column = "e.id"

    def source_sql(self) -> str:
        report = AnnualReport._meta.db_table
        submitted = beijing_date("ar.submitted_at")
        this_year = "EXTRACT(YEAR FROM %(as_of)s::date)::int"
        return f"""
            SELECT ar.enterprise_id, 'late'::text, 'registry.annualreport'::text, ar.id, e.registration_authority_id,
                   ar.year::text, {submitted}, NULL::date, NULL::date, ''::text
            FROM {report} ar JOIN {ENTERPRISE} e ON e.id = ar.enterprise_id
            WHERE {submitted} > make_date(ar.year + 1, 6, 30) AND {{scope}}
            UNION ALL
            SELECT e.id, 'missing'::text, 'registry.enterprise'::text, e.id, e.registration_authority_id,
                   y.year::text, make_date(y.year + 1, 7, 1), NULL::date, NULL::date, 'abnormal_removal'::text
            FROM {ENTERPRISE} e
            CROSS JOIN LATERAL generate_series(
                GREATEST(EXTRACT(YEAR FROM e.established)::int, {FIRST_REPORT_YEAR}, {this_year} - {REPORT_YEARS_LOOKED_AT}),
                {this_year} - 1
            ) AS y(year)
            WHERE e.status = 'in_operation' AND e.established IS NOT NULL
              AND make_date(y.year + 1, 6, 30) < %(as_of)s
              AND NOT EXISTS (SELECT 1 FROM {report} r WHERE r.enterprise_id = e.id AND r.year = y.year)
              AND {{scope}}
        """


@indicator_register
class DisclosureLate(Indicator):
    code = "disclosure_late"
    name = _("instant disclosure made late")
    enterprise_column = "d.enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT d.enterprise_id, ''::text, 'filings.instantdisclosure'::text, d.id, e.registration_authority_id,
                   ''::text, d.published_on, NULL::date, NULL::date, ''::text
            FROM {InstantDisclosure._meta.db_table} d JOIN {ENTERPRISE} e ON e.id = d.enterprise_id
            WHERE d.late AND {{scope}}
        """


@indicator_register
class CommitmentBroken(Indicator):
    code = "commitment_broken"
    name = _("credit commitment broken")
    enterprise_column = "c.enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT c.enterprise_id, ''::text, 'filings.creditcommitment'::text, c.id, c.broken_by_id,
                   ''::text, c.broken_on, NULL::date, NULL::date, ''::text
            FROM {CreditCommitment._meta.db_table} c
            WHERE c.broken_on IS NOT NULL AND {{scope}}
        """


# --- good records -------------------------------------------------------------------------------


@indicator_register
class Redlist(Indicator):
    code = "redlist"
    name = _("redlist entry")
    adverse = False
    enterprise_column = "le.enterprise_id"

    def source_sql(self) -> str:
        return _list_entry_sql("lt.kind = 'redlist'", "''", "NULL", "''")


@indicator_register
class AwardOrHonour(Indicator):
    code = "award"
    name = _("award or honour")
    adverse = False
    enterprise_column = "w.enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT w.enterprise_id, ''::text, 'registry.award'::text, w.id, w.awarding_agency_id,
                   ''::text, w.awarded_on, w.valid_to + 1, NULL::date, ''::text
            FROM {Award._meta.db_table} w
            WHERE {{scope}}
        """


@indicator_register
class CommitmentKept(Indicator):
    code = "commitment_kept"
    name = _("credit commitment kept")
    adverse = False
    enterprise_column = "c.enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT c.enterprise_id, ''::text, 'filings.creditcommitment'::text, c.id, c.source_agency_id,
                   ''::text, c.signed_on, NULL::date, NULL::date, ''::text
            FROM {CreditCommitment._meta.db_table} c
            WHERE c.broken_on IS NULL AND {{scope}}
        """


@indicator_register
class TaxGradeA(Indicator):
    """The enterprise's latest taxpayer credit grade (as of the day) is A."""

    code = "tax_grade_a"
    name = _("taxpayer credit grade A")
    adverse = False
    enterprise_column = "enterprise_id"

    def source_sql(self) -> str:
        return f"""
            SELECT t.enterprise_id, ''::text, 'registry.taxrecord'::text, t.id, t.source_agency_id,
                   ''::text, t.period_end, NULL::date, NULL::date, ''::text
            FROM (
                SELECT DISTINCT ON (enterprise_id) id, enterprise_id, source_agency_id, period_end, credit_grade
                FROM {TaxRecord._meta.db_table}
                WHERE credit_grade <> '' AND period_end <= %(as_of)s AND {{scope}}
                ORDER BY enterprise_id, period_end DESC, id DESC
            ) t
            WHERE t.credit_grade = 'A'
        """


@indicator_register
class CleanRecord(Indicator):
    """Three full years (and established at least that long) without any adverse record dated in them.

    Its date is the day of the evaluation that found it: it counts from then for the weight's
    period, and every later evaluation looks again."""

    code = "clean_record"
    name = _("three years without adverse records")
    adverse = False
    enterprise_column = "e.id"

    def sql(self, scope: str) -> str:
        adverse = " UNION ALL ".join(
            f"SELECT enterprise_id, record_date FROM ({indicator.sql(scope)}) AS a{number}"
            f"({', '.join(COLUMNS)})"
            for number, indicator in enumerate(indicators_all().values())
            if indicator.adverse
        )
        since = f"(%(as_of)s::date - interval '{CLEAN_YEARS} years')::date"
        own_scope = scope.replace("{column}", self.enterprise_column)
        return f"""
            SELECT e.id, ''::text, 'registry.enterprise'::text, e.id, NULL::bigint, ''::text, %(as_of)s::date,
                   NULL::date, NULL::date, ''::text
            FROM {ENTERPRISE} e
            LEFT JOIN (
                SELECT DISTINCT enterprise_id FROM ({adverse}) AS adverse_records
                WHERE record_date > {since} AND record_date <= %(as_of)s
            ) recent ON recent.enterprise_id = e.id
            WHERE e.established <= {since} AND recent.enterprise_id IS NULL AND {own_scope}
        """


# --- agency operational grades ------------------------------------------------------------------
# Imported by the issuing agency (scoring.models.agency_grades). The current grade of a scheme is
# the newest year's among the grades in force on the day, as ``agency_grades_current`` reads it.

ENVIRONMENTAL_CREDIT_SCHEME = "mee-environmental-credit"
AGENCY_GRADE_TIERS = (
    Tier("tax", _("taxpayer credit grade")),
    Tier("customs", _("Customs enterprise credit rating")),
    Tier("environmental", _("enterprise environmental credit rating")),
    Tier("other", _("another agency's grade")),
)


def _agency_grade_sql(level_condition: str) -> str:
    """The current grade of each scheme, if its level meets ``level_condition`` (on ``lv``, the level,
    and ``sc``, the scheme). The tier names the scheme; the record runs from the grade's first day
    to the day after its last (``valid_until``)."""
    grade, level, scheme = (
        model._meta.db_table for model in (AgencyGrade, AgencyGradeLevel, AgencyGradeScheme)
    )
    tier = (
        f"CASE sc.code WHEN '{TAX_CREDIT_SCHEME}' THEN 'tax' WHEN '{CUSTOMS_CREDIT_SCHEME}' THEN 'customs' "
        f"WHEN '{ENVIRONMENTAL_CREDIT_SCHEME}' THEN 'environmental' ELSE 'other' END"
    )
    return f"""
        SELECT g.enterprise_id, ({tier})::text, 'scoring.agencygrade'::text, g.id, g.issuing_agency_id,
               g.decision_number::text, g.valid_from, g.valid_until + 1, NULL::date, ''::text
        FROM (
            SELECT DISTINCT ON (enterprise_id, scheme_id) id, enterprise_id, scheme_id, level_id, valid_from,
                   valid_until, decision_number, issuing_agency_id
            FROM {grade}
            WHERE valid_from <= %(as_of)s AND (valid_until IS NULL OR valid_until >= %(as_of)s) AND {{scope}}
            ORDER BY enterprise_id, scheme_id, year DESC
        ) g
        JOIN {level} lv ON lv.id = g.level_id
        JOIN {scheme} sc ON sc.id = g.scheme_id
        WHERE {level_condition}
    """


@indicator_register
class AgencyGradeTop(Indicator):
    """The current grade is the scheme's best and a good one: tax A, Customs advanced certified,
    environmental green."""

    code = "agency_grade_top"
    name = _("top agency grade")
    adverse = False
    tiers = AGENCY_GRADE_TIERS
    enterprise_column = "enterprise_id"

    def source_sql(self) -> str:
        return _agency_grade_sql(f"lv.rank = 1 AND lv.meaning = '{AgencyGradeLevel.Meaning.POSITIVE}'")


@indicator_register
class AgencyGradeNegative(Indicator):
    """The current grade is a bad one: tax D, Customs dishonest, environmental red or black.

    A scheme's mildest bad grade, when it has worse ones (tax C, environmental yellow), is a warning
    and not weighed here."""

    code = "agency_grade_negative"
    name = _("adverse agency grade")
    tiers = AGENCY_GRADE_TIERS
    enterprise_column = "enterprise_id"

    def source_sql(self) -> str:
        negative = f"'{AgencyGradeLevel.Meaning.NEGATIVE}'"
        level = AgencyGradeLevel._meta.db_table
        return _agency_grade_sql(
            f"""lv.meaning = {negative} AND NOT (
                lv.rank = (SELECT min(o.rank) FROM {level} o WHERE o.scheme_id = lv.scheme_id AND o.meaning = {negative})
                AND EXISTS (SELECT 1 FROM {level} o WHERE o.scheme_id = lv.scheme_id AND o.meaning = {negative}
                            AND o.rank > lv.rank))"""
        )
