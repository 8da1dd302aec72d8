"""Status colours and what they mean, read through the plan's own legend.

Councils use RAG colours differently (one plan's amber is "on track, not yet complete",
another's is "more work needed"), so a colour's meaning comes from the plan's legend when
it has one (`meaning_basis="plan_legend"`) and from the common reading otherwise (red
off_track, amber at_risk, green on_track, blue complete; `"common_reading"`). The common
reading, the standard fills and the rules for a key's wording are data, in
pipeline/data/status_words.json.
"""

from __future__ import annotations

import colorsys
import re
from dataclasses import dataclass
from functools import lru_cache

from planx.pipeline.nlp.lexicon import load_status_words
from planx.schemas.records import Status, StatusLegend

COLOURS: tuple[str, ...] = ("red", "amber", "green", "blue")
# Further than this (RGB distance) from every palette entry, a fill is not a status colour.
MAX_FILL_DISTANCE = 140.0
NEAR_KEY_DISTANCE = 60.0  # a key fill this close names the colour whatever its hue family
MIN_SATURATION = 0.12  # below: white, grey or black
_HEX6 = re.compile(r"[0-9a-fA-F]{6}")
# A document uses a handful of fills and key wordings over and over: each reading is
# remembered, up to this many.
READING_CACHE_SIZE = 1024

RGB = tuple[int, int, int]


def hex_to_rgb(fill: str | None) -> RGB | None:
    """'#92D050', '92d050', 'FF92D050' (ARGB) -> (146, 208, 80); None when not a colour."""
    if not fill:
        return None
    text = fill.strip().lstrip("#")
    if len(text) == 8:  # ARGB as spreadsheets store it
        text = text[2:]
    if len(text) == 3:
        text = "".join(c * 2 for c in text)
    if len(text) != 6 or not _HEX6.fullmatch(text):
        return None
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _distance(a: RGB, b: RGB) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)


@lru_cache(maxsize=1)
def _palette_rgb() -> tuple[tuple[str, RGB], ...]:
    """The shipped standard fills of each colour, as RGB."""
    fills = load_status_words().fills
    return tuple(
        (colour, rgb) for colour, hexes in fills.items() for f in hexes if (rgb := hex_to_rgb(f))
    )


def fill_to_colour(fill: str | None, legend: StatusLegend | None = None) -> str | None:
    """The status colour a cell fill shows: the nearest of the plan's own key fills when the
    legend shows them, else the nearest standard RAG colour; None for white, greys, black and
    colours far from any (purples)."""
    keyed = tuple(
        (e.colour, k) for e in (legend.entries if legend else []) if (k := hex_to_rgb(e.fill))
    )
    return _nearest_colour(fill, keyed)


@lru_cache(maxsize=READING_CACHE_SIZE)
def _nearest_colour(fill: str | None, keyed: tuple[tuple[str, RGB], ...]) -> str | None:
    """`fill_to_colour` given the key's fills as (colour, RGB) pairs."""
    rgb = hex_to_rgb(fill)
    if rgb is None:
        return None
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in rgb))
    if s < MIN_SATURATION or v < 0.15:
        return None
    band = _hue_band(h)
    # The plan's own key first: the nearest key fill of the same hue family (a light green
    # is the key's green, not its amber), or a key fill that is nearly the same colour.
    same_family = [
        (c, k) for c, k in keyed if _hue_band(colorsys.rgb_to_hsv(*(x / 255 for x in k))[0]) == band
    ]
    for candidates, limit in ((same_family, MAX_FILL_DISTANCE), (keyed, NEAR_KEY_DISTANCE)):
        if candidates:
            colour, key = min(candidates, key=lambda item: _distance(rgb, item[1]))
            if _distance(rgb, key) <= limit:
                return colour
    if band is None:  # purple and magenta are no RAG colour
        return None
    # Nearest palette entry of the fill's own hue family: RGB distance alone would put pale
    # yellow (#FFF2CC) nearer pale red (#FFC7CE) than any amber.
    colour, _ = min(
        ((c, rgb_) for c, rgb_ in _palette_rgb() if c == band),
        key=lambda item: _distance(rgb, item[1]),
    )
    return colour


