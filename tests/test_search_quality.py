"""Words readers type land on the right page within the first three search results
(the "done when" lists of the content issues), in the real search UI in Chromium."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

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
    # Whole questions, as readers type them: "how", "do", "a" must not drive ranking.
    "how do we set up a task force in our county": ["forming/", "forming/why-a-task-force/", "forming/task-force-models/", "forming/rural-task-forces/"],
    "where do I report a child being sold online": [
        "resources/contacts/", "identifying/settings/online-and-financial/",
        "identifying/children-and-youth/", "identifying/when-you-suspect/",
    ],
    "who can certify a U visa": ["supporting-victims/immigration-relief/"],
    "what should be in an MOU": ["structure/mou/", "structure/mou-template/"],
    "how do I screen a patient for trafficking": [
        "identifying/settings/health-care/", "identifying/screening-tools/",
    ],
    "can a victim be arrested for prostitution": ["supporting-victims/non-criminalization/"],
    "what is continued presence": ["supporting-victims/immigration-relief/"],
    "signs of labor trafficking on a farm": [
        "identifying/settings/agriculture-construction-guest-workers/",
        "identifying/labor-trafficking-indicators/",
    ],
    "how do we interview a child": ["building-cases/interviewing/", "identifying/children-and-youth/"],
    "how do we keep members coming to meetings": [
        "recruiting/keeping-members-engaged/", "structure/meetings/",
    ],
    "what is the difference between smuggling and trafficking": [
        "understanding/what-is-trafficking/", "understanding/myths-and-facts/",
    ],
    "what services does a survivor need": ["supporting-victims/services/"],
    # Missed after 30 pages were added on 2026-11-30; won back by dropping "task force"
    # (every page's topic) from longer questions, not stemming "forced" to "forc", the
    # reader's words in the answering page's opening or a heading, and a search boost on
    # the page that is the canonical answer.
    "how do we involve survivors as leaders": ["recruiting/survivor-leadership/"],
    "how do we know if our task force is working": ["information-sharing/performance-measurement/"],
    "nanny or housekeeper forced to work": ["identifying/settings/domestic-work/"],
    "how can we pay for a task force": ["forming/support-and-funding/"],
    "how do we protect victim data from a breach": ["information-sharing/security/"],
    "who should be a member of our task force": ["recruiting/who-belongs/"],
    # A known miss until the 53 state pages were added on 2026-11-30 (the word weights
    # shifted): now third.
    "how do we share information without breaking HIPAA": [
        "information-sharing/law/", "information-sharing/consent-and-releases/",
    ],
    "how do I make a safety plan with a survivor": ["supporting-victims/intake-and-safety/"],
    "can the victim get paid back by the trafficker": ["building-cases/restitution-and-remedies/"],
    "signs of trafficking in a hotel": ["identifying/settings/hotels-and-lodging/"],
    "what can a teacher do if a student is being trafficked": ["identifying/settings/schools/"],
    "how do we ask for training for our task force": [
        "training/getting-tta/", "training/training-request-checklist/", "training/planning-training/",
    ],
    "how does someone apply for a T visa": ["supporting-victims/immigration-relief/"],
    "does our state have a safe harbor law": ["understanding/state-and-tribal-law/"],
    "how do I delete my browsing history": ["about/browsing-safely/"],
    "quick exit": ["about/browsing-safely/"],
    # Contacts by name, number and the words people use for them.
    "CyberTipline": ["resources/contacts/"],
    "NCMEC": ["resources/contacts/"],
    "tip line": ["resources/contacts/", "operations/tip-pipeline/"],
    "HSI tip line": ["resources/contacts/"],
    "888-373-7888": ["resources/contacts/"],
    "1-800-843-5678": ["resources/contacts/"],
    # Short codes and single letters professionals type.
    "Supplement B": ["supporting-victims/immigration-relief/"],
    "T-1": ["supporting-victims/immigration-relief/"],
    "§ 1591": ["understanding/federal-law/", "building-cases/charging-and-prosecution/"],
    "I-914": ["supporting-victims/immigration-relief/"],
    "H-2A visa": ["identifying/settings/agriculture-construction-guest-workers/"],
    # Companion templates (what a working task force needs next).
    "ROI form": ["information-sharing/release-of-information-template/"],
    "consent form": ["information-sharing/release-of-information-template/",
                     "information-sharing/consent-and-releases/"],
    "confidentiality agreement": ["recruiting/confidentiality-agreement-template/"],
    "interpreter confidentiality": ["recruiting/confidentiality-agreement-template/"],
    "charter template": ["structure/charter-template/"],
    "bylaws": ["structure/charter-template/"],
    "tribal sovereignty MOU": ["structure/mou-template/", "structure/working-with-tribal-nations/"],
    # Running the task force.
    "vicarious trauma": ["operations/staff-wellness/"],
    "VT-ORG": ["operations/staff-wellness/"],
    "wellness plan": ["operations/wellness-plan-template/", "operations/staff-wellness/"],
    "press release": ["operations/media/", "operations/media-protocol-template/"],
    "spokesperson": ["operations/media/", "operations/media-protocol-template/"],
    "tip triage": ["operations/tip-pipeline/", "operations/tip-log-template/"],
    "tip log": ["operations/tip-log-template/", "operations/tip-pipeline/"],
    "survivor consultant": ["operations/survivor-consultants/",
                            "operations/consultant-agreement-template/"],
    "crime victim compensation": ["operations/survivor-consultants/"],
    "consultant agreement": ["operations/consultant-agreement-template/"],
    "sustainability": ["operations/sustainability/", "operations/sustainability-plan-template/"],
    "tabletop exercise": ["operations/tabletop-exercise/"],
    "after-action report": ["operations/after-action-template/", "operations/tabletop-exercise/"],
    # Where labor trafficking happens; rural and tribal task forces.
    "illicit massage business": ["identifying/settings/massage-and-nail-salons/"],
    "nail salon": ["identifying/settings/massage-and-nail-salons/"],
    "door-to-door sales crew": ["identifying/settings/traveling-sales-crews/"],
    "magazine sales": ["identifying/settings/traveling-sales-crews/"],
    "restaurant tips": ["identifying/settings/restaurants-and-food-service/"],
    "janitorial": ["identifying/settings/cleaning-and-janitorial/"],
    "meatpacking": ["identifying/settings/meat-poultry-and-food-processing/"],
    "poultry plant": ["identifying/settings/meat-poultry-and-food-processing/"],
    "recruitment fees": ["identifying/settings/online-recruitment-and-labor-brokers/"],
    "labor broker": ["identifying/settings/online-recruitment-and-labor-brokers/"],
    "rural task force": ["forming/rural-task-forces/"],
    "special Tribal criminal jurisdiction": ["structure/working-with-tribal-nations/"],
    "MOU with a tribe": ["structure/working-with-tribal-nations/", "structure/mou-template/"],
    "data sovereignty": ["structure/working-with-tribal-nations/"],
    # State law profiles: a state's name plus the topic finds that state's page, whether or
    # not its fields are verified yet (the headings carry both), and the table by its name.
    "Ohio safe harbor": ["states/oh/"],
    "Texas vacatur": ["states/tx/"],
    "California mandated reporting": ["states/ca/"],
    "District of Columbia safe harbor": ["states/dc/"],
    "Puerto Rico labor trafficking": ["states/pr/"],
    "state law at a glance": ["states/"],
    # The Spanish handouts.
    "trata laboral": ["es/senales-de-trata/", "es/derechos-en-el-trabajo/"],
    "visa T": ["es/que-pasa-despues/", "supporting-victims/immigration-relief/"],
    "línea de ayuda": ["es/ayuda-ahora/"],
    "¿Le quitaron su pasaporte?": ["es/senales-de-trata/"],
    "autorización para compartir información": ["es/autorizacion-de-informacion/"],
    # Typed on a phone without accents, and Spanish plurals in -es.
    "autorizacion para compartir informacion": ["es/autorizacion-de-informacion/"],
    "derechos laborales": ["es/derechos-en-el-trabajo/"],
}

# Questions the search does not yet answer in the top three (see the report on the
# search branch): kept so a fix shows up as an unexpected pass.
KNOWN_MISSES: dict[str, list[str]] = {}

# query -> the section a result must land on (a glossary term, a directory entry)
SECTIONS = {
    "debt bondage": "glossary/#debt-bondage",
    "Continued Presence": "glossary/#cp",
    "CyberTipline": "resources/contacts/#ncmec-cybertipline",
    "National Human Trafficking Hotline": "resources/contacts/#nhth",
    "Wage and Hour Division": "resources/contacts/#dol-whd",
}


# Counts the queries sent to the search worker that it has not answered yet, so a test
# reads the results of the last query typed, not of an earlier keystroke.
TRACK_QUERIES = """
(() => {
  const post = Worker.prototype.postMessage;
  window.__eguidePending = 0;
  Worker.prototype.postMessage = function (message) {
    if (!this.__eguideTracked) {
      this.__eguideTracked = true;
      this.addEventListener("message", (event) => {
        if (event.data && event.data.type === 3) { window.__eguidePending -= 1; }
      });
    }
    if (message && message.type === 2) { window.__eguidePending += 1; }
    return post.apply(this, arguments);
  };
})();
"""


@pytest.fixture(scope="module")
def search_page(browser, served_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(TRACK_QUERIES)
    page = context.new_page()
    page.goto(served_site)
    page.locator("input.md-search__input").click()
    # Ready once the index is loaded: the theme then invites the reader to type.
    expect(page.locator(".md-search-result__meta")).to_have_text("Type to start searching", timeout=15_000)
    yield page
    context.close()


def search(page, query: str, selector: str) -> list[str]:
    """Put the query in the box and release a key, as a reader's last keystroke does
    (Material searches on keyup); return the hrefs of the result links."""
    box = page.locator("input.md-search__input")
    box.fill(query)
    box.press("End")
    page.wait_for_function("window.__eguidePending === 0", timeout=10_000)
    # The results are drawn when the answer arrives; two frames later they are on screen.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    return page.eval_on_selector_all(selector, "links => links.map(a => a.href)")


def top_three(page, served_site: str, query: str) -> list[str]:
    # One result per page: the page's own link, not the sections listed under it.
    hrefs = search(page, query, ".md-search-result__list > .md-search-result__item"
                                " > .md-search-result__link:first-child")[:3]
    # Drop the highlight (?h=) and section (#…) parts: the page is what counts.
    return [urlsplit(href).path.lstrip("/") for href in hrefs]


@pytest.mark.parametrize("query", sorted(EXPECTED) + [
    pytest.param(query, marks=pytest.mark.xfail(strict=True, reason="not yet in the top three"))
    for query in sorted(KNOWN_MISSES)
])
def test_query_finds_its_page_in_the_top_three(search_page, served_site, query):
    found = top_three(search_page, served_site, query)
    expected = EXPECTED.get(query) or KNOWN_MISSES[query]
    assert set(found) & set(expected), f"{query!r}: top three were {found}"


@pytest.mark.parametrize("query", sorted(SECTIONS))
def test_query_lands_on_its_own_section(search_page, query):
    """A glossary term or a directory entry is a result of its own, linking to its anchor."""
    hrefs = search(search_page, query, ".md-search-result__item .md-search-result__link")
    landing = [urlsplit(href).path.lstrip("/") + "#" + urlsplit(href).fragment for href in hrefs]
    assert SECTIONS[query] in landing[:6], f"{query!r}: results were {landing[:6]}"


@pytest.mark.parametrize("query", ["macro", "front matter", "pull request", "how do I edit a page"])
def test_staff_pages_stay_out_of_reader_results(search_page, query):
    hrefs = search(search_page, query, ".md-search-result__link")
    assert not [h for h in hrefs if "/contribute/" in h], f"{query!r}: {hrefs}"
