"""One date form per language: templates write dates only through the languages' named formats."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from portal.formatting import format_date, format_datetime

TEMPLATES = Path(settings.BASE_DIR) / "templates"
DATE_FILTER = re.compile(r"""\|\s*(date|time)\b(?:\s*:\s*(["'])(.*?)\2)?""")
NAMED = {"DATE_FORMAT", "DATETIME_FORMAT"}
MACHINE_READABLE = re.compile(r'datetime="\{\{\s*[\w.]+\s*$')


# Templates reworked elsewhere that still write a date as Y-m-d; empty this once they use DATE_FORMAT.
def _offending_uses(path: Path) -> list[str]:
    found = []
    for match in DATE_FILTER.finditer(path.read_text(encoding="utf-8")):
        kind, argument = match.group(1), match.group(3)
        line = match.string[: match.start()].rsplit("\n", 1)[-1]
        if kind == "date" and argument in NAMED:
            continue
        # A machine-readable moment for <time datetime="…">, never shown as text.
        if kind == "date" and argument == "c" and MACHINE_READABLE.search(line):
            continue
        found.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    return found


def test_templates_write_dates_only_in_the_named_formats():
    templates = [path for path in TEMPLATES.rglob("*") if path.suffix in {".html", ".txt"}]
    assert len(templates) > 50
    offending = [use for path in templates for use in _offending_uses(path)]
    assert offending == []


def test_the_scan_finds_a_raw_date_pattern(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.portal.test_date_formats.TEMPLATES", tmp_path)
    page = tmp_path / "page.html"
    page.write_text(
        '{{ day|date:"Y-m-d" }} {{ day|date }} {{ day|date:"DATE_FORMAT" }} {{ at|time:"H:i" }}\n'
        "<time datetime=\"{{ at|date:'c' }}\">{{ at|date:'DATETIME_FORMAT' }}</time> {{ at|date:'c' }}"
    )
    assert _offending_uses(page) == [
        'page.html: |date:"Y-m-d"',
        "page.html: |date",
        'page.html: |time:"H:i"',
        "page.html: |date:'c'",
    ]


def test_one_form_per_language_for_days_and_moments():
    day = dt.date(2026, 11, 8)
    moment = dt.datetime(2026, 11, 8, 6, 5, 3, tzinfo=dt.UTC)  # 14:05:03 in Shanghai
    with translation.override("en"):
        assert format_date(day) == "8 Nov 2026"
        assert format_date(moment) == "8 Nov 2026"
        assert format_datetime(moment) == "8 Nov 2026, 14:05"
        assert format_datetime(moment, seconds=True) == "8 Nov 2026, 14:05:03"
    with translation.override("zh-hans"):
        assert format_date(day) == "2026年11月8日"
        assert format_datetime(moment) == "2026年11月8日 14:05"
        assert format_datetime(moment, seconds=True) == "2026年11月8日 14:05:03"
    assert format_date(None) == format_datetime(None) == ""
