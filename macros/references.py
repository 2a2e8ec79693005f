"""Find macro calls in pages and check the ids and filters they name, without a build."""

from __future__ import annotations

import ast
import difflib
import re
from pathlib import Path

from .loader import GuideData
from .messages import did_you_mean
from .render import MacroError, select_resources

RAW_BLOCK = re.compile(r"{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}", re.DOTALL)
EXPRESSION = re.compile(r"{{(.*?)}}", re.DOTALL)
CALL_START = re.compile(r"\b(contact_block|contact_blocks|resource_link|resource_table|source)\s*\(")


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


def unknown_source(ident: object, known: dict) -> str:
    """The message for a citation of an id the register does not have (one wording for
    the build, make check-data and make lint)."""
    close = difflib.get_close_matches(str(ident), list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return (f"no source with id {ident!r} in data/sources.yml{hint} "
            f"(known ids: {', '.join(sorted(known))})")


def check_call(data: GuideData, name: str, args: list, kwargs: dict) -> str | None:
    """The problem with one macro call, or None."""
    def unknown(kind: str, value: object, known: dict) -> str:
        return (f"no {kind} with id {value!r}{did_you_mean(value, known)} "
                f"(known ids: {', '.join(sorted(known))})")

    if name == "contact_block":
        ident = args[0] if args else kwargs.get("id")
        return None if ident in data.contacts else unknown("contact", ident, data.contacts)
    if name == "contact_blocks":
        ids = args[0] if args else kwargs.get("ids")
        if not isinstance(ids, (list, tuple)):
            return f"expects a list of contact ids, found {ids!r}"
        missing = [i for i in ids if i not in data.contacts]
        return unknown("contact", missing[0], data.contacts) if missing else None
    if name == "resource_link":
        ident = args[0] if args else kwargs.get("id")
        return None if ident in data.sources else unknown("resource", ident, data.sources)
    if name == "source":
        ident = args[0] if args else kwargs.get("id")
        return None if ident in data.sources else unknown_source(ident, data.sources)
    if name == "resource_table":
        filters = {k: v for k, v in kwargs.items() if k in ("topic", "audience", "type", "sort")}
        try:
            select_resources(data.resources.values(), data.vocab, **filters)
        except MacroError as error:
            return str(error).split(": ", 1)[-1]
    return None


def reference_errors(data: GuideData, docs_dir: Path) -> list[str]:
    errors = []
    for page in sorted(docs_dir.rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        for line, name, args, kwargs, text in macro_calls(page.read_text(encoding="utf-8")):
            problem = check_call(data, name, args, kwargs)
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


def cited_sources(docs_dir: Path) -> dict[str, list[str]]:
    """Source id -> the pages (paths under docs/) that cite it with source(), in order."""
    found: dict[str, list[str]] = {}
    for page in sorted(docs_dir.rglob("*.md")):
        rel = page.relative_to(docs_dir).as_posix()
        for _, name, args, kwargs, _text in macro_calls(page.read_text(encoding="utf-8")):
            if name != "source":
                continue
            ident = args[0] if args else kwargs.get("id")
            pages = found.setdefault(str(ident), [])
            if rel not in pages:
                pages.append(rel)
    return found
