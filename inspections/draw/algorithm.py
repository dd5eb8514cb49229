"""The draw, algorithm ``dr-sha256-v1``: pure functions over published data, standard library only.

``docs/inspections.md`` states the algorithm in words; ``scripts/verify_draw.py`` implements it
again, independently, so that anyone can check a draw without this code base.

- seed = SHA-256 of the ASCII text: manifest SHA-256 (hex) + each revealed secret (hex, in party
  order) + the beacon value (UTF-8; empty when none).
- stream word *i* = bytes ``8*(i mod 4)`` to ``8*(i mod 4)+8`` of SHA-256("<seed>:<i div 4>"),
  read as a big-endian unsigned 64-bit integer.
- uniform(m): take the next word w; accept when w < 2^64 - (2^64 mod m) and return w mod m,
  otherwise take the next word (rejection: no modulo bias).
- targets: per stratum in the order A, A+, B, B+, C, C+, D, D+ (+ = on the abnormal-operations
  list), k = ceil(n * ratio / 100) picks by a partial Fisher-Yates shuffle of the stratum's
  candidates in file order.
- inspectors: targets in position order, slot s of a target from department s mod D; uniform
  over the department's inspectors still under the load cap, drawing again when the inspector is
  recused from the target or already on it. When no eligible inspector remains, the target is
  excluded, its slots freed, and its stratum's shuffle continues to pick a replacement, appended
  at the end.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

ALGORITHM = "dr-sha256-v1"
STRATA = ("A", "A+", "B", "B+", "C", "C+", "D", "D+")
TWO_64 = 1 << 64
RECUSAL_RULES = ("holds_post", "declared_conflict", "inspected_last_task")
REDRAW_RULE = (
    "A drawn enterprise for which no eligible inspector remains for a slot is excluded; its "
    "stratum's shuffle continues from the stream to draw a replacement, appended after the last "
    "target. A stratum whose candidates are all drawn gives no replacement."
)


def canonical_json(value) -> str:
    """The one text a manifest is hashed as: sorted keys, no spaces, ASCII only."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def seed_from(manifest_sha256: str, secrets: Iterable[str], beacon: str = "") -> str:
    return sha256_hex(manifest_sha256 + "".join(secrets) + beacon)


def ratio_hundredths(ratio: str) -> int:
    """'5', '5.5' or '5.25' percent as an integer number of hundredths of a percent (525)."""
    whole, _, fraction = str(ratio).partition(".")
    fraction = (fraction + "00")[:2]
    if not whole.isdigit() or not fraction.isdigit() or len(str(ratio).partition(".")[2]) > 2:
        raise ValueError(f"A ratio is a percentage with at most two decimals, not {ratio!r}.")
    value = int(whole) * 100 + int(fraction)
    if value > 10000:
        raise ValueError(f"A ratio is at most 100 percent, not {ratio!r}.")
    return value


