"""The entries of one list, decided before anything is written: subject, issuing agency, dates,
status, severity, circumstance and decision number. Every choice comes from a generator seeded by
(seed, list code), so the same register, seed and day give the same entries."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from blacklists.models import ListEntry, ListType
from registry.models import Agency

from . import styles
from .agencies import PLACEHOLDER_NAMES, AgencyBook, AgencyInfo
from .subjects import Subject, SubjectBook

Status = ListEntry.Status
# The first entries in force of each list were published in the last days, so that every list's
# feed and the home page's latest publications have something recent.
RECENT_DAYS = 10
# Entries that ended early ended at least this long after they started.
SHORTEST_LISTING = 15
PERMANENT_SPAN = 4 * 365  # how far back a permanent entry (no period) may start
EXPIRED_SPAN = 500  # how long ago an expired entry may have ended


@dataclass
class PlannedEntry:
    list_type: ListType
    subject: Subject
    agency: AgencyInfo
    decision_date: dt.date
    starts_on: dt.date
    planned_end: dt.date | None
    severity: str
    circumstance: str
    status: str
    ended_on: dt.date | None = None
    repair_submitted_on: dt.date | None = None
    decision_number: str = ""

    @property
    def permanent(self) -> bool:
        return self.planned_end is None


def status_quotas(count: int, style: styles.ListStyle, list_type: ListType) -> list[str]:
    """How many entries end and how: at least one of each ending the list allows, at least half
    of the list in force."""
    endings = []
    for status, share in style.endings:
        if status == styles.REPAIRED and not list_type.holds_enterprises:
            continue
        if status == styles.EXPIRED and list_type.default_period_days is None:
            continue  # a permanent listing never expires
        endings += [status] * max(1, round(count * share))
    endings = endings[: count // 2]
    return [*endings, *[Status.IN_FORCE] * (count - len(endings))]


def cycle_starts(cycle: str, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """(publication day, rating day) of the cycles published up to ``today``, latest first."""
    pairs = []
    for year in range(today.year - 6, today.year + 1):
        if cycle == styles.HALF_YEAR:
            pairs.append((dt.date(year, 1, 31), dt.date(year - 1, 12, 31)))
            pairs.append((dt.date(year, 7, 31), dt.date(year, 6, 30)))
        else:
            pairs.append((dt.date(year, 4, 20), dt.date(year, 4, 10)))
    return sorted((pair for pair in pairs if pair[0] <= today), reverse=True)


class ListPlanner:
    def __init__(self, *, book: AgencyBook, subjects: SubjectBook, today: dt.date, seed: int):
        self.book, self.subjects, self.today, self.seed = book, subjects, today, seed

    def plan(
        self, list_type: ListType, style: styles.ListStyle, count: int, *, exclude=frozenset()
    ) -> list[PlannedEntry]:
        rng = random.Random(f"{self.seed}:{list_type.code}")  # noqa: S311 - reproducible demo data
        statuses = status_quotas(count, style, list_type)
        rng.shuffle(statuses)
        # The entries in force that come first were published lately.
        statuses.sort(key=lambda status: status != Status.IN_FORCE)
        kinds = [self._kind(list_type, style, status, rng) for status in statuses]
        # A run appended to an earlier one lists new subjects: the same listing twice would clash.
        listed = ListEntry.objects.filter(list_type=list_type).values_list("person_id", "enterprise_id")
        exclude = set(exclude) | {enterprise for _person, enterprise in listed if enterprise}
        excluded_persons = {person for person, _enterprise in listed if person}
        subjects = self._subjects(list_type, style, kinds, rng, exclude, excluded_persons)
        entries = []
        for position, (status, subject) in enumerate(zip(statuses, subjects, strict=True)):
            recent = position < 2 and status == Status.IN_FORCE
            entries.append(self._entry(list_type, style, status, subject, rng, recent=recent))
        self._number(style, entries, rng)
        return entries

    # --- subjects --------------------------------------------------------------------------------
    @staticmethod
    def _kind(list_type: ListType, style: styles.ListStyle, status: str, rng) -> str:
        if not list_type.holds_enterprises:
            return "person"
        if not list_type.holds_persons or status == Status.REPAIRED:
            return "enterprise"  # credit repair is an enterprise's application
        return "person" if rng.random() < style.person_share else "enterprise"

    def _subjects(self, list_type, style, kinds, rng, exclude, excluded_persons) -> list[Subject]:
        wanted = kinds.count("enterprise")
        firms = self._enterprises(list_type, style, wanted, rng, exclude) if wanted else []
        people = [person for person in self.subjects.persons if person.id not in excluded_persons]
        needed = kinds.count("person")
        if needed and not people:
            raise RuntimeError("The register holds no persons: run generate_demo_data first.")
        persons = rng.sample(people, min(len(people), needed))
        persons += rng.choices(people, k=needed - len(persons))
        firms.reverse()
        persons.reverse()
        return [persons.pop() if kind == "person" else firms.pop() for kind in kinds]

    def _enterprises(self, list_type, style, wanted, rng, exclude) -> list[Subject]:
        region = style.extra.get("county") or (list_type.region_id or "")
        preferred, others = self.subjects.enterprise_pool(
            region=region,
            industries=style.industries,
            entity_types=style.entity_types,
            redlist=list_type.kind == ListType.Kind.REDLIST,
            exclude=exclude,
        )
        if style.extra.get("from_abnormal"):
            # Half from the abnormal-operations directory: three years there lead to this list.
            listed = [subject for subject in preferred if subject.id in self.subjects.abnormal]
            chosen = rng.sample(listed, min(len(listed), wanted // 2))
            taken = {subject.id for subject in chosen}
            rest = [subject for subject in preferred if subject.id not in taken]
            chosen += rng.sample(rest, min(len(rest), wanted - len(chosen)))
        else:
            chosen = rng.sample(preferred, min(len(preferred), wanted))
        # A list of a trade or a place takes companies of that trade or place, registering them
        # when the register has too few; a general list falls back on any company.
        specific = bool(style.industries or region)
        if not specific and len(chosen) < wanted:
            chosen += rng.sample(others, min(len(others), wanted - len(chosen)))
        if len(chosen) < wanted:
            chosen += self._register(style, region, wanted - len(chosen), rng)
        return chosen

    def _register(self, style, region, count: int, rng) -> list[Subject]:
        book = self.book
        if region and not region.endswith("0000"):
            places = [region] * count
        else:
            prefectures = sorted(
                code
                for code, (name, level, _parent) in book.regions.items()
                if level == "prefecture"
                and name not in PLACEHOLDER_NAMES
                and (not region or code[:2] == region[:2])
            )
            places = [rng.choice(prefectures) for _ in range(count)]
        return self.subjects.register_firms(
            rng=rng,
            places=places,
            trades=style.trade_words or ("商贸",),
            industry=style.industries[0] if style.industries else "",
        )

    # --- one entry -------------------------------------------------------------------------------
    def _agency(self, list_type: ListType, style: styles.ListStyle, subject: Subject, rng) -> AgencyInfo:
        owner = self.book.by_id[list_type.owner_id]
        if style.issuers == styles.MARKET_REGULATION:
            return self.book.local(Agency.Kind.MARKET_REGULATION, subject.prefecture, rng) or owner
        if style.issuers == styles.PROVINCIAL_TAX:
            return self.book.provincial(Agency.Kind.TAX, subject.prefecture) or owner
        return owner

    @staticmethod
    def _period(list_type: ListType, rng, *, at_least: int = 0) -> int | None:
        default, low, high = (
            list_type.default_period_days,
            list_type.min_period_days,
            list_type.max_period_days,
        )
        if default is None and low is None and high is None:
            return None
        days = default if default is not None and rng.random() < 0.7 else rng.randint(low or 30, high or 1095)
        days = max(days, at_least)
        return min(days, high) if high is not None else days

    def _entry(self, list_type, style, status, subject, rng, *, recent: bool) -> PlannedEntry:
        today = self.today
        shortest = list_type.min_period_days or 30
        repaired = status == Status.REPAIRED
        if style.cycle:  # a rating holds until the next one
            days = list_type.default_period_days
        else:
            days = self._period(list_type, rng, at_least=shortest + 60 if repaired else 0)
        span = days or PERMANENT_SPAN
        if status == Status.IN_FORCE:
            age = rng.randint(0, RECENT_DAYS) if recent else rng.randint(0, span - 1)
            starts = today - dt.timedelta(days=age)
        elif status == Status.EXPIRED:
            starts = today - dt.timedelta(days=rng.randint(1, EXPIRED_SPAN) + span)
        else:
            earliest = (shortest + 45) if repaired else SHORTEST_LISTING + 30
            starts = today - dt.timedelta(days=rng.randint(earliest, max(earliest + 30, span + 200)))
        decision = starts - dt.timedelta(days=rng.randint(3, 30))
        if style.cycle:
            cycles = cycle_starts(style.cycle, today)
            starts, decision = next(((s, d) for s, d in cycles if s <= starts), cycles[-1])
            if status == Status.IN_FORCE:
                starts, decision = cycles[0]
        planned_end = starts + dt.timedelta(days=days) if days is not None else None
        entry = PlannedEntry(
            list_type=list_type,
            subject=subject,
            agency=self._agency(list_type, style, subject, rng),
            decision_date=decision,
            starts_on=starts,
            planned_end=planned_end,
            severity=self._severity(style, rng, repairable=repaired),
            circumstance=self._circumstance(style, starts, rng),
            status=status,
        )
        if status == Status.EXPIRED:
            entry.ended_on = planned_end + dt.timedelta(days=1)
        elif status != Status.IN_FORCE:
            last = today - dt.timedelta(days=1)
            if planned_end is not None:
                last = min(last, planned_end - dt.timedelta(days=1))
            first = starts + dt.timedelta(days=(shortest + 20) if repaired else SHORTEST_LISTING)
            entry.ended_on = first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))
            if repaired:
                submitted = entry.ended_on - dt.timedelta(days=rng.randint(5, 18))
                entry.repair_submitted_on = max(submitted, starts + dt.timedelta(days=shortest))
        return entry

    @staticmethod
    def _severity(style: styles.ListStyle, rng, *, repairable: bool) -> str:
        weights = [
            (severity, weight)
            for severity, weight in style.severities
            if not (repairable and severity == ListEntry.Severity.EXTREMELY_SERIOUS)
        ]
        return rng.choices([s for s, _ in weights], [w for _, w in weights])[0]

    @staticmethod
    def _circumstance(style: styles.ListStyle, starts: dt.date, rng) -> str:
        return rng.choice(style.circumstances).format(
            amount=rng.randint(10, 3000),
            small=rng.randint(1, 200),
            count=rng.randint(3, 120),
            share=rng.randint(10, 60),
            rating_year=starts.year - 1,
        )

    # --- decision numbers ------------------------------------------------------------------------
    def _number(self, style: styles.ListStyle, entries: list[PlannedEntry], rng) -> None:
        """Running numbers per agency and year, in decision order, as a registry office keeps them."""
        groups: dict[tuple[int, int], list[PlannedEntry]] = {}
        for entry in sorted(entries, key=lambda e: (e.agency.id, e.decision_date, e.subject.id)):
            groups.setdefault((entry.agency.id, entry.decision_date.year), []).append(entry)
        for (_agency, year), group in groups.items():
            serial = rng.randint(1, 60)
            prefix = self.book.prefix(group[0].agency)
            for entry in group:
                entry.decision_number = style.number.format(
                    prefix=prefix,
                    year=year,
                    serial=serial,
                    customs=f"{entry.subject.prefecture[:4]}{(entry.subject.id * 7919) % 10**6:06d}",
                )
                serial += rng.randint(1, 9)
