"""What a reader meets on every page: quick exit, help banner, keyboard access, print."""

from __future__ import annotations

import pytest
import yaml

from browser import recording_context
from sitemap import ROOT, project

pytestmark = pytest.mark.browser

NEUTRAL_URL = project().extra["quick_exit_url"]
CHAPTER = "forming/task-force-models/"


def _neutral_context(browser, **options):
    """A context where the neutral site answers locally, so no test touches the internet."""
    context = browser.new_context(**options)

    def route(route):
        if route.request.url.startswith(NEUTRAL_URL.rstrip("/")):
            route.fulfill(status=200, content_type="text/html", body="<title>neutral</title>neutral")
        elif route.request.url.startswith(("http://127.0.0.1", "file:", "data:")):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    return context


@pytest.mark.parametrize("how", ["click", "shortcut"])
def test_quick_exit_leaves_and_back_does_not_return(browser, served_site, how):
    context = _neutral_context(browser)
    page = context.new_page()
    page.goto("about:blank")
    page.goto(served_site + CHAPTER)
    if how == "click":
        page.locator("[data-eguide-quick-exit]").click()
    else:
        page.locator("body").click(position={"x": 5, "y": 300})
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_URL.rstrip("/") + "**")
    assert page.url.startswith(NEUTRAL_URL.rstrip("/"))
    page.go_back(wait_until="load")
    assert page.url == "about:blank", f"Back returned to {page.url}"
    context.close()


def test_quick_exit_works_offline_from_file_url(browser, offline_root):
    context = _neutral_context(browser)
    page = context.new_page()
    page.goto((offline_root / "forming/task-force-models.html").as_uri())
    page.locator("[data-eguide-quick-exit]").click()
    page.wait_for_url(NEUTRAL_URL.rstrip("/") + "**")
    context.close()


@pytest.mark.parametrize("width", [320, 360, 375])
def test_phone_reader_sees_quick_exit_hotline_and_search_without_scrolling(browser, served_site, width):
    context = browser.new_context(viewport={"width": width, "height": 640})
    page = context.new_page()
    page.goto(served_site)
    for selector in ("[data-eguide-quick-exit]", ".eguide-help a[href^='tel:']", "label[for='__search']"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None, f"{selector} is not shown at {width}px"
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{selector} is off-screen at {width}px"
        assert box["y"] + box["height"] <= 640, f"{selector} needs scrolling at {width}px"
    # No sideways scrolling either.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_help_banner_reads_the_contact_data(browser, served_site):
    contacts = {c["id"]: c for c in yaml.safe_load((ROOT / "data/contacts.yml").read_text())}
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site + CHAPTER)
    banner = page.locator(".eguide-help").inner_text()
    assert contacts["nhth"]["phone"] in banner
    assert contacts["emergency"]["phone"] in banner
    assert str(contacts["nhth"]["sms"]) in banner
    context.close()


def test_help_banner_dismissal_is_remembered_without_cookies(browser, served_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site)
    page.locator(".md-banner__button").click()
    page.goto(served_site + CHAPTER)
    assert not page.locator(".eguide-help").is_visible()
    assert context.cookies() == []
    context.close()


def test_keyboard_order_and_visible_focus(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served_site + CHAPTER)
    seen: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                const style = getComputedStyle(el);
                const role = el.closest('.md-skip') ? 'skip'
                  : el.closest('[data-eguide-quick-exit]') ? 'quick-exit'
                  : el.closest('.md-search') ? 'search'
                  : el.closest('.md-nav--primary') ? 'nav'
                  : el.closest('.md-content') ? 'content' : 'other';
                const visible = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
                  || style.boxShadow !== 'none';
                return {role, visible, tag: el.tagName};
            }"""
        )
        assert info["visible"], f"focus is not visible on a {info['tag']} in {info['role']}"
        if not seen or seen[-1] != info["role"]:
            seen.append(info["role"])
    order = [role for role in ("skip", "quick-exit", "search", "nav", "content") if role in seen]
    assert order == ["skip", "quick-exit", "search", "nav", "content"], seen
    firsts = [seen.index(role) for role in order]
    assert firsts == sorted(firsts), f"focus order was {seen}"
    context.close()


def test_print_hides_chrome_and_shows_page_details(browser, served_site):
    context = browser.new_context()
    page = context.new_page()
    page.goto(served_site + CHAPTER)
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    for selector in (".md-header", ".md-sidebar--primary", ".md-banner", "[data-eguide-quick-exit]", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), f"{selector} shows in print"
    header = page.locator(".eguide-print-header")
    assert header.is_visible()
    assert "Last reviewed" in header.inner_text()
    closed = page.evaluate("document.querySelectorAll('details:not([open])').length")
    assert closed == 0
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("path", ["", CHAPTER])
def test_screenshots_for_review(browser, served_site, artifacts, width, path):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(served_site + path)
    name = (path.strip("/").replace("/", "-") or "home") + f"-{width}.png"
    page.screenshot(path=str(artifacts / name), full_page=False)
    assert (artifacts / name).stat().st_size > 5_000
    context.close()
