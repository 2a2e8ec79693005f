"""Plain-language messages for the mistakes editors make most: dates, YAML layout,
misspelled ids. Used by the data loader, the page checks and `make check`, so every
command words the same mistake the same way.

Nothing here raises; each function returns words (or None when it has nothing better
than the original message).
"""

from __future__ import annotations

import difflib
import re
from datetime import date, datetime
from typing import Any, Iterable, Optional

import yaml

# --- "did you mean …" --------------------------------------------------------------------


def close_matches(value: Any, known: Iterable[str], n: int = 3) -> list[str]:
    """The known values nearest to value (difflib), best first."""
    text = str(value)
    options = [str(k) for k in known]
    found = difflib.get_close_matches(text, options, n=n, cutoff=0.6)
    if not found:  # a different case or separator: "Victim_Services"
        folded = {re.sub(r"[\s_]+", "-", o.casefold()): o for o in options}
        key = re.sub(r"[\s_]+", "-", text.casefold())
        found = [folded[k] for k in difflib.get_close_matches(key, list(folded), n=n, cutoff=0.6)]
    return found


def did_you_mean(value: Any, known: Iterable[str]) -> str:
    """"; did you mean 'victim-services'?" or "" when nothing is close."""
    found = close_matches(value, known)
    if not found:
        return ""
    return f"; did you mean {' or '.join(repr(f) for f in found)}?"


# --- dates -------------------------------------------------------------------------------

_DATE_FORMATS = ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y.%m.%d",
                 "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%m/%d/%y")


def as_iso_date(value: Any) -> Optional[str]:
    """'2026-11-30' for a date typed another common way (11/30/2026, November 30, 2026),
    or None when the text cannot be read as one date."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", " ", value.strip())
    found = set()
    for pattern in _DATE_FORMATS:
        try:
            found.add(datetime.strptime(text, pattern).date().isoformat())
        except ValueError:
            continue
    return found.pop() if len(found) == 1 else None


def date_message(value: Any) -> str:
    """What to say about a value that should have been a date."""
    iso = as_iso_date(value)
    if iso:
        return (f"{value!r} is not written as year-month-day; write the date as {iso}")
    return (f"{value!r} is not a date; write the date as year-month-day, "
            f"for example {date.today().isoformat()}")


def plain_pydantic(error: dict) -> Optional[str]:
    """A plain message for one pydantic error, when there is a better one than pydantic's."""
    kind = error.get("type", "")
    if kind.startswith(("date_", "datetime_")) and kind not in ("date_future", "date_past"):
        return date_message(error.get("input"))
    return None


# --- YAML --------------------------------------------------------------------------------

_INDENT = ("this line is indented differently from the lines around it. Fields of the same "
           "entry must start in the same column, and each new entry starts with '- ' in the "
           "same column as the other entries")

# (pattern in the YAML error, plain message or None to keep the error's own words)
_YAML_PROBLEMS = tuple((re.compile(pattern), words) for pattern, words in (
    (r"mapping values are not allowed",
     "there is a colon (:) where YAML did not expect one. Either this line is indented "
     "differently from the line above, or a value contains ': ' and must be put in quotes, "
     "like title: \"Part 1: the basics\""),
    (r"expected <block end>, but found '?<block (mapping|sequence) start>'?",
     _INDENT),
    (r"expected <block end>, but found '-'",
     "a list item ('- ') is indented differently from the items above it; line it up with them"),
    (r"expected <block end>, but found '<scalar>'",
     "this text is not where YAML expects it: " + _INDENT),
    (r"expected <block end>", _INDENT),
    (r"could not find expected ':'",
     "a field name has no colon after it: write each field as name: value (or a quotation "
     "mark on an earlier line was never closed)"),
    (r"found character '\\t'|found a tab character",
     "there is a tab character; indent with spaces only"),
    (r"found unexpected end of stream|while scanning a quoted scalar",
     "a quotation mark is opened but never closed; add the closing quote on the same line"),
    (r"expected ',' or '\]'",
     "a list in square brackets is not closed; add the ] (and separate items with commas)"),
    (r"expected ',' or '}'",
     "a set of fields in curly brackets is not closed; add the }"),
    (r"found undefined alias|found character '\*'",
     "a value starts with * ; put the whole value in quotes"),
    (r"found character '@'|found character '`'",
     "a value starts with a character YAML reserves (@ or `); put the whole value in quotes"),
    (r"appears twice", None),  # our own duplicate-key message is already plain
))


