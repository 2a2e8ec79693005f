"""Finding an entry by id: one message, with a "did you mean", for the build, for
`make check-data` and for `make lint`."""

from __future__ import annotations

from typing import Mapping, TypeVar

from .messages import did_you_mean
from .render import MacroError

T = TypeVar("T")
FILES = {"contact": "data/contacts.yml", "source": "data/sources.yml"}


def unknown_id(kind: str, ident: object, known: Mapping[str, object]) -> str:
    """The message for an id the data file does not have."""
    return (f"no {kind} with id {ident!r} in {FILES[kind]}{did_you_mean(ident, known)} "
            f"(known ids: {', '.join(sorted(known))})")


def lookup(kind: str, ident: object, known: Mapping[str, T]) -> T:
    """known[ident], or a MacroError that says what to fix."""
    if isinstance(ident, str) and ident in known:
        return known[ident]
    raise MacroError(unknown_id(kind, ident, known))
