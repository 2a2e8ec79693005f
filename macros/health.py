"""Staleness: data entries not verified, and pages not reviewed, for too long.

Stale items are reported (on the Content health page and by `python -m macros.check`);
they never fail the build, because an old date is a reminder, not an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Optional

from .loader import GuideData
from .pages import reader_pages
from .render import e, format_date, relative_url, site_file_url


@dataclass(frozen=True)
class StaleEntry:
    file: str
    id: str
    name: str
    last_verified: date
    age_days: int
    note: Optional[str]


@dataclass(frozen=True)
class StalePage:
    path: str  # relative to docs/
    title: str
    last_reviewed: Optional[date]
    age_days: Optional[int]


def stale_entries(data: GuideData, today: date, max_age_days: int) -> list[StaleEntry]:
    found = []
    for file, entries in (("data/contacts.yml", data.contacts.values()),
                          ("data/sources.yml", data.sources.values())):
        for entry in entries:
            age = (today - entry.last_verified).days
            if age > max_age_days:
                name = getattr(entry, "name", None) or getattr(entry, "title")
                found.append(StaleEntry(file, entry.id, name, entry.last_verified, age,
                                        entry.source_note))
    return sorted(found, key=lambda s: (-s.age_days, s.file, s.id))


def register_summary(data: GuideData, today: date) -> str:
    """How much of the register is verified and how recently: one short paragraph."""
    max_age = data.stale_after_days
    total = len(data.sources)
    with_note = sum(1 for s in data.sources.values() if s.source_note)
    fresh = sum(1 for s in data.sources.values() if (today - s.last_verified).days <= max_age)
    unconfirmed = sorted((s for s in data.sources.values() if s.unconfirmed), key=lambda s: s.id)
    summary = (f"<p>The register of sources (<code>data/sources.yml</code>) has {total} "
               f"entries: {total} with a date and {with_note} with a note of what was checked; "
               f"{fresh} checked in the last {max_age} days and {total - fresh} older. "
               f"{len(unconfirmed)} {'has' if len(unconfirmed) == 1 else 'have'} never been "
               "checked against the document itself (marked <code>unconfirmed: true</code>): "
               "the pages citing them rely on a carried-over citation or a summary.</p>")
    if not unconfirmed:
        return summary
    rows = [f"<tr><td><code>{e(s.id)}</code> — {e(s.title)}</td><td>{e(s.source_note)}</td></tr>"
            for s in unconfirmed]
    return summary + _table("Sources never checked against the document itself",
                            ("Source", "What the note says"), rows)


def stale_pages(docs_dir: Path, today: date, max_age_days: int,
                exempt: Iterable[str] = ()) -> list[StalePage]:
    found = []
    for page in reader_pages(docs_dir, exempt):
        meta = page.meta
        title = str(meta.get("title") or page.src)
        reviewed = meta.get("last_reviewed")
        if not isinstance(reviewed, date):
            found.append(StalePage(page.src, title, None, None))
            continue
        age = (today - reviewed).days
        if age > max_age_days:
            found.append(StalePage(page.src, title, reviewed, age))
    return sorted(found, key=lambda p: (-(p.age_days if p.age_days is not None else 10**9), p.path))


def _table(caption: str, headers: tuple[str, ...], rows: list[str]) -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    return (f'<div class="content-health-table"><table><caption>{e(caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def content_health_html(data: GuideData, today: date, *, page_url: str = "",
                        use_directory_urls: bool = True, exempt: Iterable[str] = ()) -> str:
    max_age = data.stale_after_days
    entries = stale_entries(data, today, max_age)
    pages = stale_pages(data.docs_dir, today, max_age, exempt)
    parts = [
        f"<p>Checked on {format_date(today)}. An item is listed when it is more than "
        f"{max_age} days old (the <code>stale_after_days</code> setting in "
        "<code>mkdocs.yml</code>).</p>"
    ]
    parts.append(register_summary(data, today))
    if entries:
        rows = [
            "<tr>"
            f"<td><code>{e(s.file)}</code></td><td><code>{e(s.id)}</code> — {e(s.name)}</td>"
            f'<td><time datetime="{s.last_verified.isoformat()}">{format_date(s.last_verified)}</time></td>'
            f"<td>{s.age_days}</td><td>{e(s.note or '')}</td>"
            "</tr>"
            for s in entries
        ]
        parts.append(_table(f"Data entries not verified in the last {max_age} days",
                            ("File", "Entry", "Last verified", "Days old", "Note"), rows))
    else:
        parts.append(f"<p>Every contact and source was verified in the last {max_age} days.</p>")
    if pages:
        rows = []
        for p in pages:
            href = relative_url(site_file_url(p.path, use_directory_urls), page_url)
            when = (f'<time datetime="{p.last_reviewed.isoformat()}">{format_date(p.last_reviewed)}</time>'
                    if p.last_reviewed else "Not recorded")
            rows.append(f'<tr><td><a href="{e(href)}">{e(p.title)}</a></td><td>{when}</td>'
                        f"<td>{p.age_days if p.age_days is not None else '—'}</td></tr>")
        parts.append(_table(f"Pages not reviewed in the last {max_age} days",
                            ("Page", "Last reviewed", "Days old"), rows))
    else:
        parts.append(f"<p>Every page was reviewed in the last {max_age} days.</p>")
    return "".join(parts)


def stale_report_lines(data: GuideData, today: date) -> list[str]:
    max_age = data.stale_after_days
    lines = []
    for s in stale_entries(data, today, max_age):
        lines.append(f"{s.file}: entry '{s.id}': last verified {s.last_verified.isoformat()} "
                     f"({s.age_days} days ago, limit {max_age})")
    # Pages are listed by scripts/lint.py (make lint), so `make lint` says each once.
    return lines


def state_health_html(profiles, today: date, max_age_days: int, *, page_url: str = "",
                      use_directory_urls: bool = True) -> str:
    """State law profiles (data/states/): coverage per jurisdiction and stale fields."""
    from .states import CONTACT_KEYS, LAW_KEYS, heading, stale_fields

    ordered = sorted(profiles.values(), key=lambda p: p.name)
    law_total = len(LAW_KEYS) * len(ordered)
    law_done = sum(p.count(LAW_KEYS) for p in ordered)
    rows = []
    for p in ordered:
        href = relative_url(site_file_url(p.page, use_directory_urls), page_url)
        law = p.count(LAW_KEYS)
        contacts = p.count(CONTACT_KEYS)
        none_found = p.count(CONTACT_KEYS, "none_found")
        extra = f" ({none_found} looked for, none found)" if none_found else ""
        rows.append(f'<tr data-state="{e(p.slug)}"><th scope="row"><a href="{e(href)}">{e(p.name)}</a></th>'
                    f'<td data-count="law">{law} / {len(LAW_KEYS)}</td>'
                    f'<td data-count="contacts">{contacts} / {len(CONTACT_KEYS)}{e(extra)}</td></tr>')
    parts = [f"<p>{len(ordered)} jurisdictions have a profile in <code>data/states/</code>; "
             f"{law_done} of their {law_total} legal topics are verified against the statute.</p>",
             _table("Verified fields in each state law profile",
                    ("Jurisdiction", "Legal topics verified", "Contacts verified"), rows)]
    stale = stale_fields(profiles, today, max_age_days)
    if stale:
        rows = [f"<tr><td><code>{e(p.file)}</code></td><td>{e(heading(p, key))}</td>"
                f'<td><time datetime="{when.isoformat()}">{format_date(when)}</time></td>'
                f"<td>{age}</td></tr>" for p, key, when, age in stale]
        parts.append(_table(f"State law fields not verified in the last {max_age_days} days",
                            ("File", "Field", "Last verified", "Days old"), rows))
    else:
        parts.append(f"<p>Every verified state law field was checked in the last "
                     f"{max_age_days} days.</p>")
    return "".join(parts)
