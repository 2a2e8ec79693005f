"""The guide's own page rules: the ones pymarkdown does not have.

One function per rule; each takes the page (or one line of it) and returns Problems.
scripts/lint.py runs them with pymarkdown's rules (.pymarkdown.json) and codespell.

  front-matter      the --- block, against the schema in macros/frontmatter.py
  link-text         a link with no text at all (MD059 catches vague text like "here")
  external-link     a link to an outside address; typed-email / typed-phone for mailto:/tel:
  typed-email       an email address typed into the text
  typed-phone       a phone number typed into the text (only 911 may be typed)
  placeholder       TODO, TBD, FIXME, lorem ipsum
  empty-section     a heading with nothing under it
  citation-source / citation-url / citation-unknown   footnotes cite the register of sources

Fenced code, code spans and {% raw %} blocks are not checked, so pages can show examples.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass

from macros.frontmatter import FrontMatter, validate_front_matter
from macros.pages import PageText

HELP_PAGE = "docs/contribute/page-conventions.md"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    rule: str
    message: str
    fix: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}\n    Fix: {self.fix}"

    def annotation(self) -> str:
        """A GitHub Actions annotation, so the problem shows on the pull request's diff."""
        text = f"{self.message} Fix: {self.fix}".replace("%", "%25").replace("\n", "%0A")
        return f"::error file={self.path},line={self.line},title={self.rule}::{text}"


# Pages are read by macros.pages.split_page, the one front matter reader.

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
RAW_OPEN, RAW_CLOSE = re.compile(r"{%-?\s*raw\s*-?%}"), re.compile(r"{%-?\s*endraw\s*-?%}")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))


@dataclass
class Line:
    number: int
    text: str  # prose only: code spans and raw segments replaced by spaces ("" when skipped)
    has_content: bool  # anything at all on the line, code and examples included


def prose_lines(body: list[tuple[int, str]]) -> list[Line]:
    """The body with fenced code blocks, {% raw %} blocks and code spans blanked out."""
    result: list[Line] = []
    fence: str | None = None
    in_raw = False
    for number, text in body:
        has_content = bool(text.strip())
        if fence:
            stripped = text.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            result.append(Line(number, "", has_content))
            continue
        visible = []
        rest = text
        while rest:
            if in_raw:
                close = RAW_CLOSE.search(rest)
                if not close:
                    visible.append(" " * len(rest))
                    rest = ""
                else:
                    visible.append(" " * close.end())
                    rest = rest[close.end():]
                    in_raw = False
            else:
                start = RAW_OPEN.search(rest)
                if not start:
                    visible.append(rest)
                    rest = ""
                else:
                    visible.append(rest[:start.start()] + " " * (start.end() - start.start()))
                    rest = rest[start.end():]
                    in_raw = True
        prose = "".join(visible)
        opening = FENCE.match(prose)
        if opening:
            fence = opening.group(1)
            result.append(Line(number, "", has_content))
            continue
        result.append(Line(number, CODE_SPAN.sub(_blank, prose), has_content))
    return result


def raw_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(first line, first column, last line, last column), 1-based and inclusive, of every
    {% raw %} … {% endraw %} region of a file, tags included."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    spans = []
    for opening in RAW_OPEN.finditer(text):
        closing = RAW_CLOSE.search(text, opening.end())
        spans.append((*position(opening.start()), *position((closing.end() if closing else len(text)) - 1)))
    return spans


# --- front matter --------------------------------------------------------------------

FIELD_FIXES = {
    "title": "Give the page's title, in the same words as its # heading.",
    "description": "Write one plain sentence of 20–200 characters saying what the page helps "
                   "the reader do.",
    "audiences": "List 1–5 audience ids in square brackets, for example "
                 "[law-enforcement, victim-services]; the allowed ids are in "
                 f"{HELP_PAGE} (they come from data/vocabularies.yml).",
    "last_reviewed": "Write the date you last checked the whole page, as YYYY-MM-DD "
                     "(not later than today).",
}


def _field_fix(field_name: str, message: str) -> str:
    if "is not a known field" in message:
        allowed = ", ".join(FrontMatter.model_fields)
        return (f"Remove '{field_name}' or correct its spelling. Allowed fields: {allowed}. "
                "Template pages add kind: template.")
    return FIELD_FIXES.get(field_name.split(".")[0],
                           f"Correct the value as the message says; see {HELP_PAGE}.")


def _field_line(page: PageText, field_name: str) -> int:
    key = field_name.split(".")[0]
    for offset, text in enumerate((page.meta_text or "").splitlines()):
        if re.match(rf"{re.escape(key)}\s*:", text):
            return page.meta_first_line + offset
    return 1


FIELD_MESSAGE = re.compile(r"^front matter field '([^']*)': ")