def _hue_band(h: float) -> str | None:
    degrees = h * 360
    if degrees < 14 or degrees >= 335:
        return "red"
    if degrees < 68:
        return "amber"
    if degrees < 170:
        return "green"
    if degrees < 260:
        return "blue"
    return None


# --- a legend's wording -> meaning ------------------------------------------------------------------


_NUMBER = r"\d+(?:\.\d+)?\s?(?:%|pp\b|per\s?cent\b|percentage\s+points?\b)?"
_ARTICLES = re.compile(r"\b(?:the|a|an)\s+")
_WORK_DONE = re.compile(r"\bcomplet\w*|\bdone\b|\bclosed\b|\bfinished\b")


def _key_phrase(phrase: str) -> str:
    """A key phrase as a pattern: words in order, '#' a number, not right after a negation."""
    words = [_NUMBER if w == "#" else re.escape(w) for w in phrase.split()]
    return r"(?<!not )(?<!n't )\b" + r"\s+".join(words) + r"(?![\w%])"


@lru_cache(maxsize=1)
def _key_groups() -> tuple[tuple[str, re.Pattern[str]], ...]:
    from planx.pipeline.nlp.lexicon import load_status_words

    return tuple(
        (meaning, re.compile("|".join(_key_phrase(p) for p in phrases)))
        for meaning, phrases in load_status_words().key_phrases
    )


@lru_cache(maxsize=READING_CACHE_SIZE)  # a key's wording is read again for every status cell
def key_meaning(label: str) -> str | None:
    """What a key's wording means when it rates measures against a target, floor, tolerance
    or comparator ("target met" -> on_track, "within tolerance" -> at_risk, "below floor" ->
    off_track, "no value judgement" -> unknown); None when it says none of these.

    The phrases are data (status_words.json, "key_phrases"); a wording that says its work
    is complete is a key for work, so only the "unknown" group applies to it.
    """
    text = _ARTICLES.sub("", " ".join((label or "").lower().split()))
    negated = load_status_words().negated_complete
    if negated is not None:
        text = negated.sub(" unfinished ", text)
    work = bool(_WORK_DONE.search(text))
    for meaning, pattern in _key_groups():
        if (meaning == "unknown" or not work) and pattern.search(text):
            return meaning
    return None


@lru_cache(maxsize=READING_CACHE_SIZE)
def label_to_meaning(label: str) -> str:
    """What a legend's wording for one colour means.

    "Completed" -> complete; "on track, milestones met but not completed" -> on_track;
    "more work needed or resolvable issue in sight" -> at_risk; "not met or timescale
    slipped" / "fully stuck" -> off_track; "ONE criteria must not be in place" -> at_risk;
    a key for measures reads through `key_meaning` first ("target achieved" -> on_track);
    wording with none of these (a bare colour name) -> unknown.
    """
    if (meaning := key_meaning(label)) is not None:
        return meaning
    words = load_status_words()
    text = " ".join((label or "").lower().split())
    if words.negated_complete is not None:
        # "not completed", "to be delivered": no claim that the work is done.
        text = words.negated_complete.sub(" unfinished ", text)
    for meaning, pattern in words.legend_rules:
        if pattern.search(text):
            return meaning
    return "unknown"


def legend_with_meanings(legend: StatusLegend) -> StatusLegend:
    """A copy of the legend with each entry's meaning read from its wording (a meaning the
    interpreter already set is kept)."""
    entries = [
        e if e.meaning != "unknown" else e.model_copy(update={"meaning": label_to_meaning(e.label)})
        for e in legend.entries
    ]
    marks = [
        m if m.meaning != "unknown" else m.model_copy(update={"meaning": label_to_meaning(m.label)})
        for m in legend.marks
    ]
    return legend.model_copy(update={"entries": entries, "marks": marks})


