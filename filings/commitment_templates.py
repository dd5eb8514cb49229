"""Standard credit commitment letters (信用承诺书), one per kind, in Chinese with an English translation.

A company chooses a kind, gives the matter the letter is about, and signs; the letter is filled
with its registered details (name, USCC, legal representative, address) and published as signed.
The Chinese text is the letter; the English text is its translation, published with it.

Placeholders: ``{name}``, ``{uscc}``, ``{legal_representative}``, ``{address}``, ``{signer}``,
``{date_zh}``/``{date_en}`` and the matter fields of the kind (:attr:`CommitmentTemplate.matter`):
``{licence}`` (the licence or approval applied for), ``{agency}`` (the agency it is made to),
``{missing_documents}``, ``{supply_by_zh}``/``{supply_by_en}`` (when they will be supplied),
``{record}`` (the record being repaired) and ``{industry}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from filings.models import CreditCommitment
from registry.models import Enterprise

Kind = CreditCommitment.Kind

# Matter fields: name -> label. A date field's value is a datetime.date.
MATTER_LABELS = {
    "licence": _("Licence or approval applied for"),
    "agency": _("Agency the application is made to"),
    "missing_documents": _("Documents still missing"),
    "supply_by": _("Date by which they will be supplied"),
    "record": _("Record to be repaired (list or penalty, decision number)"),
    "industry": _("Industry or trade association"),
}
DATE_MATTER = {"supply_by"}

_OPENING_ZH = (
    "本单位{name}（统一社会信用代码：{uscc}；法定代表人：{legal_representative}；住所：{address}）"
    "郑重作出如下信用承诺：\n"
)
_OPENING_EN = (
    "We, {name} (unified social credit code {uscc}; legal representative {legal_representative}; "
    "registered address {address}), solemnly make the following credit commitment:\n"
)
_CLOSING_ZH = (
    "\n本承诺书自签署之日起向社会公开，并记入本单位信用记录。\n\n"
    "承诺单位：{name}\n签署人：{signer}\n日期：{date_zh}"
)
_CLOSING_EN = (
    "\nThis letter is public from the day it is signed and forms part of our credit record.\n\n"
    "Enterprise: {name}\nSigned by: {signer}\nDate: {date_en}"
)

_BODIES = {
    Kind.APPROVAL_SUBSTITUTION.value: (
        "就本单位向{agency}申请办理的“{licence}”事项，本单位已知晓该事项的全部条件和标准，承诺：\n"
        "一、本单位符合上述事项的全部条件和标准，所提交的信息和材料真实、准确、完整、有效；\n"
        "二、本单位接受行政机关的事中事后监管，以承诺代替相应证明材料；\n"
        "三、如承诺不实或未履行承诺，本单位愿意承担撤销相关决定、记入信用记录并公开、"
        "接受联合惩戒等法律责任。\n",
        "Regarding our application to {agency} for “{licence}”, we know all the conditions and standards "
        "it requires, and we commit that:\n"
        "1. We meet all these conditions and standards, and the information and documents we submit are "
        "true, accurate, complete and valid;\n"
        "2. We accept the agency's supervision during and after the procedure, this commitment taking "
        "the place of the corresponding certificates;\n"
        "3. If this commitment is untrue or not kept, we accept that the decision be revoked, that it be "
        "recorded in our credit record and published, and the joint punishments that follow.\n",
    ),
    Kind.ACCEPTANCE_WITH_DEFICIENCIES.value: (
        "就本单位向{agency}申请办理的“{licence}”事项，本单位的申请材料尚缺：{missing_documents}。承诺：\n"
        "一、本单位将于{supply_by_zh}前补齐上述材料；\n"
        "二、已提交的其他材料真实、准确、完整、有效；\n"
        "三、如未按期补齐材料或承诺不实，本单位愿意承担申请不予办理或已作出的决定被撤销、"
        "记入信用记录并公开等法律责任。\n",
        "Regarding our application to {agency} for “{licence}”, these documents are still missing: "
        "{missing_documents}. We commit that:\n"
        "1. We will supply them by {supply_by_en};\n"
        "2. The other documents we submitted are true, accurate, complete and valid;\n"
        "3. If we do not supply them in time, or this commitment is untrue, we accept that the "
        "application be refused or the decision revoked, and that it be recorded in our credit record "
        "and published.\n",
    ),
    Kind.CREDIT_REPAIR.value: (
        "就本单位的失信记录（{record}），本单位已纠正失信行为、履行相关义务，承诺：\n"
        "一、所提交的信用修复申请材料真实、准确、完整、有效；\n"
        "二、今后严格遵守法律法规，诚信经营，不再发生同类失信行为；\n"
        "三、如承诺不实或再次失信，本单位愿意接受撤销信用修复、记入信用记录并公开等处理。\n",
        "Regarding our record of dishonesty ({record}), we have corrected the conduct and performed our "
        "obligations, and we commit that:\n"
        "1. The documents of our credit-repair application are true, accurate, complete and valid;\n"
        "2. We will obey the law, operate in good faith and not repeat the same conduct;\n"
        "3. If this commitment is untrue or we break faith again, we accept that the repair be revoked "
        "and that it be recorded in our credit record and published.\n",
    ),
    Kind.INDUSTRY_SELF_DISCIPLINE.value: (
        "作为{industry}的成员，本单位承诺：\n"
        "一、严格遵守法律法规和行业规范，自觉接受行业组织和社会监督；\n"
        "二、公平竞争，不以虚假宣传、商业贿赂等不正当手段经营；\n"
        "三、保障产品和服务质量，维护消费者合法权益；\n"
        "四、如违反承诺，本单位愿意接受行业自律惩戒，并记入信用记录并公开。\n",
        "As a member of {industry}, we commit that:\n"
        "1. We obey the law and the rules of our trade, and accept the supervision of the trade "
        "association and the public;\n"
        "2. We compete fairly, without false advertising, commercial bribery or other unfair means;\n"
        "3. We guarantee the quality of our products and services and respect consumers' rights;\n"
        "4. If we break this commitment, we accept the association's disciplinary measures, and that it "
        "be recorded in our credit record and published.\n",
    ),
    Kind.VOLUNTARY.value: (
        "一、严格遵守国家法律法规和政策规定，依法诚信经营；\n"
        "二、向政府部门和社会公众提供的信息真实、准确、完整、有效；\n"
        "三、按时履行合同约定和法定义务，依法足额纳税、缴纳社会保险费；\n"
        "四、自觉接受政府部门、行业组织、社会公众和新闻媒体的监督；\n"
        "五、如违背承诺，本单位愿意依法承担相应责任，并接受将违背承诺的情况记入信用记录并公开。\n",
        "1. We obey the laws, regulations and policies of the State and operate honestly;\n"
        "2. The information we give government agencies and the public is true, accurate, complete and "
        "valid;\n"
        "3. We perform our contracts and legal obligations on time, and pay our taxes and social "
        "insurance in full;\n"
        "4. We accept the supervision of government agencies, trade associations, the public and the "
        "press;\n"
        "5. If we break this commitment, we accept the legal consequences and that the breach be "
        "recorded in our credit record and published.\n",
    ),
}


@dataclass(frozen=True)
class CommitmentTemplate:
    kind: str
    title_zh: str
    title_en: str
    matter: tuple[str, ...]

    @property
    def label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def title(self) -> str:
        return f"{self.title_zh} / {self.title_en}"


TEMPLATES: dict[str, CommitmentTemplate] = {
    template.kind: template
    for template in (
        CommitmentTemplate(
            Kind.APPROVAL_SUBSTITUTION.value,
            "信用承诺书（审批替代型）",
            "Credit commitment letter (approval substitution)",
            ("licence", "agency"),
        ),
        CommitmentTemplate(
            Kind.ACCEPTANCE_WITH_DEFICIENCIES.value,
            "信用承诺书（容缺受理型）",
            "Credit commitment letter (acceptance with deficiencies)",
            ("licence", "agency", "missing_documents", "supply_by"),
        ),
        CommitmentTemplate(
            Kind.CREDIT_REPAIR.value,
            "信用承诺书（信用修复型）",
            "Credit commitment letter (credit repair)",
            ("record",),
        ),
        CommitmentTemplate(
            Kind.INDUSTRY_SELF_DISCIPLINE.value,
            "信用承诺书（行业自律型）",
            "Credit commitment letter (industry self-discipline)",
            ("industry",),
        ),
        CommitmentTemplate(
            Kind.VOLUNTARY.value,
            "信用承诺书（主动型）",
            "Credit commitment letter (voluntary)",
            (),
        ),
    )
}


def date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def date_en(day: dt.date) -> str:
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class FilledLetter:
    kind: str
    title: str
    text_zh: str
    text_en: str

    @property
    def text(self) -> str:
        """The published text: the letter, then its English translation."""
        return f"{self.text_zh}\n\n——\n\nEnglish translation:\n{self.text_en}"


def commitment_letter_fill(
    *, kind: str, enterprise: Enterprise, matter: dict, signer: str, signed_on: dt.date
) -> FilledLetter:
    """The letter of ``kind`` filled with the enterprise's registered details and the matter."""
    template = TEMPLATES[kind]
    missing = [name for name in template.matter if matter.get(name) in (None, "")]
    if missing:
        raise ValueError(f"missing matter fields: {', '.join(missing)}")
    values = {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "legal_representative": enterprise.legal_representative or "—",
        "address": enterprise.address or "—",
        "signer": signer.strip() or "—",
        "date_zh": date_zh(signed_on),
        "date_en": date_en(signed_on),
    }
    for name in template.matter:
        value = matter[name]
        if name in DATE_MATTER:
            values[f"{name}_zh"], values[f"{name}_en"] = date_zh(value), date_en(value)
        else:
            values[name] = str(value).strip()
    body_zh, body_en = _BODIES[kind]
    return FilledLetter(
        kind=kind,
        title=template.title,
        text_zh=(_OPENING_ZH + body_zh + _CLOSING_ZH).format(**values),
        text_en=(_OPENING_EN + body_en + _CLOSING_EN).format(**values),
    )
