"""MkDocs hook: the strict build runs `make check` first and stops with the same report.

scripts/check.py is the one place the editor-facing checks live (data, front matter,
content rules, spelling, Markdown style, links and anchors, navigation, Related links).
Running it here, before the macros plugin reads the data, means the build and `make
check` can never disagree, and a data mistake stops the build with the whole plain-words
report instead of a Python traceback. The preview (mkdocs.preview.yml) does not list this
hook: it shows mistakes in the page instead.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from macros.preview import front_matter_lines


class _NoChatter(logging.Filter):
    """The macros plugin reports its set-up (modules, variables, macros found) at INFO
    level on every build; editors took those lines for errors. Its warnings still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


class _MacroErrorInOneLine(logging.Filter):
    """The macros plugin reports a page it cannot render with a Python traceback and a
    line number counted from the end of the front matter. Editors get one line instead:
    the file, the line as their editor shows it, and what went wrong. EGUIDE_VERBOSE=1
    (make build VERBOSE=1) keeps the traceback for engineers."""

    def __init__(self, docs_dir: Path):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno < logging.WARNING or "_Macro" not in message \
                or os.environ.get("EGUIDE_VERBOSE") == "1":
            return True
        page = re.search(r"_File_: `([^`]+)`", message)
        error = re.search(r"_(\w+Error)_: (.+)", message)
        line = re.findall(r'File "<(?:template|unknown)>", line (\d+)', message)
        syntax = re.search(r"_Line (\d+) in Markdown file:_ \*\*(.*?)\*\*", message)
        if syntax:
            line, error = [syntax.group(1)], None
            what = syntax.group(2).strip()
        where = f"docs/{page.group(1)}" if page else "a page"
        if page and line:
            where += f", line {int(line[-1]) + front_matter_lines(str(self.docs_dir / page.group(1)))}"
        if not syntax:
            what = error.group(2).strip() if error else "a macro could not be rendered"
        hint = (" Check the spelling against docs/contribute/macro-reference.md."
                if "is undefined" in what else "")
        record.msg, record.args = f"{where}: {what}.{hint}", ()
        return True



QUIET = _NoChatter()
log = logging.getLogger("mkdocs.hooks.editor_checks")


@event_priority(100)  # before the macros plugin loads data/*.yml
def on_config(config, **kwargs):
    chatty = logging.getLogger("mkdocs.plugins.mkdocs_macros.util")
    for old in [f for f in chatty.filters if isinstance(f, _MacroErrorInOneLine)]:
        chatty.removeFilter(old)
    chatty.addFilter(_MacroErrorInOneLine(Path(config.docs_dir)))
    if QUIET not in chatty.filters:
        chatty.addFilter(QUIET)
    if (config.get("extra") or {}).get("preview"):
        return config
    if os.environ.get("EGUIDE_CHECKED") == "1":
        # Set by the pull-request workflow's test step: `make check` ran just before in the
        # same job (and failed the job if it found anything), so the tests still run.
        log.info("EGUIDE_CHECKED=1: the editor checks ran before this build; not repeated.")
        return config
    from scripts import check

    # The project is the one this mkdocs.yml belongs to (tests build throwaway copies):
    # every path the checks read is under its folder.
    report = check.run(Path(config.config_file_path))
    if not report.ok:
        raise PluginError("The guide's checks found problems (the same report as `make "
                          "check`):\n\n" + report.text())
    return config
