"""The content checks an editor meets in a pull request, in words an editor can act on.

    python scripts/lint.py [FILE ...] [--checks pages,spelling,markdown] [--today YYYY-MM-DD]

With no FILE: every page under docs/, plus CONTRIBUTING.md and the pull request template
(and, for spelling, README.md, data/ and the issue forms). Each problem is printed as

    docs/page.md:12: markdown-style MD059 (descriptive-link-text): Link text should be …
        Fix: Use words that say where the link goes …

Checks (choose some with --checks; pre-commit runs each as its own hook):
  pages     front matter, against the schema in macros/frontmatter.py, and the guide's own
            rules that no Markdown linter has (scripts/lint_rules.py): typed phone numbers
            and emails, outside links, placeholders, empty sections, citations.
  spelling  codespell, with the project's words in .codespell-words.txt
  markdown  pymarkdown's rules through its Python API, configured in .pymarkdown.json:
            among them MD001 heading levels, MD025 one # heading, MD034 bare URLs, MD045
            image alt text, MD059 link text (with the guide's list of vague phrases). Rules
            switched off there clash with the page conventions (MD013 line length, MD046
            indented admonition bodies, MD007 four-space nested lists that Python-Markdown
            needs, MD036 bold labels in templates). {% raw %} examples are exempt from the
            content rules (MD001, MD025, MD034, MD045, MD059).

Pages not reviewed within extra.stale_after_days (mkdocs.yml) are listed as reminders;
they do not fail the check. Exit status 1 when any problem is found.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import importlib.metadata
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError
from pymarkdown.api import PyMarkdownApi, PyMarkdownApiException

from scripts.lint_rules import (
    Problem, check_citations, check_content, check_front_matter, raw_spans)
from macros.pages import is_exempt, read_front_matter, split_page  # noqa: E402
from macros.health import stale_pages  # noqa: E402
from macros.loader import DataError, describe, read_yaml  # noqa: E402
from macros.project import load_project  # noqa: E402
from macros.models import Vocabularies  # noqa: E402


# --- the register and the vocabularies ---------------------------------------------------

def load_vocabularies(data_dir: Path) -> Vocabularies:
    """data/vocabularies.yml, or a DataError naming the list, the entry and the field."""
    label = "data/vocabularies.yml"
    raw, problems = read_yaml(data_dir / "vocabularies.yml", label)
    if problems:
        raise DataError(problems)
    try:
        return Vocabularies.model_validate(raw)
    except ValidationError as error:
        lines = []
        for item in error.errors():
            loc, (_, message) = item["loc"], describe(item)
            where = f"list '{loc[0]}'" if loc else "the file"
            if len(loc) > 1 and isinstance(loc[1], int):
                entries = raw.get(loc[0]) if isinstance(raw, dict) else None
                entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
                ident = entry.get("id") if isinstance(entry, dict) else None
                where += f", entry '{ident}'" if ident else f", entry #{loc[1] + 1}"
            field_name = ".".join(str(p) for p in loc[2:])
            lines.append(f"{label}: {where}{f', field {field_name!r}' if field_name else ''}: {message}")
        raise DataError(lines) from None


def register_ids(data_dir: Path) -> set[str] | None:
    """The ids in data/sources.yml, or None when the file cannot be read (then
    `make check-data` reports why, and citations are not checked against it)."""
    raw, problems = read_yaml(data_dir / "sources.yml", "data/sources.yml")
    if problems or not isinstance(raw, list):
        return None
    return {str(item["id"]) for item in raw if isinstance(item, dict) and "id" in item}


# --- Markdown style: pymarkdown ---------------------------------------------------------------

MARKDOWN_FIXES = {
    "MD001": "Use one more # than the heading above it (## under #, ### under ##), or add "
             "the missing level above.",
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
    "MD025": "Keep one # heading, the page title. Make this a section with ## (or ### under "
             "a ## section), or move its content to a page of its own.",
    "MD024": "Give the heading different words from its neighbour with the same parent.",
    "MD026": "Remove the punctuation at the end of the heading.",
    "MD027": "Use one space after > in a quotation.",
    "MD028": "Remove the blank line inside the quotation, or start each line with >.",
    "MD029": "Number the list 1, 2, 3 … (or 1, 1, 1 …).",
    "MD030": "Use one space after a list mark.",
    "MD031": "Leave a blank line before and after the ``` code block.",
    "MD032": "Leave a blank line before and after the list.",
    "MD033": "Write this with Markdown instead of HTML, or ask an engineer to review it.",
    "MD034": "Remove the address. Name the organization or document in words, and if "
             "readers need the link, add it to data/sources.yml (see "
             "docs/contribute/adding-data.md) and show it with resource_link or resource_table.",
    "MD035": "Write horizontal rules the same way throughout the page (---).",
    "MD037": "Remove the spaces just inside the * or _ marks.",
    "MD038": "Remove the spaces just inside the backticks.",
    "MD039": "Remove the spaces just inside the square brackets of the link.",
    "MD040": "Name the language after the opening ``` (for example ```markdown or ```yaml).",
    "MD041": "Start the page, right after the front matter, with one line '# Page title' in "
             "the same words as the title field.",
    "MD042": "Give the link a destination, or remove the brackets.",
    "MD045": "Describe what the image shows in the square brackets: ![Map of the counties the "
             "task force serves](map.png). If the image is only decoration, add "
             '{ role="presentation" } right after it.',
    "MD047": "End the file with exactly one empty line.",
    "MD048": "Use ``` for every code block on the page.",
    "MD049": "Use the same mark for italics throughout the page (*word*).",
    "MD050": "Use the same mark for bold throughout the page (**word**).",
    "MD055": "Start and end every table row the same way (with or without | at both ends).",
    "MD056": "Give every table row the same number of cells as the header row.",
    "MD058": "Leave a blank line before and after the table.",
    "MD059": "Use words that say where the link goes (the name of the destination, for "
             "example [the MOU template](../structure/mou-template.md)); for an image, "
             "describe what it shows.",
}

# The checkout these scripts are in: only the default project. Every function that reads
# project files takes the project's root (a copy of the project is checked as itself).
SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
PYMARKDOWN_CONFIG = ".pymarkdown.json"  # under the project's root


def pymarkdown_settings(root: Path) -> Path:
    """The project's .pymarkdown.json; this checkout's when the project has none (a small
    test project with only docs/ and data/)."""
    found = root / PYMARKDOWN_CONFIG
    return found if found.is_file() else ROOT / PYMARKDOWN_CONFIG
CONTENT_RULES = {"MD001", "MD025", "MD034", "MD045", "MD059"}  # examples in {% raw %} may break them
RAW_TAG_LINE = re.compile(r"^\s*{%-?\s*(?:end)?raw\s*-?%}\s*$")
DECORATIVE = re.compile(r"!\[\s*\]\([^)]*\)\{[^}]*\brole\s*=\s*[\"']presentation[\"']")


def _tool_missing(name: str, detail: str) -> Problem:
    return Problem(name, 1, "tools", f"{name} could not run ({detail.strip()[:300]}).",
                   "Run `make lint`, which installs the pinned tools into .venv first.")


def _wanted(failure, lines: list[str], spans: list[tuple[int, int, int, int]],
            label: str, exempt: bool) -> bool:
    """False for the failures the page conventions allow."""
    rule, number, column = failure.rule_id, failure.line_number, failure.column_number
    text = lines[number - 1] if 0 < number <= len(lines) else ""
    if rule in CONTENT_RULES and any((l1, c1) <= (number, column) <= (l2, c2)
                                     for l1, c1, l2, c2 in spans):
        return False  # an example inside {% raw %}
    if rule == "MD031":  # the {% raw %} tag lines become blank once the macros plugin runs
        neighbours = [lines[i] for i in (number - 2, number) if 0 <= i < len(lines)]
        return not any(RAW_TAG_LINE.match(line) for line in neighbours)
    if rule == "MD045":
        return not DECORATIVE.match(text[column - 1:])
    if rule == "MD041":  # snippets and GitHub templates are pasted into other text
        return not exempt and not label.startswith(".github/")
    return True


def scan_markdown(label: str, text: str, *, exempt: bool = False, root: Path = ROOT) -> list[Problem]:
    """pymarkdown's findings for one file, as Problems with the guide's fix for each rule
    (settings: pymarkdown_settings)."""
    if not text.strip():
        return []
    api = PyMarkdownApi().configuration_file_path(str(pymarkdown_settings(root)))
    try:
        result = api.scan_string(text)
    except PyMarkdownApiException as error:
        return [_tool_missing("pymarkdown", f"{label}: {error.reason}")]
    lines, spans = text.splitlines(), raw_spans(text)
    problems = []
    for failure in result.scan_failures:
        if not _wanted(failure, lines, spans, label, exempt):
            continue
        rule, name = failure.rule_id, failure.rule_name.split(",")[0]
        detail = (failure.extra_error_information or "").strip()
        problems.append(Problem(
            label, failure.line_number, f"markdown-style {rule} ({name})",
            f"{failure.rule_description.rstrip('.')}{' ' + detail if detail else ''} "
            f"(column {failure.column_number}).",
            MARKDOWN_FIXES.get(rule, f"Correct the Markdown as the message says; pymarkdown's "
                                     f"documentation explains rule {rule}.")))
    return problems


# pymarkdown is the slow part of the checks (about 0.2 s a page). Its findings for a file
# are kept in .cache/check/ under a hash of the file, its path, the settings, pymarkdown's
# version and the rules' code. Tests that check a copy of the project point every copy at
# one folder (EGUIDE_CHECK_CACHE), so copies share it.
CACHE_DIR = Path(os.environ.get("EGUIDE_CHECK_CACHE") or ROOT / ".cache" / "check")


def run_pymarkdown(files: list[str], exempt: set[str] = frozenset(), *, root: Path = ROOT,
                   cache: Path | None = CACHE_DIR) -> list[Problem]:
    """pymarkdown's findings for the files (paths, or labels under root), in their order.

    With a cache, processes that scan the same files at once share the work: a file
    another process is scanning is passed over and read from the cache once it is
    written (a fresh clone's test run starts several checks of the whole guide at once)."""
    items = []
    for name in files:
        path = Path(name) if Path(name).is_absolute() else root / name
        label = _label(path, root)
        items.append((label, path.read_text(encoding="utf-8"), label in exempt))
    if cache is None:
        return [p for label, text, skip in items for p in scan_markdown(label, text, exempt=skip, root=root)]
    salt = cache_salt(root)
    found: dict[str, list[Problem]] = {}
    todo = items
    while todo:
        elsewhere = []
        for item in todo:
            result = _scan_cached(item, salt, cache, root, wait=False)
            if result is None:
                elsewhere.append(item)
            else:
                found[item[0]] = result
        if elsewhere and len(elsewhere) == len(todo):  # every file left is being scanned elsewhere
            item = elsewhere.pop(0)
            found[item[0]] = _scan_cached(item, salt, cache, root, wait=True)
        todo = elsewhere
    return [problem for label, _, _ in items for problem in found[label]]


def cache_salt(root: Path) -> bytes:
    salt = hashlib.sha256(importlib.metadata.version("pymarkdownlnt").encode())
    for path in (pymarkdown_settings(root), SCRIPTS / "lint.py", SCRIPTS / "lint_rules.py"):
        salt.update(path.read_bytes() if path.is_file() else b"")
    return salt.digest()


def cache_key(label: str, text: str, exempt: bool, salt: bytes) -> str:
    """The name of a file's findings in the cache (and of its lock, `.lock`)."""
    return hashlib.sha256(salt + label.encode() + (b"1" if exempt else b"0") + text.encode()).hexdigest()


def _scan_cached(item: tuple[str, str, bool], salt: bytes, cache: Path, root: Path,
                 wait: bool) -> list[Problem] | None:
    """One file's findings from the cache, or scanned and cached; None when another
    process holds the file's lock and `wait` is false."""
    label, text, exempt = item
    stored = cache / f"{cache_key(label, text, exempt, salt)}.json"

    def read() -> list[Problem]:
        return [Problem(**entry) for entry in json.loads(stored.read_text(encoding="utf-8"))]

    if stored.is_file():
        return read()
    cache.mkdir(parents=True, exist_ok=True)
    with open(stored.with_suffix(".lock"), "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            return None
        try:
            if stored.is_file():  # written while this process waited
                return read()
            problems = scan_markdown(label, text, exempt=exempt, root=root)
            # Written whole, then renamed: a reader never sees half a file.
            partial = stored.with_name(f"{stored.name}.{os.getpid()}.partial")
            partial.write_text(json.dumps([p.__dict__ for p in problems]), encoding="utf-8")
            os.replace(partial, stored)
            return problems
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


# --- spelling: codespell ----------------------------------------------------------------------
# codespell has no Python API that returns its findings (codespell_lib.main only prints),
# so it runs as a program with colours off and its one documented line format is read:
# "FILE:LINE: WORD ==> SUGGESTION[, SUGGESTION][ | REASON]".

CODESPELL_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<word>\S+) ==> (?P<suggestion>[^|]+?)(?:\s*\|.*)?$")


def _translated(path: Path) -> bool:
    if path.suffix != ".md" or not path.is_file():
        return False
    meta = read_front_matter(path)
    return isinstance(meta, dict) and meta.get("lang") not in (None, "en")


def run_codespell(files: list[str], *, root: Path = ROOT) -> list[Problem]:
    """codespell on files (paths under root), with the project's own word list."""
    if not files:
        return []
    try:
        result = subprocess.run([sys.executable, "-m", "codespell_lib", "--disable-colors",
                                 "--skip", "*/i18n/*,i18n", *files],
                                cwd=root, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        return [_tool_missing("codespell", str(error))]
    if result.returncode not in (0, 65):
        return [_tool_missing("codespell", result.stderr or result.stdout)]
    problems = []
    for line in result.stdout.splitlines():
        match = CODESPELL_LINE.match(line.strip())
        if not match:
            if line.strip():  # a line in no known format is shown, never dropped
                problems.append(_tool_missing("codespell", f"unexpected output: {line}"))
            continue
        word, suggestion = match.group("word"), match.group("suggestion").strip()
        problems.append(Problem(
            match.group("path").removeprefix("./"), int(match.group("line")), "spelling",
            f"'{word}' may be misspelled (did you mean '{suggestion}'?).",
            "Correct the word. If it is right — a name, a legal or program term, or a title "
            f"quoted exactly — add '{word.lower()}' on a line of its own in .codespell-words.txt."))
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


def _label(path: Path, root: Path = ROOT) -> str:
    path = path.resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def lint_pages(pages: list[Path], docs_dir: Path, context: dict, exempt: list[str],
               root: Path = ROOT) -> list[Problem]:
    problems: list[Problem] = []
    for page_path in pages:
        label = _label(page_path, root)
        try:
            rel = page_path.resolve().relative_to(docs_dir.resolve()).as_posix()
        except ValueError:
            rel = page_path.name
        page = split_page(page_path.read_text(encoding="utf-8"))
        if not is_exempt(rel, exempt):
            problems += check_front_matter(label, page, context)
        problems += check_content(label, page)
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
        project = load_project(args.config)
        stale_after = args.stale_after_days or project.stale_after_days
        vocab = load_vocabularies(project.data_dir)
        source_ids = register_ids(project.data_dir)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1
    exempt = list(project.extra.get("front_matter_exempt") or [])
    statuses = list((project.extra.get("status") or {}).keys()) or None
    context = {"vocab": vocab, "today": today, "statuses": statuses, "source_ids": source_ids}

    docs_dir, root = project.docs_dir, project.root

    def label(path: Path) -> str:
        return _label(path, root)

    if args.files:
        pages = [f for f in args.files if f.suffix == ".md" and f.resolve().is_relative_to(docs_dir.resolve())]
        others = [f for f in args.files if f not in pages]
    else:
        pages = sorted(docs_dir.rglob("*.md"))
        others = [root / name for name in REPO_MARKDOWN if (root / name).exists()]

    problems = lint_pages(pages, docs_dir, context, exempt, root) if "pages" in args.checks else []
    if "spelling" in args.checks:
        # codespell knows English only: translated pages (front matter lang other than
        # en, such as docs/es/) and data/i18n/ are left out.
        spelled = [label(p) for p in [*pages, *others] if not _translated(p)]
        if not args.files:
            spelled += [name for name in SPELLING_EXTRA if (root / name).exists()]
        problems += run_codespell(sorted(set(spelled)), root=root)
    if "markdown" in args.checks:
        exempt_labels = {label(p) for p in pages
                         if is_exempt(p.resolve().relative_to(docs_dir.resolve()).as_posix(), exempt)}
        problems += run_pymarkdown(sorted({label(p) for p in [*pages, *others] if p.suffix == ".md"}),
                                   exempt_labels, root=root)

    checked = {label(p) for p in pages} if "pages" in args.checks else set()
    stale = [s for s in stale_pages(docs_dir, today, stale_after)
             if label(docs_dir / s.path) in checked]
    if stale:
        print(f"Reminders: {len(stale)} page(s) not reviewed in the last {stale_after} days "
              "(these do not fail the check; see docs/contribute/review-cycle.md):")
        for item in stale:
            when = (f"last reviewed {item.last_reviewed.isoformat()} ({item.age_days} days ago)"
                    if item.last_reviewed else "no last_reviewed date")
            print(f"  - {label(docs_dir / item.path)}: {when}")
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