def yaml_problem(error: yaml.YAMLError) -> tuple[Optional[int], str]:
    """(line number or None, plain message) for a YAML syntax error."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    if "quoted scalar" in (getattr(error, "context", None) or "") and error.context_mark:
        mark = error.context_mark  # where the quotation mark was opened
    line = mark.line + 1 if mark is not None else None
    raw = " ".join(filter(None, (getattr(error, "context", None), getattr(error, "problem", None))))
    raw = raw or str(error).splitlines()[0]
    for pattern, words in _YAML_PROBLEMS:
        if pattern.search(raw):
            return line, (words or raw)
    return line, f"YAML could not read this line ({raw})"


# --- a fix for each kind of message ------------------------------------------------------

DATA_HELP = "docs/contribute/adding-data.md"


def fix_for(message: str) -> str:
    """The 'Fix:' line for a data or macro message, from its wording."""
    iso = re.search(r"write the date as (\d{4}-\d{2}-\d{2})", message)
    if iso:
        return f"Write the date as {iso.group(1)} (year-month-day)."
    if "write the date as year-month-day" in message:
        return "Write the date as year-month-day, such as 2026-11-30."
    mean = re.search(r"did you mean ('[^']*')", message)
    if mean:
        return f"Change it to {mean.group(1)} if that is what you meant; otherwise use one of the known values."
    if "is required but missing" in message:
        return f"Add the field; {DATA_HELP} lists the fields each entry needs."
    if "is not a known field" in message:
        return f"Remove the field or correct its spelling; {DATA_HELP} lists the fields."
    if "colon (:)" in message:
        return ("Line the field up with the fields above it, using spaces; if its value "
                "contains ': ', put the whole value in double quotes.")
    if "indented" in message or "line it up" in message:
        return "Line this line up with the lines above it, using spaces (compare with a neighbouring entry)."
    if "no colon after it" in message:
        return "Write the field as name: value, with a colon and a space."
    if "quotation mark" in message or "in quotes" in message:
        return "Close the quotation mark, or put the whole value in double quotes."
    if "tab character" in message:
        return "Replace the tab with spaces."
    if "appears twice" in message or "duplicate" in message:
        return "Keep one of the two; each field or id may appear once."
    if "no contact with id" in message or "no source with id" in message or "no resource" in message:
        return f"Use an id that exists in the data file, or add the entry first ({DATA_HELP})."
    if "in the future" in message:
        return "Use today's date or an earlier one."
    return f"Correct the value as the message says; {DATA_HELP} explains each field."


# --- MkDocs' own link warnings (shown in the preview's error box) ---------------------------

_MKDOCS_WARNINGS = (
    (re.compile(r"^Doc file '[^']+' contains a link '(?P<link>[^']+)', but the target "
                r"'(?P<target>[^']+)' is not found among documentation files\.?$"),
     "the link '{link}' points to docs/{target}, which does not exist. Check the path: it is "
     "relative to this page, and ../ goes up one folder"),
    (re.compile(r"^Doc file '[^']+' contains a link '(?P<link>[^']+)', but the doc "
                r"'(?P<target>[^']+)' does not contain an anchor '#(?P<anchor>[^']+)'\.?$"),
     "the link '{link}' points to a section '#{anchor}' that docs/{target} does not have. "
     "A section's anchor is its heading in lower case, with hyphens for spaces"),
    (re.compile(r"^Doc file '[^']+' contains an unrecognized relative link '(?P<link>[^']+)'"),
     "the link '{link}' does not point to a page file; link to the page's .md file, such as "
     "../structure/mou.md"),
)


def mkdocs_warning(text: str) -> str:
    """MkDocs' warning about a link, in the words `make check` uses; others unchanged."""
    for pattern, words in _MKDOCS_WARNINGS:
        found = pattern.match(text.strip())
        if found:
            return words.format(**found.groupdict())
    return text
