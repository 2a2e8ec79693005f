"""Find macro calls in pages and check the ids and filters they name, without a build."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from .loader import GuideData
from .render import MacroError, select_resources

RAW_BLOCK = re.compile(r"{%-?\s*raw\s*-?%}.*?{%-?\s*endraw\s*-?%}", re.DOTALL)
EXPRESSION = re.compile(r"{{(.*?)}}", re.DOTALL)
CALL = re.compile(r"\b(contact_block|contact_blocks|resource_link|resource_table)\s*\((.*?)\)", re.DOTALL)


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


def check_call(data: GuideData, name: str, args: list, kwargs: dict) -> str | None:
    """The problem with one macro call, or None."""
    def unknown(kind: str, value: object, known: dict) -> str:
        return f"no {kind} with id {value!r} (known ids: {', '.join(sorted(known))})"

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
        return None if ident in data.resources else unknown("resource", ident, data.resources)
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
        text = RAW_BLOCK.sub(_blank_out, page.read_text(encoding="utf-8"))
        for expression in EXPRESSION.finditer(text):
            for call in CALL.finditer(expression.group(1)):
                parsed = _arguments(call.group(2))
                if parsed is None:
                    continue  # not literal arguments: the build checks these
                problem = check_call(data, call.group(1), *parsed)
                if problem:
                    line = text.count("\n", 0, expression.start()) + 1
                    errors.append(f"docs/{rel}, line {line}: {call.group(1)}({call.group(2).strip()}): "
                                  f"{problem}")
    return errors
