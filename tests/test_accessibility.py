"""axe-core (WCAG 2.2 A and AA rules) on every built page, in both palettes,
at desktop width and at 375 px, in Chromium. Rules are never switched off: a
violation inside Material's markup is fixed in overrides/ or the stylesheet.

What each run covers (issue 17: the same checks in about half the time):
- Every page's own content (article, contents list, everything outside the chrome)
  gets every WCAG rule in the light palette at both widths, and the rules whose result
  depends on colour in the dark palette. Switching the palette changes only colours:
  the page sets no palette-specific `display` or `visibility`, so the other rules could
  only repeat the light palette's result.
- The colour rules run on a page's own content at desktop width only; at 375 px its
  content gets every other rule. Colours do not change with the width there: no style
  sheet the site loads (Material's, its palettes, ours) sets a colour inside a width
  media query except for the chrome (a test holds this).
- The chrome (header with quick exit, tabs, navigation, footer, banner) is the same
  markup and styles on every page; only which link is marked current differs. It is
  checked in full, both palettes and both widths, on the first page of every nav
  section and on the home page.
"""

from __future__ import annotations

import re
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


def _runs(src: str, viewport: str) -> list[tuple[str, dict, dict]]:
    """(palette, axe context, axe options) for one page at one width."""
    full = src in chrome_pages()
    context = {"exclude": [] if full else [[selector] for selector in CHROME]}
    light = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    dark = {"runOnly": {"type": "rule", "values": COLOUR_RULES}, "resultTypes": ["violations"]}
    if full or viewport == "desktop":
        return [("default", context, light), ("slate", context, dark)]
    light["rules"] = {rule: {"enabled": False} for rule in COLOUR_RULES}
    return [("default", context, light)]


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
        for palette, context, options in _runs(src, viewport):
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


# Material's classes for the chrome (header, tabs, navigation drawer and sidebars,
# search, footer, banner, back-to-top, dialog): the only places a colour may depend on
# the width, since the content's colour rules run at one width.
CHROME_CLASSES = re.compile(
    r"\.md-(?:header|tabs|nav|sidebar|search|overlay|footer|banner|top|dialog|source|select)(?![a-z])")
COLOUR_PROPERTY = re.compile(
    r"(?:^|;)\s*(?:color|background(?:-color|-image)?|border(?:-(?:top|right|bottom|left|block|inline))?"
    r"|border(?:-[a-z]+)*-color|fill|stroke|outline(?:-color)?|text-decoration(?:-color)?|opacity"
    r"|filter|mix-blend-mode|--md-[a-z0-9-]*color[a-z0-9-]*)\s*:")


def _rules_in_media(css: str):
    """(at-rules around it, selector, declarations) for every style rule."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    stack, prelude, rules, pos = [], [], [], 0
    while pos < len(css):
        char = css[pos]
        if char == "{":
            head = "".join(prelude).strip()
            prelude = []
            if head.startswith("@"):
                stack.append(head)
            else:
                end = css.index("}", pos)
                rules.append((tuple(stack), head, css[pos + 1:end]))
                pos = end
        elif char == "}":
            if stack:
                stack.pop()
            prelude = []
        else:
            prelude.append(char)
        pos += 1
    return rules


def test_colours_of_the_content_do_not_depend_on_the_width(built):
    """The colour rules check each page's content at one width only. That holds while
    every style sheet the built site loads sets colours inside a width media query only
    for the chrome, which the home page and section first pages check at both widths."""
    sheets = sorted((built.site / "assets" / "stylesheets").glob("*.css"))
    assert any(sheet.name.startswith("main.") for sheet in sheets), sheets
    width_rules, offending = 0, []
    for sheet in sheets:
        for at_rules, selector, body in _rules_in_media(sheet.read_text(encoding="utf-8")):
            if not any(rule.startswith("@media") and "width" in rule for rule in at_rules):
                continue
            width_rules += 1
            if not COLOUR_PROPERTY.search(body):
                continue
            for part in selector.split(","):
                if not CHROME_CLASSES.search(part):
                    offending.append(f"{sheet.name}: {' '.join(at_rules)} {part.strip()} {{{body[:80]}}}")
    assert width_rules > 100, "the style sheets were not read"
    assert offending == [], (
        "colours that change with the width outside the chrome; run COLOUR_RULES at both "
        "widths in _runs:\n" + "\n".join(offending))
