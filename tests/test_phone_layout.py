"""What a reader on a 375 px phone (and on a desktop) meets first: compact contact
cards, "what to do" and "who to call" on the first screen, tables that say they scroll,
a legible header and a home page that is a front door."""

from __future__ import annotations

import re

import pytest

from macros import manifest as dl
from sitemap import ROOT, nav_sources, page_path

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 900}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}
SETTING = "identifying/settings/health-care/"
LONG_PAGES = [src for src in nav_sources()
              if re.fullmatch(r"identifying/(settings/(?!index)[\w-]+|(general|sex-trafficking|labor-trafficking)-indicators)\.md", src)]


def _url(src: str) -> str:
    return page_path(src, directory_urls=True).removesuffix("index.html")


@pytest.fixture(scope="module", params=list(VIEWPORTS))
def page(request, browser):
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.viewport_name = request.param
    yield page
    context.close()


def _first_screen(page, locator) -> bool:
    """The element starts and ends inside the first screen, with no scrolling."""
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_who_to_call_cards_are_compact_and_keep_every_fact(page, served_site):
    page.goto(served_site + SETTING)
    grid = page.locator("#who-to-call ~ .contact-cards").first
    cards = grid.locator(".contact-card")
    assert cards.count() == 4
    heights = [cards.nth(i).bounding_box()["height"] for i in range(cards.count())]
    limit = 170 if page.viewport_name == "phone" else 200
    assert max(heights) <= limit, heights
    if page.viewport_name == "phone":
        # Four cards in about one phone screen (they were 643 px, the NHTH card 188 px).
        assert grid.bounding_box()["height"] <= 600, grid.bounding_box()
    # Each label shares a line with its value; every link is at least 24 px tall.
    pairs = grid.locator(".contact-card__details > div")
    for i in range(pairs.count()):
        dt = pairs.nth(i).locator("dt").bounding_box()
        dd = pairs.nth(i).locator("dd").bounding_box()
        assert abs(dt["y"] - dd["y"]) < 8 and dd["x"] > dt["x"], (dt, dd)
    for link in grid.locator("a").all():
        assert link.bounding_box()["height"] >= 24
    # The longer facts are one tap away and are not lost.
    more = cards.nth(1).locator("details")
    assert not more.locator(".contact-card__description").is_visible()
    more.locator("summary").click()
    assert more.locator(".contact-card__description").is_visible()
    assert "not a police or immigration agency" in more.inner_text()
    assert "Last verified" in more.inner_text()


@pytest.mark.parametrize("src", LONG_PAGES)
def test_jump_list_to_what_to_do_and_who_to_call_is_on_the_first_screen(page, served_site, src):
    page.goto(served_site + _url(src))
    jump = page.locator(".eguide-jump")
    assert _first_screen(page, jump), f"{src}: the jump list needs scrolling"
    links = jump.locator("a")
    texts = [links.nth(i).inner_text() for i in range(links.count())]
    assert any("What to do" in t for t in texts) and any("Who to call" in t for t in texts), texts
    for i in range(links.count()):
        href = links.nth(i).get_attribute("href")
        if href.startswith("#"):
            assert page.locator(f"[id='{href[1:]}']").count() == 1, f"{src}: {href} goes nowhere"
    first = links.first
    first.click()
    target = first.get_attribute("href")[1:]
    assert _first_screen(page, page.locator(f"[id='{target}']")), "the jump did not land"


def test_wide_table_says_it_scrolls_and_keeps_its_key_column(page, served_site):
    page.goto(served_site + "information-sharing/law/")
    wrap = page.locator(".md-typeset__scrollwrap").first
    assert wrap.get_attribute("tabindex") == "0"
    scrolls = page.evaluate("el => el.scrollWidth > el.clientWidth + 1", wrap.element_handle())
    hint = page.locator(".eguide-scroll-hint")
    if page.viewport_name == "phone":
        assert scrolls, "the law table should not fit on a phone"
    if not scrolls:
        assert hint.count() == 0
        return
    assert hint.first.is_visible() and "scroll sideways" in hint.first.inner_text().lower()
    assert "scrolls sideways" in wrap.get_attribute("aria-label")
    assert "eguide-scrolls" in wrap.get_attribute("class")
    assert "eguide-scrolls--end" not in wrap.get_attribute("class")
    key = wrap.locator("tbody tr").first.locator("td, th").first
    second = wrap.locator("tbody tr").first.locator("td, th").nth(1)
    before, second_before = key.bounding_box()["x"], second.bounding_box()["x"]
    wrap.focus()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 100", arg=wrap.element_handle())
    assert second.bounding_box()["x"] < second_before - 50, "the keyboard did not scroll the table"
    wrap_box = wrap.bounding_box()
    key_box = key.bounding_box()
    assert wrap_box["x"] - 1 <= key_box["x"] <= before + 1, "the key column scrolled out of view"
    page.evaluate("el => { el.scrollLeft = el.scrollWidth; }", wrap.element_handle())
    page.wait_for_function("el => el.classList.contains('eguide-scrolls--end')", arg=wrap.element_handle())