def check_front_matter(path: str, page: PageText, context: dict) -> list[Problem]:
    copy_template = f"Copy the front matter block from the page template in {HELP_PAGE}."
    if page.meta_text is None:
        return [Problem(path, 1, "front-matter", "the page does not start with a front matter "
                        "block (a --- line, then title, description, audiences and "
                        "last_reviewed, then a --- line).", copy_template)]
    if page.error is not None:
        return [Problem(path, page.error.line, "front-matter",
                        f"the front matter is not valid YAML ({page.error.problem}).",
                        "Check this line for a missing colon, an unclosed quote or bracket, or "
                        "a value containing ': ' that needs quotes. " + copy_template)]
    meta = page.data or {}
    problems = []
    schema_context = {k: v for k, v in context.items() if k != "source_ids"}
    for text in validate_front_matter(path, meta, **schema_context):
        message = text.removeprefix(f"{path}: ")
        match = FIELD_MESSAGE.match(message)
        if match:
            field_name = match.group(1)
            problems.append(Problem(path, _field_line(page, field_name), "front-matter",
                                    message, _field_fix(field_name, message)))
        else:
            problems.append(Problem(path, 1, "front-matter", message, copy_template))
    return problems


# --- content rules -----------------------------------------------------------------------

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*)>", re.I)
ADDRESS = re.compile(r"\b(?:https?|ftp)://\S*", re.I)  # MD034 reports these; blanked here
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w§.-])(?:\+?1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
VANITY_PHONE = re.compile(r"(?<![\w-])1-8(?:00|33|44|55|66|77|88)-[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4}){1,3}(?![\w-])")
CITATION_BEFORE = re.compile(r"(§|U\.\s?S\.\s?C\.|C\.?F\.?R\.?|Pub\.\s?L\.|Stat\.)\s*$")
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|lorem ipsum|lorem)\b", re.I)

FIX_LINK_TEXT = ("Use the name of the destination as the link text, for example "
                 "[the MOU template](../structure/mou-template.md).")
FIX_DATA = ("Remove it from the text. Show contact details with contact_block (see "
            "docs/contribute/macro-reference.md); to add or change a contact, edit "
            "data/contacts.yml as docs/contribute/adding-data.md explains.")
FIX_URL = ("Remove the address. Name the organization or document in words, and if readers "
           "need the link, add it to data/sources.yml (see docs/contribute/adding-data.md) "
           "and show it with resource_link or resource_table.")


def link_text(path: str, line: Line) -> list[Problem]:
    """A link with no text at all: screen readers read out its address instead."""
    return [Problem(path, line.number, "link-text", "a link has no text, so screen readers "
                    "announce only its address.", FIX_LINK_TEXT)
            for match in LINK.finditer(line.text) if not re.sub(r"[*_`\s]", "", match.group(1))]


def link_targets(path: str, line: Line) -> list[Problem]:
    """Links go to other pages of the guide: no outside addresses, mailto: or tel:."""
    targets = [m.group(2) for m in LINK.finditer(line.text)]
    targets += [m.group(1) for m in AUTOLINK.finditer(line.text)]
    problems = []
    for target in targets:
        lowered = target.lower()
        if lowered.startswith("mailto:"):
            problems.append(Problem(path, line.number, "typed-email",
                                    f"a link opens an email address ({target[7:]}).", FIX_DATA))
        elif lowered.startswith("tel:"):
            problems.append(Problem(path, line.number, "typed-phone",
                                    f"a link dials a phone number ({target[4:]}).", FIX_DATA))
        elif re.match(r"(?:[a-z][a-z0-9+.-]*:|//|www\.)", lowered):
            problems.append(Problem(path, line.number, "external-link",
                                    f"a link points to an outside address ({target}); pages "
                                    "link only to other pages of the guide.", FIX_URL))
    return problems


def _prose_without_links(line: Line) -> str:
    """The line with link targets, autolinks and web addresses blanked out."""
    text = LINK.sub(lambda m: "[" + m.group(1) + "]" + " " * (len(m.group(0)) - len(m.group(1)) - 2),
                    line.text)
    return ADDRESS.sub(_blank, AUTOLINK.sub(_blank, text))


def typed_email(path: str, line: Line) -> list[Problem]:
    return [Problem(path, line.number, "typed-email",
                    f"an email address is typed into the text ({match.group(0)}).", FIX_DATA)
            for match in EMAIL.finditer(_prose_without_links(line))]


