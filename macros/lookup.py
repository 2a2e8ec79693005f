"""Finding an entry by id: one message, with a "did you mean", for the build, for
`make check-data` and for `make lint`."""

from __future__ import annotations

import difflib
from typing import Mapping, TypeVar

from .render import MacroError

T = TypeVar("T")
FILES = {"contact": "data/contacts.yml", "source": "data/sources.yml"}


def unknown_id(kind: str, ident: object, known: Mapping[str, object]) -> str:
    """The message for an id the data file does not have."""
    close = difflib.get_close_matches(str(ident), list(known), n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return (f"no {kind} with id {ident!r} in {FILES[kind]}{hint} "
            f"(known ids: {', '.join(sorted(known))})")


def lookup(kind: str, ident: object, known: Mapping[str, T]) -> T:
    """known[ident], or a MacroError that says what to fix."""
    if isinstance(ident, str) and ident in known:
        return known[ident]
    raise MacroError(unknown_id(kind, ident, known))
