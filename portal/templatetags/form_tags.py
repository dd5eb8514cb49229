"""The one pattern of every company form: an error summary linking each field, then the fields
with their label, hint and error above the input (``docs/forms.md``)."""

from __future__ import annotations

from django import forms, template

register = template.Library()


def _first_field_id(form) -> str:
    for field in form:
        if not field.is_hidden:
            return field.auto_id
    return ""


def summary_items(*forms_or_formsets) -> list[dict]:
    """Every error of the forms (and of each row of a formset), each with the link to its field."""
    items: list[dict] = []
    for thing in forms_or_formsets:
        if thing is None or thing == "":
            continue
        if isinstance(thing, forms.BaseFormSet):
            items.extend({"href": "", "text": error} for error in thing.non_form_errors())
            for row in thing.forms:
                items.extend(summary_items(row))
            continue
        first = _first_field_id(thing)
        items.extend(
            {"href": f"#{first}" if first else "", "text": error} for error in thing.non_field_errors()
        )
        for field in thing:
            items.extend(
                {"href": f"#{field.auto_id}", "text": f"{field.label}: {error}"} for error in field.errors
            )
    return items


@register.inclusion_tag("portal/forms/_error_summary.html")
def error_summary(*forms_or_formsets, items=None, title=None):
    """The error summary of the page: ``items`` adds errors that link elsewhere (like another step)."""
    return {"items": summary_items(*forms_or_formsets) + list(items or []), "title": title}


@register.inclusion_tag("portal/forms/_field.html")
def form_field(field, withhold=None):
    """One field: label, hint, error, input; a checkbox after its label's text box, never under it."""
    return {"field": field, "withhold": withhold, "is_checkbox": field.widget_type == "checkbox"}
