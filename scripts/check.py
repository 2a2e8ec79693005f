"""Every check an editor's change must pass, in one report (`make check`).

    python scripts/check.py [--today YYYY-MM-DD] [--verbose] [--no-cache]

It checks, without building the site:
  data         data/*.yml: YAML layout, every field of every entry, the vocabularies
  macros       the ids in macro calls such as contact_block("nhth") (when the data loads)
  front-matter every page's --- block
  content      typed phone numbers and emails, outside links, vague link text ("click
               here"), placeholders, empty sections, citations (scripts/lint_rules.py)
  spelling     codespell, with the project's words in .codespell-words.txt
  markdown     pymarkdown's style rules (.pymarkdown.json)
  links        links and images to pages that do not exist, and anchors no heading has
  nav          a page missing from the navigation in mkdocs.yml, a nav entry with no page
  related      reader pages end with two to five Related links

A problem in one check never stops the others: everything is listed at once, grouped by
file, each as `file:line: what is wrong` and `Fix: what to do`. In GitHub Actions each
problem is also printed as an annotation, so it shows on the pull request's changed
lines. The strict build (hooks/editor_checks.py) runs this same code and stops with the
same report, so the two always agree. Exit status 1 when any problem is found.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import traceback
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
import yaml  # noqa: E402

from scripts import lint, site_rules  # noqa: E402
from scripts.lint_rules import Problem, check_citations, check_content  # noqa: E402
from macros import messages  # noqa: E402
from macros.pages import is_exempt, split_page  # noqa: E402
from macros.health import stale_pages  # noqa: E402
from macros.loader import DataError, project_data  # noqa: E402
from macros.project import load_project  # noqa: E402
from macros.references import reference_errors  # noqa: E402
from macros.states import page_problems, project_states  # noqa: E402

HELP = "docs/contribute/page-conventions.md (What the checks look for)"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    pages: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def text(self) -> str:
        """Every problem, grouped by file, then a one-line summary."""
        if self.ok:
            return f"No problems found: data, {self.pages} pages, links and navigation checked."
        out = []
        by_file: dict[str, list[Problem]] = {}
        for problem in self.problems:
            by_file.setdefault(problem.path, []).append(problem)
        for path in sorted(by_file):
            found = by_file[path]
            out.append(f"{path} ({len(found)} problem{'s' if len(found) != 1 else ''})")
            for problem in found:
                out.append(f"  {problem.path}:{problem.line}: {problem.message}  [{problem.rule}]")
                out.append(f"      Fix: {problem.fix}")
            out.append("")
        count, files = len(self.problems), len(by_file)
        out.append(f"{count} problem{'s' if count != 1 else ''} in {files} "
                   f"file{'s' if files != 1 else ''}. Fix {'them' if count != 1 else 'it'}, save, and run `make check` "
                   f"again; {HELP} explains each kind.")
        return "\n".join(out)

    def annotations(self) -> list[str]:
        return [problem.annotation() for problem in self.problems]


# --- data --------------------------------------------------------------------------------

DATA_MESSAGE = re.compile(r"^(?P<file>[\w./-]+\.yml): (?P<rest>.*)$", re.S)
YAML_LINE = re.compile(r"^YAML syntax error at line (\d+)(?:, column \d+)?: (.*)$", re.S)
ENTRY = re.compile(r"^(?:entry '(?P<id>[^']*)'|entry #(?P<n>\d+)|list '(?P<list>[^']*)')"
                   r"(?:, field '(?P<field>[^']*)')?: ")
FIELD = re.compile(r"^field '(?P<field>[^']*)': ")


def _node_line(root: Path, label: str, entry_id, number, list_name, field_name) -> int:
    """The line of the entry's field (or of the entry) in the data file."""
    try:
        node = yaml.compose((root / label).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, yaml.YAMLError):
        return 1
    if node is None:
        return 1
    if list_name and isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == list_name:
                node = value
                break
    item = None
    if isinstance(node, yaml.SequenceNode):
        if number is not None and 0 < number <= len(node.value):
            item = node.value[number - 1]
        for candidate in node.value:
            if item is None and isinstance(candidate, yaml.MappingNode) and entry_id is not None:
                for key, value in candidate.value:
                    if key.value == "id" and getattr(value, "value", None) == entry_id:
                        item = candidate
    elif isinstance(node, yaml.MappingNode) and field_name:
        item = node
    if item is None:
        return node.start_mark.line + 1
    parts = [p for p in (field_name or "").split(".") if p]
    line = item.start_mark.line + 1
    for part in parts:
        if not isinstance(item, yaml.MappingNode):
            break
        match = next(((k, v) for k, v in item.value if k.value == part), None)
        if match is None:
            break
        line, item = match[0].start_mark.line + 1, match[1]
    return line


