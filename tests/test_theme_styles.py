"""The guide's own styles reach the elements they are written for, measured as computed
styles in Chromium on the built site (a selector that matches nothing fails here)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# One page per call-out type that uses it (docs/contribute/style-guide.md lists the types).
CALLOUTS = {
    "smart-practice": "structure/leadership/",
    "example": "structure/leadership/",
    "template": "structure/leadership/",
    "key-term": "supporting-victims/trauma-informed-practice/",
    "legal": "structure/working-with-tribal-nations/",
    "safety": "structure/operational-protocols/",
}


@pytest.fixture
def page(browser, served_site):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def test_resource_table_caption_is_styled(page, served_site):
    """Bug 4: the caption style selected table.resource-table, but the class is on the
    wrapping div, so captions stayed centred and plain."""
    page.goto(served_site + "structure/")
    caption = page.locator(".resource-table caption").first
    style = caption.evaluate("c => { const s = getComputedStyle(c);"
                             " return [s.textAlign, s.fontWeight, s.captionSide]; }")
    assert style == ["left", "700", "top"]
    width = page.locator(".resource-table table").first.evaluate(
        "t => t.getBoundingClientRect().width / t.closest('.md-typeset').getBoundingClientRect().width")
    assert width > 0.95


def test_each_callout_type_has_its_own_icon_and_colour(page, served_site):
    """The icons come from mkdocs.yml (theme.icon.admonition); each type must still show
    an icon and a border colour of its own."""
    seen = {}
    for kind, url in CALLOUTS.items():
        page.goto(served_site + url)
        title = page.locator(f".admonition.{kind} > .admonition-title, details.{kind} > summary").first
        seen[kind] = title.evaluate("""t => {
            const box = getComputedStyle(t.parentElement);
            const icon = getComputedStyle(t, '::before');
            return [icon.maskImage || icon.webkitMaskImage, box.borderLeftColor];
        }""")
    icons = [icon for icon, _ in seen.values()]
    colours = [colour for _, colour in seen.values()]
    assert all(icon.startswith('url("data:image/svg+xml') for icon in icons), seen
    assert len(set(icons)) == len(CALLOUTS), seen
    assert len(set(colours)) == len(CALLOUTS), seen
