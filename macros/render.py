"""Pure functions that turn validated data into HTML for the pages.

Every string that comes from data goes through html.escape. The HTML is written on a
single line so that a macro can sit inside an indented block (an admonition, a list)
without the Markdown parser treating later lines as code.
"""

from __future__ import annotations

import posixpath
import re
from datetime import date
from html import escape
from typing import Iterable, Optional
from urllib.parse import urlsplit

import phonenumbers

from .models import (SHORT_NUMBERS, Contact, GlossaryEntry, Resource, Translation, Vocabularies,
                     digits_of)


class MacroError(ValueError):
    """A macro was called with something the data does not have."""


def e(value: object) -> str:
    return escape(str(value), quote=True)


def format_date(value: date) -> str:
    return f"{value:%B} {value.day}, {value.year}"


# --- phone numbers -----------------------------------------------------------------

def dial_string(number: str) -> str:
    """E.164 for full numbers (+18883737888); bare digits for 711, 911 and SMS codes."""
    digits = digits_of(number)
    if digits in SHORT_NUMBERS or (len(digits) in (5, 6) and number.strip() == digits):
        return digits
    parsed = phonenumbers.parse(number, "US")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def tel_href(number: str) -> str:
    return f"tel:{dial_string(number)}"


def sms_href(number: str) -> str:
    return f"sms:{dial_string(number)}"


def _link(href: str, text: str) -> str:
    return f'<a href="{e(href)}">{e(text)}</a>'


def _site_name(url: str) -> str:
    host = urlsplit(url).netloc
    return host.removeprefix("www.")


# --- contacts ----------------------------------------------------------------------

ENGLISH_LABELS = {"call": "Call", "text": "Text", "tty": "TTY", "email": "Email",
                  "website": "Website", "hours": "Hours", "languages": "Languages",
                  "last_verified": "Last verified", "about": "About this contact"}


def _label(labels: dict, key: str, lang: str) -> str:
    try:
        return labels[key]
    except KeyError:
        raise MacroError(f"no {lang!r} label for contact field {key!r} "
                         f"(add it under contact_labels in data/i18n/{lang}.yml)") from None


def _spanish_fields(contact: Contact, lang: str) -> tuple[str, str, Optional[str], list[str]]:
    if contact.description_es is None:
        raise MacroError(f"contact {contact.id!r} has no {lang!r} text "
                         f"(add description_es to it in data/contacts.yml)")
    return (contact.name_es or contact.name, contact.description_es, contact.hours_es,
            list(contact.languages_es))


def contact_card(contact: Contact, translation: Optional[Translation] = None) -> str:
    """One contact as a compact HTML card: the name, then each way to reach it with its
    label on the same line, then what it is for, its languages and when it was last
    verified in a closed disclosure, so several cards fit on one phone screen and every
    fact stays on the page (print and the PDF open the disclosure). The name is a
    paragraph, not a heading, so the page's heading outline is not disturbed wherever the
    card is placed. With a translation (data/i18n/<lang>.yml) the labels, date and the
    contact's own description are in that language; a missing label or text is an
    error, never a silent fall back to English."""
    if translation is None:
        lang, labels = "en", ENGLISH_LABELS
        name, description, hours, languages = (contact.name, contact.description,
                                               contact.hours, list(contact.languages))
        verified = format_date(contact.last_verified)
    else:
        lang, labels = translation.language, translation.contact_labels.model_dump()
        name, description, hours, languages = _spanish_fields(contact, lang)
        verified = translation.format_date(contact.last_verified)
    details: list[tuple[str, str]] = []
    if contact.phone:
        call = _link(tel_href(contact.phone), contact.phone)
        if contact.phone_vanity:
            call += f" ({e(contact.phone_vanity)})"
        details.append(("call", call))
    if contact.sms:
        details.append(("text", _link(sms_href(contact.sms), contact.sms)))
    if contact.tty:
        details.append(("tty", _link(tel_href(contact.tty), contact.tty)))
    if contact.email:
        details.append(("email", _link(f"mailto:{contact.email}", contact.email)))
    if contact.url:
        details.append(("website", _link(contact.url, _site_name(contact.url))))
    if hours:
        details.append(("hours", e(hours)))
    # Spaces between the parts keep words apart in the search index ("Call 1-888…").
    rows = " ".join(f"<div><dt>{e(_label(labels, key, lang))}</dt> <dd>{value}</dd></div>"
                    for key, value in details)
    more = [f'<p class="contact-card__description">{e(description)}</p>']
    if languages:
        more.append(f'<p class="contact-card__languages">{e(_label(labels, "languages", lang))}: '
                    f'{e(", ".join(languages))}</p>')
    more.append(f'<p class="contact-card__verified">{e(_label(labels, "last_verified", lang))} '
                f'<time datetime="{contact.last_verified.isoformat()}">{e(verified)}</time></p>')
    lang_attr = "" if translation is None else f' lang="{e(lang)}"'
    parts = [
        f'<div class="contact-card"{lang_attr}>',
        f'<p class="contact-card__name"><strong>{e(name)}</strong></p>',
        f'<dl class="contact-card__details">{rows}</dl>' if rows else "",
        f'<details class="contact-card__more"><summary>{e(_label(labels, "about", lang))}</summary>',
        *more,
        "</details>",
        "</div>",
    ]
    return "".join(parts)


