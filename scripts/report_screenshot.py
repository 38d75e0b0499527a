"""Open a health report in headless Chromium; write the README's screenshot of examples/.

    python scripts/report_screenshot.py            # writes docs/report-level-map.png

Needs Debian's `chromium` (`apt-get install chromium`; `CHROMIUM=/path` for another one) and
the `playwright` package (in the `test` extra). Chinese labels need a CJK font
(`apt-get install fonts-wqy-microhei`); without one they are drawn as boxes.
`tests/test_health_browser.py` opens pages the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT = ROOT / "docs" / "report-level-map.png"


class Visit:
    """What a page did while it was open: console errors, uncaught errors, requests."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []


@contextmanager
def open_page(html: Path, width: int = 900, height: int = 1000) -> Iterator[tuple[Any, Visit]]:
    """The page `html` loaded in headless Chromium (a new empty profile), and its `Visit`."""
    from playwright.sync_api import sync_playwright

    visit = Visit()
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            page = context.new_page()
            page.on(
                "console",
                lambda m: visit.errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: visit.errors.append(str(e)))
            page.on("request", lambda r: visit.requests.append(r.url))
            page.goto(html.resolve().as_uri(), wait_until="load")
            yield page, visit
        finally:
            context.close()


def report_of_examples(output: Path) -> None:
    """`formalai-lint report examples/ --output OUTPUT` (exit 1: examples/ holds defects)."""
    command = [sys.executable, "-m", "formalai_lint", "report", ".", "--output", str(output)]
    done = subprocess.run(
        [*command, "--no-cache", "-j", "1"], cwd=ROOT / "examples", capture_output=True, text=True
    )
    if done.returncode not in (0, 1):
        raise SystemExit(f"report failed ({done.returncode}): {done.stderr}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "report.html"
        report_of_examples(page_path)
        with open_page(page_path) as (page, visit):
            SCREENSHOT.parent.mkdir(exist_ok=True)
            page.locator("#level-map").screenshot(path=str(SCREENSHOT))
            if visit.errors:
                raise SystemExit(f"console errors: {visit.errors}")
    print(f"wrote {SCREENSHOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
