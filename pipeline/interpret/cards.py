"""KPIs laid out as cards, as quarterly performance reports do, not as table rows.

A card is a title box, a rating badge (GREEN / AMBER / RED, the word in a filled box,
often with a direction-of-travel arrow beside it), a chart, and a strip of labelled values
("Latest: 97% | Target: 97%, Floor: 90% | Previous: 97% (Green)"). Readers give a card as
paragraphs (a PDF drawn from slides) or as a small table (a word processor's box); both
come here as a stream of pieces -- one per paragraph, one per line of a card table's
cells -- read in order:

- the strip is the anchor: a piece with at least two performance labels (actual, target,
  floor, previous, direction) followed by a colon, or a run of such pieces;
- the title comes first: the title-like piece before the badge and strip (a heading, a bold
  or filled box, a leading code such as "EH01" beats a plain line); an earlier title-like
  heading it displaces is the section the cards sit under (their theme);
- the badge is a piece that says only a rating, with arrows or direction words beside it;
  a filled cell with no text is a badge shown only by its fill.

Values stay as written; the NLP stage reads the badge through the report's own key and
the values as numbers. The document's own key to its arrows ("↑ Performance has improved")
is read here too, so an arrow means what the report says it means.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from planx.pipeline.glyphs import is_arrow
from planx.pipeline.interpret.labels import (
    KPI_VALUE_ROLES,
    FieldLabels,
    LabelledValue,
    load_field_labels,
)
from planx.schemas.layout import Block, LayoutDocument, Table
from planx.schemas.records import KPI, RecordProvenance, Status

STATUS_WORDS = Path(__file__).resolve().parents[1] / "data" / "status_words.json"
MAX_TITLE_WORDS = 30
MAX_BADGE_EXTRA_WORDS = 3
# A code at the start of a card's title: "EH01", "NI 59", "PI 12 -", "KPI 3:", "3.".
TITLE_REF = re.compile(
    r"^(?P<ref>[A-Z]{1,5}[ -]?\d{1,3}[a-z]?|\d{1,3}(?:\.\d{1,2})?[a-z]?)(?:\s*[-–—:.)]\s*|\s+)(?=[A-Za-z])"
)
# "Re-referrals within 12 months GREEN ↑": a title with the badge's word (in capitals) and
# arrows at its end.
TITLE_THEN_BADGE = re.compile(
    r"^(?P<title>.*[A-Za-z].*?)\s+(?P<badge>(?:RED|AMBER|GREEN|BLUE)(?:\s*[^\sA-Za-z0-9])*)$"
)
# The words TITLE_THEN_BADGE needs: a text without any is not tried (the search is slow on
# a long paragraph).
_BADGE_WORDS = ("RED", "AMBER", "GREEN", "BLUE")
# Chart text: axis values, periods and legends, nothing a title would be.
_CHART_TOKEN = re.compile(
    r"^(?:[-+]?[\d.,]+%?|q[1-4]|\d{2,4}/\d{2,4}|(?:19|20)\d\d|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|"
    r"actual|target|trend|quarterly|monthly|england|national|average|benchmark|[|/–-])$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Piece:
    """A paragraph, or one line of a card table's cell, with what it looks like."""

    text: str
    kind: str  # heading | paragraph | list_item | cell | table
    bold: bool = False
    fill: str | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    table_index: int | None = None
    row_index: int | None = None


@dataclass
class _Card:
    title: Piece | None = None
    strong_title: bool = False
    badge: Piece | None = None
    badge_status: str = ""
    direction: str = ""
    values: dict[str, str] = field(default_factory=dict)
    strip: Piece | None = None
    theme: str = ""


