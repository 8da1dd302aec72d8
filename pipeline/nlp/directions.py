"""A KPI's direction of travel as written ("Improving", "↑", "no change", "→") -> improving,
stable or worsening.

Words that say better or worse are read as written. An arrow up or down (or "up",
"increased") only says the value rose or fell, which is good for one measure and bad for
another, so it is read through the document's own key ("↑ performance improved") and
otherwise left unread (flag "direction_not_keyed"). An arrow pointing sideways is no change.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from planx.pipeline.glyphs import arrow_movement, is_arrow

DIRECTION_WORDS = Path(__file__).resolve().parents[1] / "data" / "direction_words.json"
DIRECTIONS: tuple[str, ...] = ("improving", "stable", "worsening")


@dataclass(frozen=True)
class DirectionWords:
    """Phrases for each direction ("improving", "stable", "worsening") and movement ("up", "down")."""

    phrases: tuple[tuple[str, str], ...]  # (phrase, direction or movement), longest first

    @classmethod
    def from_dict(cls, data: dict) -> DirectionWords:
        pairs = [
            (" ".join(p.lower().split()), name)
            for name in (*DIRECTIONS, "up", "down")
            for p in data.get(name, [])
        ]
        return cls(tuple(sorted(pairs, key=lambda pair: -len(pair[0]))))

    @cached_property
    def patterns(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        """Each phrase as a pattern (any spacing between its words), compiled once."""
        return tuple(
            (re.compile(r"(?<![\w])" + r"\s+".join(map(re.escape, p.split())) + r"(?![\w])"), name)
            for p, name in self.phrases
        )

    def find(self, text: str) -> tuple[str, int, int] | None:
        """The first phrase in the text (longest where two start together): (name, start, end)."""
        low = text.lower()
        best: tuple[int, int, str] | None = None
        for pattern, name in self.patterns:
            m = pattern.search(low)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), m.end(), name)
        return (best[2], best[0], best[1]) if best else None


@lru_cache(maxsize=8)
def load_direction_words(path: str | None = None) -> DirectionWords:
    """Direction words (pipeline/data/direction_words.json unless a path is given)."""
    with open(path or DIRECTION_WORDS, encoding="utf-8") as fh:
        return DirectionWords.from_dict(json.load(fh))


@dataclass(frozen=True)
class DirectionReading:
    direction: str | None = None
    start: int = 0
    end: int = 0
    flags: tuple[str, ...] = ()


def _movement_of(text: str, words: DirectionWords) -> tuple[str, int, int] | None:
    """A direction word or movement in the text: an arrow glyph, else a word."""
    for i, char in enumerate(text):
        if (movement := arrow_movement(char)) is not None:
            return movement, i, i + 1
    return words.find(text)


def key_movements(key: Mapping[str, str], words: DirectionWords) -> dict[str, str]:
    """The document's key as movement -> direction ("↑" worded "improved" -> up: improving)."""
    out: dict[str, str] = {}
    for symbol, wording in key.items():
        found = words.find(wording)
        if found is None or found[0] not in DIRECTIONS:
            continue
        movement = _movement_of(symbol, words)
        if movement is not None and movement[0] in ("up", "down", "level"):
            out.setdefault(movement[0], found[0])
    return out


def text_to_direction(
    text: str, key: Mapping[str, str] | None = None, words: DirectionWords | None = None
) -> DirectionReading:
    """Read a direction of travel.

    "Improving" -> improving; "no change" / "→" -> stable; "Worse" -> worsening; "↑" ->
    what the document's key says an up arrow means, else None with flag
    "direction_not_keyed"; text with no direction -> None.
    """
    words = words or load_direction_words()
    raw = text or ""
    if not raw.strip():
        return DirectionReading()
    keyed = key_movements(key or {}, words)
    for symbol, wording in (key or {}).items():
        # The key's own symbol, written as the key writes it, means what the key says.
        if symbol.strip() and symbol.strip() in raw and (found := words.find(wording)):
            if found[0] in DIRECTIONS:
                start = raw.index(symbol.strip())
                return DirectionReading(found[0], start, start + len(symbol.strip()))
    found = words.find(raw)
    if found is not None and found[0] in DIRECTIONS:
        return DirectionReading(found[0], found[1], found[2])
    movement = _movement_of(raw, words)
    if movement is None:
        return DirectionReading(flags=("direction_not_read",))
    name, start, end = movement
    if name in keyed:
        return DirectionReading(keyed[name], start, end)
    if name == "level":
        return DirectionReading("stable", start, end)
    return DirectionReading(start=start, end=end, flags=("direction_not_keyed",))


__all__ = [
    "DIRECTIONS",
    "DirectionReading",
    "DirectionWords",
    "arrow_movement",
    "is_arrow",
    "key_movements",
    "load_direction_words",
    "text_to_direction",
]
