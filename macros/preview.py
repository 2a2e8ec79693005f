"""Error boxes for the preview (`make serve`, mkdocs.preview.yml sets extra.preview).

In the published build every problem stops the build. In the preview the same problems
become a red box where they happen, plus one line in the terminal, so an editor sees
what to fix and the preview comes back as soon as the file is saved.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Callable, Iterable, Optional

from .render import e

log = logging.getLogger("mkdocs.plugins.eguide.preview")

FIX_HINT = "The published build stops on this. Fix it and save; this page reloads by itself."


def is_preview(conf) -> bool:
    return bool((conf.get("extra") or {}).get("preview"))


def error_box(title: str, messages: Iterable[str]) -> str:
    """A red call-out; every message is escaped, so data never injects HTML."""
    items = "".join(f"<li>{e(m)}</li>" for m in messages)
    return (
        '<div class="admonition failure eguide-preview-error" role="alert">'
        f'<p class="admonition-title">Preview: {e(title)}</p>'
        f"<ul>{items}</ul><p>{e(FIX_HINT)}</p></div>"
    )


def call_line(source: Optional[str], name: str, args: tuple) -> Optional[int]:
    """The line of the page's Markdown file (front matter counted) where the macro is
    called with this first argument, so the message points where the editor types."""
    if not source:
        return None
    try:
        with open(source, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return None
    first = re.escape(str(args[0])) if args else ""
    pattern = re.compile(rf"\b{re.escape(name)}\s*\(\s*(?:\w+\s*=\s*)?[\"'\[]?\s*[\"']?{first}")
    for number, text in enumerate(lines, 1):
        if pattern.search(text):
            return number
    return None


def front_matter_lines(source: Optional[str]) -> int:
    """How many lines MkDocs removes before the Markdown the macros plugin sees: the
    front matter block (both --- lines) and the empty lines after it."""
    try:
        with open(source or "", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return 0
    if lines and lines[0].strip() == "---":
        for index in range(1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                # MkDocs also drops the empty lines right after the block.
                end = index + 1
                while end < len(lines) and lines[end] == "":
                    end += 1
                return end
    return 0


def guard(name: str, macro: Callable, where: Callable[[], str],
          data_problem: Callable[[], Optional[str]],
          source: Callable[[], Optional[str]] = lambda: None) -> Callable:
    """The macro, but a failure returns an error box in its place instead of raising."""

    @functools.wraps(macro)
    def guarded(*args, **kwargs):
        problem = data_problem()
        if problem is None:
            try:
                return macro(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - every failure becomes a box
                problem = str(error)
        call = f"{name}({', '.join([*map(repr, args), *(f'{k}={v!r}' for k, v in kwargs.items())])})"
        # The message may repeat the page and the call, which the box already shows.
        problem = problem.removeprefix(f"{where()}: ")
        if problem.startswith(f"{name}(") and "): " in problem.splitlines()[0]:
            problem = problem.split("): ", 1)[1]
        line = call_line(source(), name, args or tuple(kwargs.values()))
        place = f"{where()}, line {line}" if line else where()
        log.warning("%s: %s: %s", place, call, problem.splitlines()[0])
        if line:
            problem = f"line {line} of {where()}: {problem}"
        return "\n\n" + error_box(f"this macro failed: {call}", problem.splitlines()) + "\n\n"

    return guarded


_PLUGIN_ERROR = re.compile(r"\A\s*# _Macro (Rendering|Syntax) Error_")


def plugin_error_box(markdown: str, where: str, source: Optional[str] = None) -> Optional[str]:
    """The macros plugin replaces a page it cannot render (a misspelled macro name, a
    missing bracket) with its own report; turn that report into an error box."""
    if not _PLUGIN_ERROR.match(markdown):
        return None
    messages = []
    for line in markdown.splitlines():
        text = line.strip()
        found = re.match(r"_(\w+)_: (.*)", text)
        if found and found.group(1) != "File":
            messages.append(f"{found.group(1)}: {found.group(2)}")
        found = re.match(r"_Line (\d+) in Markdown file:_ \*\*(.*)\*\*", text)
        if found:
            # The plugin counts from the end of the front matter; editors count the file.
            line = int(found.group(1)) + front_matter_lines(source)
            messages.append(f"line {line} of {where}: {found.group(2)}")
    if any("is undefined" in m for m in messages):
        messages.append("Check the spelling of the macro name against the macro reference.")
    messages = messages or ["the macros could not be rendered"]
    return error_box(f"{where} could not be rendered", messages) + "\n"