@lru_cache(maxsize=2)
def _rating_phrases(path: str | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """(rating phrases, rating letters) from the shipped status words."""
    with open(path or STATUS_WORDS, encoding="utf-8") as fh:
        data = json.load(fh)
    phrases = {
        p.lower() for group in ("colours", "meanings") for ps in data[group].values() for p in ps
    }
    return frozenset(phrases), frozenset(data.get("letters", {}))


@lru_cache(maxsize=1)
def _longest_first() -> list[str]:
    """The rating phrases, longest first (a badge is read by its longest phrase)."""
    return sorted(_rating_phrases()[0], key=len, reverse=True)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z'-]*", text)


def badge_parts(text: str) -> tuple[str, str] | None:
    """(rating, direction) of a badge: "GREEN ↑" -> ("GREEN", "↑"); "Amber - improving" ->
    ("Amber", "improving"); None when the text is more than a rating."""
    arrows = "".join(ch for ch in text if is_arrow(ch))
    rest = " ".join("".join(" " if is_arrow(ch) else ch for ch in text).split()).strip(" -–—:|()")
    _, letters = _rating_phrases()
    if not rest:
        return None
    if rest in letters:
        return rest, arrows
    low = rest.lower()
    for phrase in _longest_first():
        if low == phrase or low.startswith(phrase + " "):
            extra = rest[len(phrase) :].strip(" -–—:|(),")
            if len(_words(extra)) > MAX_BADGE_EXTRA_WORDS or re.search(r"\d", extra):
                return None
            return rest[: len(phrase)], " ".join(p for p in (arrows, extra) if p)
    return None


def _is_chart(text: str) -> bool:
    tokens = text.split()
    return bool(tokens) and all(_CHART_TOKEN.match(t) for t in tokens)


def _title_strength(piece: Piece, labels: FieldLabels) -> int:
    """2 for a strong title (heading, bold, filled box, leading code), 1 for a plain line
    that could be one, 0 for anything else."""
    text = piece.text
    words = _words(text)
    if not 1 <= len(words) <= MAX_TITLE_WORDS or piece.kind == "table":
        return 0
    if text.rstrip().endswith((".", ":", ";")) or _is_chart(text) or badge_parts(text):
        return 0
    if any(v.role is not None for v in labels.find(text)):
        return 0
    if piece.kind == "heading" or piece.bold or piece.fill or TITLE_REF.match(text):
        return 2
    return 1 if len(words) >= 2 else 0


def _strip_values(text: str, labels: FieldLabels) -> list[LabelledValue]:
    return [v for v in labels.find(text) if v.role is not None]


def _is_strip(values: list[LabelledValue]) -> bool:
    return any(v.role in KPI_VALUE_ROLES for v in values)


def _table_pieces(table: Table) -> list[Piece]:
    pieces = []
    for r, row in enumerate(table.rows):
        for c in row:
            if not c.is_origin:
                continue
            lines = [ln.strip() for ln in c.text.split("\n") if ln.strip()]
            if not lines and c.fill:
                lines = [""]  # a badge shown only by its fill
            for line in lines:
                pieces.append(Piece(line, "cell", c.bold, c.fill, c.page, c.bbox, table.index, r))
    return pieces


def _is_card_table(table: Table, labels: FieldLabels) -> bool:
    return any(
        sum(v.role in KPI_VALUE_ROLES for v in _strip_values(c.text, labels)) >= 2
        for row in table.rows
        for c in row
        if c.is_origin
    )


def doc_to_pieces(doc: LayoutDocument, labels: FieldLabels | None = None) -> list[Piece]:
    """The document as pieces in reading order; a table that holds no card strip is one
    "table" piece, which no card reads across."""
    labels = labels or load_field_labels()
    pieces: list[Piece] = []
    for block in doc.blocks:
        if block.table is not None:
            if _is_card_table(block.table, labels):
                pieces += _table_pieces(block.table)
            pieces.append(Piece("", "table", table_index=block.table.index, page=block.prov.page))
            continue
        pieces.append(_block_piece(block))
    return pieces


def _block_piece(block: Block) -> Piece:
    text = " ".join(block.text.split())
    return Piece(text, block.kind, block.bold, None, block.prov.page, block.prov.bbox)


class _Reader:
    """Walks the pieces and gathers cards (see the module's docstring)."""

    def __init__(self, labels: FieldLabels) -> None:
        self.labels = labels
        self.cards: list[_Card] = []
        self.current = _Card()
        self.theme = ""

    def close(self) -> None:
        card = self.current
        if card.strip is not None and card.title is not None:
            self.cards.append(card)
        elif card.title is not None and card.title.kind == "heading" and card.strip is None:
            self.theme = card.title.text  # a heading no card followed: a section
        self.current = _Card(theme=self.theme)

    def read(self, piece: Piece) -> None:
        card = self.current
        if piece.kind == "table":
            self.close()
            return
        values = _strip_values(piece.text, self.labels)
        if _is_strip(values):
            self._strip(piece, values)
            return
        if (
            piece.kind != "cell"
            and any(word in piece.text for word in _BADGE_WORDS)
            and (m := TITLE_THEN_BADGE.match(piece.text))
        ):
            # A badge drawn level with the title comes out on the title's line.
            self.read(replace(piece, text=m.group("title")))
            self.read(replace(piece, text=m.group("badge")))
            return
        parts = badge_parts(piece.text) if piece.text else (("", "") if piece.fill else None)
        if parts is not None:
            if card.badge is not None:
                self.close()  # a second badge: the next card's, drawn above its title
                card = self.current
            card.badge, (card.badge_status, card.direction) = piece, parts
            return
        if card.title is not None and not card.direction and _only_arrows(piece.text):
            card.direction = piece.text  # an arrow drawn on its own beside the badge
            return
        strength = _title_strength(piece, self.labels)
        if not strength:
            return
        if card.strip is not None:
            self.close()
            card = self.current
        elif card.badge is not None and card.title is not None:
            if piece.kind != "heading":
                return  # chart captions and notes between the badge and the strip
            self.close()  # a heading: what came before was no card
            card = self.current
        if card.title is None or strength >= (2 if card.strong_title else 1):
            if card.title is not None and card.title.kind == "heading":
                self.theme = card.title.text  # the section heading the cards sit under
                card.theme = self.theme
            card.title, card.strong_title = piece, strength == 2

    def _strip(self, piece: Piece, values: list[LabelledValue]) -> None:
        card = self.current
        for v in values:
            if v.role in card.values:
                # The same label again: the next card's strip (cards side by side).
                self.close()
                card = self.current
            card.values.setdefault(v.role, v.value)  # type: ignore[arg-type]
        card.strip = card.strip or piece


def _only_arrows(text: str) -> bool:
    stripped = text.replace(" ", "")
    return bool(stripped) and all(is_arrow(ch) for ch in stripped)


def _to_kpi(card: _Card, source: str) -> KPI | None:
    assert card.title is not None and card.strip is not None
    title = card.title.text
    ref = card.values.get("ref", "")
    if not ref and (m := TITLE_REF.match(title)):
        ref, title = m.group("ref"), title[m.end() :]
    if sum(role in card.values for role in KPI_VALUE_ROLES) < 2 or not title.strip():
        return None
    v = card.values
    badge = card.badge
    status_raw = card.badge_status or v.get("status", "")
    anchor = card.title
    return KPI(
        theme=card.theme,
        ref=ref,
        measure=title.strip(),
        owner_raw=v.get("lead", ""),
        frequency_raw=v.get("frequency", ""),
        target_raw=v.get("target", ""),
        status=Status(raw=status_raw, fill=badge.fill if badge is not None else None),
        actual_raw=v.get("actual", ""),
        floor_raw=v.get("floor", ""),
        previous_raw=v.get("previous", ""),
        direction_raw=v.get("direction", "") or card.direction,
        flags=["from_card"],
        provenance=RecordProvenance(
            source=source,
            page=anchor.page,
            table_index=anchor.table_index,
            row_index=anchor.row_index,
            bbox=anchor.bbox,
        ),
    )


def cards_to_kpis(doc: LayoutDocument, labels: FieldLabels | None = None) -> list[KPI]:
    """Every KPI card in the document, in order."""
    labels = labels or load_field_labels()
    pieces = doc_to_pieces(doc, labels)
    if not any(_is_strip(_strip_values(p.text, labels)) for p in pieces):
        return []  # a card's values come only from a strip: no strip, no card (most documents)
    reader = _Reader(labels)
    for piece in pieces:
        reader.read(piece)
    reader.close()
    return [k for card in reader.cards if (k := _to_kpi(card, doc.source)) is not None]


def _measure_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9%]+", text.lower()))


