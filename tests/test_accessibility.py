"""axe-core (WCAG 2.2 A and AA rules) on every built page, in both palettes,
at desktop width and at 375 px, in Chromium. Rules are never switched off: a
violation inside Material's markup is fixed in overrides/ or the stylesheet.

What each run covers (issue 17: the same checks in about half the time):
- Every page's own content (article, contents list, everything outside the chrome)
  gets every WCAG rule in the light palette at both widths, and the rules whose result
  depends on colour in the dark palette. Switching the palette changes only colours:
  the page sets no palette-specific `display` or `visibility`, so the other rules could
  only repeat the light palette's result.
- The chrome (header with quick exit, tabs, navigation, footer, banner) is the same
  markup and styles on every page; only which link is marked current differs. It is
  checked in full, as above, on the first page of every nav section and on the home page.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from sitemap import nav_sections, nav_sources, page_path

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}
# Of the rules WCAG_TAGS select, the ones that read colours (axe-core's rule list).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
CHROME = [".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".md-banner"]
AXE_SCRIPT = Axe().axe_script  # axe-core, as shipped in axe-playwright-python
STYLESHEETS = Path(__file__).resolve().parent.parent / "overrides" / "assets" / "stylesheets"


@lru_cache(maxsize=None)
def chrome_pages() -> frozenset[str]:
    """The home page and the first page of every nav section, at any depth."""
    return frozenset([nav_sources()[0], *(pages[0] for pages in nav_sections().values())])


def _runs(src: str) -> list[tuple[str, dict, dict]]:
    """(palette, axe context, axe options) for one page at one width."""
    context = {"exclude": [] if src in chrome_pages() else [[selector] for selector in CHROME]}
    light = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    dark = {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}
    return [("default", context, light), ("slate", context, dark)]


def _summary(violations, where: str) -> list[str]:
    lines = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"][:3]]
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return lines


@pytest.fixture(scope="module")
def pages_by_viewport(browser):
    contexts = {name: browser.new_context(viewport=size) for name, size in VIEWPORTS.items()}
    pages = {name: context.new_page() for name, context in contexts.items()}
    yield pages
    for context in contexts.values():
        context.close()


@pytest.mark.parametrize("src", nav_sources())
def test_page_has_no_wcag_violations(pages_by_viewport, served_site, src):
    problems: list[str] = []
    url = served_site + page_path(src, directory_urls=True).removesuffix("index.html")
    for viewport, page in pages_by_viewport.items():
        page.goto(url)
        # Colours change with a short CSS transition; axe must see the final colours.
        page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
        page.evaluate(AXE_SCRIPT)
        for palette, context, options in _runs(src):
            page.evaluate(
                "scheme => document.body.setAttribute('data-md-color-scheme', scheme)", palette
            )
            result = page.evaluate("([context, options]) => axe.run(context, options)", [context, options])
            problems += _summary(result["violations"], f"{src} [{viewport}, {palette}]")
    assert problems == [], "\n".join(problems)


def test_colour_rules_are_the_ones_axe_tags_for_colour(pages_by_viewport, served_site):
    """The dark palette runs only COLOUR_RULES: that list must hold every rule of
    WCAG_TAGS that axe-core itself files under colour, so an axe upgrade that adds one
    fails here instead of going unchecked in the dark palette."""
    page = pages_by_viewport["desktop"]
    page.goto(served_site)
    page.evaluate(AXE_SCRIPT)
    colour = page.evaluate(
        "tags => axe.getRules(tags).filter(r => r.tags.includes('cat.color')).map(r => r.ruleId)",
        WCAG_TAGS,
    )
    assert colour and sorted(colour) == sorted(COLOUR_RULES)


def test_palettes_change_only_colours():
    """The dark palette may skip the layout rules only while no stylesheet of ours hides,
    shows or moves anything per palette."""
    layout = ("display", "visibility", "position", "width", "height", "content:", "opacity")
    offending = []
    for sheet in STYLESHEETS.glob("*.css"):
        for block in sheet.read_text(encoding="utf-8").split("}"):
            selector, _, body = block.partition("{")
            if "data-md-color-scheme" in selector and any(word in body for word in layout):
                offending.append(f"{sheet.name}: {selector.strip()}")
    assert offending == [], offending
