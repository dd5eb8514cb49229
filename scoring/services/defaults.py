"""The demo's default rule sets: the public evaluation (published), the credit-risk classes
(internal) and the alert-list thresholds. ``manage.py load_default_rule_sets`` loads them once;
docs/scoring.md explains each rule."""

from __future__ import annotations

import datetime as dt

from registry.services.audit import SYSTEM, Actor, Via
from scoring.models import RuleSet, Scheme
from scoring.services.rules import rule_set_create

IN_FORCE_FROM = dt.date(2024, 1, 1)

# (indicator, tier, points, counts for months)
PUBLIC_WEIGHTS = [
    ("court_defaulter", "", -40, 36),
    ("consumption_restriction", "", -20, 36),
    ("agency_blacklist", "general", -15, 24),
    ("agency_blacklist", "serious", -30, 36),
    ("agency_blacklist", "extremely_serious", -50, 60),
    ("administrative_penalty", "minor", -2, 12),
    ("administrative_penalty", "general", -8, 24),
    ("administrative_penalty", "serious", -20, 36),
    ("abnormal_operations", "", -10, 36),
    ("inspection_problem", "minor", -2, 12),
    ("inspection_problem", "general", -5, 12),
    ("inspection_problem", "serious", -10, 24),
    ("annual_report", "late", -2, 12),
    ("annual_report", "missing", -5, 36),
    ("disclosure_late", "", -2, 12),
    ("commitment_broken", "", -10, 24),
    ("redlist", "", 10, 36),
    ("award", "", 5, 36),
    ("commitment_kept", "", 1, 12),
    ("tax_grade_a", "", 5, 12),
    ("clean_record", "", 5, 12),
    # Tax A is weighed once, by tax_grade_a; the agency grades add Customs and environmental.
    ("agency_grade_top", "customs", 8, 24),
    ("agency_grade_top", "environmental", 5, 24),
    ("agency_grade_negative", "tax", -20, 24),
    ("agency_grade_negative", "customs", -25, 24),
    ("agency_grade_negative", "environmental", -15, 24),
]
PUBLIC_CUTOFFS = [("A", 110, None), ("B", 95, 110), ("C", 75, 95), ("D", None, 75)]

RISK_WEIGHTS = [
    ("court_defaulter", "", -30, 36),
    ("consumption_restriction", "", -15, 36),
    ("agency_blacklist", "general", -10, 24),
    ("agency_blacklist", "serious", -25, 36),
    ("agency_blacklist", "extremely_serious", -40, 60),
    ("administrative_penalty", "minor", -3, 12),
    ("administrative_penalty", "general", -10, 24),
    ("administrative_penalty", "serious", -25, 36),
    ("abnormal_operations", "", -15, 36),
    ("inspection_problem", "minor", -3, 12),
    ("inspection_problem", "general", -10, 24),
    ("inspection_problem", "serious", -20, 36),
    ("annual_report", "late", -3, 12),
    ("annual_report", "missing", -10, 36),
    ("disclosure_late", "", -3, 12),
    ("commitment_broken", "", -10, 24),
    ("redlist", "", 5, 36),
    ("award", "", 3, 36),
    ("tax_grade_a", "", 5, 12),
    ("clean_record", "", 10, 12),
    ("agency_grade_top", "customs", 5, 24),
    ("agency_grade_top", "environmental", 3, 24),
    ("agency_grade_negative", "tax", -20, 24),
    ("agency_grade_negative", "customs", -20, 24),
    ("agency_grade_negative", "environmental", -15, 24),
]
# A low risk, B ordinary (a company with no record at all), C higher, D high.
RISK_CUTOFFS = [("A", 100, None), ("B", 80, 100), ("C", 60, 80), ("D", None, 60)]


def _weights(rows):
    return [{"indicator": i, "tier": t, "points": p, "counts_for_months": m} for i, t, p, m in rows]


def _cutoffs(rows):
    return [{"grade": g, "min_score": low, "max_score": high} for g, low, high in rows]


DEFAULTS = [
    {
        "code": "public-evaluation",
        "name_en": "Public credit evaluation",
        "name_zh": "公共信用综合评价",
        "scheme": Scheme.PUBLIC_EVALUATION,
        "published": True,
        "base_score": 100,
        "weights": _weights(PUBLIC_WEIGHTS),
        "cutoffs": _cutoffs(PUBLIC_CUTOFFS),
    },
    {
        "code": "credit-risk-class",
        "name_en": "Credit-risk classification",
        "name_zh": "企业信用风险分类",
        "scheme": Scheme.RISK_CLASS,
        "published": False,
        "base_score": 90,
        "weights": _weights(RISK_WEIGHTS),
        "cutoffs": _cutoffs(RISK_CUTOFFS),
    },
    {
        "code": "alert-list",
        "name_en": "Big data alert list",
        "name_zh": "大数据预警名单",
        "scheme": Scheme.ALERT_LIST,
        "published": True,
        "alert_min_areas": 3,
        "alert_window_months": 12,
    },
]


def rule_sets_load_defaults(*, actor: Actor = SYSTEM, via: str = Via.COMMAND) -> list[RuleSet]:
    """Create the default rule sets that do not exist yet (by code); the ones created."""
    created = []
    for spec in DEFAULTS:
        if RuleSet.objects.filter(code=spec["code"]).exists():
            continue
        spec = dict(spec)
        created.append(
            rule_set_create(
                actor=actor,
                via=via,
                in_force_from=IN_FORCE_FROM,
                note="Default rule set.",
                weights=spec.pop("weights", []),
                cutoffs=spec.pop("cutoffs", []),
                **spec,
            )
        )
    return created