def with_card_kpis(doc: LayoutDocument, kpis: list[KPI]) -> list[KPI]:
    """The table KPIs plus the document's cards. A card that is also a table (a word
    processor's box) is read once, as a card; a card whose measure a KPI table already
    lists fills that row's missing performance values instead of adding a second KPI."""
    cards = cards_to_kpis(doc)
    if not cards:
        return kpis
    card_tables = {k.provenance.table_index for k in cards if k.provenance.table_index is not None}
    kept = [k for k in kpis if k.provenance.table_index not in card_tables]
    by_measure = {_measure_key(k.measure): i for i, k in enumerate(kept)}
    for card in cards:
        i = by_measure.get(_measure_key(card.measure))
        if i is None:
            kept.append(card)
            continue
        row = kept[i]
        update = {
            name: getattr(card, name)
            for name in ("actual_raw", "floor_raw", "previous_raw", "direction_raw", "ref")
            if not getattr(row, name) and getattr(card, name)
        }
        if not row.status.raw and not row.status.fill:
            update["status"] = card.status
        kept[i] = row.model_copy(update=update)
    return kept


# --- the document's key to its arrows ----------------------------------------------------------------

_KEY_ENTRY = re.compile(r"(?P<arrow>\S)\s*[-–—=:]?\s*(?P<wording>[^\n]*)")


def direction_key(doc: LayoutDocument) -> dict[str, str]:
    """The report's own key to its direction-of-travel arrows: arrow -> its wording
    ("↑" -> "Performance has improved since the last quarter"). Lines (or key-table rows)
    that open with an arrow and say what it means; two or more arrows make a key."""
    texts: list[str] = []
    for block in doc.blocks:
        if block.table is None:
            texts.append(block.text)
            continue
        for row in block.table.rows:
            cells = [c.text.strip() for c in row if c.is_origin and c.text.strip()]
            texts.append(" ".join(cells))
    key: dict[str, str] = {}
    for text in texts:
        for part in _arrow_parts(" ".join(text.split())):
            arrow, wording = part
            if arrow not in key and 1 <= len(_words(wording)) <= 12:
                key[arrow] = wording
    return key if len(key) >= 2 else {}


def _arrow_parts(text: str) -> list[tuple[str, str]]:
    """("↑", "improved") pairs of a line that opens with an arrow: "↑ improved → no change"."""
    if not text or not is_arrow(text[0]):
        return []
    parts: list[tuple[str, str]] = []
    starts = [i for i, ch in enumerate(text) if is_arrow(ch)]
    for n, i in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        wording = text[i + 1 : end].strip(" -–—=:,;.")
        if wording:
            parts.append((text[i], wording))
    return parts


__all__ = [
    "Piece",
    "badge_parts",
    "cards_to_kpis",
    "direction_key",
    "doc_to_pieces",
    "with_card_kpis",
]
