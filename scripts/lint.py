"""The content checks an editor meets in a pull request, in words an editor can act on.

    python scripts/lint.py [FILE ...] [--checks pages,spelling,markdown] [--today YYYY-MM-DD]

With no FILE: every page under docs/, plus CONTRIBUTING.md and the pull request template
(and, for spelling, README.md, data/ and the issue forms). Each problem is printed as

    docs/page.md:12: link-text: the link text "here" does not say where the link goes.
        Fix: use the name of the destination as the link text, for example [the MOU template](...).

Checks (choose some with --checks; pre-commit runs each as its own hook):
  pages     front matter, against the schema in macros/frontmatter.py; and the content
            rules: link text, image alt text, typed phone numbers, emails and URLs, one #
            heading, skipped heading levels, empty or placeholder sections. Fenced code,
            code spans and {% raw %} blocks are not checked, so pages can show examples.
  spelling  codespell, with the project's words in .codespell-words.txt
  markdown  pymarkdown, configured in .pymarkdown.json. Rules switched off there either
            clash with the page conventions (MD013 line length, MD046 indented admonition
            bodies, MD007 four-space nested lists that Python-Markdown needs, MD036 bold
            labels in templates) or are checked by the pages rules with plainer messages
            (MD001 heading levels, MD025 one # heading, MD034 bare URLs, MD045 alt text,
            MD059 link text).

Pages not reviewed within extra.stale_after_days (mkdocs.yml) are listed as reminders;
they do not fail the check. Exit status 1 when any problem is found.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.frontmatter import (  # noqa: E402
    FrontMatter, is_exempt, load_vocabularies, validate_front_matter)
from macros.health import stale_pages  # noqa: E402
from macros.loader import DataError, project_from_config_file, read_yaml  # noqa: E402

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


# --- reading a page ------------------------------------------------------------------

@dataclass
class Page:
    meta_text: str | None  # None when the page has no front matter block
    meta_first_line: int  # line number of the first line inside the --- block
    body: list[tuple[int, str]]  # (line number, text) for every line after the block


def split_page(text: str) -> Page:
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                return Page("\n".join(lines[1:index]), 2,
                            [(n + 1, lines[n]) for n in range(index + 1, len(lines))])
    return Page(None, 1, [(n + 1, line) for n, line in enumerate(lines)])


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


def _field_line(page: Page, field_name: str) -> int:
    key = field_name.split(".")[0]
    for offset, text in enumerate((page.meta_text or "").splitlines()):
        if re.match(rf"{re.escape(key)}\s*:", text):
            return page.meta_first_line + offset
    return 1


FIELD_MESSAGE = re.compile(r"^front matter field '([^']*)': ")


def check_front_matter(path: str, page: Page, context: dict) -> list[Problem]:
    copy_template = f"Copy the front matter block from the page template in {HELP_PAGE}."
    if page.meta_text is None:
        return [Problem(path, 1, "front-matter", "the page does not start with a front matter "
                        "block (a --- line, then title, description, audiences and "
                        "last_reviewed, then a --- line).", copy_template)]
    try:
        meta = yaml.safe_load(page.meta_text) or {}
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = page.meta_first_line + mark.line if mark else 1
        return [Problem(path, line, "front-matter",
                        f"the front matter is not valid YAML ({error.problem or error.context}).",
                        "Check this line for a missing colon, an unclosed quote or bracket, or "
                        "a value containing ': ' that needs quotes. " + copy_template)]
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


# --- content rules ---------------------------------------------------------------------

HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
LINK = re.compile(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_LINK = re.compile(r"(?<![!\]])\[([^\]^][^\]]*)\]\[[^\]]*\]")
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)(\{[^}]*\})?")
HTML_IMG = re.compile(r"<img\b[^>]*>", re.I)
HTML_LINK_TARGET = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']([^\"']*)[\"']", re.I)
URL = re.compile(r"<?\b(?:https?://|ftp://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]>?", re.I)
EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![\w§.-])(?:\+?1[-. ])?(?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])")
VANITY_PHONE = re.compile(r"(?<![\w-])1-8(?:00|33|44|55|66|77|88)-[A-Z0-9]{1,4}(?:-[A-Z0-9]{1,4}){1,3}(?![\w-])")
CITATION_BEFORE = re.compile(r"(§|U\.\s?S\.\s?C\.|C\.?F\.?R\.?|Pub\.\s?L\.|Stat\.)\s*$")
PLACEHOLDER = re.compile(r"\b(TODO|TBD|FIXME|lorem ipsum|lorem)\b", re.I)
VAGUE_LINK_TEXT = {
    "here", "click here", "click", "click this link", "go here", "see here", "this",
    "this page", "this link", "this site", "this website", "link", "page", "website",
    "more", "read more", "learn more", "more info", "more information", "details",
}
VAGUE_ALT_TEXT = {"image", "picture", "photo", "photograph", "graphic", "icon", "screenshot",
                  "img", "figure", "logo"}
DECORATIVE = re.compile(r"role\s*=\s*[\"']presentation[\"']")

FIX_LINK_TEXT = ("Use the name of the destination as the link text, for example "
                 "[the MOU template](../structure/mou-template.md).")
FIX_DATA = ("Remove it from the text. Show contact details with contact_block (see "
            "docs/contribute/macro-reference.md); to add or change a contact, edit "
            "data/contacts.yml as docs/contribute/adding-data.md explains.")
FIX_URL = ("Remove the address. Name the organization or document in words, and if readers "
           "need the link, add it to data/sources.yml (see docs/contribute/adding-data.md) "
           "and show it with resource_link or resource_table.")


def _normalise(text: str) -> str:
    text = re.sub(r"[*_`]", "", text).strip().lower()
    return re.sub(r"\s+", " ", text).strip(" .,:;!?»›→-")


def _check_links(path: str, line: Line) -> list[Problem]:
    problems = []
    for match in LINK.finditer(line.text):
        text, target = match.group(1), match.group(2)
        label = _normalise(text)
        if not label:
            problems.append(Problem(path, line.number, "link-text",
                                    "a link has no text, so screen readers announce only its "
                                    "address.", FIX_LINK_TEXT))
        elif label in VAGUE_LINK_TEXT:
            problems.append(Problem(path, line.number, "link-text",
                                    f'the link text "{text.strip()}" does not say where the '
                                    "link goes.", FIX_LINK_TEXT))
        problems += _check_target(path, line.number, target)
    for match in REF_LINK.finditer(line.text):
        if _normalise(match.group(1)) in VAGUE_LINK_TEXT:
            problems.append(Problem(path, line.number, "link-text",
                                    f'the link text "{match.group(1).strip()}" does not say '
                                    "where the link goes.", FIX_LINK_TEXT))
    for match in HTML_LINK_TARGET.finditer(line.text):
        problems += _check_target(path, line.number, match.group(1))
    return problems


def _check_target(path: str, number: int, target: str) -> list[Problem]:
    lowered = target.lower()
    if lowered.startswith("mailto:"):
        return [Problem(path, number, "typed-email",
                        f"a link opens an email address ({target[7:]}).", FIX_DATA)]
    if lowered.startswith("tel:"):
        return [Problem(path, number, "typed-phone",
                        f"a link dials a phone number ({target[4:]}).", FIX_DATA)]
    if re.match(r"(?:[a-z][a-z0-9+.-]*:|//|www\.)", lowered):
        return [Problem(path, number, "external-link",
                        f"a link points to an outside address ({target}); pages link only to "
                        "other pages of the guide.", FIX_URL)]
    return []


def _check_images(path: str, line: Line) -> list[Problem]:
    problems = []
    fix = ('Describe what the image shows in the square brackets: ![Map of the counties the '
           'task force serves](map.png). If the image is only decoration, add '
           '{ role="presentation" } right after it.')
    for match in IMAGE.finditer(line.text):
        alt, src, attrs = match.group(1).strip(), match.group(2), match.group(3) or ""
        if not alt and not DECORATIVE.search(attrs):
            problems.append(Problem(path, line.number, "image-alt",
                                    f"the image {src.split()[0] if src else ''} has no alt text "
                                    "(the words read out to people who cannot see it).", fix))
        elif alt and (_normalise(alt) in VAGUE_ALT_TEXT
                      or re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt, re.I)):
            problems.append(Problem(path, line.number, "image-alt",
                                    f'the alt text "{alt}" does not describe the image.', fix))
    for match in HTML_IMG.finditer(line.text):
        tag = match.group(0)
        alt = re.search(r"\balt\s*=\s*[\"']([^\"']*)[\"']", tag, re.I)
        if alt is None or (not alt.group(1).strip() and not DECORATIVE.search(tag)):
            problems.append(Problem(path, line.number, "image-alt",
                                    "an <img> tag has no alt text.",
                                    'Add alt="what the image shows", or alt="" '
                                    'role="presentation" for decoration only.'))
    return problems


def _check_typed_details(path: str, line: Line) -> list[Problem]:
    """Phone numbers, emails and URLs typed as text (link targets are checked separately)."""
    problems = []
    text = IMAGE.sub(_blank, line.text)
    text = LINK.sub(lambda m: "[" + m.group(1) + "]" + " " * (len(m.group(0)) - len(m.group(1)) - 2), text)
    text = re.sub(r"<[^>]*\bhref\s*=[^>]*>", _blank, text, flags=re.I)
    for match in URL.finditer(text):
        problems.append(Problem(path, line.number, "bare-url",
                                f"an internet address is typed into the text ({match.group(0).strip('<>')}).",
                                FIX_URL))
    text = URL.sub(_blank, text)
    for match in EMAIL.finditer(text):
        problems.append(Problem(path, line.number, "typed-email",
                                f"an email address is typed into the text ({match.group(0)}).",
                                FIX_DATA))
    text = EMAIL.sub(_blank, text)
    seen: set[int] = set()
    for pattern in (PHONE, VANITY_PHONE):
        for match in pattern.finditer(text):
            if match.start() in seen or CITATION_BEFORE.search(text[:match.start()]):
                continue
            seen.add(match.start())
            problems.append(Problem(path, line.number, "typed-phone",
                                    f"a phone number is typed into the text ({match.group(0).strip()}); "
                                    "only 911 may be typed.", FIX_DATA))
    return problems


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


def check_citations(path: str, page: Page, source_ids: set[str] | None) -> list[Problem]:
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


def check_content(path: str, page: Page, *, require_title: bool = True) -> list[Problem]:
    lines = prose_lines(page.body)
    problems: list[Problem] = []
    headings: list[tuple[int, int, str, int]] = []  # (index in lines, level, text, line number)
    for index, line in enumerate(lines):
        heading = HEADING.match(line.text)
        if heading:
            headings.append((index, len(heading.group(1)), (heading.group(2) or "").strip(),
                             line.number))
        problems += _check_links(path, line)
        problems += _check_images(path, line)
        problems += _check_typed_details(path, line)
        for match in PLACEHOLDER.finditer(line.text):
            problems.append(Problem(path, line.number, "placeholder",
                                    f'the placeholder "{match.group(0)}" is still in the page.',
                                    "Write the missing text, or remove the placeholder (and the "
                                    "section, if it has nothing else in it) before asking for "
                                    "review."))

    first_line = lines[0].number if lines else 1
    titles = [h for h in headings if h[1] == 1]
    if require_title and not titles:
        problems.append(Problem(path, first_line, "heading-h1",
                                "the page has no # heading (its title).",
                                "Add one line '# Page title' right after the front matter, "
                                "using the same words as the title field."))
    for extra in titles[1:]:
        problems.append(Problem(path, extra[3], "heading-h1",
                                f'"# {extra[2]}" is a second # heading; a page has exactly one, '
                                f"its title (line {titles[0][3]}).",
                                "Make this a section with ## (or ### under a ## section), or "
                                "move its content to a page of its own."))
    previous = 0
    for _, level, text, number in headings:
        if previous and level > previous + 1:
            problems.append(Problem(path, number, "heading-skip",
                                    f'the heading "{"#" * level} {text}" jumps from level '
                                    f"{previous} to level {level}.",
                                    f"Use {'#' * (previous + 1)} here (one level below the "
                                    "heading above it), or add the missing level above."))
        previous = level
    for position, (index, level, text, number) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        next_level = headings[position + 1][1] if position + 1 < len(headings) else 0
        has_body = any(line.has_content for line in lines[index + 1:end])
        if not has_body and next_level <= level:
            problems.append(Problem(path, number, "empty-section",
                                    f'the section "{"#" * level} {text}" has no content.',
                                    "Write the section, or delete its heading until you have "
                                    "something to put under it."))
    return sorted(problems, key=lambda p: (p.line, p.rule))


# --- spelling and Markdown style (external tools) ------------------------------------------

CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>\S+) ==> (?P<suggestion>[^|]+?)(?:\s*\|.*)?$")
PYMARKDOWN_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<col>\d+): (?P<rule>MD\d+): (?P<message>.*?)(?: \((?P<names>[^)]*)\))?$")
MARKDOWN_FIXES = {
    "MD003": "Write headings with # marks at the start of the line, not underlined with === or ---.",
    "MD004": "Start every bullet in a list with the same mark, a hyphen (-).",
    "MD005": "Line up items of the same list at the same indentation.",
    "MD009": "Delete the spaces at the end of the line.",
    "MD010": "Replace the tab with spaces (four spaces for indentation).",
    "MD011": "Write links as [text](target): square brackets first, then round ones.",
    "MD012": "Delete the extra blank line; one blank line is enough.",
    "MD018": "Put a space between the # marks and the heading text.",
    "MD019": "Use one space between the # marks and the heading text.",
    "MD022": "Leave a blank line before and after the heading.",
    "MD023": "Start the heading at the beginning of the line (no spaces before #).",
    "MD024": "Give the heading different words from its neighbour with the same parent.",
    "MD026": "Remove the punctuation at the end of the heading.",
    "MD027": "Use one space after > in a quotation.",
    "MD028": "Remove the blank line inside the quotation, or start each line with >.",
    "MD029": "Number the list 1, 2, 3 … (or 1, 1, 1 …).",
    "MD030": "Use one space after a list mark.",
    "MD031": "Leave a blank line before and after the ``` code block.",
    "MD032": "Leave a blank line before and after the list.",
    "MD033": "Write this with Markdown instead of HTML, or ask an engineer to review it.",
    "MD035": "Write horizontal rules the same way throughout the page (---).",
    "MD037": "Remove the spaces just inside the * or _ marks.",
    "MD038": "Remove the spaces just inside the backticks.",
    "MD039": "Remove the spaces just inside the square brackets of the link.",
    "MD040": "Name the language after the opening ``` (for example ```markdown or ```yaml).",
    "MD041": "Start the page (after the front matter) with its # heading.",
    "MD042": "Give the link a destination, or remove the brackets.",
    "MD047": "End the file with exactly one empty line.",
    "MD048": "Use ``` for every code block on the page.",
    "MD049": "Use the same mark for italics throughout the page (*word*).",
    "MD050": "Use the same mark for bold throughout the page (**word**).",
    "MD055": "Start and end every table row the same way (with or without | at both ends).",
    "MD056": "Give every table row the same number of cells as the header row.",
    "MD058": "Leave a blank line before and after the table.",
}


def _run(command: list[str]) -> subprocess.CompletedProcess | None:
    try:
        return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired):
        return None


def _tool_missing(name: str, detail: str) -> Problem:
    return Problem(name, 1, "tools", f"{name} could not run ({detail.strip()[:300]}).",
                   "Run `make lint`, which installs the pinned tools into .venv first.")


def run_codespell(files: list[str]) -> list[Problem]:
    if not files:
        return []
    result = _run([sys.executable, "-m", "codespell_lib", *files])
    if result is None or result.returncode not in (0, 65):
        return [_tool_missing("codespell", result.stderr if result else "not found")]
    problems = []
    for line in result.stdout.splitlines():
        match = CODESPELL_LINE.match(line.strip())
        if not match:
            continue
        word, suggestion = match.group("word"), match.group("suggestion").strip()
        problems.append(Problem(
            match.group("path").removeprefix("./"), int(match.group("line")), "spelling",
            f"'{word}' may be misspelled (did you mean '{suggestion}'?).",
            "Correct the word. If it is right — a name, a legal or program term, or a title "
            f"quoted exactly — add '{word.lower()}' on a line of its own in .codespell-words.txt."))
    return problems


RAW_TAG_LINE = re.compile(r"^\s*{%-?\s*(?:end)?raw\s*-?%}\s*$")


def _next_to_raw_tag(path: Path, number: int) -> bool:
    """A fence right inside {% raw %} … {% endraw %} is fine: the tag lines become the
    blank lines Markdown needs once the macros plugin has removed them."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return False
    neighbours = [lines[i] for i in (number - 2, number) if 0 <= i < len(lines)]
    return any(RAW_TAG_LINE.match(line) for line in neighbours)