def data_problems(root: Path, error: DataError) -> list[Problem]:
    problems = []
    for text in error.messages:
        match = DATA_MESSAGE.match(text)
        if not match:
            problems.append(Problem("data", 1, "data", text, messages.fix_for(text)))
            continue
        label, rest = match.group("file"), match.group("rest")
        line = 1
        syntax = YAML_LINE.match(rest)
        if syntax:
            line, rest = int(syntax.group(1)), f"the file cannot be read: {syntax.group(2)}"
        elif (entry := ENTRY.match(rest)) is not None:
            line = _node_line(root, label, entry.group("id"),
                              int(entry.group("n")) if entry.group("n") else None,
                              entry.group("list"), entry.group("field"))
        elif (only := FIELD.match(rest)) is not None:
            line = _node_line(root, label, None, None, None, only.group("field"))
        if rest.endswith("must load before the other files can be checked"):
            rest = ("the other data files were not checked, because this one has problems "
                    "(listed here); fix those first.")
            fix = "Fix the problems above in this file; the others are then checked too."
        else:
            fix = messages.fix_for(rest)
        problems.append(Problem(label, line, "data", rest.rstrip(".") + ".", fix))
    return problems


KNOWN_IDS = re.compile(r" \(known ids: [^)]*\)")
REFERENCE = re.compile(r"^(?P<file>docs/[^,]+), line (?P<line>\d+): (?P<rest>.*)$", re.S)


def macro_problems(messages_: list[str]) -> list[Problem]:
    problems = []
    for text in messages_:
        match = REFERENCE.match(text)
        if not match:
            problems.append(Problem("docs", 1, "macro", text, messages.fix_for(text)))
            continue
        rest = match.group("rest")
        known = KNOWN_IDS.search(rest)
        if known and ("did you mean" in rest or len(known.group(0)) > 300):
            # A list of hundreds of ids helps nobody; the suggestion (or the file) does.
            rest = rest[:known.start()] + " (the ids are in the data file)" + rest[known.end():]
        problems.append(Problem(match.group("file"), int(match.group("line")), "macro",
                                rest.rstrip(".") + ".", messages.fix_for(rest)))
    return problems


# --- the whole run -----------------------------------------------------------------------

def load_shared_data(config_file: Path = ROOT / "mkdocs.yml") -> None:
    """Load and validate the data that run() and the macros share, once per process
    (macros.loader and macros.states keep it until a file or the date changes). The
    build calls this before it starts run() in a process forked from its own, so both
    use this one load. A problem is left for run() to report."""
    try:
        project = load_project(config_file)
        project_states(project, project_data(project))
    except DataError:
        pass


