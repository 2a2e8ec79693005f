"""Quick exit takes every guide page of the tab out of reach of Back, online and from
the offline bundle, while Back keeps working normally as long as the reader stays."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from sitemap import project

pytestmark = pytest.mark.browser

NEUTRAL_URL = project().extra["quick_exit_url"]
# Another site the reader comes from (answered by the test, never by the network).
ELSEWHERE = "http://elsewhere.test/"
NEUTRAL = re.compile("^" + re.escape(NEUTRAL_URL.rstrip("/")))
TIMEOUT = 10_000


def _context(browser, guide_url: str, **options):
    """Requests to the neutral page and to 'another site' are answered locally; the
    guide is served or read from disk; anything else is refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **options)

    def route(route):
        url = route.request.url
        if NEUTRAL.match(url):
            route.fulfill(status=200, content_type="text/html",
                          body="<title>Weather</title><p>neutral</p>")
        elif url.startswith(ELSEWHERE):
            route.fulfill(status=200, content_type="text/html",
                          body=f'<title>Elsewhere</title><a id="go" href="{guide_url}">guide</a>')
        elif url.startswith(("http://127.0.0.1", "file:", "data:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    return context


def _same_page(url: str) -> re.Pattern:
    """The page at url, whatever section the theme has since written after '#'."""
    return re.compile("^" + re.escape(url.split("#")[0]) + "(#.*)?$")


def _is_guide(url: str, guide_root: str) -> bool:
    return url.startswith(guide_root)


def _read_three_pages(page, guide_root: str) -> list[str]:
    """Open three more guide pages by clicking 'Next' links, plus one section link.
    Returns the addresses of the pages opened, in order."""
    opened = [page.url]
    for _ in range(3):
        before = page.url
        page.locator("a.md-footer__link--next").click()
        expect(page).not_to_have_url(before, timeout=TIMEOUT)
        page.wait_for_load_state("load")
        assert _is_guide(page.url, guide_root), page.url
        opened.append(page.url)
    # A section link in the table of contents adds an in-page history entry.
    page.locator(".md-sidebar--secondary .md-nav__link[href^='#']").first.click()
    expect(page).to_have_url(re.compile(r"#."), timeout=TIMEOUT)
    opened.append(page.url)
    return opened


def _quick_exit(page, how: str) -> None:
    if how == "button":
        page.locator("[data-eguide-quick-exit]").click()
    else:
        page.locator("article").click(position={"x": 5, "y": 5})
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    expect(page).to_have_url(NEUTRAL, timeout=TIMEOUT)


def _back_never_shows_the_guide(page, guide_root: str) -> None:
    """Back four times: the other site, then the tab's blank start page, and never a
    guide page, not even for a moment."""
    shown: list[str] = []
    page.on("framenavigated", lambda frame: frame == page.main_frame and shown.append(frame.url))
    for press, expected in enumerate([ELSEWHERE, "about:blank", "about:blank", "about:blank"]):
        page.go_back(wait_until="load")
        expect(page).to_have_url(expected, timeout=TIMEOUT)
        assert not _is_guide(page.url, guide_root), f"Back {press + 1} showed {page.url}"
    assert not [url for url in shown if _is_guide(url, guide_root)], shown
    # Forward passes the other site and the neutral page, then reaches the later guide
    # entries of the tab: each must leave again at once for the neutral page.
    for expected in [ELSEWHERE, NEUTRAL, NEUTRAL, NEUTRAL, NEUTRAL]:
        page.go_forward(wait_until="load")
        expect(page).to_have_url(expected, timeout=TIMEOUT)


@pytest.mark.parametrize("how", ["button", "escape-twice"])
def test_quick_exit_after_several_pages_back_never_returns_online(browser, served_site, how):
    context = _context(browser, served_site + "forming/")
    page = context.new_page()
    page.goto(ELSEWHERE)
    page.locator("#go").click()
    expect(page).to_have_url(served_site + "forming/", timeout=TIMEOUT)
    page.wait_for_load_state("load")
    _read_three_pages(page, served_site)
    page.reload()  # a reload keeps the tab's count of guide pages
    _quick_exit(page, how)
    _back_never_shows_the_guide(page, served_site)
    context.close()


@pytest.mark.parametrize("how", ["button", "escape-twice"])
def test_quick_exit_after_several_pages_back_never_returns_offline(browser, offline_root, how):
    guide_root = offline_root.as_uri() + "/"
    first = guide_root + "forming/index.html"
    context = _context(browser, first)
    page = context.new_page()
    page.goto(ELSEWHERE)
    page.goto(first)  # a web page cannot link to file://: the reader opens the file
    _read_three_pages(page, guide_root)
    _quick_exit(page, how)
    _back_never_shows_the_guide(page, guide_root)
    context.close()


def test_back_still_works_while_reading(browser, served_site):
    context = _context(browser, served_site + "forming/")
    page = context.new_page()
    page.goto(ELSEWHERE)
    page.locator("#go").click()
    expect(page).to_have_url(served_site + "forming/", timeout=TIMEOUT)
    opened = _read_three_pages(page, served_site)
    # Back walks through the section entry and every page in turn, then leaves.
    page.go_back(wait_until="load")
    expect(page).not_to_have_url(opened[-1], timeout=TIMEOUT)
    expect(page).to_have_url(_same_page(opened[-2]), timeout=TIMEOUT)
    for url in reversed(opened[:-2]):
        page.go_back(wait_until="load")
        expect(page).to_have_url(_same_page(url), timeout=TIMEOUT)
        expect(page.locator("article h1")).to_be_visible()
    page.go_back(wait_until="load")
    expect(page).to_have_url(ELSEWHERE, timeout=TIMEOUT)
    # And Forward brings the guide back, visible.
    page.go_forward(wait_until="load")
    expect(page).to_have_url(_same_page(opened[0]), timeout=TIMEOUT)
    expect(page.locator("article h1")).to_be_visible()
    context.close()


def test_without_javascript_the_button_still_leaves(browser, served_site):
    context = _context(browser, served_site + "forming/", java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + "forming/")
    page.locator("[data-eguide-quick-exit]").click()
    expect(page).to_have_url(NEUTRAL, timeout=TIMEOUT)
    context.close()
