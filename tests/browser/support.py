"""Helpers for the browser tests: when they run, how Chromium starts, axe-core and focus checks."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass

from axe_playwright_python.sync_playwright import Axe

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BLOCKING_IMPACTS = frozenset({"serious", "critical"})

INSTALL_HINT = (
    "The browser tests need Debian's Chromium at {path}. Install it with "
    "`sudo apt-get install chromium` (or run `make test` as root, which installs it), "
    "point CHROMIUM_PATH at another Chromium binary, or set BROWSER_TESTS=skip to skip "
    "the browser tests on this machine (never honoured in CI)."
)


@dataclass(frozen=True)
class Decision:
    action: str  # "run", "skip" or "fail"
    reason: str = ""


def chromium_path(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() not in {"", "0", "false", "no"}


def browser_tests_decision(*, environ: Mapping[str, str], chromium_exists: bool) -> Decision:
    """Whether the browser tests run here. In CI they never skip: a missing Chromium fails them."""
    in_ci = _truthy(environ.get("CI"))
    wants_skip = environ.get("BROWSER_TESTS", "").strip().lower() == "skip"
    if wants_skip and in_ci:
        return Decision("fail", "BROWSER_TESTS=skip is not allowed in CI: the browser tests must run there.")
    if wants_skip:
        return Decision("skip", "BROWSER_TESTS=skip is set")
    if not chromium_exists:
        return Decision("fail", INSTALL_HINT.format(path=chromium_path(environ)))
    return Decision("run")


def blocking_violations(results: dict) -> list[dict]:
    return [v for v in results["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


@functools.cache
def _axe() -> Axe:
    return Axe()  # reads the bundled axe.min.js once


def axe_check(page) -> list[dict]:
    """Run axe-core on the page; return the serious and critical violations."""
    results = _axe().run(page, options={"resultTypes": ["violations"]})
    return blocking_violations(results.response)


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page; return every violation, whatever its impact."""
    return _axe().run(page, options={"resultTypes": ["violations"]}).response["violations"]


FOCUS_STYLE_JS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute('name'),
    text: (el.textContent || '').trim(),
    outlineStyle: style.outlineStyle,
    outlineWidth: style.outlineWidth,
    boxShadow: style.boxShadow,
    visible: el.getBoundingClientRect().right > 0 && el.getBoundingClientRect().bottom > 0,
  };
}"""


def has_visible_focus(style: dict) -> bool:
    outline = style["outlineStyle"] != "none" and style["outlineWidth"] not in {"0px", ""}
    shadow = style["boxShadow"] not in {"none", ""}
    return style["visible"] and (outline or shadow)


OVERFLOW_JS = """(limit) => {
  const sticksOut = (el) => el && el.getBoundingClientRect().right > limit + 1;
  const offenders = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (sticksOut(el) && !sticksOut(el.parentElement)) {
      const name = el.tagName.toLowerCase() + (el.className ? '.' + el.className : '');
      offenders.push(`${name} right=${Math.round(el.getBoundingClientRect().right)}`);
    }
  }
  return {width: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5)};
}"""
