"""MkDocs hook: the strict build runs `make check` and stops with the same report.

scripts/check.py is the one place the editor-facing checks live (data, front matter,
content rules, spelling, Markdown style, links and anchors, navigation, Related links).
The build and `make check` can therefore never disagree, and a data mistake stops the
build with the whole plain-words report instead of a Python traceback. The preview
(mkdocs.preview.yml) does not list this hook: it shows mistakes in the page instead.

The checks run in a background process while the pages render (issue 17: they took
about 3 s of an 18-second build, and about 19 s at 1,000 pages). The data is loaded
first, in this process, and the checks' process starts from a copy of it (fork), so each
data file is still parsed once per build. The build stops with the report as soon as
the checks have failed: at the next page, at the latest before anything is written, or
in place of any other error the build met first (a broken data file also stops the
macros plugin).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from concurrent.futures import Future, ProcessPoolExecutor
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


class _NotThatPage(logging.Filter):
    """When the checks' report stops the build while MkDocs reads a page, MkDocs first logs
    "Error reading page '<that page>':", naming a page that may have nothing to do with
    the problems. That line is left out: the report that follows names every file."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (_state.get("stopping") and record.getMessage().startswith("Error reading page"))


QUIET = _NoChatter()
NOT_THAT_PAGE = _NotThatPage()
log = logging.getLogger("mkdocs.hooks.editor_checks")


@event_priority(100)  # before the macros plugin, which reuses the data loaded here
def on_config(config, **kwargs):
    _stop()  # whatever an earlier build in this process (mkdocs serve) left
    chatty = logging.getLogger("mkdocs.plugins.mkdocs_macros.util")
    for old in [f for f in chatty.filters if isinstance(f, _MacroErrorInOneLine)]:
        chatty.removeFilter(old)
    chatty.addFilter(_MacroErrorInOneLine(Path(config.docs_dir)))
    if QUIET not in chatty.filters:
        chatty.addFilter(QUIET)
    reader = logging.getLogger("mkdocs.commands.build")
    if NOT_THAT_PAGE not in reader.filters:
        reader.addFilter(NOT_THAT_PAGE)
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
    config_file = Path(config.config_file_path)
    check.load_shared_data(config_file)
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
    _state["pool"], _state["report"] = pool, pool.submit(check.run, config_file)
    return config


_state: dict = {}


def _stop() -> None:
    pool = _state.pop("pool", None)
    _state.pop("report", None)
    _state.pop("stopping", None)
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def _failed_report(wait: bool) -> PluginError | None:
    """The error that stops the build when the checks have found problems (waiting for
    them only when asked)."""
    report: Future | None = _state.get("report")
    if report is None or not (wait or report.done()):
        return None
    result = report.result()
    _stop()
    if result.ok:
        return None
    return PluginError("The guide's checks found problems (the same report as `make "
                       "check`):\n\n" + result.text())


def on_page_markdown(markdown, **kwargs):
    error = _failed_report(wait=False)
    if error is not None:
        _state["stopping"] = True  # for _NotThatPage; the next build's on_config clears it
        raise error
    return markdown


@event_priority(100)
def on_env(env, **kwargs):
    """Every page is read and rendered to HTML; nothing is written yet. The checks must
    have passed before anything is."""
    error = _failed_report(wait=True)
    if error is not None:
        raise error
    return env


@event_priority(-100)  # last, after the other hooks have stopped their own work
def on_build_error(error, **kwargs):
    """Another error came first (a broken data file also stops the macros plugin, a
    misspelled macro the page): the editor gets the checks' whole report instead, as
    `make check` prints it, when the checks found problems."""
    report = _failed_report(wait=True)
    if report is not None:
        raise report from None
