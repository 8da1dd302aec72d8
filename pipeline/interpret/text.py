"""Text as the interpreter compares and stores it."""

from __future__ import annotations

import re

_WHITESPACE = re.compile(r"\s+")


def collapse_whitespace(text: str | None) -> str:
    """All whitespace, line breaks too, as one space; ends stripped (None reads as "").

    Unlike the extractors' normalise_space, which keeps line breaks, this gives one line."""
    return _WHITESPACE.sub(" ", text or "").strip()
