"""Citations and the References page, drawn from the register (data/sources.yml).

Pure functions: they take validated Source entries and return escaped HTML on one line,
so a citation can sit inside a Markdown footnote.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Optional

from .models import Source, Vocabularies
from .render import e, format_date, relative_url, site_file_url


def source_href(source: Source, page_url: str = "", use_directory_urls: bool = True) -> str:
    if source.url:
        return source.url
    return relative_url(site_file_url(source.file or "", use_directory_urls), page_url)


def citation(source: Source, pinpoint: Optional[str] = None, *, page_url: str = "",
             use_directory_urls: bool = True) -> str:
    """One citation: author or publisher, linked title, legal citation, year, pinpoint."""
    parts = []
    if source.author:
        parts.append(e(source.author))
    title = f'<a href="{e(source_href(source, page_url, use_directory_urls))}">{e(source.title)}</a>'
    parts.append(f"<cite>{title}</cite>")
    if source.citation and source.citation not in source.title:
        parts.append(e(source.citation))
    who = e(source.publisher) if not source.author or source.author != source.publisher else ""
    year = "undated" if source.year == "undated" else str(source.year)
    parts.append(f"{who} ({year})" if who else f"({year})")
    if pinpoint:
        parts.append(e(pinpoint))
    return f'<span class="citation" data-source="{e(source.id)}">{", ".join(parts)}</span>'


def references_html(sources: Iterable[Source], vocab: Vocabularies,
                    cited_by: Mapping[str, list[tuple[str, str]]], *, page_url: str = "",
                    use_directory_urls: bool = True) -> str:
    """Every source grouped by type (a Markdown ## heading each), with the pages citing it.

    cited_by maps a source id to (page path under docs/, page title) pairs.
    """
    by_type: dict[str, list[Source]] = {}
    for source in sources:
        by_type.setdefault(source.type, []).append(source)
    sections = []
    for type_id in vocab.ids("types"):
        group = sorted(by_type.get(type_id, []), key=lambda s: s.title.casefold())
        if not group:
            continue
        label = vocab.label("types", type_id)
        items = []
        for source in group:
            pages = cited_by.get(source.id, [])
            if pages:
                links = ", ".join(
                    f'<a href="{e(relative_url(site_file_url(path, use_directory_urls), page_url))}">'
                    f"{e(title)}</a>" for path, title in pages)
                used = f"Cited on: {links}."
            else:
                used = "Not cited on any page (listed in the resource library)." \
                    if source.in_library else "Not cited on any page."
            status = ("Not yet checked against the document itself; last looked at"
                      if source.unconfirmed else "Verified")
            verified = (f'{status} <time datetime="{source.last_verified.isoformat()}">'
                        f"{format_date(source.last_verified)}</time>: {e(source.source_note)}")
            items.append(
                f'<li id="src-{e(source.id)}"><p>{citation(source, page_url=page_url, use_directory_urls=use_directory_urls)}</p>'
                f'<p class="reference-meta">{used} {verified}</p></li>')
        sections.append(f"## {e(label)} ({len(group)}) {{ #kind-{type_id} }}\n\n"
                        f'<ul class="references">{"".join(items)}</ul>')
    return "\n\n".join(sections) + "\n"

