"""Renderers are pure functions: data in, HTML out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from macros import render
from macros.frontmatter import load_vocabularies
from macros.models import Contact, GlossaryEntry, Resource

REPO = Path(__file__).resolve().parent.parent
VOCAB = load_vocabularies(REPO / "data")


def contact(**fields) -> Contact:
    base = {"id": "nhth", "name": "National Hotline", "description": "Help and tips.",
            "phone": "1-888-373-7888", "sms": "233733", "tty": "711",
            "email": "help@example.org", "url": "https://www.example.org/",
            "hours": "24/7", "languages": ["English", "Spanish"],
            "audiences": ["community"], "last_verified": date(2026, 3, 5)}
    return Contact.model_validate(base | fields)


def resource(**fields) -> Resource:
    base = {"id": "r", "title": "Guide", "publisher": "Agency", "year": 2020,
            "url": "https://example.org/r", "type": "guide", "topics": ["screening"],
            "audiences": ["health-care"], "summary": "A summary of the guide.",
            "last_verified": date(2026, 1, 2), "source_note": "Opened the agency's page."}
    return Resource.model_validate(base | fields)


def test_contact_card_has_every_way_to_reach():
    html = render.contact_card(contact(phone_vanity="1-888-3737-888"))
    assert '<p class="contact-card__name"><strong>National Hotline</strong></p>' in html
    assert '<a href="tel:+18883737888">1-888-373-7888</a> (1-888-3737-888)' in html
    assert '<a href="sms:233733">233733</a>' in html
    assert '<div><dt>TTY</dt> <dd><a href="tel:711">711</a></dd></div>' in html
    assert '<a href="mailto:help@example.org">help@example.org</a>' in html
    assert '<a href="https://www.example.org/">example.org</a>' in html
    assert "<dt>Hours</dt> <dd>24/7</dd>" in html and "Languages: English, Spanish" in html
    assert 'Last verified <time datetime="2026-03-05">March 5, 2026</time>' in html


def test_contact_card_keeps_the_longer_facts_in_a_disclosure():
    html = render.contact_card(contact())
    more = html[html.index('<details class="contact-card__more">'):html.index("</details>")]
    assert "<summary>About this contact</summary>" in more
    for fact in ("Help and tips.", "Languages: English, Spanish", "Last verified"):
        assert fact in more
    assert html.index("<dl") < html.index("<details")


def test_contact_card_does_not_use_headings_or_newlines():
    html = render.contact_card(contact())
    assert "<h" not in html.replace("<hr", "")
    assert "\n" not in html


def test_contact_card_omits_missing_fields():
    html = render.contact_card(contact(sms=None, tty=None, email=None, hours=None, languages=[]))
    for label in ("Text", "TTY", "Email", "Hours"):
        assert f"<dt>{label}</dt>" not in html
    assert "Languages" not in html


def test_contact_line_fits_in_a_sentence():
    html = render.contact_line(contact())
    assert html == ('<span class="contact-line"><strong>National Hotline</strong>: call '
                    '<a href="tel:+18883737888">1-888-373-7888</a>, text <a href="sms:233733">233733</a>'
                    ' or TTY <a href="tel:711">711</a></span>')
    assert render.contact_line(contact(sms=None, tty=None)).endswith(
        'call <a href="tel:+18883737888">1-888-373-7888</a></span>')
    assert "example.org" in render.contact_line(contact(phone=None, sms=None, tty=None))


def test_full_number_in_sms_field_is_dialled_in_e164():
    assert render.sms_href("1-844-762-8483") == "sms:+18447628483"
    assert render.tel_href("911") == "tel:911"


def test_contact_cards_keep_order():
    html = render.contact_cards([contact(id="b", name="Second"), contact(id="a", name="First")])
    assert html.startswith('<div class="contact-cards">')
    assert html.index("Second") < html.index("First")


def test_contact_links_for_theme():
    links = render.contact_links([contact(), contact(id="emergency", name="911", phone="911",
                                                     sms=None, tty=None, url=None)])
    assert links["nhth"] == {
        "name": "National Hotline", "phone_display": "1-888-373-7888", "phone_href": "tel:+18883737888",
        "sms_display": "233733", "sms_href": "sms:233733", "tty_display": "711", "tty_href": "tel:711",
        "url": "https://www.example.org/"}
    assert links["emergency"]["phone_href"] == "tel:911"
    assert links["emergency"]["sms_href"] is None and links["emergency"]["url"] is None


def test_resource_table_is_accessible_and_sorted_by_title():
    items = [resource(id="b", title="beta tool"), resource(id="a", title="Alpha guide")]
    html = render.resource_table(items, VOCAB, topic="screening")
    assert "<caption>Resources on screening tools</caption>" in html
    assert html.count('<th scope="col">') == 6
    assert '<th scope="row"><a href="https://example.org/r">Alpha guide</a></th>' in html
    assert html.index("Alpha guide") < html.index("beta tool")
    assert '<time datetime="2026-01-02">January 2, 2026</time>' in html
    assert "<td>A summary of the guide.</td>" in html and "<td>Agency</td>" in html and "<td>2020</td>" in html


def test_resource_table_filters_by_audience_and_type():
    items = [resource(id="a", title="A"), resource(id="b", title="B", audiences=["education"]),
             resource(id="c", title="C", type="report")]
    html = render.resource_table(items, VOCAB, audience="health-care", type="guide")
    assert ">A</a>" in html and ">B</a>" not in html and ">C</a>" not in html
    assert "<caption>Guide resources for health care</caption>" in html


def test_resource_table_sort_by_type():
    items = [resource(id="a", title="A", type="report"), resource(id="b", title="B", type="law")]
    html = render.resource_table(items, VOCAB, sort="type")
    assert html.index(">B</a>") < html.index(">A</a>")


def test_resource_without_year_shows_dash():
    assert "<td>—</td>" in render.resource_table([resource(year="undated")], VOCAB)


@pytest.mark.parametrize("kwargs, expected", [
    ({"topic": "cops"}, "resource_table: topic 'cops' is not one of law, identification"),
    ({"audience": "cops"}, "resource_table: audience 'cops' is not one of law-enforcement"),
    ({"type": "pamphlet"}, "resource_table: type 'pamphlet' is not one of law, regulation"),
    ({"sort": "year"}, "resource_table: sort 'year' is not one of title, type"),
])
def test_resource_table_rejects_unknown_filters(kwargs, expected):
    with pytest.raises(render.MacroError, match=expected):
        render.resource_table([resource()], VOCAB, **kwargs)


def test_resource_table_rejects_empty_result():
    with pytest.raises(render.MacroError, match=r"resource_table\(topic='tribal'\): no resource matches"):
        render.resource_table([resource()], VOCAB, topic="tribal")


def test_resource_link_to_site_file_is_relative_to_page():
    item = resource(url=None, file="structure/mou-template.md")
    assert render.resource_link(item, page_url="resources/") == \
        '<a href="../structure/mou-template/">Guide</a>'
    assert render.resource_href(item, page_url="", use_directory_urls=False) == "structure/mou-template.html"
    download = resource(url=None, file="downloads/mou.docx")
    assert render.resource_href(download, page_url="structure/mou/") == "../../downloads/mou.docx"


def test_site_file_url_for_index_pages():
    assert render.site_file_url("structure/index.md") == "structure/"
    assert render.relative_url(render.site_file_url("index.md"), "resources/") == "../"


def test_glossary_is_alphabetical_with_anchors():
    entries = [GlossaryEntry(id="vawa", term="VAWA", expansion="Violence Against Women Act",
                             definition="A federal law on violence."),
               GlossaryEntry(id="coercion", term="coercion", definition="Threats of serious harm.")]
    html = render.glossary_list(entries)
    # A jump list of the letters used, each linking to its letter's heading.
    assert html.startswith('<nav class="glossary-az" aria-label="Glossary from A to Z"><ul>'
                           '<li><a href="#glossary-c">C</a></li><li><a href="#glossary-v">V</a></li></ul></nav>')
    assert html.index('id="glossary-c"') < html.index('id="coercion"') < html.index('id="glossary-v"') \
        < html.index('id="vawa"')
    # Each term is its own heading (so search lands on it), with its definition after it.
    assert ('<h4 id="vawa" class="glossary__term"><dfn>VAWA</dfn> (Violence Against Women Act)'
            '<a class="headerlink" href="#vawa" title="Link to this term">&para;</a></h4>'
            '<p>A federal law on violence.</p>') in html


def test_glossary_escapes_data_and_groups_digits():
    entries = [GlossaryEntry(id="x", term="<b>X</b>", definition="<script>bad()</script> text"),
               GlossaryEntry(id="n", term="42 CFR Part 2", definition="Rules on records.")]
    html = render.glossary_list(entries)
    assert "<script>" not in html and "<b>" not in html
    assert '<li><a href="#glossary-0-9">0–9</a></li>' in html


def test_abbreviation_lines_skip_plain_terms_and_use_abbr_override():
    entries = [GlossaryEntry(id="tvpa", term="TVPA", expansion="Trafficking Victims Protection Act",
                             definition="The federal law."),
               GlossaryEntry(id="lgbtq", term="LGBTQ+", abbr="LGBTQ", expansion="Lesbian, gay…",
                             definition="People of many identities."),
               GlossaryEntry(id="amp", term="AMP", expansion="Act, means, purpose", tooltip=False,
                             definition="A way to remember elements."),
               GlossaryEntry(id="coercion", term="coercion", definition="Threats of serious harm.")]
    definitions = render.abbreviation_definitions(entries)
    assert definitions == (("TVPA", "*[TVPA]: Trafficking Victims Protection Act"),
                           ("LGBTQ", "*[LGBTQ]: Lesbian, gay…"))
    text = "LGBTQ+ people, AMP and coercion; the TVPA."
    assert render.abbreviation_lines(definitions, text) == (
        "*[TVPA]: Trafficking Victims Protection Act\n*[LGBTQ]: Lesbian, gay…")
    assert render.abbreviation_lines(definitions, "the TVP and tvpa") == ""


def test_data_text_is_escaped_everywhere():
    evil = "<script>alert(1)</script>"
    card = render.contact_card(contact(name=evil, description=evil, hours=evil))
    table = render.resource_table([resource(title=evil, publisher=evil, summary=evil + ".")], VOCAB)
    dl = render.glossary_list([GlossaryEntry(id="x", term=evil, definition=evil)])
    for html in (card, table, dl):
        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_attribute_values_are_escaped():
    item = resource(url='https://example.org/?a="b"&c=<d>')
    assert 'href="https://example.org/?a=&quot;b&quot;&amp;c=&lt;d&gt;"' in render.resource_link(item)


def test_contact_heading_names_the_contact_and_anchors_it_by_id():
    found = contact(id="ncmec-cybertipline", name="NCMEC *Cyber*Tipline <b>")
    assert render.contact_heading(found, 3) == "### NCMEC \\*Cyber\\*Tipline &lt;b&gt; {#ncmec-cybertipline}"
    with pytest.raises(ValueError):
        render.contact_heading(found, 1)
