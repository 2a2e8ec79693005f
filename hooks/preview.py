"""MkDocs hook for the preview only (mkdocs.preview.yml, which `make serve` uses).

It does four things, none of which the published build ever sees:

1. Reloads the macros package when macros/*.py changed. `mkdocs serve` reads the
   configuration again before each rebuild, so the macros plugin runs `define_env`
   again; but Python keeps the macros package it imported the first time (and MkDocs
   runs this hook file afresh with each configuration). Forgetting the package in `on_config`, before the
   macros plugin's own `on_config`, makes an edit to macros/*.py take effect without
   restarting the preview. Only then: forgetting it also forgets the data loaded and
   validated by macros.loader.project_data, which reloads data/*.yml by itself when a
   data file changes.
2. Turns the warnings MkDocs logs while it renders a page (a link to a page that does
   not exist, say) into a red box at the top of that page.
3. Shortens the macros plugin's error report in the terminal to one line (the page
   shows the details).
4. Makes `mkdocs serve --dirty` (what `make serve` runs) safe: MkDocs then renders
   only the pages saved since the last rebuild. When anything else changed (data,
   macros, templates, hooks, the configuration, a page's front matter, or a page added
   or removed: things other pages show), the preview's output folder is emptied first,
   so every page is rendered again. The pages not rendered still get their front matter
   read, so the navigation shows their titles.
"""

from __future__ import annotations

import hashlib
import logging
import sys
import types
from pathlib import Path

import jinja2
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


ROOT = Path(__file__).resolve().parent.parent
# MkDocs runs this file afresh each time it reads the configuration (before every
# rebuild), so what must outlive a rebuild is kept in a module of its own.
_state: dict = sys.modules.setdefault(
    "eguide_preview_state", types.ModuleType("eguide_preview_state")).__dict__
_state.setdefault("macros", None)
_state.setdefault("everything", None)
_state.setdefault("dirty", False)


def _stamps(paths) -> tuple:
    return tuple(sorted((str(p), p.stat().st_mtime_ns) for p in paths if p.is_file()))


def _front_matter(path: Path) -> bytes:
    text = path.read_bytes()
    if not text.startswith(b"---"):
        return b""
    end = text.find(b"\n---", 3)
    return text[:end] if end != -1 else text


def _everything_but_page_bodies(config) -> str:
    """A fingerprint of all that can change pages other than the one saved."""
    root = Path(config["config_file_path"]).parent
    docs = Path(config["docs_dir"])
    digest = hashlib.sha1()
    others = [p for folder in ("data", "macros", "overrides", "hooks") for p in (root / folder).rglob("*")
              if "__pycache__" not in p.parts]
    others += list(root.glob("mkdocs*.yml"))
    digest.update(repr(_stamps(others)).encode())
    for page in sorted(docs.rglob("*")):
        if page.is_file():
            digest.update(str(page.relative_to(docs)).encode())
            if page.suffix == ".md":
                digest.update(_front_matter(page))
    return digest.hexdigest()


class _DirtyNotice(logging.Filter):
    """MkDocs warns on every --dirty rebuild that the navigation may be inaccurate;
    on_pre_build and on_nav below take care of that, so editors are spared the warning."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


_dirty_notice = _DirtyNotice()


class _TemplateCache(jinja2.BytecodeCache):
    """Jinja's compiled templates kept across rebuilds (the theme's Jinja environment is
    new each rebuild, and compiling Material's templates again took most of a rebuild).
    Jinja compares each template's source with the checksum stored with its compiled
    code, so an edited template is compiled again."""

    def __init__(self) -> None:
        self.stored: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.stored:
            bucket.bytecode_from_string(self.stored[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.stored[bucket.key] = bucket.bytecode_to_string()


def on_env(env, config, files, **kwargs):
    env.bytecode_cache = _state.setdefault("templates", _TemplateCache())
    return env


def on_startup(command, dirty=False, **kwargs):
    _state["dirty"] = dirty


def on_pre_build(config, **kwargs):
    # 4. Anything but a page's text changed: render every page again.
    if not _state["dirty"]:
        return
    fingerprint = _everything_but_page_bodies(config)
    if fingerprint != _state["everything"]:
        import shutil

        site = Path(config["site_dir"])
        for child in site.iterdir() if site.is_dir() else ():
            shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
        _state["everything"] = fingerprint


def on_nav(nav, config, files, **kwargs):
    # 4. The pages --dirty does not read still need their titles for the navigation.
    if _state["dirty"]:
        for page in nav.pages:
            if page.markdown is None and not page.file.is_modified():
                page.read_source(config)
    return nav


@event_priority(100)  # before the macros plugin imports the package
def on_config(config, **kwargs):
    # 1. Forget the macros package when its code changed, so the macros plugin imports
    # the current code; otherwise keep it, and with it the data already loaded.
    stamps = _stamps((ROOT / "macros").glob("*.py"))
    if stamps != _state["macros"]:
        for name in [n for n in sys.modules if n == "macros" or n.startswith("macros.")]:
            del sys.modules[name]
        _state["macros"] = stamps
    build_log = logging.getLogger("mkdocs.commands.build")
    if _dirty_notice not in build_log.filters:
        build_log.addFilter(_dirty_notice)
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
