"""Synthetic tax credit and Customs credit grades for demo enterprises, written through the service."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from registry.models import Agency, AuditEntry, Enterprise, TaxRecord
from registry.services.audit import SYSTEM
from scoring.models import AgencyGrade
from scoring.selectors.agency_grades import CUSTOMS_CREDIT_SCHEME, TAX_CREDIT_SCHEME, agency_grade_schemes
from scoring.services.agency_grades import agency_grade_record

# Shares of each grade where the register's tax records say nothing (the published spread, roughly).
TAX_WEIGHTS = {"A": 25, "B": 45, "M": 15, "C": 10, "D": 5}
CUSTOMS_WEIGHTS = {"advanced": 15, "general": 75, "dishonest": 10}
CUSTOMS_SHARE = 0.3  # of the graded taxpayers, how many also trade across the border


class Command(BaseCommand):
    help = (
        "Give demo enterprises tax credit grades (the grade their latest tax record carries, else a "
        "random one; last year's grade too for some) and Customs credit ratings."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=400, help="Enterprises to grade (default 400).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when grades exist.")

    def handle(self, *args, count: int, seed: int, if_empty: bool, **options):
        if if_empty and AgencyGrade.objects.exists():
            self.stdout.write("Agency grades already exist; nothing generated.")
            return
        if count < 0:
            raise CommandError("--count cannot be negative.")
        schemes = {scheme.code: scheme for scheme in agency_grade_schemes()}
        if TAX_CREDIT_SCHEME not in schemes or CUSTOMS_CREDIT_SCHEME not in schemes:
            raise CommandError("The grading schemes are missing: run migrate first.")
        rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        ids = list(
            Enterprise.objects.exclude(status=Enterprise.Status.UNKNOWN)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not ids:
            raise CommandError("The register is empty: run generate_demo_data first.")
        chosen = sorted(rng.sample(ids, min(count, len(ids))))
        enterprises = Enterprise.objects.select_related("region").in_bulk(chosen)
        recorded = self._record_letters(chosen)
        tax_services = {a.short_code: a for a in Agency.objects.filter(kind=Agency.Kind.TAX)}
        today = timezone.localdate()
        made: Counter = Counter()
        with transaction.atomic():
            for enterprise_id in chosen:
                enterprise = enterprises[enterprise_id]
                province = enterprise.region.province_code if enterprise.region_id else ""
                issuer = tax_services.get(f"tax-{province}", schemes[TAX_CREDIT_SCHEME].issuing_agency)
                year, letter = recorded.get(enterprise_id, (today.year - 1, None))
                years = [year] + ([year - 1] if rng.random() < 0.4 else [])
                for number, graded_year in enumerate(sorted(years)):
                    code = letter if letter and number == len(years) - 1 else self._pick(rng, TAX_WEIGHTS)
                    self._grade(
                        enterprise, schemes[TAX_CREDIT_SCHEME], code, graded_year, issuer, today, made
                    )
                if rng.random() < CUSTOMS_SHARE:
                    code = self._pick(rng, CUSTOMS_WEIGHTS)
                    customs = schemes[CUSTOMS_CREDIT_SCHEME]
                    self._grade(
                        enterprise, customs, code, today.year, customs.issuing_agency, today, made, rng=rng
                    )
        summary = ", ".join(f"{n} {label}" for label, n in sorted(made.items()))
        self.stdout.write(self.style.SUCCESS(f"{sum(made.values())} agency grades created ({summary})."))

    @staticmethod
    def _pick(rng: random.Random, weights: dict[str, int]) -> str:
        return rng.choices(list(weights), weights=list(weights.values()))[0]

    @staticmethod
    def _record_letters(ids: list[int]) -> dict[int, tuple[int, str]]:
        """The year and letter of each enterprise's latest graded tax record, so both agree."""
        latest = {}
        rows = (
            TaxRecord.objects.filter(enterprise_id__in=ids)
            .exclude(credit_grade="")
            .order_by("enterprise_id", "period_end")
            .values_list("enterprise_id", "period_end", "credit_grade")
        )
        for enterprise_id, period_end, letter in rows:
            latest[enterprise_id] = (period_end.year, letter)
        return latest

    def _grade(self, enterprise, scheme, code, year, issuer, today, made, rng=None):
        level = next(level for level in scheme.levels.all() if level.code == code)
        if scheme.code == TAX_CREDIT_SCHEME:
            # The tax services publish a year's grades in April of the next year.
            valid_from = min(dt.date(year + 1, 4, 1), today)
            number = f"税信评〔{valid_from.year}〕{made[scheme.code] + 1}号"
        else:
            start = dt.date(year, 1, 1)
            valid_from = start + dt.timedelta(days=rng.randint(0, max((today - start).days, 0)))
            number = f"署企信〔{year}〕{made[scheme.code] + 1}号"
        agency_grade_record(
            actor=SYSTEM,
            via=AuditEntry.Via.COMMAND,
            enterprise=enterprise,
            scheme=scheme,
            level=level,
            year=year,
            valid_from=max(valid_from, dt.date(year, 1, 1)),
            decision_number=number,
            issuing_agency=issuer,
        )
        made[scheme.code] += 1
