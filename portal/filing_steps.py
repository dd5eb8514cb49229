"""The annual report as steps: one section a page, saved as a draft between steps, then the answers
checked on one page before "Submit and publish" (``docs/forms.md``).

The forms and their rules are those of :mod:`portal.filing_forms`; a step is the part of them
its page shows. This module also turns the stored report document into the rows of the
check-your-answers page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.forms import FILING_LISTS, FilingMainForm
from filings.models.annual_reports import FILING_WITHHOLDABLE
from portal.filing_forms import (
    MAIN_GROUPS,
    WITHHOLD_PREFIX,
    AnnualReportPageForm,
    list_formsets,
    page_initial,
)


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[str, ...] = ()  # single values of the report shown on this page
    list_key: str = ""  # or the list part it shows
    withhold: tuple[str, ...] = field(default=())  # "do not publish" choices on this page
    attachment: bool = False

    def withhold_names(self) -> tuple[str, ...]:
        names = tuple(name for name in self.fields if name in FILING_WITHHOLDABLE)
        return names + self.withhold


def _main_steps() -> list[Step]:
    slugs = ("contact", "operation", "assets", "social-insurance")
    extra = {"social-insurance": ("social_insurance_paid",)}
    return [
        Step(slug=slug, title=legend, fields=names, withhold=extra.get(slug, ()))
        for slug, (legend, names) in zip(slugs, MAIN_GROUPS, strict=True)
    ]


def _list_steps() -> list[Step]:
    order = ("websites", "investments", "contributions", "equity_transfers", "guarantees")
    return [
        Step(
            slug=key.replace("_", "-"),
            title=FILING_LISTS[key][1],
            list_key=key,
            withhold=("guarantees",) if key == "guarantees" else (),
        )
        for key in order
    ]


STEPS: tuple[Step, ...] = (
    *_main_steps(),
    *_list_steps(),
    Step(slug="attachment", title=_("Attachment"), attachment=True),
)
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def step_for_key(key: str) -> Step | None:
    """The step that holds an error key of the report service (``field`` or ``<list>-<row>-<field>``)."""
    if key == "attachment":
        return STEPS_BY_SLUG["attachment"]
    list_key = key.partition("-")[0]
    for step in STEPS:
        if key in step.fields or (step.list_key and step.list_key == list_key):
            return step
    return None


def step_neighbours(step: Step) -> tuple[Step | None, Step | None]:
    index = STEPS.index(step)
    before = STEPS[index - 1] if index else None
    after = STEPS[index + 1] if index + 1 < len(STEPS) else None
    return before, after


def step_form(step: Step, *, data=None, files=None, initial=None, complete: bool = True):
    """The report's page form cut down to the fields of ``step``."""
    form = AnnualReportPageForm(data=data, files=files, initial=initial, complete=complete)
    keep = set(step.fields) | {WITHHOLD_PREFIX + name for name in step.withhold_names()}
    if step.attachment:
        keep.add("attachment_file")
    for name in list(form.fields):
        if name not in keep:
            del form.fields[name]
    return form


def step_formset(step: Step, *, data=None, stored: dict | None = None):
    if not step.list_key:
        return None
    return list_formsets(data=data, initial=stored or {})[step.list_key]


def step_initial(stored: dict, unpublished) -> dict:
    return page_initial(stored, unpublished)


def step_values(step: Step, form, formset, stored: dict, unpublished) -> tuple[dict, list[str]]:
    """The whole report document and withheld fields with this step's answers put in."""
    data = {key: value for key, value in stored.items() if key not in step.fields}
    data.update(form.report_values())
    if formset is not None:
        data[step.list_key] = formset.rows()
    withheld = set(unpublished) - set(step.withhold_names())
    withheld |= {name for name in step.withhold_names() if form.cleaned_data.get(WITHHOLD_PREFIX + name)}
    return data, sorted(withheld)


# --- the check-your-answers page ---------------------------------------------------------------------
def _shown(value, form_field) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(form_field, forms.ChoiceField):
        return str(dict(form_field.choices).get(value, value))
    return str(value)


def answer_sections(stored: dict, unpublished) -> list[dict]:
    """Each step with its answers as (label, value, not published) rows, for the check page."""
    main_fields = FilingMainForm.base_fields
    withheld = set(unpublished)
    sections = []
    for step in STEPS:
        rows = []
        for name in step.fields:
            rows.append(
                {
                    "label": main_fields[name].label,
                    "value": _shown(stored.get(name), main_fields[name]),
                    "withheld": name in withheld,
                    "anchor": f"id_{name}",
                }
            )
        if step.list_key:
            row_form = FILING_LISTS[step.list_key][0]
            for index, row in enumerate(stored.get(step.list_key) or []):
                parts = [
                    f"{row_form.base_fields[name].label}: {_shown(value, row_form.base_fields[name])}"
                    for name, value in row.items()
                    if name in row_form.base_fields
                ]
                rows.append(
                    {
                        "label": _("Row %(number)s") % {"number": index + 1},
                        "value": "; ".join(parts),
                        "withheld": False,
                        "anchor": f"id_{step.list_key}-{index}-{next(iter(row_form.base_fields))}",
                    }
                )
        for name in step.withhold:
            if name in withheld:
                rows.append(
                    {
                        "label": _("Do not publish"),
                        "value": AnnualReportPageForm.withhold_subject(name),
                        "withheld": False,
                        "anchor": f"id_{WITHHOLD_PREFIX}{name}",
                    }
                )
        sections.append({"step": step, "rows": rows})
    return sections
