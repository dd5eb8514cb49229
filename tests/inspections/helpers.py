"""Set-up for inspection tests: an agency with an item, inspectors, enterprises, a task, secrets."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools

from inspections.models import AnnualPlan, InspectionItem, InspectionTask, Inspector
from inspections.services import commitment_add, secret_reveal, task_create, task_draw, task_manifest_publish
from registry.services.audit import SYSTEM
from tests.factories import AgencyFactory, EnterpriseFactory

VIA = "command"
_certificates = itertools.count(1)
SECRETS = ("a" * 64, "b" * 64)


def secret_for(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def commitment_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def item_for(agency, name: str = "企业公示信息抽查") -> InspectionItem:
    item, _ = InspectionItem.objects.get_or_create(
        agency=agency,
        name_zh=name,
        defaults={
            "name_en": "Publicly disclosed information",
            "legal_basis": "《企业信息公示暂行条例》第十四条",
            "inspecting_body": "市场监督管理局",
            "content": "年度报告公示信息",
            "method": "书面检查",
            "published": True,
        },
    )
    return item


def inspectors_for(agency, count: int, prefix: str = "检查员") -> list[Inspector]:
    return [
        Inspector.objects.create(
            agency=agency, name=f"{prefix}{n}", certificate_number=f"ZF-{next(_certificates):06d}"
        )
        for n in range(count)
    ]


def enterprises(count: int, **fields) -> list:
    return EnterpriseFactory.create_batch(count, **fields)


def make_task(
    *,
    agency=None,
    candidates: int = 40,
    inspectors: int = 6,
    with_items: bool = True,
    joint=(),
    secrets=SECRETS,
    **fields,
) -> InspectionTask:
    agency = agency or AgencyFactory()
    plan, _ = AnnualPlan.objects.get_or_create(
        agency=agency,
        year=2026,
        defaults={"title_en": "Plan 2026", "title_zh": "2026年抽查计划", "published": True},
    )
    if candidates:
        enterprises(candidates)
    if inspectors:
        inspectors_for(agency, inspectors)
    values = {
        "plan": plan,
        "name_en": "Disclosure spot check",
        "name_zh": "企业公示信息抽查",
        "complete_by": dt.date(2026, 12, 31),
        "ratio_b": 10,
        **fields,
    }
    task = task_create(
        actor=SYSTEM,
        via=VIA,
        items=[item_for(agency)] if with_items else [],
        joint_agencies=list(joint),
        **values,
    )
    for number, secret in enumerate(secrets, start=1):
        commitment_add(
            task=task, party=f"Party {number}", commitment=commitment_of(secret), actor=SYSTEM, via=VIA
        )
    return task


def reveal_all(task: InspectionTask, secrets=SECRETS) -> None:
    for commitment, secret in zip(task.commitments.order_by("order"), secrets, strict=True):
        secret_reveal(commitment=commitment, secret=secret, actor=SYSTEM, via=VIA)


def drawn(task: InspectionTask, secrets=SECRETS):
    task_manifest_publish(task=task, actor=SYSTEM, via=VIA)
    reveal_all(task, secrets)
    outcome = task_draw(task=task, actor=SYSTEM, via=VIA)
    task.refresh_from_db()
    return outcome
