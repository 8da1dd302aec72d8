"""Text clean-up every reader applies: one space between words, cells clipped to the
size limit, and the look of a heading."""

from __future__ import annotations

import re

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")


def normalise_space(text: str) -> str:
    """One space between words, lines stripped, no empty lines; line breaks kept."""
    text = _NEWLINES.sub("\n", text.translate(_ZERO_WIDTH))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def clip_text(text: str, limit: int) -> tuple[str, bool]:
    """The text cut to `limit` characters, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def truncation_warning(n_cells: int, limit: int) -> str:
    return f"{n_cells} cell(s) longer than {limit:,} characters were truncated"


def looks_like_heading(text: str, *, bold: bool) -> bool:
    """A short, bold, one-line paragraph that does not read as a sentence."""
    if not bold or not text or "\n" in text or len(text) > 100:
        return False
    if len(text.split()) > 12 or text.endswith((".", ",", ";")):
        return False
    return any(ch.isalpha() for ch in text)
