"""Synthetic credit commitments (some found broken) for demo enterprises, written through the services."""

from __future__ import annotations

import datetime as dt
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from filings.models import CreditCommitment
from filings.services import credit_commitment_create, credit_commitment_mark_broken
from registry.models import Agency, AuditEntry, Enterprise
from registry.services.audit import SYSTEM

Kind = CreditCommitment.Kind
# kind -> (title, text): the wording of the standard letters, shortened.
LETTERS = {
    Kind.APPROVAL_SUBSTITUTION: (
        "证明事项告知承诺书",
        "本企业已知晓办理事项所需的证明材料，承诺符合相关条件，以承诺代替证明；如承诺不实，"
        "愿意承担相应法律责任，并接受撤销相关决定等处理。",
    ),
    Kind.ACCEPTANCE_WITH_DEFICIENCIES: (
        "容缺受理承诺书",
        "本企业申请容缺受理，承诺在规定期限内补齐所缺材料，所提交材料真实、合法、有效；"
        "逾期未补齐的，愿意承担相应后果。",
    ),
    Kind.CREDIT_REPAIR: (
        "信用修复承诺书",
        "本企业已纠正失信行为、履行相关义务，承诺今后依法诚信经营，不再发生同类失信行为；"
        "如再次失信，愿意接受从重处理。",
    ),
    Kind.INDUSTRY_SELF_DISCIPLINE: (
        "行业自律信用承诺书",
        "本企业承诺遵守行业自律公约，诚实守信、公平竞争，不以虚假宣传、商业贿赂等不正当手段"
        "开展经营活动，自觉接受行业协会和社会监督。",
    ),
    Kind.VOLUNTARY: (
        "主动信用承诺书",
        "本企业自愿作出信用承诺：依法经营、按时履约、如实公示企业信息，承诺内容向社会公开，"
        "接受社会监督；违背承诺的，愿意承担相应责任。",
    ),
}
BREACHES = (
    "核查发现所作承诺与实际情况不符。",
    "未在承诺期限内补齐相关材料。",
    "承诺期内再次发生同类失信行为。",
)
BROKEN_SHARE = 0.15


class Command(BaseCommand):
    help = "Create synthetic credit commitments for existing demo enterprises (some found broken)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=300, help="Commitments to create (default 300).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when commitments exist.")

    def handle(self, *args, count: int, seed: int, if_empty: bool, **options):
        if if_empty and CreditCommitment.objects.exists():
            self.stdout.write("Credit commitments already exist; nothing generated.")
            return
        if count < 0:
            raise CommandError("--count cannot be negative.")
        ids = list(
            Enterprise.objects.exclude(status=Enterprise.Status.UNKNOWN)
            .order_by("id")
            .values_list("id", flat=True)
        )
        if not ids:
            raise CommandError("The register is empty: run generate_demo_data first.")
        agencies = list(Agency.objects.filter(kind=Agency.Kind.MARKET_REGULATION).order_by("id"))
        rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        chosen = [rng.choice(ids) for _ in range(count)]
        enterprises = Enterprise.objects.select_related("registration_authority").in_bulk(set(chosen))
        today = timezone.localdate()
        kinds = list(LETTERS)
        created = broken = 0
        with transaction.atomic():
            for enterprise_id in chosen:
                enterprise = enterprises[enterprise_id]
                kind = rng.choice(kinds)
                title, text = LETTERS[kind]
                earliest = max(enterprise.established or dt.date(2019, 7, 1), dt.date(2019, 7, 1))
                span = max((today - earliest).days, 0)
                signed_on = earliest + dt.timedelta(days=rng.randint(0, span))
                agency = enterprise.registration_authority or (rng.choice(agencies) if agencies else None)
                commitment = credit_commitment_create(
                    enterprise=enterprise,
                    kind=kind,
                    title=title,
                    text=text,
                    signed_on=signed_on,
                    signer_name=enterprise.legal_representative or "法定代表人",
                    source_agency=agency if kind != Kind.VOLUNTARY else None,
                    actor=SYSTEM,
                    via=AuditEntry.Via.COMMAND,
                )
                created += 1
                if agency is not None and rng.random() < BROKEN_SHARE and signed_on < today:
                    credit_commitment_mark_broken(
                        commitment=commitment,
                        broken_on=signed_on + dt.timedelta(days=rng.randint(1, (today - signed_on).days)),
                        broken_by=agency,
                        note=rng.choice(BREACHES),
                        actor=SYSTEM,
                        via=AuditEntry.Via.COMMAND,
                    )
                    broken += 1
        self.stdout.write(self.style.SUCCESS(f"{created} credit commitments created, {broken} found broken."))