@dataclass(frozen=True)
class LegendReading:
    """A plan's legend as lookups: colour -> meaning, meaning -> colour."""

    legend: StatusLegend
    meanings: tuple[tuple[str, str], ...]
    colours: tuple[tuple[str, str], ...]

    @classmethod
    def from_legend(cls, legend: StatusLegend | None) -> LegendReading:
        legend = legend or StatusLegend()
        meanings = tuple((e.colour, e.meaning) for e in legend.entries if e.meaning != "unknown")
        colours: dict[str, str] = {}
        for colour, meaning in meanings:
            # Where two colours share a meaning (green and blue both "complete"), the later
            # (bluer) one is the plan's dedicated colour for it.
            colours[meaning] = colour
        return cls(legend=legend, meanings=meanings, colours=tuple(colours.items()))

    def meaning_of(self, colour: str) -> str | None:
        """What the plan's key says the colour means; "unknown" where the key names the
        colour but says no judgement is made; None where the key says nothing of it."""
        said = dict(self.meanings).get(colour)
        if said is None and any(
            e.colour == colour and key_meaning(e.label) == "unknown" for e in self.legend.entries
        ):
            return "unknown"
        return said

    def meaning_of_mark(self, text: str) -> str | None:
        """What the key says a mark means, when the cell holds only that mark ("○")."""
        mark = text.strip()
        return next(
            (m.meaning for m in self.legend.marks if m.mark == mark and m.meaning != "unknown"),
            None,
        )

    def colour_for(self, meaning: str) -> str | None:
        return dict(self.colours).get(meaning)


def resolve_status(
    raw: str,
    fill: str | None,
    colours: list[str],
    meanings: list[str],
    legend: LegendReading,
    *,
    text_colour: str | None = None,
    icon_fill: str | None = None,
) -> tuple[Status, list[str]]:
    """One status from what its cell says (colour words in order, meaning words in order),
    its fill, the fill of an icon drawn in it and the colour its text is printed in.
    Returns the Status and data-quality flags for the record.

    The colour comes from the first of: a colour written in the cell, the cell's fill, an
    icon's fill (source "icon"), the text's colour (source "font"); each colour read
    through the plan's key as fills are. A written colour beats the fill (flag
    "status_text_fill_disagree" when they differ). A meaning written in the cell
    ("Completed", "Overdue") beats the colour's legend meaning, and when nothing shows a
    colour gives the colour the legend (else the common reading) uses for it, with source
    "derived". A cell holding only a mark the key explains without a colour ("○ Not yet
    started") takes the key's meaning for it.
    """
    flags: list[str] = []
    word_colour = colours[0] if colours else None
    if len(set(colours)) > 1:
        flags.append("mixed_status")
    fill_colour = fill_to_colour(fill, legend.legend) if fill else None
    if word_colour and fill_colour and word_colour != fill_colour:
        flags.append("status_text_fill_disagree")
    word = meanings[0] if meanings else None
    colour, source = next(
        (
            (found, name)
            for found, name in (
                (word_colour, "text"),
                (fill_colour, "fill"),
                (fill_to_colour(icon_fill, legend.legend) if icon_fill else None, "icon"),
                (fill_to_colour(text_colour, legend.legend) if text_colour else None, "font"),
            )
            if found
        ),
        (None, None),
    )
    if colour is None and word:
        colour = legend.colour_for(word)  # the plan's own key only: no colour is invented
        source = "derived" if colour else "text"
    marked = legend.meaning_of_mark(raw) if colour is None and not word else None
    if marked:
        meaning, basis, source = marked, "plan_legend", "text"
    elif word:
        meaning = word
        basis = "plan_legend" if legend.colour_for(word) is not None else "common_reading"
    elif colour:
        legend_meaning = legend.meaning_of(colour)
        meaning, basis = (
            (legend_meaning, "plan_legend")
            if legend_meaning
            else (load_status_words().common_meaning[colour], "common_reading")
        )
    else:
        meaning, basis = "unknown", "none"
    status = Status(
        raw=raw,
        fill=fill,
        text_colour=text_colour,
        icon_fill=icon_fill,
        colour=colour,
        meaning=meaning,
        source=source,
        meaning_basis=basis,
    )
    return status, flags


__all__ = [
    "COLOURS",
    "LegendReading",
    "fill_to_colour",
    "hex_to_rgb",
    "key_meaning",
    "label_to_meaning",
    "legend_with_meanings",
    "resolve_status",
]
