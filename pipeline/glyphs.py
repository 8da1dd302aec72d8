"""Arrow and pointer glyphs ("↑", "▼", "→"): which way they point, by their Unicode name."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Literal

Movement = Literal["up", "down", "level"]


@lru_cache(maxsize=8192)  # asked of every character of a document: few distinct ones
def arrow_movement(char: str) -> Movement | None:
    """Which way an arrow or pointer glyph points: up, down, level (sideways) or None."""
    try:
        name = unicodedata.name(char)
    except (TypeError, ValueError):
        return None
    if not any(w in name for w in ("ARROW", "TRIANGLE", "POINTER", "CHEVRON")):
        return None
    up = any(w in name for w in ("UP", "NORTH"))
    down = any(w in name for w in ("DOWN", "SOUTH"))
    if up and not down:
        return "up"
    if down and not up:
        return "down"
    if not up and not down and any(w in name for w in ("LEFT", "RIGHT")):
        return "level"
    return None


def is_arrow(char: str) -> bool:
    """Whether a character is an arrow or pointer glyph that points a readable way."""
    return len(char) == 1 and arrow_movement(char) is not None


__all__ = ["Movement", "arrow_movement", "is_arrow"]
