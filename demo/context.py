"""What every chunk builder needs to know about a run; built once, inherited by the workers."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field

from .geo import Place

# Everything is generated "as of" this day rather than today, so a run is reproducible.
AS_OF = dt.date(2026, 6, 30)
# Enterprise shareholders cite an earlier enterprise of their own group; chunks hold whole
# groups, so the cited row is written in the same transaction whatever the batch size.
GROUP = 250


class Weighted:
    """Weighted choice by bisection, faster than random.choices for one draw."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs):
        self.items = tuple(item for item, _ in pairs)
        self.cum = []
        running = 0
        for _, weight in pairs:
            running += weight
            self.cum.append(running)
        self.total = running

    def pick(self, rng):
        return self.items[bisect_right(self.cum, rng.random() * self.total)]


def stamp_for(seed: int) -> str:
    """created_at/updated_at of every generated row: fixed per seed, a little after AS_OF."""
    moment = dt.datetime(2026, 7, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=(seed * 7919) % (90 * 86400))
    return moment.strftime("%Y-%m-%d %H:%M:%S+00")


@dataclass
class Context:
    seed: int
    places: list[Place]
    agencies: dict[str, int]
    person_first: int = 1
    person_count: int = 0
    enterprise_first: int = 1
    stamp: str = ""
    skip_triggers: bool = False
    as_of: int = AS_OF.toordinal()
    place_choice: Weighted = field(init=False)
    amr_by_province: dict[str, int] = field(init=False)

    def __post_init__(self):
        self.stamp = self.stamp or stamp_for(self.seed)
        self.place_choice = Weighted([(place, place.weight) for place in self.places])
        self.amr_by_province = {
            place.province_code: self.agencies.get(f"amr-{place.province_code}", place.amr_id)
            for place in self.places
        }
