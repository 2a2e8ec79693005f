"""Screenshots for the Contribute pages, taken by the tests that produce the states they
show (a `make check` report, a preview error box), with the session's Chromium (the
`browser` fixture: a second Playwright in the same process would clash with it). They are
artifacts for people to look at, not assertions."""

from __future__ import annotations

import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"



def report_png(browser, report: str, name: str) -> Path:
    """The report as a terminal shows it: white on black, monospace."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page_html = ("<!doctype html><meta charset=utf-8><body style='margin:0;background:#1e1e1e'>"
                 "<pre id=t style='margin:0;padding:12px;color:#eee;font:13px/1.35 "
                 "\"DejaVu Sans Mono\",monospace;white-space:pre-wrap;width:860px'>"
                 f"$ make check\n{html.escape(report)}</pre>")
    page = browser.new_page(viewport={"width": 884, "height": 400})
    try:
        page.set_content(page_html)
        page.locator("#t").screenshot(path=str(path))
    finally:
        page.close()
    return path


def element_png(browser, url: str, selector: str, name: str) -> Path:
    """One element of a served page (the preview's error box)."""
    from playwright.sync_api import expect

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    try:
        page.goto(url)
        box = page.locator(selector).first
        expect(box).to_be_visible()
        box.screenshot(path=str(path))
    finally:
        page.close()
    return path