def run_pymarkdown(files: list[str]) -> list[Problem]:
    if not files:
        return []
    result = _run([sys.executable, "-m", "pymarkdown", "--config", ".pymarkdown.json",
                   "scan", *files])
    if result is None or result.returncode not in (0, 1):
        return [_tool_missing("pymarkdown", (result.stderr or result.stdout) if result else "not found")]
    problems = []
    for line in result.stdout.splitlines():
        match = PYMARKDOWN_LINE.match(line.strip())
        if not match:
            continue
        rule = match.group("rule")
        names = (match.group("names") or "").split(",")[0]
        path = Path(match.group("path"))
        if path.is_absolute():
            try:
                path = path.relative_to(ROOT)
            except ValueError:
                pass
        if rule == "MD031" and _next_to_raw_tag(ROOT / path, int(match.group("line"))):
            continue
        if rule == "MD041" and path.parts[:1] == (".github",):
            continue  # GitHub templates are pasted into a description; they start at ##.
        problems.append(Problem(
            path.as_posix(), int(match.group("line")), f"markdown-style {rule}" + (f" ({names})" if names else ""),
            f"{match.group('message').rstrip('.')} (column {match.group('col')}).",
            MARKDOWN_FIXES.get(rule, f"Correct the Markdown as the message says; pymarkdown's "
                                     f"documentation explains rule {rule}.")))
    return problems


