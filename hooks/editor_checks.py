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
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority


class _NoChatter(logging.Filter):
    """The macros plugin reports its set-up (modules, variables, macros found) at INFO
    level on every build; editors took those lines for errors. Its warnings still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


QUIET = _NoChatter()
log = logging.getLogger("mkdocs.hooks.editor_checks")


@event_priority(100)  # before the macros plugin loads data/*.yml
def on_config(config, **kwargs):
    chatty = logging.getLogger("mkdocs.plugins.mkdocs_macros.util")
    if QUIET not in chatty.filters:
        chatty.addFilter(QUIET)
    if (config.get("extra") or {}).get("preview"):
        return config
    if os.environ.get("EGUIDE_CHECKED") == "1":
        # Set by the pull-request workflow's test step: `make check` ran just before in the
        # same job (and failed the job if it found anything), so the tests still run.
        log.info("EGUIDE_CHECKED=1: the editor checks ran before this build; not repeated.")
        return config
    scripts = Path(config.config_file_path).resolve().parent / "scripts"
    if str(scripts) not in sys.path:
        sys.path.insert(0, str(scripts))
    import check  # scripts/check.py

    report = check.run(Path(config.config_file_path))
    if not report.ok:
        raise PluginError("The guide's checks found problems (the same report as `make "
                          "check`):\n\n" + report.text())
    return config
