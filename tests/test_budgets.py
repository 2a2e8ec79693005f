"""Size budgets for readers on phones and slow connections (sizes do not vary
between runs, so they are tests; timings are reported by `make bench`)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

# Bytes, gzip-compressed HTML + CSS + JavaScript. Was 100 KB; raised to 105 KB on
# 2026-11-30 when every footnote began to carry its register citation (title, publisher,
# year, link) and every page the quick-exit history script: the heaviest reading page
# (information-sharing/law) measured 103.7 KB. Bringing it back under 100 KB is part of
# the open speed issue; this test keeps it from growing further.
FIRST_VIEW_BUDGET = 105_000
# The whole guide on one page exists to be printed or saved as PDF, not read first; the
# References page is the list of all sources with their notes (about 150 KB), looked up
# by reviewers rather than read on arrival.
# admin/: the staff editing forms (a 1.5 MB gzipped editor that only staff load; its size
# is reported in docs/contribute/editing-with-forms.md), not a page readers open.
# contribute/content-health/: the staff's review report (every stale item and, since the
# state law profiles, a coverage row per jurisdiction: 110 KB measured on 2026-11-30).
NOT_READING_PAGES = {"whole-guide/index.html", "resources/references/index.html",
                     "admin/index.html", "contribute/content-health/index.html"}
# Was 10 MB; the whole-guide PDF became tagged with bookmarks (about 16 MB, most of the
# zip's growth) and the guide grew by 30 pages: 11.0 MB measured on 2026-11-30. Raised to
# 13 MB when the five Spanish handout PDFs and 53 state law pages came in (12.4 MB measured
# the same day, after leaving source maps and unused word segmenters out of the zip).
# Winning it back is part of the speed and weight issue (17).
ZIP_BUDGET = 13_000_000
ASSET = re.compile(r"""<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="([^"]+)\"""")
CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.S)


def _gz(path: Path, cache: dict) -> int:
    if path not in cache:
        cache[path] = len(gzip.compress(path.read_bytes(), 6))
    return cache[path]


def first_view_bytes(page: Path, cache: dict, site: Path) -> int:
    """HTML plus every stylesheet and script it loads at start-up (the search worker
    included), compressed with gzip as a web server sends them."""
    html = page.read_text(encoding="utf-8")
    total = _gz(page, cache)
    urls = ASSET.findall(html)
    config = CONFIG.search(html)
    if config:
        urls.append(json.loads(config.group(1))["search"])
    for url in urls:
        # 404.html uses root-relative addresses; every other page relative ones.
        base = site if url.startswith("/") else page.parent
        total += _gz((base / url.lstrip("/")).resolve(), cache)
    return total


def test_first_view_of_every_page_is_within_budget(built):
    cache: dict = {}
    sizes = {p.relative_to(built.site).as_posix(): first_view_bytes(p, cache, built.site)
             for p in built.site.rglob("*.html")
             if p.relative_to(built.site).as_posix() not in NOT_READING_PAGES}
    assert sizes, "no pages found"
    over = {page: size for page, size in sizes.items() if size > FIRST_VIEW_BUDGET}
    assert over == {}, f"over {FIRST_VIEW_BUDGET} bytes: {over}"


def test_first_view_counts_what_it_should(built):
    """The measure itself must see the theme's CSS and JavaScript, or it proves nothing."""
    cache: dict = {}
    home = built.site / "index.html"
    assert first_view_bytes(home, cache, built.site) > _gz(home, cache) + 50_000


def test_offline_zip_is_within_budget(built):
    assert built.zip.stat().st_size <= ZIP_BUDGET


@pytest.mark.browser
def test_search_index_waits_until_the_reader_opens_search(browser, served_site):
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served_site, wait_until="networkidle")
    assert not any("search_index.json" in url for url in requested)
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").type("task force", delay=30)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    assert any("search_index.json" in url for url in requested)
    context.close()