_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]#!|])")


def contact_heading(contact: Contact, level: int = 3) -> str:
    """A Markdown heading naming one contact, with the contact's id as its anchor, so a
    directory page can give each card its own section (and search result)."""
    if not 2 <= level <= 6:
        raise ValueError(f"heading level must be 2 to 6, not {level!r}")
    name = _MARKDOWN_PUNCTUATION.sub(r"\\\1", e(contact.name))
    return f"{'#' * level} {name} {{#{contact.id}}}"


def contact_line(contact: Contact) -> str:
    """One contact on a single line, inside a sentence: its name and the ways to call,
    text or use TTY. For tight spaces such as the home page; the full card is
    contact_card."""
    ways = []
    if contact.phone:
        ways.append("call " + _link(tel_href(contact.phone), contact.phone))
    if contact.sms:
        ways.append("text " + _link(sms_href(contact.sms), contact.sms))
    if contact.tty:
        ways.append("TTY " + _link(tel_href(contact.tty), contact.tty))
    if not ways and contact.url:
        ways.append("website " + _link(contact.url, _site_name(contact.url)))
    joined = ", ".join(ways[:-1]) + (" or " if len(ways) > 1 else "") + ways[-1] if ways else ""
    return (f'<span class="contact-line"><strong>{e(contact.name)}</strong>'
            f'{": " + joined if joined else ""}</span>')


def contact_cards(contacts: Iterable[Contact]) -> str:
    cards = "".join(contact_card(contact) for contact in contacts)


def contact_cards(contacts: Iterable[Contact], translation: Optional[Translation] = None) -> str:
    cards = "".join(contact_card(contact, translation) for contact in contacts)
    return f'<div class="contact-cards">{cards}</div>'


def translated_terms(translation: Translation) -> str:
    """The edition's term list as a definition list, in its own alphabetical order."""
    items = []
    for term in sorted(translation.terms, key=lambda t: t.term.casefold()):
        items.append(f'<dt id="{e(translation.language)}-{e(term.id)}"><dfn>{e(term.term)}</dfn> '
                     f'(<span lang="en">{e(term.english)}</span>)</dt><dd>{e(term.definition)}</dd>')
    return f'<dl class="glossary" lang="{e(translation.language)}">{"".join(items)}</dl>'


def contact_links(contacts: Iterable[Contact]) -> dict[str, dict[str, Optional[str]]]:
    """Display text and dialable links for the theme's templates (the help banner)."""
    links: dict[str, dict[str, Optional[str]]] = {}
    for contact in contacts:
        links[contact.id] = {
            "name": contact.name,
            "phone_display": contact.phone,
            "phone_href": tel_href(contact.phone) if contact.phone else None,
            "sms_display": contact.sms,
            "sms_href": sms_href(contact.sms) if contact.sms else None,
            "tty_display": contact.tty,
            "tty_href": tel_href(contact.tty) if contact.tty else None,
            "url": contact.url,
        }
    return links


# --- resources ---------------------------------------------------------------------

def site_file_url(path: str, use_directory_urls: bool = True) -> str:
    """The built URL (relative to the site root) of a file under docs/."""
    if not path.endswith(".md"):
        return path
    stem = path[: -len(".md")]
    if posixpath.basename(stem) in ("index", "README"):
        stem = posixpath.dirname(stem)
        return f"{stem}/" if stem else "./"
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative_url(target: str, page_url: str) -> str:
    """target and page_url are both relative to the site root, as MkDocs gives them."""
    base = page_url if page_url.endswith("/") or page_url == "" else posixpath.dirname(page_url) + "/"
    relative = posixpath.relpath(target if target != "./" else ".", base.rstrip("/") or ".")
    if target.endswith("/") and not relative.endswith("/"):
        relative += "/"
    return relative


def resource_href(resource: Resource, page_url: str = "", use_directory_urls: bool = True) -> str:
    if resource.url:
        return resource.url
    return relative_url(site_file_url(resource.file or "", use_directory_urls), page_url)


def resource_link(resource: Resource, page_url: str = "", use_directory_urls: bool = True) -> str:
    return _link(resource_href(resource, page_url, use_directory_urls), resource.title)


def _check_filter(vocab: Vocabularies, kind: str, name: str, value: Optional[str]) -> None:
    if value is not None and value not in vocab.ids(kind):
        raise MacroError(f"resource_table: {name} {value!r} is not one of {', '.join(vocab.ids(kind))}")


