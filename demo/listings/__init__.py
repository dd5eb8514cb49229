"""Demo entries for every public list: the two court lists through the importer, every other list
from its style (``styles``), and a few more abnormal-operations listings when the register has too
few. Dates are relative to the day of the run; the same register, seed and day give the same data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from blacklists.models import ListType
from blacklists.selectors.entries import COURT_LIST_CODES

from . import styles
from .abnormal import abnormal_directory_fill
from .agencies import AgencyBook
from .courts import demo_court_lists_load
from .plan import ListPlanner
from .subjects import SubjectBook
from .write import planned_entries_write

# Even a small demo shows a page of each list with every way an entry ends.
MIN_PER_LIST = 6


@dataclass
class LoadReport:
    court: dict[str, int] = field(default_factory=dict)  # list code -> cases imported
    lists: dict[str, int] = field(default_factory=dict)  # list code -> entries written
    firms_registered: int = 0
    abnormal_listed: int = 0
    abnormal_removed: int = 0


def style_for(list_type: ListType) -> styles.ListStyle:
    """The list's own style, or a plain one for a list created after this table was written."""
    if list_type.code in styles.STYLES:
        return styles.STYLES[list_type.code]
    redlist = list_type.kind == ListType.Kind.REDLIST
    return styles.ListStyle(
        code=list_type.code,
        issuers=styles.OWNER,
        number="{prefix}信列〔{year}〕{serial}号",
        circumstances=("经认定符合列入条件",),
        severities=styles.REDLIST if redlist else ((list_type.default_severity, 1),),
        endings=((styles.EXPIRED, 0.2), (styles.REVOKED, 0.05)) if redlist else styles.BLACKLIST_ENDINGS,
    )


def entry_count(per_list: int, style: styles.ListStyle) -> int:
    return max(MIN_PER_LIST, round(per_list * style.size)) if per_list else 0


def demo_lists_load(
    *, court_cases: int, per_list: int, seed: int, today: dt.date | None = None
) -> LoadReport:
    today = today or timezone.localdate()
    report = LoadReport()
    book = AgencyBook()
    with transaction.atomic():
        if court_cases:
            for code, imported in demo_court_lists_load(
                count=court_cases, seed=seed, today=today, book=book
            ).items():
                report.court[code] = imported.created
        subjects = SubjectBook(book, today=today)
        planner = ListPlanner(book=book, subjects=subjects, today=today, seed=seed)
        public = ListType.objects.filter(public_search=True).exclude(code__in=COURT_LIST_CODES)
        # Blacklists first, so that no company on one is also rated a model taxpayer.
        blacklisted: set[int] = set()
        plans = []
        for list_type in sorted(
            public.select_related("owner"), key=lambda t: (t.kind == t.Kind.REDLIST, t.code)
        ):
            style = style_for(list_type)
            count = entry_count(per_list, style)
            if not count:
                continue
            planned = planner.plan(list_type, style, count, exclude=blacklisted)
            blacklisted |= {plan.subject.id for plan in planned if plan.subject.kind == "enterprise"}
            report.lists[list_type.code] = len(planned)
            plans += planned
        planned_entries_write(plans)
        report.firms_registered = subjects.created
        report.abnormal_listed, report.abnormal_removed = abnormal_directory_fill(
            book=book, seed=seed, today=today
        )
    return report
