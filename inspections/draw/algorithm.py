"""The draw, algorithm ``dr-sha256-v2``: pure functions over published data, standard library only.

``docs/inspections.md`` states the algorithm in words; ``scripts/verify_draw.py`` implements it
again, independently, so that anyone can check a draw without this code base.

- strata: the candidates grouped by the ratio that applies to them (their risk class's, or the
  raised one of the abnormal-operations list), numbered 1, 2, ... by increasing ratio. The
  candidate file names each candidate's stratum number, never its class.
- seed = SHA-256 of the ASCII text: manifest SHA-256 (hex) + each revealed secret (hex, in party
  order) + the beacon value (UTF-8; empty when none).
- stream word *i* = bytes ``8*(i mod 4)`` to ``8*(i mod 4)+8`` of SHA-256("<seed>:<i div 4>"),
  read as a big-endian unsigned 64-bit integer.
- uniform(m): take the next word w; accept when w < 2^64 - (2^64 mod m) and return w mod m,
  otherwise take the next word (rejection: no modulo bias).
- targets: per stratum in number order, k = ceil(n * ratio / 100) picks by a partial
  Fisher-Yates shuffle of the stratum's candidates in file order.
- inspectors: targets in position order, slot s of a target from department s mod D; uniform
  over the department's inspectors still under the load cap, drawing again when the inspector is
  recused from the target or already on it. When no eligible inspector remains, the target is
  excluded, its slots freed, and its stratum's shuffle continues to pick a replacement, appended
  at the end.

Version 1 (``dr-sha256-v1``) drew eight strata named by class (A, A+, ... D+) in that order;
version 2 draws the ratio groups instead, so that the file does not publish classes. Given the
same strata, both draw the same way (``draw`` is unchanged).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

ALGORITHM = "dr-sha256-v2"
TWO_64 = 1 << 64
# The internal strata the ratios are set for: risk class, "+" when on the abnormal-operations list.
CLASS_STRATA = ("A", "A+", "B", "B+", "C", "C+", "D", "D+")
LINE_LENGTH = 21  # an 18-character USCC, a comma, a one-digit stratum number, a line feed
USCC_LENGTH = 18
RECUSAL_RULES = ("holds_post", "declared_conflict", "inspected_last_task")
REDRAW_RULE = (
    "A drawn enterprise for which no eligible inspector remains for a slot is excluded; its "
    "stratum's shuffle continues from the stream to draw a replacement, appended after the last "
    "target. A stratum whose candidates are all drawn gives no replacement."
)
_FOUR_WORDS = struct.Struct(">4Q").unpack
_USCC_BYTES = frozenset(b"0123456789ABCDEFGHJKLMNPQRTUWXY")


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


def ratio_strata(class_ratios: Mapping[str, str]) -> tuple[list[str], dict[str, int]]:
    """The published strata of a task: its distinct ratios in increasing order (stratum 1 first),
    and the internal map from each class stratum (``CLASS_STRATA``) to its stratum number."""
    ratios = sorted(set(class_ratios.values()), key=ratio_hundredths)
    number = {ratio: position for position, ratio in enumerate(ratios, start=1)}
    return ratios, {name: number[class_ratios[name]] for name in CLASS_STRATA}


class Stream:
    """The seeded word stream; ``index`` is the number of words taken so far."""

    def __init__(self, seed: str):
        self.seed = seed
        self.index = 0
        self._prefix = hashlib.sha256(f"{seed}:".encode("ascii"))  # copied, then fed each counter
        self._block = -1
        self._words: tuple[int, ...] = ()

    def _words_of(self, block: int) -> tuple[int, ...]:
        digest = self._prefix.copy()
        digest.update(str(block).encode("ascii"))
        self._block = block
        self._words = _FOUR_WORDS(digest.digest())
        return self._words

    def word(self) -> tuple[int, int]:
        index = self.index
        self.index = index + 1
        block, part = divmod(index, 4)
        words = self._words if block == self._block else self._words_of(block)
        return words[part], index

    def uniform(self, m: int) -> tuple[int, int]:
        """(a uniform integer in [0, m), the index of the word it came from)."""
        if m <= 0:
            raise ValueError("uniform() needs a positive bound.")
        limit = TWO_64 - (TWO_64 % m)
        while True:
            index = self.index
            self.index = index + 1
            block, part = divmod(index, 4)
            words = self._words if block == self._block else self._words_of(block)
            value = words[part]
            if value < limit:
                return value % m, index


# --- the candidate file -------------------------------------------------------------------------------


class _Lines(Sequence):
    """The USCCs of some lines of the candidate file, decoded only when read."""

    def __init__(self, data: bytes, lines: Sequence[int]):
        self._data = data
        self._lines = lines

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, position):
        start = self._lines[position] * LINE_LENGTH
        return self._data[start : start + USCC_LENGTH].decode("ascii")


class CandidateFile:
    """The candidate file: one ``USCC,STRATUM`` line each (stratum a digit 1-9), LF-terminated,
    checked and grouped by stratum without building a row per line."""

    def __init__(self, data: bytes, strata: int):
        self.data = bytes(data)
        count, rest = divmod(len(self.data), LINE_LENGTH)
        self.count = count
        digits = b"123456789"[:strata]
        numbers = self.data[USCC_LENGTH + 1 :: LINE_LENGTH]
        if (
            rest
            or self.data[USCC_LENGTH::LINE_LENGTH] != b"," * count
            or self.data[LINE_LENGTH - 1 :: LINE_LENGTH] != b"\n" * count
            or numbers.translate(None, digits)
            or self.data.translate(None, bytes(_USCC_BYTES) + b",\n" + digits)
        ):
            raise ValueError(self._first_bad_line(digits))
        self.lines = {
            number: list(itertools.compress(range(count), map(digit.__eq__, numbers)))
            for number, digit in enumerate(digits, start=1)
        }

    def _first_bad_line(self, digits: bytes) -> str:
        if self.data and not self.data.endswith(b"\n"):
            return "The candidate file must end with a newline."
        for number, line in enumerate(self.data.split(b"\n")[:-1], start=1):
            uscc, comma, stratum = line.partition(b",")
            if (
                not comma
                or len(uscc) != USCC_LENGTH
                or not set(uscc) <= _USCC_BYTES
                or len(stratum) != 1
                or stratum not in digits
            ):
                return f"Line {number} of the candidate file is not 'USCC,STRATUM': {line!r}."
        return "The candidate file is not one 'USCC,STRATUM' line per candidate."

    def members(self, number: int) -> Sequence[str]:
        """The USCCs of stratum ``number``, in file order."""
        return _Lines(self.data, self.lines[number])

    def stratum_of(self, uscc: str) -> int | None:
        """The stratum number of a candidate (the file is ordered by USCC), or None."""
        key = uscc.encode("ascii")
        at = bisect.bisect_left(_Lines(self.data, range(self.count)), uscc)
        start = at * LINE_LENGTH
        if at < self.count and self.data[start : start + USCC_LENGTH] == key:
            return self.data[start + USCC_LENGTH + 1] - ord("0")
        return None

    def strata(self, ratios: Sequence[str]) -> list[tuple[str, str, Sequence[str]]]:
        """``draw``'s strata: (number, ratio, members) for ``ratios`` given by stratum number."""
        return [(str(number), ratio, self.members(number)) for number, ratio in enumerate(ratios, start=1)]