def select_resources(resources: Iterable[Resource], vocab: Vocabularies, *, topic: Optional[str] = None,
                     audience: Optional[str] = None, type: Optional[str] = None,
                     sort: str = "title") -> list[Resource]:
    """Resources matching every filter given; unknown values and empty results are errors."""
    _check_filter(vocab, "topics", "topic", topic)
    _check_filter(vocab, "audiences", "audience", audience)
    _check_filter(vocab, "types", "type", type)
    if sort not in ("title", "type"):
        raise MacroError(f"resource_table: sort {sort!r} is not one of title, type")
    chosen = [
        r for r in resources
        if (topic is None or topic in r.topics)
        and (audience is None or audience in r.audiences)
        and (type is None or r.type == type)
    ]
    if not chosen:
        filters = ", ".join(f"{k}={v!r}" for k, v in
                            (("topic", topic), ("audience", audience), ("type", type)) if v)
        raise MacroError(f"resource_table({filters}): no resource matches, so the table would be "
                         "empty; add a resource to data/sources.yml or change the filter")
    type_order = {t: i for i, t in enumerate(vocab.ids("types"))}
    if sort == "type":
        return sorted(chosen, key=lambda r: (type_order[r.type], r.title.casefold()))
    return sorted(chosen, key=lambda r: r.title.casefold())


def table_caption(vocab: Vocabularies, topic: Optional[str], audience: Optional[str],
                  type: Optional[str]) -> str:
    caption = "Resources"
    if type:
        caption = f"{vocab.label('types', type)} resources"
    if topic:
        caption += f" on {vocab.label('topics', topic).lower()}"
    if audience:
        caption += f" for {vocab.label('audiences', audience).lower()}"
    return caption if (topic or audience or type) else "All resources"


def resource_table(resources: Iterable[Resource], vocab: Vocabularies, *, topic: Optional[str] = None,
                   audience: Optional[str] = None, type: Optional[str] = None, sort: str = "title",
                   caption: Optional[str] = None, page_url: str = "",
                   use_directory_urls: bool = True) -> str:
    chosen = select_resources(resources, vocab, topic=topic, audience=audience, type=type, sort=sort)
    headers = ("Resource", "Summary", "Type", "Publisher", "Year", "Last verified")
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    rows = []
    for r in chosen:
        rows.append(
            "<tr>"
            f'<th scope="row">{resource_link(r, page_url, use_directory_urls)}</th>'
            f"<td>{e(r.summary)}</td>"
            f"<td>{e(vocab.label('types', r.type))}</td>"
            f"<td>{e(r.publisher)}</td>"
            f"<td>{'—' if r.year == 'undated' else r.year}</td>"
            f'<td><time datetime="{r.last_verified.isoformat()}">{format_date(r.last_verified)}</time></td>'
            "</tr>"
        )
    title = caption if caption is not None else table_caption(vocab, topic, audience, type)
    return (
        '<div class="resource-table">'
        f"<table><caption>{e(title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


# --- glossary ----------------------------------------------------------------------

def _sort_key(entry: GlossaryEntry) -> str:
    return "".join(ch for ch in entry.term.casefold() if ch.isalnum())


def _glossary_letter(entry: GlossaryEntry) -> str:
    key = _sort_key(entry)
    return key[:1].upper() if key[:1].isalpha() else "0–9"


def _letter_id(letter: str) -> str:
    return "glossary-" + ("0-9" if letter == "0–9" else letter.lower())


def glossary_list(entries: Iterable[GlossaryEntry]) -> str:
    """The glossary, alphabetical: an A–Z jump list, then a heading per letter and a
    heading per term (id = the entry's id), so search results land on the term."""
    groups: dict[str, list[GlossaryEntry]] = {}
    for entry in sorted(entries, key=_sort_key):
        groups.setdefault(_glossary_letter(entry), []).append(entry)
    jump = "".join(f'<li><a href="#{_letter_id(letter)}">{e(letter)}</a></li>' for letter in groups)
    parts = [f'<nav class="glossary-az" aria-label="Glossary from A to Z"><ul>{jump}</ul></nav>',
             '<div class="glossary">']
    for letter, group in groups.items():
        # The id sits on a wrapper, not the letter heading, so search has no "B" result.
        parts.append(f'<div id="{_letter_id(letter)}"><h3 class="glossary__letter">{e(letter)}</h3>')
        for entry in group:
            term = f"<dfn>{e(entry.term)}</dfn>"
            if entry.expansion:
                term += f" ({e(entry.expansion)})"
            anchor = f'<a class="headerlink" href="#{e(entry.id)}" title="Link to this term">&para;</a>'
            parts.append(f'<h4 id="{e(entry.id)}" class="glossary__term">{term}{anchor}</h4>'
                         f"<p>{e(entry.definition)}</p>")
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def abbreviation_definitions(entries: Iterable[GlossaryEntry]) -> tuple[tuple[str, str], ...]:
    """python-markdown abbr definitions, (abbreviation, definition line), one per
    abbreviation in the glossary."""
    return tuple((entry.tooltip_key, f"*[{entry.tooltip_key}]: {entry.expansion}")
                 for entry in entries if entry.tooltip_key)


def abbreviation_lines(definitions: Iterable[tuple[str, str]], text: str) -> str:
    """The definitions to append to a page: those whose abbreviation occurs in its text.
    The abbr extension marks only whole words of the page's own text, so a definition
    whose abbreviation is nowhere in the text changes nothing on the page; but every
    definition is parsed, and appending all of them to every page took about 3 s of the
    build (issue 17)."""
    return "\n".join(line for key, line in definitions if key in text)
