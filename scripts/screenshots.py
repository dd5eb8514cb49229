"""Screenshots of the public portal for the documentation, taken with Playwright and Debian's chromium.

Runs against any running server of the project: the demo (`make run`, or
`DEBUG=1 .venv/bin/python manage.py runserver 127.0.0.1:8011` after `make demo`) or a live test
server. It needs no database access of its own: it opens the home page, searches, and opens the
first enterprise found (or the one given with --uscc). Usage:

    .venv/bin/python scripts/screenshots.py [--base-url http://127.0.0.1:8000] [--uscc CODE]
        [--query 科技] [--locale en-US] [--out docs/screenshots]

Writes home-desktop.png, profile-desktop.png (1280x800) and profile-phone.png (360x780): the
visible window only, so each file stays small (under 400 KB; larger ones are re-saved with a
256-colour palette, which text and flat colours survive). Chinese text needs a CJK font in the
system (Debian: `apt-get install fonts-wqy-microhei`, which `make test` and CI install too).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 780}
MAX_BYTES = 400 * 1024


def save_small(png: bytes, path: Path) -> int:
    """Write the PNG; if it is too large, write it again with a palette of 256 colours."""
    if len(png) > MAX_BYTES:
        from PIL import Image

        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        png = buffer.getvalue()
    path.write_bytes(png)
    return len(png)


def profile_url(page, *, base_url: str, uscc: str | None, query: str) -> str:
    if uscc:
        return f"{base_url}/enterprises/{uscc}/"
    page.goto(f"{base_url}/search/?q={query}")
    first = page.locator("table.data-table tbody a").first
    first.wait_for()
    return base_url + first.get_attribute("href")


def take(browser, *, base_url: str, uscc: str | None, query: str, locale: str, out: Path) -> list:
    """Take the three screenshots with a launched Playwright ``browser``; return (path, bytes) pairs."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    desktop_context = browser.new_context(locale=locale, viewport=DESKTOP)
    desktop = desktop_context.new_page()
    desktop.goto(base_url + "/")
    desktop.evaluate("document.activeElement.blur()")  # no caret or focus ring in the search box
    path = out / "home-desktop.png"
    written.append((path, save_small(desktop.screenshot(), path)))

    url = profile_url(desktop, base_url=base_url, uscc=uscc, query=query)
    desktop.goto(url)
    path = out / "profile-desktop.png"
    written.append((path, save_small(desktop.screenshot(), path)))
    desktop_context.close()

    phone_context = browser.new_context(locale=locale, viewport=PHONE, is_mobile=True, has_touch=True)
    phone = phone_context.new_page()
    phone.goto(url)
    path = out / "profile-phone.png"
    written.append((path, save_small(phone.screenshot(), path)))
    phone_context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="a running server of the project")
    parser.add_argument("--uscc", help="the enterprise to show (default: the first one found by --query)")
    parser.add_argument("--query", default="科技", help="search used to pick an enterprise")
    parser.add_argument("--locale", default="en-US", help="browser language, e.g. en-US or zh-CN")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH.")
        return 2
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        written = take(
            browser,
            base_url=args.base_url.rstrip("/"),
            uscc=args.uscc,
            query=args.query,
            locale=args.locale,
            out=args.out,
        )
        browser.close()
    for path, size in written:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {size // 1024} KB")
    return 0 if all(size <= MAX_BYTES for _, size in written) else 1


if __name__ == "__main__":
    sys.exit(main())
