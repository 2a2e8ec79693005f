"""Words readers type land on the right page within the first three search results
(the "done when" lists of the content issues), in the real search UI in Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

# query -> pages that answer it (any one of them in the top three is a pass)
EXPECTED = {
    "charter": ["structure/leadership/"],
    "bifurcated": ["forming/task-force-models/"],
    "roll-call training": ["structure/meetings/"],
    "onboarding": ["recruiting/onboarding/", "recruiting/onboarding-checklist/"],
    "first 72 hours": ["structure/operational-protocols/"],
    "EEOC": ["recruiting/who-belongs/"],
    "peonage": ["understanding/federal-law/"],
    "familial trafficking": ["understanding/forms-and-settings/"],
    "Polaris typology": ["understanding/forms-and-settings/"],
    "safe harbor": ["understanding/state-and-tribal-law/", "supporting-victims/non-criminalization/"],
    "branding tattoos": ["identifying/sex-trafficking-indicators/"],
    "act means purpose": ["understanding/what-is-trafficking/"],
    "release of information": ["information-sharing/consent-and-releases/"],
    "case log": ["information-sharing/case-coordination/"],
    "logic model": ["information-sharing/performance-measurement/"],
    "data sharing agreement": [
        "information-sharing/data-sharing-agreements/",
        "information-sharing/data-sharing-agreement-template/",
    ],
    "encryption": ["information-sharing/security/"],
    "technical assistance request": ["training/getting-tta/", "training/training-request-checklist/"],
    "SIJS": ["supporting-victims/immigration-relief/"],
    "vacatur": ["supporting-victims/non-criminalization/"],
    "forensic interview": ["building-cases/interviewing/"],
    "Crime Victims' Rights Act": ["building-cases/survivors-as-witnesses/"],
    "forfeiture": ["building-cases/restitution-and-remedies/"],
}


@pytest.fixture(scope="module")
def search_page(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(served_site)
    page.locator("input.md-search__input").click()
    yield page
    context.close()


def top_three(page, served_site: str, query: str) -> list[str]:
    box = page.locator("input.md-search__input")
    box.fill("")
    box.type(query, delay=20)
    page.locator(".md-search-result__item").first.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(300)  # let the last keystroke's results replace earlier ones
    hrefs = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > .md-search-result__link",
        "links => links.slice(0, 3).map(a => a.href)",
    )
    # Drop the highlight (?h=) and section (#…) parts: the page is what counts.
    return [urlsplit(href).path.lstrip("/") for href in hrefs]


@pytest.mark.parametrize("query", sorted(EXPECTED))
def test_query_finds_its_page_in_the_top_three(search_page, served_site, query):
    found = top_three(search_page, served_site, query)
    assert set(found) & set(EXPECTED[query]), f"{query!r}: top three were {found}"
