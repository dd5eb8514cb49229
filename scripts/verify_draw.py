#!/usr/bin/env python3
"""Check a double-random inspection draw from its published data, with the Python standard library.

    python3 verify_draw.py draw.json candidates.csv

draw.json is the task's published draw (format inspection-draw/2), candidates.csv its published
candidate file (one "USCC,STRATUM" line each, STRATUM a ratio group's number). The script checks
the candidate file and the manifest against their SHA-256, each revealed secret against its
commitment, recomputes the seed and the whole draw (algorithm dr-sha256-v2, see
docs/inspections.md) and compares it with the published targets and inspectors.
It prints "verified" and exits 0, or names every difference and exits 1.

This is a second, independent implementation of the algorithm: it shares no code with the portal.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import sys


def sha256(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


class Words:
    """Word i: bytes 8*(i%4)..+8 of SHA-256("<seed>:<i//4>"), big-endian."""

    def __init__(self, seed: str):
        self.seed = seed
        self.count = 0
        self.start = hashlib.sha256(f"{seed}:".encode("ascii"))
        self.block = b""

    def take(self):
        i = self.count
        self.count += 1
        part = i % 4
        if part == 0 or not self.block:
            h = self.start.copy()
            h.update(str(i // 4).encode("ascii"))
            self.block = h.digest()
        return int.from_bytes(self.block[part * 8 : part * 8 + 8], "big"), i

    def below(self, m: int):
        bound = 2**64 - 2**64 % m
        while True:
            w, i = self.take()
            if w < bound:
                return w % m, i


def is_in(sorted_ids: list, value: int) -> bool:
    at = bisect.bisect_left(sorted_ids, value)
    return at < len(sorted_ids) and sorted_ids[at] == value


def how_many(n: int, ratio: str) -> int:
    whole, _, frac = ratio.partition(".")
    hundredths = int(whole) * 100 + int((frac + "00")[:2])
    return (n * hundredths + 9999) // 10000


def stratum_number(line: bytes):
    _head, comma, tail = line.rpartition(b",")
    return int(tail) if comma and tail.isdigit() else None


def read_candidates(data: bytes, numbers: set):
    """{stratum number: [USCC, ...] in file order}, or a problem naming the first bad line."""
    lines = data.split(b"\n")
    if lines.pop() != b"":
        return {}, "the candidate file does not end with a line feed"
    by_stratum = {}
    for number in sorted(numbers):
        tail = b",%d" % number
        by_stratum[number] = [line[:-2].decode("ascii") for line in lines if line.endswith(tail)]
    if sum(len(members) for members in by_stratum.values()) != len(lines):
        first = next(i for i, line in enumerate(lines, 1) if stratum_number(line) not in numbers)
        return {}, f"line {first} of the candidate file has no stratum of the manifest"
    if any(len(line) != 20 for line in lines):
        first = next(i for i, line in enumerate(lines, 1) if len(line) != 20)
        return {}, f"line {first} of the candidate file is not 'USCC,STRATUM'"
    return by_stratum, None


def recompute(
    manifest: dict, candidates: dict, secrets: list, beacon: str, recused: dict, manifest_hash: str
):
    seed = sha256((manifest_hash + "".join(secrets) + beacon).encode("utf-8"))
    words = Words(seed)
    order = sorted(row["stratum"] for row in manifest["strata"])
    ratio = {row["stratum"]: row["ratio"] for row in manifest["strata"]}
    # Each stratum's shuffle, kept as a full list so it can be continued for replacements.
    shuffled = {name: candidates.get(name, []) for name in order}
    used = dict.fromkeys(order, 0)

    def pick(name):
        pool = shuffled[name]
        i = used[name]
        if i >= len(pool):
            return None
        r, index = words.below(len(pool) - i)
        j = i + r
        pool[i], pool[j] = pool[j], pool[i]
        used[name] += 1
        return pool[i], index

    targets = []  # [position, uscc, stratum, index, replaced]
    for name in order:
        for _ in range(how_many(len(shuffled[name]), ratio[name])):
            uscc, index = pick(name)
            targets.append([len(targets) + 1, uscc, name, index, False])

    departments = [(d["agency"], sorted(i["id"] for i in d["inspectors"])) for d in manifest["departments"]]
    per_target = manifest["inspectors_per_target"]
    cap = manifest["max_targets_per_inspector"]
    # Each department's pool: its inspectors still under the cap, in id order.
    pools = [list(roster) for _agency, roster in departments]
    load = {}
    assignments = []
    k = 0
    while k < len(targets):
        target = targets[k]
        k += 1
        banned = recused.get(target[1], set())
        mine = []
        failed = False
        for slot in range(per_target):
            pool = pools[slot % len(departments)]
            on_target = {a[2] for a in mine}
            in_pool = sum(1 for i in banned | on_target if is_in(pool, i)) if banned or on_target else 0
            if in_pool == len(pool):
                failed = True
                break
            while True:
                r, index = words.below(len(pool))
                if pool[r] not in banned and pool[r] not in on_target:
                    break
            chosen = pool[r]
            mine.append((target[0], slot, chosen, index))
            load[chosen] = load.get(chosen, 0) + 1
            if load[chosen] == cap:
                pool.pop(r)
        if not failed:
            assignments.extend(mine)
            continue
        for a in mine:
            if load[a[2]] == cap:
                bisect.insort(pools[a[1] % len(departments)], a[2])
            load[a[2]] -= 1
        target[4] = True
        again = pick(target[2])
        if again is not None:
            targets.append([len(targets) + 1, again[0], target[2], again[1], False])
    return seed, targets, assignments


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        published = json.load(handle)
    with open(argv[2], "rb") as handle:
        candidate_bytes = handle.read()
    problems = []
    if published.get("format") != "inspection-draw/2":
        problems.append("unknown format {!r}".format(published.get("format")))
    document = published["manifest_document"]
    manifest = json.loads(document)
    if manifest.get("algorithm") != "dr-sha256-v2":
        problems.append("unknown algorithm {!r}".format(manifest.get("algorithm")))
    manifest_hash = sha256(document.encode("utf-8"))
    if manifest_hash != published["manifest_sha256"]:
        problems.append(
            "the manifest's SHA-256 is {}, not the published {}".format(
                manifest_hash, published["manifest_sha256"]
            )
        )
    candidates_hash = sha256(candidate_bytes)
    if candidates_hash != manifest["candidates"]["sha256"]:
        problems.append(
            "the candidate file's SHA-256 is {}, not the manifest's {}".format(
                candidates_hash, manifest["candidates"]["sha256"]
            )
        )
    candidates, bad = read_candidates(candidate_bytes, {row["stratum"] for row in manifest["strata"]})
    if bad:
        problems.append(bad)
    committed = {c["order"]: c["commitment"] for c in manifest["commitments"]}
    secrets = sorted(published["secrets"], key=lambda s: s["order"])
    for s in secrets:
        if sha256(s["secret"].encode("ascii")) != committed.get(s["order"]):
            problems.append("the secret of {} does not match its commitment".format(s["party"]))
    if problems:
        print("NOT verified:\n  " + "\n  ".join(problems))
        return 1
    recused = {}
    for e in published["exclusions"]:
        if e["inspector"] is not None:
            recused.setdefault(e["uscc"], set()).add(e["inspector"])
    seed, targets, assignments = recompute(
        manifest,
        candidates,
        [s["secret"] for s in secrets],
        published.get("beacon", ""),
        recused,
        manifest_hash,
    )
    if seed != published["seed"]:
        problems.append("the seed is {}, not the published {}".format(seed, published["seed"]))
    mine = [(t[0], t[1], t[2], t[3], t[4]) for t in targets]
    theirs = [
        (t["position"], t["uscc"], t["stratum"], t["stream_index"], t["replaced"])
        for t in published["targets"]
    ]
    if mine != theirs:
        first = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
        problems.append(
            f"the targets differ from position {first + 1} (recomputed {len(mine)}, published {len(theirs)})"
        )
    theirs = [(a["position"], a["slot"], a["inspector"], a["stream_index"]) for a in published["assignments"]]
    if assignments != theirs:
        problems.append("the inspector assignments differ")
    if problems:
        print("NOT verified:\n  " + "\n  ".join(problems))
        return 1
    drawn = sum(1 for t in targets if not t[4])
    print(f"verified: seed {seed}, {drawn} targets, {len(assignments)} inspector assignments")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