def candidates_file(rows: Iterable[tuple[str, int]]) -> bytes:
    return "".join(f"{uscc},{stratum}\n" for uscc, stratum in rows).encode("ascii")


# --- the draw -----------------------------------------------------------------------------------------


class _Shuffle:
    """A partial Fisher-Yates shuffle of ``members`` that can be continued (sparse swaps)."""

    def __init__(self, members: Sequence[str]):
        self.members = members
        self.size = len(members)
        self.swapped: dict[int, int] = {}
        self.done = 0

    def next(self, stream: Stream) -> tuple[str, int] | None:
        i = self.done
        if i >= self.size:
            return None
        offset, index = stream.uniform(self.size - i)
        j = i + offset
        swapped = self.swapped
        at_i, at_j = swapped.get(i, i), swapped.get(j, j)
        swapped[i], swapped[j] = at_j, at_i
        self.done = i + 1
        return self.members[at_j], index


@dataclass(slots=True)
class Target:
    position: int
    uscc: str
    stratum: str
    stream_index: int
    replaced: bool = False


@dataclass(slots=True)
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
    strata: Sequence[tuple[str, str, Sequence[str]]],
    departments: list[tuple[int, list[int]]],
    inspectors_per_target: int,
    max_targets_per_inspector: int,
    recusals: Mapping[str, set[int]],
) -> Outcome:
    """Run the draw. ``strata`` is [(name, ratio, candidates in file order)] in draw order;
    ``departments`` is [(agency id, sorted inspector ids)], lead first; ``recusals`` maps a USCC
    to the inspector ids recused from it."""
    stream = Stream(seed)
    outcome = Outcome(seed=seed)
    targets = outcome.targets
    shuffles = {name: _Shuffle(members) for name, _, members in strata}
    for name, ratio, members in strata:
        shuffle = shuffles[name]
        for _ in range(targets_for(len(members), ratio)):
            uscc, index = shuffle.next(stream)
            targets.append(Target(len(targets) + 1, uscc, name, index))

    cap = max_targets_per_inspector
    count = len(departments)
    agency_of = [agency for agency, _ in departments]
    pools = [sorted(roster) for _, roster in departments]  # inspectors under the cap, by id
    in_pool = [set(pool) for pool in pools]
    load: dict[int, int] = {}
    assignments = outcome.assignments
    uniform = stream.uniform
    no_recusal: frozenset[int] = frozenset()
    cursor = 0
    while cursor < len(targets):
        target = targets[cursor]
        cursor += 1
        recused = recusals.get(target.uscc, no_recusal)
        chosen: list[Assignment] = []
        taken: set[int] = set()
        for slot in range(inspectors_per_target):
            department = slot % count
            pool = pools[department]
            size = len(pool)
            if recused or taken:
                blocked = len(in_pool[department].intersection(recused)) + sum(
                    1 for inspector in taken if inspector in in_pool[department] and inspector not in recused
                )
                if blocked >= size:
                    _release(chosen, pools, in_pool, load, cap)
                    chosen = []
                    break
                while True:
                    offset, index = uniform(size)
                    inspector = pool[offset]
                    if inspector not in recused and inspector not in taken:
                        break
            elif size:
                offset, index = uniform(size)
                inspector = pool[offset]
            else:
                chosen = []
                break
            chosen.append(Assignment(target.position, slot, inspector, agency_of[department], index))
            taken.add(inspector)
            load[inspector] = reached = load.get(inspector, 0) + 1
            if reached >= cap:
                del pool[offset]
                in_pool[department].discard(inspector)
        if len(chosen) == inspectors_per_target:
            assignments.extend(chosen)
            continue
        target.replaced = True
        replacement = shuffles[target.stratum].next(stream)
        if replacement is not None:
            uscc, index = replacement
            targets.append(Target(len(targets) + 1, uscc, target.stratum, index))
    outcome.words_used = stream.index
    return outcome


def _release(chosen: list[Assignment], pools: list[list[int]], in_pool: list[set[int]], load: dict, cap: int):
    """Undo a failed target's assignments: each load drops back, and an inspector who had
    reached the cap returns to their department's pool (kept sorted)."""
    for assignment in chosen:
        inspector = assignment.inspector
        if load[inspector] >= cap:
            department = assignment.slot % len(pools)
            bisect.insort(pools[department], inspector)
            in_pool[department].add(inspector)
        load[inspector] -= 1
