"""Names in the reader's language: ``{{ agency|local_name }}``, ``{{ memorandum|local_title }}``.

Chinese pages show ``name_zh``/``title_zh``; every other language the English field, so no
Chinese name leaks into an English page and no internal code stands in for a name."""

from django import template
from django.utils.translation import get_language

register = template.Library()


def _chinese() -> bool:
    return (get_language() or "zh").startswith("zh")


@register.filter
def local_name(obj) -> str:
    if obj is None:
        return ""
    return obj.name_zh if _chinese() else obj.name_en


@register.filter
def local_title(obj) -> str:
    if obj is None:
        return ""
    return obj.title_zh if _chinese() else obj.title_en


@register.filter
def region_path(region) -> str:
    """A division with the divisions it lies in: 安徽省合肥市蜀山区 / Shushan District, Hefei, Anhui
    (select ``parent__parent`` to avoid queries). Grouping entries such as 市辖区 are left out."""
    if region is None:
        return ""
    chain = [item for item in region.lineage if not item.is_grouping] or [region]
    if _chinese():
        return "".join(item.name_zh for item in chain)
    return ", ".join(item.name_en for item in reversed(chain))