def typed_phone(path: str, line: Line) -> list[Problem]:
    text = EMAIL.sub(_blank, _prose_without_links(line))
    problems, seen = [], set()
    for pattern in (PHONE, VANITY_PHONE):
        for match in pattern.finditer(text):
            if match.start() in seen or CITATION_BEFORE.search(text[:match.start()]):
                continue
            seen.add(match.start())
            problems.append(Problem(path, line.number, "typed-phone",
                                    f"a phone number is typed into the text ({match.group(0).strip()}); "
                                    "only 911 may be typed.", FIX_DATA))
    return problems


def placeholder(path: str, line: Line) -> list[Problem]:
    return [Problem(path, line.number, "placeholder",
                    f'the placeholder "{match.group(0)}" is still in the page.',
                    "Write the missing text, or remove the placeholder (and the section, if it "
                    "has nothing else in it) before asking for review.")
            for match in PLACEHOLDER.finditer(line.text)]


def empty_sections(path: str, lines: list[Line]) -> list[Problem]:
    headings = [(index, len(m.group(1)), (m.group(2) or "").strip(), line.number)
                for index, line in enumerate(lines) if (m := HEADING.match(line.text))]
    problems = []
    for position, (index, level, text, number) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        next_level = headings[position + 1][1] if position + 1 < len(headings) else 0
        if not any(line.has_content for line in lines[index + 1:end]) and next_level <= level:
            problems.append(Problem(path, number, "empty-section",
                                    f'the section "{"#" * level} {text}" has no content.',
                                    "Write the section, or delete its heading until you have "
                                    "something to put under it."))
    return problems


LINE_RULES = (link_text, link_targets, typed_email, typed_phone, placeholder)


def check_content(path: str, page: PageText) -> list[Problem]:
    """Every line rule on every prose line, then the section rule on the whole page."""
    lines = prose_lines(page.body)
    problems = [p for line in lines for rule in LINE_RULES for p in rule(path, line)]
    problems += empty_sections(path, lines)
    return sorted(problems, key=lambda p: (p.line, p.rule))


# --- citations -------------------------------------------------------------------------

FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:[ \t]*(.*)$")
SOURCE_CALL = re.compile(r"""\bsource\s*\(\s*(?:id\s*=\s*)?(["'])(.*?)\1""")
URL_IN_NOTE = re.compile(r"https?://|www\.", re.I)
CITE_HOW = ("docs/contribute/citing-sources.md explains how")


def footnotes(body: list[tuple[int, str]]) -> list[tuple[int, str, str]]:
    """(line, label, text) of every footnote definition, continuation lines included."""
    found: list[tuple[int, str, str]] = []
    lines = [(n, t) for n, t in body]
    index = 0
    while index < len(lines):
        number, text = lines[index]
        match = FOOTNOTE_DEF.match(text)
        index += 1
        if not match:
            continue
        parts = [match.group(2)]
        while index < len(lines) and (lines[index][1].startswith("    ") or
                                      (not lines[index][1].strip() and index + 1 < len(lines)
                                       and lines[index + 1][1].startswith("    "))):
            parts.append(lines[index][1].strip())
            index += 1
        found.append((number, match.group(1), " ".join(p for p in parts if p)))
    return found


def check_citations(path: str, page: PageText, source_ids: set[str] | None) -> list[Problem]:
    """Every footnote cites the register with source(), or says it is a note."""
    problems: list[Problem] = []
    in_fence = False
    body = []
    for number, text in page.body:  # footnote examples inside code fences are not checked
        if FENCE.match(text):
            in_fence = not in_fence
            continue
        if not in_fence:
            body.append((number, text))
    for number, label, text in footnotes(body):
        calls = SOURCE_CALL.findall(text)
        explanatory = text.lstrip().startswith("Note:")
        if URL_IN_NOTE.search(text):
            problems.append(Problem(
                path, number, "citation-url",
                f"footnote [^{label}] has a web address typed into it.",
                "Put the document in data/sources.yml (its address goes in the url field) and "
                f'cite it with {{{{ source("id") }}}}; {CITE_HOW}.'))
        if not calls and not explanatory:
            problems.append(Problem(
                path, number, "citation-source",
                f"footnote [^{label}] does not cite an entry of the register of sources.",
                'Write the citation as {{ source("id", "§ or page") }} with the id of its entry '
                "in data/sources.yml (add the entry first if the document is new), or start "
                f'the footnote with "Note:" if it explains rather than cites; {CITE_HOW}.'))
        if source_ids is not None:
            for _, ident in calls:
                if ident not in source_ids:
                    close = difflib.get_close_matches(ident, sorted(source_ids), n=3, cutoff=0.6)
                    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
                    problems.append(Problem(
                        path, number, "citation-unknown",
                        f'footnote [^{label}] cites source("{ident}"), which is not in '
                        f"data/sources.yml.{hint}",
                        "Use the id of an existing entry (the References page lists them all), "
                        f"or add an entry for this document to data/sources.yml; {CITE_HOW}."))
    return problems