def run(config_file: Path = ROOT / "mkdocs.yml", *, today: date | None = None,
        use_cache: bool = True) -> Report:
    today = today or date.today()
    report = Report()
    problems = report.problems
    project = load_project(config_file)
    root, docs_dir = project.root, project.docs_dir

    def label(path: Path) -> str:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return path.as_posix()

    # 1. Data, then the ids in macro calls (only when the data loads).
    try:
        stale_after = project.stale_after_days
    except DataError as error:
        problems += data_problems(root, error)
        stale_after = 365
    data = None
    try:
        data = project_data(project, today=today)  # the build reuses it (one parse per file)
    except DataError as error:
        problems += data_problems(root, error)
    else:
        problems += macro_problems(reference_errors(data, docs_dir))
        # State law profiles (data/states/*.yml) and their one page each.
        try:
            states = project_states(project, data, today=today)
            problems += macro_problems(page_problems(states, docs_dir))
        except DataError as error:
            problems += data_problems(root, error)

    # 2. Pages: front matter (when the vocabularies load), content rules, links, Related.
    # From the loaded data when it loads; otherwise each file on its own, so a mistake in
    # one data file does not hide the page problems the others allow to check.
    try:
        vocab = data.vocab if data is not None else lint.load_vocabularies(project.data_dir)
    except DataError:
        vocab = None  # reported above, as a data problem
    exempt_patterns = list(project.extra.get("front_matter_exempt") or [])
    statuses = list((project.extra.get("status") or {}).keys()) or None
    context = {"vocab": vocab, "today": today, "statuses": statuses,
               "source_ids": set(data.sources) if data is not None
               else lint.register_ids(project.data_dir)}
    index = site_rules.PageIndex(docs_dir)
    names, own_macros = site_rules.known_macro_names(root, project.config)
    pages = sorted(docs_dir.rglob("*.md"))
    report.pages = len(pages)
    for path in pages:
        rel = path.relative_to(docs_dir).as_posix()
        page_label = label(path)
        text = path.read_text(encoding="utf-8")
        exempt = is_exempt(rel, exempt_patterns)
        page = split_page(text)
        if vocab is not None and not exempt:
            problems += lint.check_front_matter(page_label, page, context)
        problems += check_content(page_label, page)
        problems += check_citations(page_label, page, context["source_ids"])
        problems += site_rules.check_macro_names(page_label, text, names, own_macros)
        if not exempt:
            problems += site_rules.check_links(page_label, rel, text, index)
            if not rel.startswith("contribute/"):
                problems += site_rules.check_related(page_label, rel, text)

    # 3. Navigation.
    config_text = config_file.read_text(encoding="utf-8")
    problems += site_rules.check_nav(project.config, label(config_file), config_text, index,
                                     lambda rel: is_exempt(rel, exempt_patterns))

    # 4. Spelling and Markdown style (the pages, and the repository's own Markdown).
    others = [root / name for name in lint.REPO_MARKDOWN if (root / name).exists()]
    spelled = [label(p) for p in [*pages, *others] if not lint._translated(p)]
    spelled += [name for name in lint.SPELLING_EXTRA if (root / name).exists()]
    problems += lint.run_codespell(sorted(set(spelled)), root=root)
    exempt_labels = {label(p) for p in pages
                     if is_exempt(p.relative_to(docs_dir).as_posix(), exempt_patterns)}
    problems += lint.run_pymarkdown(sorted({label(p) for p in [*pages, *others]}), exempt_labels,
                                    root=root, cache=lint.CACHE_DIR if use_cache else None)

    # A footnote's source() with an unknown id is reported once, by the citation rule.
    cited = {(p.path, p.line) for p in problems if p.rule == "citation-unknown"}
    problems = [p for p in problems if not (p.rule == "macro" and (p.path, p.line) in cited
                                            and "source(" in p.message)]
    report.problems = sorted(set(problems), key=lambda p: (p.path, p.line, p.rule, p.message))
    for item in stale_pages(docs_dir, today, stale_after):
        when = (f"last reviewed {item.last_reviewed.isoformat()} ({item.age_days} days ago)"
                if item.last_reviewed else "no last_reviewed date")
        report.reminders.append(f"{label(docs_dir / item.path)}: {when}")
    return report


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as year-month-day, such as 2026-11-30") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make check", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                        help="path to mkdocs.yml (default: the repository's)")
    parser.add_argument("--today", type=_date, default=None,
                        help="check as if today were this date (YYYY-MM-DD)")
    parser.add_argument("--verbose", action="store_true",
                        help="show the Python details (traceback) if the check itself fails")
    parser.add_argument("--no-cache", action="store_true",
                        help="check every file afresh (ignore .cache/check/)")
    args = parser.parse_args(argv)
    try:
        report = run(args.config, today=args.today, use_cache=not args.no_cache)
    except Exception as error:  # noqa: BLE001 - an editor sees one line, not a traceback
        if args.verbose:
            traceback.print_exc()
        print(f"The check itself could not run: {error}\n"
              "Run `make check VERBOSE=1` to see the details, and ask an engineer.", file=sys.stderr)
        return 2
    if report.reminders:
        print(f"Reminders ({len(report.reminders)} pages not reviewed for a while; these do not "
              "fail the check, see docs/contribute/review-cycle.md):")
        for line in report.reminders:
            print(f"  - {line}")
        print()
    print(report.text())
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in report.annotations():
            print(line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
