"""Demo double-random inspections: an item list, an annual plan, a joint task drawn with results,
and a task whose manifest is published while it waits for its secrets.

Everything is written through the inspection services, with secrets derived from the demo seed so
that a rerun on an empty database gives the same draw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from demo.clerks import county_bureau
from inspections.models import InspectionTask, ResultCategory
from inspections.selectors import task_enterprises
from inspections.services import (
    annual_plan_create,
    commitment_add,
    inspection_item_create,
    inspector_create,
    result_publish,
    result_record,
    secret_reveal,
    task_create,
    task_draw,
    task_manifest_publish,
)
from registry.models import Agency, AuditEntry
from registry.services.audit import SYSTEM

VIA = AuditEntry.Via.COMMAND
DRAWN_TARGETS = 12
PARTIES = ("本局", "驻局纪检监察组")  # the agency and its supervising discipline office

LEAD_ITEMS = (
    (
        "企业公示信息抽查",
        "Publicly disclosed information",
        "key",
        "《企业信息公示暂行条例》第十四条",
        "年度报告、即时信息公示情况",
        "书面检查、实地核查",
    ),
    (
        "登记事项检查",
        "Registered particulars",
        "general",
        "《市场主体登记管理条例》第三十五条",
        "住所（经营场所）、经营范围等登记事项",
        "实地核查",
    ),
    (
        "食品经营许可检查",
        "Food business licence",
        "general",
        "《食品安全法》第三十五条",
        "许可条件保持情况",
        "实地核查",
    ),
)
PARTNER_ITEMS = (
    (
        "纳税申报情况检查",
        "Tax filings",
        "general",
        "《税收征收管理法》第五十四条",
        "按期申报、如实申报情况",
        "书面检查",
    ),
)
LEAD_INSPECTORS = ("王建国", "李红梅", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄丽")
PARTNER_INSPECTORS = ("周敏", "吴强", "郑芳", "孙涛", "马超", "朱琳")
# Results recorded for the drawn targets, in draw order; the last ones are recorded but not published.
RESULT_CODES = (
    "no_problem",
    "no_problem",
    "corrected",
    "unreachable",
    "no_problem",
    "not_disclosed",
    "no_activity",
    "no_problem",
    "closed",
    "no_problem",
)
UNPUBLISHED = 2


@dataclass
class DemoInspections:
    drawn_task: InspectionTask
    waiting_task: InspectionTask
    results: int


def secret_of(seed: int, task_label: str, party: str) -> str:
    return hashlib.sha256(f"demo-inspections/{seed}/{task_label}/{party}".encode()).hexdigest()


def _items(agency: Agency, rows) -> list:
    return [
        inspection_item_create(
            actor=SYSTEM,
            via=VIA,
            agency=agency,
            name_zh=name_zh,
            name_en=name_en,
            kind=kind,
            legal_basis=basis,
            inspecting_body=agency.name_zh,
            content=content,
            method=method,
            published=True,
        )
        for name_zh, name_en, kind, basis, content, method in rows
    ]


def _inspectors(agency: Agency, names, prefix: str) -> None:
    for number, name in enumerate(names, start=1):
        inspector_create(
            actor=SYSTEM,
            via=VIA,
            agency=agency,
            name=name,
            certificate_number=f"{prefix}-{number:04d}",
            enforcement_fields="市场监管综合执法",
        )


def _ratio_for(candidates: int, targets: int) -> int:
    """A whole percent that draws about ``targets`` of ``candidates`` (at least 1 %)."""
    return max(1, min(100, math.ceil(targets * 100 / max(candidates, 1))))


def _commit(task: InspectionTask, seed: int, label: str) -> None:
    for party in PARTIES:
        secret = secret_of(seed, label, party)
        commitment_add(
            task=task,
            party=party,
            commitment=hashlib.sha256(secret.encode("ascii")).hexdigest(),
            actor=SYSTEM,
            via=VIA,
        )


def _region_with_candidates(lead: Agency):
    """The bureau's own division, or the one above it, whichever has enough enterprises to draw
    from; None (the whole register) otherwise."""
    region = lead.region
    while region is not None:
        if task_enterprises(InspectionTask(region=region)).count() >= 2 * DRAWN_TARGETS:
            return region
        region = region.parent
    return None


def partner_agency(lead: Agency) -> Agency | None:
    """Another agency of the same region for the joint task: a tax bureau if there is one."""
    others = Agency.objects.exclude(pk=lead.pk).exclude(kind=Agency.Kind.COURT)
    for queryset in (
        others.filter(kind=Agency.Kind.TAX, region=lead.region),
        others.filter(kind=Agency.Kind.TAX),
        others.exclude(kind=Agency.Kind.MARKET_REGULATION),
    ):
        found = queryset.order_by("pk").first()
        if found is not None:
            return found
    return None


def inspections_create(*, seed: int = 1) -> DemoInspections:
    lead = county_bureau()
    if lead is None:
        raise ValueError("No county market-regulation bureau: run generate_demo_data first.")
    partner = partner_agency(lead)
    if partner is None:
        raise ValueError("No second agency for the joint task.")
    today = timezone.localdate()
    with transaction.atomic():
        lead_items = _items(lead, LEAD_ITEMS)
        partner_items = _items(partner, PARTNER_ITEMS)
        _inspectors(lead, LEAD_INSPECTORS, "SC")
        _inspectors(partner, PARTNER_INSPECTORS, "SW")
        plan = annual_plan_create(
            actor=SYSTEM,
            via=VIA,
            agency=lead,
            year=today.year,
            title_zh=f"{lead.name_zh}{today.year}年度双随机抽查工作计划",
            title_en=f"{lead.name_en}: double-random inspection plan {today.year}",
            published=True,
        )
        annual_plan_create(
            actor=SYSTEM,
            via=VIA,
            agency=partner,
            year=today.year,
            title_zh=f"{partner.name_zh}{today.year}年度双随机抽查工作计划",
            title_en=f"{partner.name_en}: double-random inspection plan {today.year}",
            published=True,
        )
        region = _region_with_candidates(lead)
        ratio = _ratio_for(task_enterprises(InspectionTask(region=region)).count(), DRAWN_TARGETS)
        # One ratio for every class: the draw size does not depend on how the register is scored.
        ratios = {f"ratio_{letter}": ratio for letter in "abcd"}
        joint = task_create(
            actor=SYSTEM,
            via=VIA,
            items=[lead_items[0], partner_items[0]],
            joint_agencies=[partner],
            plan=plan,
            name_zh=f"{today.year}年企业公示信息和纳税申报联合抽查",
            name_en=f"Joint check of disclosures and tax filings {today.year}",
            complete_by=dt.date(today.year, 12, 31),
            region=region,
            **ratios,
        )
        _commit(joint, seed, "joint")
        task_manifest_publish(task=joint, actor=SYSTEM, via=VIA)
        for commitment in joint.commitments.order_by("order"):
            secret_reveal(
                commitment=commitment,
                secret=secret_of(seed, "joint", commitment.party),
                actor=SYSTEM,
                via=VIA,
            )
        task_draw(task=joint, actor=SYSTEM, via=VIA)

        categories = {category.code: category for category in ResultCategory.objects.filter(in_use=True)}
        targets = list(joint.targets.filter(replaced=False).select_related("enterprise").order_by("position"))
        recorded = []
        for target, code in zip(targets, RESULT_CODES, strict=False):
            recorded.append(
                result_record(
                    task=joint,
                    enterprise=target.enterprise,
                    category=categories[code],
                    inspected_on=today,
                    agency=lead,
                    actor=SYSTEM,
                    via=VIA,
                )
            )
        for result in recorded[: len(recorded) - UNPUBLISHED]:
            result_publish(result=result, actor=SYSTEM, via=VIA)

        waiting = task_create(
            actor=SYSTEM,
            via=VIA,
            items=[lead_items[1]],
            plan=plan,
            name_zh=f"{today.year}年登记事项随机抽查",
            name_en=f"Random check of registered particulars {today.year}",
            complete_by=dt.date(today.year, 12, 31),
            region=region,
            **ratios,
        )
        _commit(waiting, seed, "waiting")
        task_manifest_publish(task=waiting, actor=SYSTEM, via=VIA)
    return DemoInspections(drawn_task=joint, waiting_task=waiting, results=len(recorded))
