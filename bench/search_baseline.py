"""``search()`` and the search API as they were at another git revision, timed beside the current
code on the same database (``bench/search.py --compare-ref REV``).

The revision is checked out into a temporary git worktree and imported there by a child
process (this file run as a script), which connects to the same embedded PostgreSQL: the
whole search package, tokens and views are the revision's own, whatever its layout (the single
module ``search/query.py`` of early revisions or the package ``search/query/``). The parent
sends one query a line and reads back the child's own timings, so the pipe is not in them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


class BaselineSearch:
    """A child process serving ``search()`` and the API of revision ``ref``; use as a context."""

    def __init__(self, ref: str, root: Path) -> None:
        self.ref = ref
        self.root = root
        self.tree = Path(tempfile.mkdtemp(prefix="search-baseline-")) / "tree"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> BaselineSearch:
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(self.tree), self.ref],
            cwd=self.root,
            check=True,
        )
        env = dict(os.environ, PYTHONPATH=str(self.tree))
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(self.tree)],
            cwd=self.tree,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            raise SystemExit(f"the search at {self.ref} did not start: {ready!r}")
        return self

    def time(self, q: str) -> tuple[float | None, float | None]:
        """(``search()`` ms or None when it refused the query, API ms) at the revision."""
        self.process.stdin.write(json.dumps({"q": q}) + "\n")
        answer = json.loads(self.process.stdout.readline())
        return answer["search"], answer["api"]

    def __exit__(self, *exc_info) -> None:
        if self.process:
            self.process.stdin.close()
            self.process.wait(timeout=60)
        subprocess.run(["git", "worktree", "remove", "--force", str(self.tree)], cwd=self.root, check=False)
        shutil.rmtree(self.tree.parent, ignore_errors=True)


def serve(tree: str) -> None:
    """The child: Django set up from the revision's tree (environment inherited from the parent,
    which points it at the benchmark's database); one JSON query a line in, timings out."""
    sys.path[0] = tree  # not this folder, which holds a ``search.py`` of its own
    import django

    django.setup()
    from django.test import Client

    from search.query import SearchQueryError, search

    api = Client()
    print("ready", flush=True)
    for line in sys.stdin:
        q = json.loads(line)["q"]
        started = time.perf_counter()
        try:
            search(q)
            searched = (time.perf_counter() - started) * 1000
        except SearchQueryError:
            searched = None
        started = time.perf_counter()
        response = api.get("/api/v1/enterprises/search/", {"q": q})
        through_api = (time.perf_counter() - started) * 1000
        if response.status_code not in (200, 400):
            through_api = None
        print(json.dumps({"search": searched, "api": through_api}), flush=True)


if __name__ == "__main__":
    serve(sys.argv[1])