def targets_for(count: int, ratio: str) -> int:
    """ceil(count * ratio / 100), in integers: rounding is always up, so a non-empty stratum
    with a ratio above zero gives at least one target."""
    return -(-count * ratio_hundredths(ratio) // 10000)


class Stream:
    """The seeded word stream; ``index`` is the number of words taken so far."""

    def __init__(self, seed: str):
        self.seed = seed
        self.index = 0
        self._block = b""

    def word(self) -> tuple[int, int]:
        index = self.index
        if index % 4 == 0:
            self._block = hashlib.sha256(f"{self.seed}:{index // 4}".encode("ascii")).digest()
        offset = 8 * (index % 4)
        self.index += 1
        return int.from_bytes(self._block[offset : offset + 8], "big"), index

    def uniform(self, m: int) -> tuple[int, int]:
        """(a uniform integer in [0, m), the index of the word it came from)."""
        if m <= 0:
            raise ValueError("uniform() needs a positive bound.")
        limit = TWO_64 - (TWO_64 % m)
        while True:
            value, index = self.word()
            if value < limit:
                return value % m, index


def parse_candidates(data: bytes) -> list[tuple[str, str]]:
    """The candidate file: one ``USCC,STRATUM`` line each, LF-terminated, in published order."""
    if not data:
        return []
    text = data.decode("ascii")
    if not text.endswith("\n"):
        raise ValueError("The candidate file must end with a newline.")
    rows = []
    for number, line in enumerate(text[:-1].split("\n"), start=1):
        uscc, comma, stratum = line.partition(",")
        if not comma or len(uscc) != 18 or stratum not in STRATA:
            raise ValueError(f"Line {number} of the candidate file is not 'USCC,STRATUM': {line!r}.")
        rows.append((uscc, stratum))
    return rows


def candidates_file(rows: Iterable[tuple[str, str]]) -> bytes:
    return "".join(f"{uscc},{stratum}\n" for uscc, stratum in rows).encode("ascii")


class _Shuffle:
    """A partial Fisher-Yates shuffle of ``members`` that can be continued (sparse swaps)."""

    def __init__(self, members: list[str]):
        self.members = members
        self.swapped: dict[int, int] = {}
        self.done = 0

    def next(self, stream: Stream) -> tuple[str, int] | None:
        n = len(self.members)
        i = self.done
        if i >= n:
            return None
        offset, index = stream.uniform(n - i)
        j = i + offset
        at_i, at_j = self.swapped.get(i, i), self.swapped.get(j, j)
        self.swapped[i], self.swapped[j] = at_j, at_i
        self.done += 1
        return self.members[at_j], index


@dataclass
class Target:
    position: int
    uscc: str
    stratum: str
    stream_index: int
    replaced: bool = False


@dataclass
class Assignment:
    position: int
    slot: int
    inspector: int
    department: int
    stream_index: int


@dataclass
class Outcome:
    seed: str
    targets: list[Target] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    words_used: int = 0


def draw(
    *,
    seed: str,
    candidates: list[tuple[str, str]],
    ratios: Mapping[str, str],
    departments: list[tuple[int, list[int]]],
    inspectors_per_target: int,
    max_targets_per_inspector: int,
    recusals: Mapping[str, set[int]],
) -> Outcome:
    """Run the draw. ``departments`` is [(agency id, sorted inspector ids)], lead first;
    ``recusals`` maps a USCC to the inspector ids recused from it."""
    stream = Stream(seed)
    outcome = Outcome(seed=seed)
    by_stratum: dict[str, list[str]] = {stratum: [] for stratum in STRATA}
    for uscc, stratum in candidates:
        by_stratum[stratum].append(uscc)
    shuffles = {stratum: _Shuffle(members) for stratum, members in by_stratum.items()}

    for stratum in STRATA:
        for _ in range(targets_for(len(by_stratum[stratum]), ratios[stratum])):
            uscc, index = shuffles[stratum].next(stream)
            outcome.targets.append(Target(len(outcome.targets) + 1, uscc, stratum, index))

    load: dict[int, int] = {}
    available = [sorted(roster) for _, roster in departments]
    cursor = 0
    while cursor < len(outcome.targets):
        target = outcome.targets[cursor]
        cursor += 1
        recused = recusals.get(target.uscc, set())
        chosen: list[Assignment] = []
        for slot in range(inspectors_per_target):
            department = slot % len(departments)
            pool = available[department]
            taken = {assignment.inspector for assignment in chosen}
            blocked = sum(1 for inspector in recused | taken if _contains(pool, inspector))
            if blocked >= len(pool):
                chosen = _release(chosen, available, load, max_targets_per_inspector)
                break
            while True:
                offset, index = stream.uniform(len(pool))
                inspector = pool[offset]
                if inspector not in recused and inspector not in taken:
                    break
            chosen.append(Assignment(target.position, slot, inspector, departments[department][0], index))
            load[inspector] = load.get(inspector, 0) + 1
            if load[inspector] >= max_targets_per_inspector:
                del pool[offset]
        if len(chosen) == inspectors_per_target:
            outcome.assignments.extend(chosen)
            continue
        target.replaced = True
        replacement = shuffles[target.stratum].next(stream)
        if replacement is not None:
            uscc, index = replacement
            outcome.targets.append(Target(len(outcome.targets) + 1, uscc, target.stratum, index))
    outcome.words_used = stream.index
    return outcome


def _contains(pool: list[int], inspector: int) -> bool:
    at = bisect.bisect_left(pool, inspector)
    return at < len(pool) and pool[at] == inspector


def _release(chosen: list[Assignment], available: list[list[int]], load: dict[int, int], cap: int) -> list:
    """Undo a failed target's assignments: each load drops back, and an inspector who had
    reached the cap returns to their department's pool (kept sorted)."""
    for assignment in chosen:
        if load[assignment.inspector] >= cap:
            bisect.insort(available[assignment.slot % len(available)], assignment.inspector)
        load[assignment.inspector] -= 1
    return []
