"""State law profiles (issue 22): data/states/<code>.yml, validated and rendered.

One file per jurisdiction (50 states, DC, Puerto Rico). Each of its nine fields is either
`verified` (a value, the register entry it rests on and the day it was read) or says
why not (`unverified`, or `none_found` for contacts, with a note). The per-state page,
the "State law at a glance" table and the Content health coverage are all drawn from
the same loaded profiles, so they agree by construction.

Every string from a data file is escaped for both HTML and Markdown before it reaches a
page (`md_text`), so a data file can never inject markup, links or emphasis.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, Mapping, Optional, Union

from pydantic import Field, StrictBool, StrictInt, ValidationError, ValidationInfo, field_validator

from . import loader
from .loader import DataError, describe
from .models import Source, Strict, Text, check_not_future, check_phone
from .pages import split_page
from .render import e, format_date, relative_url, site_file_url, tel_href
from .sources import citation as source_citation

STATES_DIR = "states"  # under data/ and under docs/
CODE = re.compile(r"^[A-Z]{2}$")
# Letters, spaces and a few marks: a name goes into Markdown headings unescaped by the
# heading syntax, so nothing that Markdown reads as markup is allowed in it.
NAME = re.compile(r"^[A-Za-z][A-Za-z .'’-]*[A-Za-z.]$")
KINDS = ("state", "district", "territory")

# --- the fields ------------------------------------------------------------------------

@dataclass(frozen=True)
class Topic:
    key: str  # field name in the data file
    anchor: str  # section id on the state page
    heading: str  # "{where}" becomes "in Ohio", "in the District of Columbia"
    short: str  # column or row label
    law: bool


TOPICS = (
    Topic("sex_trafficking_statute", "sex-trafficking", "Sex trafficking law {where}",
          "Sex trafficking statute", True),
    Topic("labor_trafficking_statute", "labor-trafficking", "Labor trafficking law {where}",
          "Labor trafficking statute", True),
    Topic("minors_commercial_sex", "minors", "Minors and commercial sex {where}: proof of force",
          "Minors in commercial sex", True),
    Topic("safe_harbor", "safe-harbor", "Safe harbor for minors {where}", "Safe harbor", True),
    Topic("record_relief", "record-relief", "Record relief (vacatur, expungement) {where}",
          "Record relief", True),
    Topic("mandated_reporting", "mandated-reporting",
          "Mandated reporting of child trafficking {where}", "Mandated reporting", True),
    Topic("state_hotline", "state-hotline", "State trafficking hotline {where}",
          "State hotline", False),
    Topic("statewide_task_force", "statewide-task-force",
          "Statewide task force or council {where}", "Statewide task force", False),
    Topic("attorney_general_page", "attorney-general",
          "Attorney general's trafficking page {where}", "Attorney general's page", False),
)
BY_KEY = {t.key: t for t in TOPICS}
LAW_KEYS = tuple(t.key for t in TOPICS if t.law)
CONTACT_KEYS = tuple(t.key for t in TOPICS if not t.law)
# The three columns of the at-a-glance table.
GLANCE_KEYS = ("safe_harbor", "record_relief", "mandated_reporting")

SAFE_HARBOR = ("immunity", "diversion", "referral")
RECORD_RELIEF = ("vacatur", "expungement", "sealing", "affirmative_defense")
REPORT_TO = ("child_protective_services", "law_enforcement")
LABELS = {
    "immunity": "immunity from prosecution", "diversion": "diversion",
    "referral": "referral to services", "vacatur": "vacatur", "expungement": "expungement",
    "sealing": "sealing", "affirmative_defense": "affirmative defense",
    "child_protective_services": "child protective services",
    "law_enforcement": "law enforcement",
}
SHORT = {"immunity": "Immunity", "diversion": "Diversion", "referral": "Referral",
         "vacatur": "Vacatur", "expungement": "Expungement", "sealing": "Sealing",
         "affirmative_defense": "Affirmative defense",
         "child_protective_services": "Child protective services",
         "law_enforcement": "Law enforcement"}

UNVERIFIED_TEXT = "Not yet verified — check the statute"
UNVERIFIED_CONTACT_TEXT = "Not yet verified — check the agency's own website"


# --- models ----------------------------------------------------------------------------

def _source_id(value: str, info: ValidationInfo) -> str:
    known = (info.context or {}).get("sources")
    if known is not None and value not in known:
        close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else \
            " (add an entry for the document there first)"
        raise ValueError(f"no source with id {value!r} in data/sources.yml{hint}")
    return value


def _distinct(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError(f"lists the same value twice: {', '.join(values)}")
    return values


class Unverified(Strict):
    status: Literal["unverified"]
    note: Text


class NoneFound(Strict):
    status: Literal["none_found"]
    note: Text


class Verified(Strict):
    status: Literal["verified"]
    source: Text
    verified: date
    note: Optional[Text] = None  # an optional caveat, shown under the facts

    @field_validator("source")
    @classmethod
    def _source(cls, value: str, info: ValidationInfo) -> str:
        return _source_id(value, info)

    @field_validator("verified")
    @classmethod
    def _verified(cls, value: date, info: ValidationInfo) -> date:
        return check_not_future(value, info)


class Law(Verified):
    citation: Text
    summary: Text = Field(max_length=600)


class Minors(Law):
    force_required: StrictBool
    no_force_age: StrictInt = Field(ge=12, le=21)


class SafeHarbor(Law):
    provisions: list[Literal["immunity", "diversion", "referral"]]
    _distinct = field_validator("provisions")(_distinct)


class RecordRelief(Law):
    provisions: list[Literal["vacatur", "expungement", "sealing", "affirmative_defense"]]
    _distinct = field_validator("provisions")(_distinct)


class Reporting(Law):
    report_to: list[Literal["child_protective_services", "law_enforcement"]] = Field(min_length=1)
    _distinct = field_validator("report_to")(_distinct)


class ContactField(Verified):
    name: Text
    phone: Optional[Text] = None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: Optional[str]) -> Optional[str]:
        return None if value is None else check_phone(value)


VERIFIED_MODEL = {
    "sex_trafficking_statute": Law, "labor_trafficking_statute": Law,
    "minors_commercial_sex": Minors, "safe_harbor": SafeHarbor,
    "record_relief": RecordRelief, "mandated_reporting": Reporting,
    "state_hotline": ContactField, "statewide_task_force": ContactField,
    "attorney_general_page": ContactField,
}
FieldValue = Union[Unverified, NoneFound, Law, ContactField]


@dataclass(frozen=True)
class StateProfile:
    code: str  # upper case, as written in the file ("OH")
    name: str
    kind: str
    fields: Mapping[str, FieldValue]
    file: str  # "data/states/oh.yml"

    @property
    def slug(self) -> str:
        return self.code.lower()

    @property
    def where(self) -> str:
        """'in Ohio', 'in the District of Columbia'."""
        return f"in the {self.name}" if self.kind == "district" else f"in {self.name}"

    @property
    def page(self) -> str:
        """The page under docs/."""
        return f"{STATES_DIR}/{self.slug}.md"

    def count(self, keys: tuple[str, ...], status: str = "verified") -> int:
        return sum(1 for k in keys if self.fields[k].status == status)

    def dated(self) -> list[tuple[str, date]]:
        """(field, verified date) of every verified field."""
        return [(k, v.verified) for k, v in self.fields.items() if isinstance(v, Verified)]

    def source_ids(self) -> list[str]:
        """The register ids the verified fields cite, in field order (the page cites them)."""
        return [v.source for v in self.fields.values() if isinstance(v, Verified)]


# --- loading ---------------------------------------------------------------------------

def _validate_field(label: str, key: str, raw: Any, context: dict) -> tuple[Optional[FieldValue], list[str]]:
    where = f"{label}: field 'fields.{key}"
    if not isinstance(raw, dict):
        return None, [f"{where}': expected a mapping starting with 'status:', found {raw!r}"]
    allowed = ("verified", "unverified") + (("none_found",) if key in CONTACT_KEYS else ())
    status = raw.get("status")
    if status not in allowed:
        found = "nothing" if status is None else repr(status)
        extra = (" (none_found is only for the hotline, task force and attorney general "
                 "fields)" if status == "none_found" else "")
        return None, [f"{where}.status': expected one of {', '.join(allowed)}; found {found}{extra}"]
    model = {"unverified": Unverified, "none_found": NoneFound}.get(status) or VERIFIED_MODEL[key]
    try:
        return model.model_validate(raw, context=context), []
    except ValidationError as error:
        messages = []
        for problem in error.errors():
            name, message = describe(problem)
            if name == "note" and problem["type"] == "missing":
                message = f"is required when the status is {status} (say what you searched and why it is not verified)"
            messages.append(f"{where}.{name}': {message}")
        return None, messages


def validate_profile(label: str, stem: str, raw: Any, context: dict) -> tuple[Optional[StateProfile], list[str]]:
    if not isinstance(raw, dict):
        return None, [f"{label}: expected a mapping with code, name, kind and fields, "
                      f"found {type(raw).__name__}"]
    errors: list[str] = []
    unknown = sorted(set(raw) - {"code", "name", "kind", "fields"})
    for key in unknown:
        errors.append(f"{label}: field '{key}': is not a known field (expected code, name, kind, fields)")
    code = raw.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        errors.append(f"{label}: field 'code': expected the two-letter postal code in capitals "
                      f"such as 'OH'; found {code!r}")
    elif code.lower() != stem:
        errors.append(f"{label}: field 'code': {code!r} does not match the file name "
                      f"(expected {stem.upper()!r} in {stem}.yml, or rename the file to "
                      f"{code.lower()}.yml)")
    name = raw.get("name")
    if not isinstance(name, str) or not NAME.match(name.strip()):
        errors.append(f"{label}: field 'name': expected the jurisdiction's name in letters "
                      f"(such as 'Ohio'); found {name!r}")
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.append(f"{label}: field 'kind': expected one of {', '.join(KINDS)}; found {kind!r}")
    fields_raw = raw.get("fields")
    values: dict[str, FieldValue] = {}
    if not isinstance(fields_raw, dict):
        errors.append(f"{label}: field 'fields': expected a mapping of the nine fields "
                      f"({', '.join(BY_KEY)}); found {fields_raw!r}")
    else:
        for key in sorted(set(fields_raw) - set(BY_KEY)):
            close = difflib.get_close_matches(key, list(BY_KEY), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            errors.append(f"{label}: field 'fields.{key}': is not a known field{hint}")
        for key in BY_KEY:
            if key not in fields_raw:
                errors.append(f"{label}: field 'fields.{key}': is required but missing "
                              "(write status: unverified and a note if you could not verify it)")
                continue
            value, problems = _validate_field(label, key, fields_raw[key], context)
            errors += problems
            if value is not None:
                values[key] = value
    if errors:
        return None, errors
    return StateProfile(code=code, name=name.strip(), kind=kind, fields=values, file=label), []


def load_states(data_dir: Path, sources: Mapping[str, Source], *, today: date | None = None,
                label_root: str = "data") -> dict[str, StateProfile]:
    """Every data/states/<code>.yml by lower-case code, or DataError with all problems."""
    today = today or date.today()
    context = {"sources": sources, "today": today}
    profiles: dict[str, StateProfile] = {}
    errors: list[str] = []
    folder = data_dir / STATES_DIR
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        label = f"{label_root}/{STATES_DIR}/{path.name}"
        if path.suffix != ".yml" or not re.match(r"^[a-z]{2}$", path.stem):
            errors.append(f"{label}: expected files named by lower-case postal code, such as oh.yml")
            continue
        raw, problems = loader.read_yaml(path, label)  # through the module: `make bench` counts it
        errors += problems
        if problems:
            continue
        profile, problems = validate_profile(label, path.stem, raw, context)
        errors += problems
        if profile is not None:
            profiles[profile.slug] = profile
    if errors:
        raise DataError(errors)
    return profiles



_loaded: dict[Path, tuple[tuple, Mapping[str, Source], dict[str, StateProfile]]] = {}


def project_states(project, data, *, today: date | None = None) -> dict[str, StateProfile]:
    """The project's state profiles, loaded and validated once and then reused by the
    editor checks and the state macros of a build (as loader.project_data does for the
    other data files); loaded again when a state file, the data or the date change."""
    today = today or date.today()
    folder = project.data_dir / STATES_DIR
    files = sorted(folder.glob("*")) if folder.is_dir() else []
    key = (today, tuple((path, path.stat().st_mtime_ns) for path in files))
    cached = _loaded.get(project.data_dir)
    if cached is not None and cached[0] == key and cached[1] is data.sources:
        return cached[2]
    found = load_states(project.data_dir, data.sources, today=today)
    _loaded[project.data_dir] = (key, data.sources, found)
    return found


STUB_CALL = re.compile(r"""{{\s*state_profile\(\s*["']([a-zA-Z]+)["']\s*\)\s*}}""")


def page_problems(profiles: Mapping[str, StateProfile], docs_dir: Path) -> list[str]:
    """Each data file has exactly one page, docs/states/<code>.md, that shows it, and
    each page in docs/states/ (other than index.md) has a data file."""
    problems = []
    folder = docs_dir / STATES_DIR
    for slug, profile in sorted(profiles.items()):
        page = folder / f"{slug}.md"
        if not page.is_file():
            problems.append(f"{profile.file}: has no page; create docs/{STATES_DIR}/{slug}.md "
                            f"(copy another state's page and change the code)")
            continue
        text = page.read_text(encoding="utf-8")
        calls = STUB_CALL.findall(text)
        if calls != [slug]:
            problems.append(f"docs/{STATES_DIR}/{slug}.md: must call state_profile(\"{slug}\") "
                            f"exactly once; found {calls or 'no call'}")
        # The title and heading repeat the name in the data file: they must match it.
        title = page_title(profile)
        meta = split_page(text).meta
        if meta.get("title") != title:
            problems.append(f"docs/{STATES_DIR}/{slug}.md: front matter 'title' must be "
                            f"{title!r} (from the name in {profile.file}); found {meta.get('title')!r}")
        headings = re.findall(r"^# (.+)$", text, re.M)
        if headings != [title]:
            problems.append(f"docs/{STATES_DIR}/{slug}.md: the page heading must be '# {title}' "
                            f"(from the name in {profile.file}); found {headings or 'none'}")
    if folder.is_dir():
        for page in sorted(folder.glob("*.md")):
            if page.name != "index.md" and page.stem not in profiles:
                problems.append(f"docs/{STATES_DIR}/{page.name}: no data file "
                                f"data/{STATES_DIR}/{page.stem}.yml for this page")
    return problems


# --- rendering -------------------------------------------------------------------------

# Characters that Markdown (and its extensions) may read as markup. Each becomes a numeric
# character reference, which Markdown passes through and the browser shows as the character.
_MARKDOWN = set("\\`*_{}[]()#+-!|~^:=$<>&\"'")


def md_text(value: object) -> str:
    """Data text for a Markdown context: no HTML, no Markdown, one line."""
    text = " ".join(str(value).split())
    return "".join(f"&#{ord(ch)};" if ch in _MARKDOWN else ch for ch in text)


def _time(value: date) -> str:
    return f'<time datetime="{value.isoformat()}">{format_date(value)}</time>'


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def page_title(profile: StateProfile) -> str:
    return f"{profile.name}: human trafficking law"


def heading(profile: StateProfile, key: str) -> str:
    return BY_KEY[key].heading.format(where=profile.where)


def _facts(key: str, value: Verified) -> str:
    """The structured part of a verified field, in a sentence (no data text in it)."""
    if isinstance(value, Minors):
        text = (f"For a person under {value.no_force_age}, force, fraud or coercion does not "
                "have to be proved.")
        if value.force_required:
            text += " For some older minors it still has to be proved."
        return text
    if isinstance(value, SafeHarbor):
        return ("What the law provides: " + _join([LABELS[p] for p in value.provisions]) + "."
                if value.provisions else
                "The statute cited was checked and has no safe harbor provision.")
    if isinstance(value, RecordRelief):
        return ("Kinds of relief: " + _join([LABELS[p] for p in value.provisions]) + "."
                if value.provisions else
                "The statute cited was checked and offers no trafficking-specific record relief.")
    if isinstance(value, Reporting):
        return "Reports go to " + _join([LABELS[p] for p in value.report_to]) + "."
    return ""


def glance_value(key: str, value: FieldValue) -> str:
    """The short text of one at-a-glance cell (plain text, escaped by the caller)."""
    if not isinstance(value, Verified):
        return "Not yet verified"
    if isinstance(value, (SafeHarbor, RecordRelief)):
        if not value.provisions:
            return "None in statute"
        words = [SHORT[p] for p in value.provisions]
        return ", ".join([words[0]] + [w.lower() for w in words[1:]])
    if isinstance(value, Reporting):
        words = [SHORT[p] for p in value.report_to]
        return " and ".join([words[0]] + [w.lower() for w in words[1:]])
    return "Verified"


def _footnote_label(profile: StateProfile, key: str) -> str:
    return f"{profile.slug}-{BY_KEY[key].anchor}"


def _section(profile: StateProfile, key: str, level: int, sources: Mapping[str, Source],
             notes: list[str], page_url: str, use_directory_urls: bool) -> str:
    topic = BY_KEY[key]
    value = profile.fields[key]
    # The name is checked against NAME (letters, spaces, . ' -), so it is safe in a heading.
    lines = [f"{'#' * level} {heading(profile, key)} {{ #{topic.anchor} }}", ""]
    if not isinstance(value, Verified):
        if value.status == "none_found":
            lead = f"No {topic.short.lower()} was found"
        else:
            lead = UNVERIFIED_TEXT if topic.law else UNVERIFIED_CONTACT_TEXT
        lines.append(f'<p class="state-field state-field--unverified"><strong>{e(lead)}.</strong> '
                     f"{e(' '.join(value.note.split()))}</p>")
        return "\n".join(lines)
    label = _footnote_label(profile, key)
    source = sources[value.source]
    if isinstance(value, Law):
        lines.append(f"**Citation:** {md_text(value.citation)}[^{label}]")
        lines.append("")
        lines.append(md_text(value.summary))
        facts = _facts(key, value)
        if facts:
            lines += ["", facts]
        pinpoint = value.citation if value.citation != (source.citation or "") else None
    else:
        name = md_text(value.name)
        link = e(source.url) if source.url else ""
        text = f'<a href="{link}">{name}</a>' if link else name
        if value.phone:
            text += f' — call <a href="{e(tel_href(value.phone))}">{e(value.phone)}</a>'
        # The note marker sits on a plain word, not against the link: two targets that
        # close fail WCAG 2.2's target size (24 px) on phones.
        lines.append(f"{text} (source[^{label}])")
        pinpoint = None
    if value.note:
        lines += ["", f"Note: {md_text(value.note)}"]
    if source.unconfirmed:
        # The register says the text was read only in an unofficial copy (a law firm's or
        # another site's reproduction): say so where the reader relies on it.
        lines += ["", f'<p class="state-field__verified">Read in an unofficial copy of the text on '
                      f"{_time(value.verified)}; not yet checked against the official code.</p>"]
    else:
        lines += ["", f'<p class="state-field__verified">Checked against the source on '
                      f"{_time(value.verified)}.</p>"]
    notes.append(f"[^{label}]: " + source_citation(source, pinpoint, page_url=page_url,
                                                  use_directory_urls=use_directory_urls))
    return "\n".join(lines)


def legal_callout(profile: StateProfile) -> str:
    return (
        '!!! legal "Legal note: not legal advice; laws change every legislative session"\n'
        f"    This page summarizes human trafficking law {md_text(profile.where)} as it read on "
        "the date given in each section. It is not legal advice. Laws change every legislative "
        "session, and courts decide how they apply, so check the current statute before you "
        "rely on anything here, and ask your task force's prosecutor or legal counsel how it "
        "applies to a case.")


def coverage_sentence(profile: StateProfile) -> str:
    law = profile.count(LAW_KEYS)
    contacts = profile.count(CONTACT_KEYS) + profile.count(CONTACT_KEYS, "none_found")
    return (f'<p class="state-coverage">Verified so far {e(profile.where)}: {law} of '
            f"{len(LAW_KEYS)} legal topics and {contacts} of {len(CONTACT_KEYS)} contact "
            "checks. A topic that nobody has checked against the statute yet says so; it is "
            "never filled in from a guess or a secondary summary.</p>")


def profile_markdown(profile: StateProfile, sources: Mapping[str, Source], *, page_url: str = "",
                     use_directory_urls: bool = True) -> str:
    """The whole body of a state's page, under its title."""
    notes: list[str] = []
    parts = [legal_callout(profile), coverage_sentence(profile)]
    for key in LAW_KEYS:
        parts.append(_section(profile, key, 2, sources, notes, page_url, use_directory_urls))
    parts.append(f"## Who to contact {profile.where} {{ #contacts }}")
    # Markdown links to the source files (the page is docs/states/<code>.md), so MkDocs
    # checks them and writes the right address for each build.
    parts.append("The national hotline and other national lines are in the "
                 "[contact directory](../resources/contacts.md).")
    for key in CONTACT_KEYS:
        parts.append(_section(profile, key, 3, sources, notes, page_url, use_directory_urls))
    parts.append("## Related\n\n"
                 "- [State law at a glance](index.md): every jurisdiction in one table\n"
                 "- [State and tribal law](../understanding/state-and-tribal-law.md): "
                 "how state laws differ and how to read your own")
    parts += notes
    return "\n\n".join(parts) + "\n"


def at_a_glance_html(profiles: Mapping[str, StateProfile], *, page_url: str = "",
                     use_directory_urls: bool = True) -> str:
    """The table of every jurisdiction: safe harbor, record relief, mandated reporting."""
    ordered = sorted(profiles.values(), key=lambda p: p.name)
    headers = ["Jurisdiction", *(BY_KEY[k].short for k in GLANCE_KEYS)]
    head = "".join(f'<th scope="col">{e(h)}</th>' for h in headers)
    rows = []
    verified = 0
    for profile in ordered:
        href = relative_url(site_file_url(profile.page, use_directory_urls), page_url)
        cells = [f'<th scope="row"><a href="{e(href)}">{e(profile.name)}</a></th>']
        for key in GLANCE_KEYS:
            value = profile.fields[key]
            done = isinstance(value, Verified)
            verified += done
            css = "" if done else ' class="state-glance__unverified"'
            cells.append(f'<td data-field="{key}"{css}><a href="{e(href)}#{BY_KEY[key].anchor}">'
                         f"{e(glance_value(key, value))}</a></td>")
        rows.append(f'<tr data-state="{e(profile.slug)}">{"".join(cells)}</tr>')
    total = len(ordered) * len(GLANCE_KEYS)
    summary = (f'<p class="state-glance__summary">{verified} of the {total} entries in this '
               f"table are verified against the statute; the rest say "
               "“Not yet verified” and link to the page that says what is known.</p>")
    return (summary + '<div class="state-glance">'
            f"<table><caption>State law in {len(ordered)} jurisdictions</caption>"
            f"<thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>")


def stale_fields(profiles: Mapping[str, StateProfile], today: date,
                 max_age_days: int) -> list[tuple[StateProfile, str, date, int]]:
    """(profile, field, verified, age in days) for each verified field older than the limit."""
    found = []
    for profile in profiles.values():
        for key, when in profile.dated():
            age = (today - when).days
            if age > max_age_days:
                found.append((profile, key, when, age))
    return sorted(found, key=lambda s: (-s[3], s[0].slug, s[1]))


def stale_lines(profiles: Mapping[str, StateProfile], today: date, max_age_days: int) -> list[str]:
    return [f"{p.file}: field '{key}': last verified {when.isoformat()} "
            f"({age} days ago, limit {max_age_days})"
            for p, key, when, age in stale_fields(profiles, today, max_age_days)]


# --- macros ----------------------------------------------------------------------------

def site_profiles(site) -> dict[str, StateProfile]:
    """The state profiles of a build (macros.site.Site), loaded and validated once and
    reused by the state macros and the references list."""
    from .render import MacroError

    loaded: dict[str, Any] = site.cache.setdefault("states", {})  # once per Site
    if "profiles" not in loaded:
        if site.data is None:
            raise MacroError("the data files have problems (listed at the top of this page)")
        found = project_states(site.project, site.data, today=site.today)
        # Without docs/states/ at all (a test project) there are no pages to pair;
        # the nav check of the strict build reports a folder that went missing.
        problems = (page_problems(found, site.project.docs_dir)
                    if (site.project.docs_dir / STATES_DIR).is_dir() else [])
        if problems:
            raise DataError(problems)
        loaded["profiles"] = found
    return loaded["profiles"]


def define_macros(env, site) -> None:
    """Register state_profile, states_at_a_glance and state_law_health (called from
    macros.define_env). A problem in the state files fails the build; in the preview it
    shows in the page of the macro that needs the data."""
    from .health import state_health_html
    from .site import Engine
    from .render import MacroError

    def profiles() -> dict[str, StateProfile]:
        return site_profiles(site)

    if site.data is not None and not site.preview:
        profiles()  # fail the build at once, before any page is rendered

    def where() -> tuple[str, bool]:
        return env.page.url, env.conf["use_directory_urls"]

    @env.macro
    def state_profile(code: str) -> str:
        """The body of one jurisdiction's page, from data/states/<code>.yml."""
        found = profiles()
        if not isinstance(code, str) or code.lower() not in found:
            raise MacroError(f"{Engine(env).page_label}: state_profile({code!r}): no file "
                             f"data/{STATES_DIR}/{str(code).lower()}.yml (known: "
                             f"{', '.join(sorted(found))})")
        page_url, directory_urls = where()
        return profile_markdown(found[code.lower()], site.data.sources, page_url=page_url,
                                use_directory_urls=directory_urls)

    @env.macro
    def states_at_a_glance() -> str:
        """Every jurisdiction: safe harbor, record relief and mandated reporting."""
        page_url, directory_urls = where()
        return at_a_glance_html(profiles(), page_url=page_url, use_directory_urls=directory_urls)

    @env.macro
    def state_law_health() -> str:
        """Content health: per-state coverage and stale state entries."""
        page_url, directory_urls = where()
        return state_health_html(profiles(), site.today, site.data.stale_after_days,
                                 page_url=page_url, use_directory_urls=directory_urls)
