"""MkDocs hook for the preview only (mkdocs.preview.yml, which `make serve` uses).

It does three things, none of which the published build ever sees:

1. Reloads the macros package on every rebuild. `mkdocs serve` reads the configuration
   again before each rebuild, so the macros plugin runs `define_env` again and
   data/*.yml is read afresh; but Python keeps the macros package it imported the first
   time (and MkDocs loads this hook file only once). Forgetting the package in
   `on_config`, before the macros plugin's own `on_config`, makes an edit to
   macros/*.py take effect without restarting the preview.
2. Turns the warnings MkDocs logs while it renders a page (a link to a page that does
   not exist, say) into a red box at the top of that page.
3. Shortens the macros plugin's error report in the terminal to one line (the page
   shows the details).
"""

from __future__ import annotations

import logging
import sys

from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.preview")


class _PageWarnings(logging.Handler):
    """Collects the warnings logged while one page is rendered."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("mkdocs.plugins.mkdocs_macros"):
            return  # the macros module draws its own box
        self.messages.append(_plain(record.getMessage()))


def _plain(message: str) -> str:
    """MkDocs' link warnings in plain words (macros/messages.py), read afresh each rebuild."""
    try:
        from macros.messages import mkdocs_warning
    except ImportError:  # the macros package could not be imported: show MkDocs' words
        return message
    return mkdocs_warning(message)


class _OneLine(logging.Filter):
    """Keep the first line of the macros plugin's multi-line error report."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno >= logging.WARNING and "\n" in message:
            lines = [line.strip(" #_`*") for line in message.splitlines() if line.strip()]
            detail = next((line for line in lines if "Error_:" in line or "Line " in line), "")
            record.msg = f"{lines[0]} {detail}".strip().replace("_:", ":")
            record.args = ()
        return True


class _NoChatter(logging.Filter):
    """Drop the macros plugin's INFO set-up lines (modules and macros found) that it
    prints on every rebuild; its warnings and errors still show."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING


_no_chatter = _NoChatter()
_handler = _PageWarnings()
_one_line = _OneLine()


@event_priority(100)  # before the macros plugin imports the package
def on_config(config, **kwargs):
    # 1. Forget the macros package, so the macros plugin imports the current code.
    for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
        del sys.modules[name]
    macros_log = logging.getLogger("mkdocs.plugins.mkdocs_macros.util")
    if _one_line not in macros_log.filters:
        macros_log.addFilter(_one_line)
    if _no_chatter not in macros_log.filters:
        macros_log.addFilter(_no_chatter)
    return config


# 2. Listen while the page's Markdown becomes HTML (that is when links are checked).
@event_priority(-100)  # after every other plugin has changed the Markdown
def on_page_markdown(markdown, page, config, files, **kwargs):
    _handler.messages = []
    logging.getLogger("mkdocs").addHandler(_handler)
    return markdown


@event_priority(100)  # before any other plugin sees the HTML
def on_page_content(html_text, page, config, files, **kwargs):
    logging.getLogger("mkdocs").removeHandler(_handler)
    messages, _handler.messages = _handler.messages, []
    if not messages:
        return html_text
    # Imported here: on_config makes Python forget the macros package before each rebuild.
    from macros.preview import error_box

    return error_box("problems on this page", messages) + html_text
