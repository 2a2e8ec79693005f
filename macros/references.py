"""Find macro calls in pages and check the ids and filters they name, without a build."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import TYPE_CHECKING, Mapping

from .loader import GuideData
from .lookup import lookup
from .pages import reader_pages
from .render import MacroError, select_resources

if TYPE_CHECKING:
    from .states import StateProfile

RAW_BLOCK = re.compile(r"{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}", re.DOTALL)
EXPRESSION = re.compile(r"{{(.*?)}}", re.DOTALL)
CALL_START = re.compile(r"\b(contact_block|contact_blocks|resource_link|resource_table|source|state_profile)\s*\(")


def _calls(expression: str):
    """(name, argument text) for each known macro call in one {{ … }} expression; the
    arguments end at the matching parenthesis, so "§ 12291(b)(2)" stays whole."""
    for start in CALL_START.finditer(expression):
        depth, quote, index = 1, None, start.end()
        while index < len(expression) and depth:
            ch = expression[index]
            if quote:
                if ch == "\\":
                    index += 1
                elif ch == quote:
                    quote = None
            elif ch in "'\"":
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            index += 1
        if depth == 0:
            yield start.group(1), expression[start.end():index - 1]


def _blank_out(match: re.Match) -> str:
    """Replace a {% raw %} block with blank lines, so later line numbers stay right."""
    return "\n" * match.group(0).count("\n")


def _arguments(text: str) -> tuple[list, dict] | None:
    """Literal positional and keyword arguments of a call, or None if not literal."""
    try:
        call = ast.parse(f"f({text})", mode="eval").body
        args = [ast.literal_eval(a) for a in call.args]
        kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg}
    except (SyntaxError, ValueError):
        return None
    return args, kwargs


def check_call(data: GuideData, name: str, args: list, kwargs: dict,
               docs_dir: Path | None = None) -> str | None:
    """The problem with one macro call, or None."""
    try:
        if name == "contact_block":
            lookup("contact", args[0] if args else kwargs.get("id"), data.contacts)
        elif name == "contact_blocks":
            ids = args[0] if args else kwargs.get("ids")
            if not isinstance(ids, (list, tuple)):
                return f"expects a list of contact ids, found {ids!r}"
            for ident in ids:
                lookup("contact", ident, data.contacts)
        elif name in ("resource_link", "source"):
            lookup("source", args[0] if args else kwargs.get("id"), data.sources)
    except MacroError as error:
        return str(error)
    if name == "state_profile":
        code = args[0] if args else kwargs.get("code")
        path = docs_dir.parent / "data" / "states" / f"{str(code).lower()}.yml" if docs_dir else None
        if path is not None and not path.is_file():
            return f"no file data/states/{str(code).lower()}.yml"
        return None
    if name == "resource_table":
        filters = {k: v for k, v in kwargs.items() if k in ("topic", "audience", "type", "sort")}
        try:
            select_resources(data.resources.values(), data.vocab, **filters)
        except MacroError as error:
            return str(error).split(": ", 1)[-1]
    return None


def reference_errors(data: GuideData, docs_dir: Path) -> list[str]:
    errors = []
    for page in reader_pages(docs_dir):
        rel = page.src
        for line, name, args, kwargs, text in macro_calls(page.path.read_text(encoding="utf-8")):
            problem = check_call(data, name, args, kwargs, docs_dir)
            if problem:
                errors.append(f"docs/{rel}, line {line}: {name}({text.strip()}): {problem}")
    return errors


def macro_calls(text: str):
    """(line, macro name, args, kwargs, argument text) for each macro call whose
    arguments are literals, in a page's text (other calls are checked by the build)."""
    text = RAW_BLOCK.sub(_blank_out, text)
    for expression in EXPRESSION.finditer(text):
        for name, arguments in _calls(expression.group(1)):
            parsed = _arguments(arguments)
            if parsed is None:
                continue
            line = text.count("\n", 0, expression.start()) + 1
            yield line, name, parsed[0], parsed[1], arguments


def cited_sources(docs_dir: Path, profiles: Mapping[str, "StateProfile"] | None = None
                  ) -> dict[str, list[str]]:
    """Source id -> the pages (paths under docs/) that cite it with source(), in order.
    A state page cites the sources of its profile's verified fields (profiles: the state
    profiles the build loaded, macros.states.site_profiles)."""
    profiles = profiles or {}
    found: dict[str, list[str]] = {}
    for page in reader_pages(docs_dir):
        rel = page.src
        for _, name, args, kwargs, _text in macro_calls(page.path.read_text(encoding="utf-8")):
            if name == "state_profile":
                # A state page cites the register entries its data file names.
                profile = profiles.get(str(args[0] if args else kwargs.get("code")).lower())
                idents = profile.source_ids() if profile else []
            elif name == "source":
                idents = [args[0] if args else kwargs.get("id")]
            else:
                continue
            for ident in idents:
                pages = found.setdefault(str(ident), [])
                if rel not in pages:
                    pages.append(rel)
    return found
