"""Reader-facing features that no other browser test checks on its own, for the
engine parity report (scripts/zensical_parity.py runs this file against the MkDocs
output and against the Zensical output, next to the existing tests it reuses).

The file name does not start with test_, so `make test` does not collect it; it runs
only when named: `pytest tests/engine_parity/check_features.py` (with
EGUIDE_REUSE_BUILD=DIR pointing at either build).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHAPTER = "forming/why-a-task-force/"
CONTACTS = "structure/operational-protocols/"
RESOURCES = "structure/"
TIMEOUT = 10_000


@pytest.fixture
def page(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_footer_says_what_the_guide_is_and_links_to_browsing_safely(page, served_site):
    page.goto(served_site + CHAPTER)
    footer = page.locator(".eguide-footer")
    expect(footer).to_be_visible()
    expect(footer).to_contain_text("not legal advice")
    expect(footer).to_contain_text("In an emergency, call 911.")
    footer.get_by_role("link", name="Browsing safely and quick exit").click()
    expect(page).to_have_url(re.compile(r"about/browsing-safely/?(index\.html)?$"), timeout=TIMEOUT)


def test_contact_cards_show_dialable_numbers(page, served_site):
    page.goto(served_site + CONTACTS)
    cards = page.locator("article .contact-card")
    expect(cards).to_have_count(2)
    for i in range(2):
        card = cards.nth(i)
        expect(card).to_be_visible()
        expect(card.locator("a[href^='tel:']").first).to_be_visible()
    # The longer facts open from the card's disclosure.
    more = cards.first.locator("details.contact-card__more")
    more.locator("summary").click()
    expect(more.locator(".contact-card__verified")).to_be_visible()


def test_resource_table_lists_linked_resources(page, served_site):
    page.goto(served_site + RESOURCES)
    rows = page.locator("article .resource-table table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 3
    expect(rows.first.locator("a").first).to_have_attribute("href", re.compile(r"\S"))


def test_glossary_terms_show_their_definition_on_hover(page, served_site):
    page.goto(served_site + CHAPTER)
    term = page.locator("article abbr[title]").first
    expect(term).to_be_visible()
    definition = term.get_attribute("title")
    assert definition
    term.hover()
    # Material's content.tooltips replaces the browser's own title box with its tooltip.
    tooltip = page.locator(".md-tooltip2, .md-tooltip, [role='tooltip']").filter(
        has_text=definition[:20])
    expect(tooltip.first).to_be_visible(timeout=TIMEOUT)
