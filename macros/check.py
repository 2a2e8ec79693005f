"""Check data/*.yml and the macro calls in docs/ without building the site.

    python -m macros.check [--today YYYY-MM-DD] [--config mkdocs.yml]

Exit status 1 if anything is invalid (every problem is printed); stale data entries
are printed as reminders and do not change the exit status. Stale pages are listed by
scripts/lint.py (make lint).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from .health import stale_report_lines
from .errors import DataError
from .loader import project_data
from .project import ROOT as REPO_ROOT, load_project
from .references import reference_errors
from .states import page_problems, project_states, stale_lines


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-29") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m macros.check", description=__doc__.splitlines()[0])
    parser.add_argument("--today", type=_date, default=None,
                        help="check as if today were this date (YYYY-MM-DD)")
    parser.add_argument("--config", type=Path, default=REPO_ROOT / "mkdocs.yml",
                        help="path to mkdocs.yml (default: the repository's)")
    args = parser.parse_args(argv)
    today = args.today or date.today()

    try:
        project = load_project(args.config)
        data = project_data(project, today=today)
    except DataError as error:
        print(error, file=sys.stderr)
        return 1

    problems = reference_errors(data, project.docs_dir)
    try:
        states = project_states(project, data, today=today)
        problems += page_problems(states, project.docs_dir)
    except DataError as error:
        states = {}
        problems += error.messages
    if problems:
        print(DataError(problems), file=sys.stderr)
        return 1

    stale = stale_report_lines(data, today) + stale_lines(states, today, data.stale_after_days)
    print(f"Data OK: {len(data.contacts)} contacts, {len(data.sources)} sources "
          f"({len(data.resources)} in the resource library), "
          f"{len(data.glossary)} glossary terms, {len(states)} state law profiles; "
          "macro calls in docs/ name existing entries.")
    if stale:
        print(f"\nReminders ({len(stale)} older than {data.stale_after_days} days; "
              "these do not fail the check):")
        for line in stale:
            print(f"  - {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
