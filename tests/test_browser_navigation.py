"""Readers' paths in a real Chromium: navigate, search, and never leave the site.

Offline: the downloaded zip, unpacked, opened from file:// with the network off.
Online: the built site served on 127.0.0.1.
"""

from __future__ import annotations

import pytest

from browser import recording_context

pytestmark = pytest.mark.browser

QUERY = "memorandum"


def _walk_and_search(page, start_url: str):
    page.goto(start_url)
    visited = [page.url]
    # Follow links in the navigation drawer across three pages.
    for label in ("Understanding human trafficking", "Forming a task force", "Information and data sharing"):
        page.locator(".md-nav--primary").get_by_role("link", name=label, exact=True).first.click()
        page.wait_for_load_state("load")
        visited.append(page.url)
        assert page.locator("h1").first.is_visible()
    assert len(set(visited)) == 4, visited

    # Open search, type, see results.
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens show a search button first
        page.locator('label[for="__search"]').first.click()
    box.click()
    box.type(QUERY, delay=30)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=10_000)
    assert results.count() >= 1
    first_link = page.locator(".md-search-result__link").first
    first_link.click()
    page.wait_for_load_state("load")
    assert page.locator("h1").first.is_visible()
    return visited


def test_offline_bundle_from_file_url_with_network_off(browser, offline_root):
    base = offline_root.as_uri() + "/"
    with recording_context(browser, base=base, offline=True) as (context, requests, leaves):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        visited = _walk_and_search(page, base + "index.html")
        assert all(url.startswith("file://") for url in visited)
        outside = sorted({url for url in requests if leaves(url)})
        assert outside == [], f"requests left file://: {outside}"
        assert errors == []


def test_online_site_on_localhost_makes_no_outside_requests(browser, served_site):
    with recording_context(browser, base=served_site, offline=False) as (context, requests, leaves):
        page = context.new_page()
        _walk_and_search(page, served_site)
        outside = sorted({url for url in requests if leaves(url)})
        assert outside == [], f"requests left 127.0.0.1: {outside}"
        assert requests, "the recorder saw no requests at all"
