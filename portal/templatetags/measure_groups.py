"""``{{ measures|measure_groups }}``: measures in force grouped by the chain of reasons behind them.

Every page that shows measures includes ``portal/measures/_measures.html`` with the engine's
measures; the partial groups them here, so no page repeats one reason under every measure.
"""

from __future__ import annotations

from django import template

from portal.profile.measures import measure_groups as group_measures

register = template.Library()


@register.filter
def measure_groups(measures):
    return group_measures(list(measures or ()))
