"""Screenshots for the Contribute pages, taken by the tests that produce the states they
show (a `make check` report, a preview error box), with Debian's Chromium."""

from __future__ import annotations

import html
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


def _browser(pw):
    from hooks.chromium import CHROMIUM, CHROMIUM_ARGS

    return pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def report_png(report: str, name: str) -> Path:
    """The report as a terminal shows it: white on black, monospace."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page_html = ("<!doctype html><meta charset=utf-8><body style='margin:0;background:#1e1e1e'>"
                 "<pre id=t style='margin:0;padding:12px;color:#eee;font:13px/1.35 "
                 "\"DejaVu Sans Mono\",monospace;white-space:pre-wrap;width:860px'>"
                 f"$ make check\n{html.escape(report)}</pre>")
    with sync_playwright() as pw:
        browser = _browser(pw)
        page = browser.new_page(viewport={"width": 884, "height": 400})
        page.set_content(page_html)
        page.locator("#t").screenshot(path=str(path))
        browser.close()
    return path


def element_png(url: str, selector: str, name: str) -> Path:
    """One element of a served page (the preview's error box)."""
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    with sync_playwright() as pw:
        browser = _browser(pw)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.goto(url)
        box = page.locator(selector).first
        expect(box).to_be_visible()
        box.screenshot(path=str(path))
        browser.close()
    return path