# --- the whole run -------------------------------------------------------------------------

REPO_MARKDOWN = ("CONTRIBUTING.md", ".github/PULL_REQUEST_TEMPLATE.md")
SPELLING_EXTRA = ("CONTRIBUTING.md", "README.md", "data", ".github/PULL_REQUEST_TEMPLATE.md",
                  ".github/ISSUE_TEMPLATE")


CHECKS = ("pages", "spelling", "markdown")


def _checks(text: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [c for c in chosen if c not in CHECKS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(CHECKS)} (found {text!r})")
    return chosen


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-29") from None


def _label(path: Path) -> str:
    path = path.resolve()
    try:
        return path.relative_to(ROOT).as_posix()
    except ValueError:
        return path.as_posix()


def register_ids(data_dir: Path) -> set[str] | None:
    """The ids in data/sources.yml, or None when the file cannot be read (then
    `make check-data` reports why, and citations are not checked against it)."""
    raw, problems = read_yaml(data_dir / "sources.yml", "data/sources.yml")
    if problems or not isinstance(raw, list):
        return None
    return {str(item["id"]) for item in raw if isinstance(item, dict) and "id" in item}


def lint_pages(pages: list[Path], docs_dir: Path, context: dict, exempt: list[str]) -> list[Problem]:
    problems: list[Problem] = []
    for page_path in pages:
        label = _label(page_path)
        try:
            rel = page_path.resolve().relative_to(docs_dir.resolve()).as_posix()
        except ValueError:
            rel = page_path.name
        page = split_page(page_path.read_text(encoding="utf-8"))
        exempt_page = is_exempt(rel, exempt)
        if not exempt_page:
            problems += check_front_matter(label, page, context)
        problems += check_content(label, page, require_title=not exempt_page)
        problems += check_citations(label, page, context.get("source_ids"))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python scripts/lint.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="pages to check (default: every page under docs/)")
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                        help="path to mkdocs.yml (default: the repository's)")
    parser.add_argument("--today", type=_date, default=None,
                        help="check as if today were this date (YYYY-MM-DD)")
    parser.add_argument("--stale-after-days", type=int, default=None,
                        help="list pages older than this (default: extra.stale_after_days)")
    parser.add_argument("--checks", type=_checks, default=CHECKS,
                        help="comma-separated subset of: " + ", ".join(CHECKS)
                        + " (default: all; pre-commit runs them as separate hooks)")
    args = parser.parse_args(argv)
    today = args.today or date.today()

    try:
        project = project_from_config_file(args.config)
        stale_after = args.stale_after_days or project.stale_after_days
        vocab = load_vocabularies(project.data_dir)
        source_ids = register_ids(project.data_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    exempt = list(project.extra.get("front_matter_exempt") or [])
    statuses = list((project.extra.get("status") or {}).keys()) or None
    context = {"vocab": vocab, "today": today, "statuses": statuses, "source_ids": source_ids}

    docs_dir = project.docs_dir
    if args.files:
        pages = [f for f in args.files if f.suffix == ".md" and f.resolve().is_relative_to(docs_dir.resolve())]
        others = [f for f in args.files if f not in pages]
    else:
        pages = sorted(docs_dir.rglob("*.md"))
        others = [ROOT / name for name in REPO_MARKDOWN if (ROOT / name).exists()]

    problems = lint_pages(pages, docs_dir, context, exempt) if "pages" in args.checks else []
    if "spelling" in args.checks:
        spelled = [_label(p) for p in [*pages, *others]]
        if not args.files:
            spelled += [name for name in SPELLING_EXTRA if (ROOT / name).exists()]
        problems += run_codespell(sorted(set(spelled)))
    if "markdown" in args.checks:
        problems += run_pymarkdown(sorted({_label(p) for p in [*pages, *others] if p.suffix == ".md"}))

    checked = {_label(p) for p in pages} if "pages" in args.checks else set()
    stale = [s for s in stale_pages(docs_dir, today, stale_after)
             if _label(docs_dir / s.path) in checked]
    if stale:
        print(f"Reminders: {len(stale)} page(s) not reviewed in the last {stale_after} days "
              "(these do not fail the check; see docs/contribute/review-cycle.md):")
        for item in stale:
            when = (f"last reviewed {item.last_reviewed.isoformat()} ({item.age_days} days ago)"
                    if item.last_reviewed else "no last_reviewed date")
            print(f"  - {_label(docs_dir / item.path)}: {when}")
        print()

    problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.rule))
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(problem)
        if annotate:
            print(problem.annotation())
    count = len(problems)
    files = len({p.path for p in problems})
    if count:
        print(f"\n{count} problem(s) in {files} file(s). Each line says the file, the line "
              "number, the rule and how to fix it; docs/contribute/page-conventions.md has "
              "the details.", file=sys.stderr)
        return 1
    print(f"Content checks passed: {len(pages)} page(s) checked.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
