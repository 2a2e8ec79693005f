"""The Spanish edition (docs/es/): page language, Spanish banner, quick exit and footer,
Spanish search, the handouts' Word files, and the Spanish contact rendering."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from macros import render
from macros.loader import load_translations
from macros.models import Contact, Translation
from sitemap import project

REPO = Path(__file__).resolve().parent.parent
HANDOUTS = ["senales-de-trata", "derechos-en-el-trabajo", "ayuda-ahora", "que-pasa-despues",
            "autorizacion-de-informacion"]
SPANISH_PAGES = ["es/", *(f"es/{name}/" for name in HANDOUTS)]
NEUTRAL_URL = project().extra["quick_exit_url"]


# --- unit: Spanish contact cards -----------------------------------------------------

def spanish() -> Translation:
    translations, problems = load_translations(REPO / "data")
    assert not problems
    return translations["es"]


def contact(**fields) -> Contact:
    base = {"id": "nhth", "name": "National Hotline", "description": "Help and tips.",
            "description_es": "Ayuda <b>y</b> avisos.", "phone": "1-888-373-7888",
            "sms": "233733", "hours": "24/7", "hours_es": "Siempre & a toda hora",
            "languages": ["English"], "languages_es": ["inglés"],
            "audiences": ["community"], "last_verified": date(2026, 3, 5)}
    return Contact.model_validate(base | fields)


def test_spanish_card_has_spanish_labels_date_and_escaped_text():
    html = render.contact_card(contact(), spanish())
    for label in ("Llamar", "Enviar texto", "Horario", "Idiomas", "Última verificación"):
        assert f"{label}" in html
    assert "5 de marzo de 2026" in html
    assert "Ayuda &lt;b&gt;y&lt;/b&gt; avisos." in html and "<b>" not in html
    assert "Siempre &amp; a toda hora" in html
    assert "Help and tips" not in html and 'lang="es"' in html


def test_spanish_card_without_spanish_text_fails_naming_the_contact():
    plain = contact(description_es=None, hours_es=None, languages_es=[])
    with pytest.raises(render.MacroError, match="'nhth'.*description_es"):
        render.contact_card(plain, spanish())


def test_missing_label_fails_and_names_it():
    broken = spanish().model_copy()
    labels = broken.contact_labels.model_dump()
    with pytest.raises(render.MacroError, match="'hours'"):
        render._label({k: v for k, v in labels.items() if k != "hours"}, "hours", "es")


def test_unknown_label_in_data_is_an_error(tmp_path):
    raw = yaml.safe_load((REPO / "data/i18n/es.yml").read_text())
    raw["contact_labels"]["fax"] = "Fax"
    (tmp_path / "i18n").mkdir()
    (tmp_path / "i18n/es.yml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    _, problems = load_translations(tmp_path)
    assert any("data/i18n/es.yml" in p and "contact_labels.fax" in p for p in problems), problems


def test_spanish_fields_must_be_complete():
    with pytest.raises(ValueError, match="hours_es"):
        contact(hours_es=None)
    with pytest.raises(ValueError, match="languages_es"):
        contact(languages_es=[])


# --- the built site --------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("path", SPANISH_PAGES)
def test_spanish_page_language_banner_and_quick_exit(browser, served_site, path):
    context = browser.new_context()

    def route(route):
        if route.request.url.startswith(NEUTRAL_URL.rstrip("/")):
            route.fulfill(status=200, content_type="text/html", body="<title>neutral</title>")
        elif route.request.url.startswith("http://127.0.0.1"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(served_site + path)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator(".eguide-help")).to_contain_text("¿Necesita ayuda ahora?")
    expect(page.locator(".eguide-quick-exit__label")).to_have_text("Salida rápida")
    expect(page.locator(".eguide-footer")).to_contain_text("no es consejo legal")
    if path != "es/":  # the handouts follow an English page and are not yet reviewed
        expect(page.locator(".eguide-translation")).to_contain_text("Traducción sin revisar")
    page.locator("[data-eguide-quick-exit]").click()
    page.wait_for_url(NEUTRAL_URL.rstrip("/") + "**")
    context.close()


@pytest.mark.browser
def test_english_page_links_to_its_spanish_handout_and_back(browser, served_site):
    page = browser.new_page()
    page.goto(served_site + "identifying/indicator-cards/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".eguide-translation a[hreflang='es']").click()
    expect(page).to_have_url(served_site + "es/senales-de-trata/")
    page.locator(".eguide-translation a[hreflang='en']").click()
    expect(page).to_have_url(served_site + "identifying/indicator-cards/")
    page.close()


SEARCHES = {
    "trata laboral": ["es/senales-de-trata/", "es/derechos-en-el-trabajo/"],
    "visa T": ["es/que-pasa-despues/"],
    "línea de ayuda": ["es/ayuda-ahora/"],
}


@pytest.mark.browser
@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_search_finds_the_handout_in_the_top_three(browser, served_site, query):
    page = browser.new_page()
    page.goto(served_site + "es/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    first = page.locator(".md-search-result__list > .md-search-result__item > .md-search-result__link")
    expect(first.first).to_be_visible(timeout=10_000)
    wanted = SEARCHES[query]
    # Poll until the results for the whole query are in and one of the top three is right.
    expect(page.locator(".md-search-result__list")).to_be_attached()
    page.wait_for_function(
        """([wanted]) => [...document.querySelectorAll(
              '.md-search-result__list > .md-search-result__item > .md-search-result__link')]
            .slice(0, 3).some(a => wanted.some(w => new URL(a.href).pathname.endsWith('/' + w)))""",
        arg=[wanted], timeout=10_000)
    page.close()


def test_every_handout_ships_a_word_file_that_opens(built):
    import docx

    for name in HANDOUTS:
        path = built.downloads / f"{name}.docx"
        assert path.is_file(), f"{name}.docx missing"
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
        assert "Traducción sin revisar" in text and "Basada en la página en inglés" in text
        assert "{{" not in text
