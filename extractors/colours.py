"""Colours as every reader reports them: CSS/Office/PDF forms to #RRGGBB, and which
colour a cell's text is printed in (every reader picks it the same way)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

_HEX = re.compile(r"#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_RGB_FUNC = re.compile(
    r"rgba?\(\s*([\d.]+%?)\s*[, ]\s*([\d.]+%?)\s*[, ]\s*([\d.]+%?)(?:\s*[,/]\s*([\d.]+%?))?\s*\)"
)

# CSS colour keywords that show up in hand-written RAG tables, and Word's
# highlight names (w:highlight). Anything else unknown is ignored.
NAMED_COLOURS = {
    "black": "000000",
    "white": "FFFFFF",
    "red": "FF0000",
    "darkred": "8B0000",
    "green": "008000",
    "darkgreen": "006400",
    "lime": "00FF00",
    "limegreen": "32CD32",
    "lightgreen": "90EE90",
    "yellow": "FFFF00",
    "gold": "FFD700",
    "orange": "FFA500",
    "darkorange": "FF8C00",
    "amber": "FFBF00",
    "blue": "0000FF",
    "darkblue": "00008B",
    "lightblue": "ADD8E6",
    "navy": "000080",
    "cyan": "00FFFF",
    "aqua": "00FFFF",
    "darkcyan": "008B8B",
    "magenta": "FF00FF",
    "fuchsia": "FF00FF",
    "darkmagenta": "8B008B",
    "purple": "800080",
    "grey": "808080",
    "gray": "808080",
    "darkgrey": "A9A9A9",
    "darkgray": "A9A9A9",
    "lightgrey": "D3D3D3",
    "lightgray": "D3D3D3",
    "silver": "C0C0C0",
    "pink": "FFC0CB",
    "darkyellow": "808000",  # Word's highlight "darkYellow"
    "olive": "808000",
    "teal": "008080",
    "maroon": "800000",
}
_NO_COLOUR = {
    "",
    "auto",
    "none",
    "transparent",
    "inherit",
    "initial",
    "unset",
    "currentcolor",
    "nil",
}


def normalise_colour(value: str | None) -> str | None:
    """ "#RRGGBB" in upper case from hex (RGB, RRGGBB, AARRGGBB), rgb() or a
    colour name; None for no colour, white or anything unreadable.

    White counts as no fill: it is what an unfilled cell looks like."""
    if value is None:
        return None
    v = value.strip().lower()
    if v in _NO_COLOUR:
        return None
    hex6: str | None = None
    if m := _RGB_FUNC.fullmatch(v):
        parts = []
        for p in m.groups()[:3]:
            n = float(p[:-1]) * 2.55 if p.endswith("%") else float(p)
            parts.append(max(0, min(255, round(n))))
        if m.group(4) is not None:
            alpha = float(m.group(4)[:-1]) / 100 if m.group(4).endswith("%") else float(m.group(4))
            if alpha == 0:
                return None
        hex6 = "".join(f"{p:02X}" for p in parts)
    elif m := _HEX.fullmatch(v):
        h = m.group(1)
        if len(h) == 3:
            h = "".join(ch * 2 for ch in h)
        elif len(h) == 8:
            h = h[2:]  # ARGB as Excel writes it; the alpha byte is unreliable, so ignored
        hex6 = h.upper()
    elif v in NAMED_COLOURS:
        hex6 = NAMED_COLOURS[v]
    if hex6 is None or hex6 == "FFFFFF":
        return None
    return "#" + hex6


NEUTRAL_SPREAD = 24  # channels this close together: black, white or a grey, i.e. no colour
TEXT_COLOUR_SHARE = 1 / 3  # share of a cell's characters that must carry a colour


@cache  # asked once per character; a document uses a handful of colours
def is_neutral_colour(colour: str) -> bool:
    """True for "#RRGGBB" black, white and greys: what ordinary text is printed in."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return max(channels) - min(channels) <= NEUTRAL_SPREAD


def dominant_text_colour(ink: dict[str | None, int]) -> str | None:
    """The colour most of a cell's characters are printed in, when it is not a neutral
    one and covers a good share of them (a coloured word or glyph, not one link).

    `ink` counts characters by colour ("#RRGGBB", or None for the default colour)."""
    total = sum(ink.values())
    coloured = {c: n for c, n in ink.items() if c and not is_neutral_colour(c)}
    if not total or not coloured:
        return None
    best = max(sorted(coloured), key=lambda c: coloured[c])
    return best if coloured[best] >= TEXT_COLOUR_SHARE * total else None


def colour_runs(pieces: Iterable[tuple[str, str | None]]) -> tuple[tuple[str, str], ...]:
    """The pieces of text printed in a colour (not black, white or grey), neighbours of one
    colour joined (across plain spaces), spaces trimmed: what `Block.colour_runs` holds."""
    out: list[list[str]] = []
    open_run = False  # the last run may still grow: only spaces came after it
    for text, colour in pieces:
        coloured = colour if colour and not is_neutral_colour(colour) else None
        if coloured is None:
            if text.strip():
                open_run = False
            elif open_run:
                out[-1][0] += text
            continue
        if open_run and out[-1][1] == coloured:
            out[-1][0] += text
        else:
            out.append([text, coloured])
        open_run = True
    return tuple((" ".join(t.split()), c) for t, c in out if t.strip())