def test_header_shows_a_legible_site_name(page, served_site):
    page.goto(served_site + SETTING)
    shown = page.locator(".md-header__topic").first.locator(".eguide-site-name, .eguide-site-name--short")
    visible = [shown.nth(i) for i in range(shown.count()) if shown.nth(i).is_visible()]
    assert len(visible) == 1, "exactly one site name should be on screen"
    name = visible[0]
    fits = page.evaluate("""el => {
        const box = el.closest('.md-ellipsis');
        return box.scrollWidth <= box.clientWidth + 1;
    }""", name.element_handle())
    assert fits, f"the site name is cut short: {name.inner_text()!r}"
    size = float(page.evaluate("el => getComputedStyle(el).fontSize", name.element_handle())[:-2])
    assert size >= 16
    expected = "TF e-Guide" if page.viewport_name == "phone" else "Task Force e-Guide"
    assert name.inner_text().strip() == expected


def test_home_page_first_screen_is_a_front_door(page, served_site, artifacts):
    page.goto(served_site)
    cards = page.locator(".grid.cards > ul > li")
    texts = [cards.nth(i).inner_text().strip() for i in range(cards.count())]
    wanted = {"help": "Need help now?", "suspect": "I suspect trafficking", "roles": "Find your path",
              "coordinators": "Task force coordinators", "templates": "Templates",
              "offline": "Take it offline"}
    for name, title in wanted.items():
        index = next((i for i, t in enumerate(texts) if t.startswith(title)), None)
        assert index is not None, f"no {title!r} card"
        heading = cards.nth(index).locator("strong").first.bounding_box()
        assert heading["y"] + heading["height"] <= page.viewport_size["height"], \
            f"the {title!r} card's title is below the first screen"
    help_card = cards.nth(0)
    assert help_card.locator("a[href^='tel:']").count() >= 1
    assert help_card.locator("a[href^='sms:']").count() >= 1
    hrefs = page.evaluate("[...document.querySelectorAll('.grid.cards a')].map(a => a.getAttribute('href'))")
    for needed in ("identifying/when-you-suspect/", "identifying/settings/", "recruiting/",
                   "information-sharing/", "training/", "downloads/#editable-templates",
                   "downloads/#offline-copy", "identifying/indicator-cards/"):
        assert any(h.rstrip("/").endswith(needed.rstrip("/")) for h in hrefs), f"no link to {needed}"
    page.screenshot(path=str(artifacts / f"front-door-home-{page.viewport_name}.png"))


def test_setting_page_screenshot_for_review(page, served_site, artifacts):
    page.goto(served_site + SETTING)
    path = artifacts / f"front-door-health-care-{page.viewport_name}.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000


def test_template_page_shows_its_word_file_on_the_first_screen(page, served_site, built):
    import json

    manifest = json.loads((built.downloads / dl.MANIFEST).read_text())
    entry = next(f for f in manifest["files"] if f["source"] == "structure/mou-template.md")
    page.goto(served_site + _url(entry["source"]))
    line = page.locator(".eguide-page-downloads")
    assert _first_screen(page, line)
    link = line.locator(f"a[href$='downloads/{entry['name']}']")
    assert link.is_visible()
    response = page.request.get(link.evaluate("a => a.href"))
    assert response.ok and response.body()[:2] == b"PK"


def test_settings_overview_lists_every_setting_page(page, served_site):
    page.goto(served_site + "identifying/settings/")
    settings = [src for src in LONG_PAGES if src.startswith("identifying/settings/")]
    hrefs = page.evaluate("[...document.querySelectorAll('.md-content table a')].map(a => a.href)")
    for src in settings:
        assert any(h.endswith("/" + _url(src)) for h in hrefs), f"{src} is not in the table"
    assert (ROOT / "docs/identifying/settings/index.md").is_file()
