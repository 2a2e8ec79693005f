"""The error every check raises: all problems found, so one run shows them all."""

from __future__ import annotations

from typing import Iterable


class DataError(Exception):
    """Raised with every problem found, so one build shows them all."""

    def __init__(self, messages: Iterable[str]):
        self.messages = list(messages)
        count = len(self.messages)
        heading = f"{count} problem{'s' if count != 1 else ''} in the guide's data:"
        super().__init__("\n".join([heading, *(f"  - {m}" for m in self.messages)]))
