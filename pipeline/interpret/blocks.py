"""Actions written as paragraphs, not table rows.

Two layouts:

- label:value blocks: consecutive paragraphs "Action: ...", "Lead officer: ...", "By: ...",
  "Status: ..." make one action; the next "Action:" starts another.
- numbered paragraphs under headings: "1.2 Do this ... (Lead: X; by Sept 2019; Status: Amber)",
  the fields inline, in brackets at the end, or in label lines that follow; bullet items right
  after the opening line belong to its text; an "Update: ..." paragraph after it is its
  progress. The theme is the heading that carries the ref's first number ("1. Help at the
  front door" for 1.2), else the last heading.

A numbered paragraph with no lead, date or status is not an action (a list of an
inspection's recommendations, say), and a document needs a few such actions before any is
taken, so prose that happens to hold one labelled line yields nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planx.pipeline.interpret.labels import FieldLabels, LabelledValue, load_field_labels
from planx.pipeline.interpret.text import collapse_whitespace
from planx.schemas.layout import Block, LayoutDocument, LayoutProvenance, Table
from planx.schemas.records import Action, DateValue, RecordProvenance, Status

MIN_ACTIONS = 3  # fewer paragraph actions than this in a document are taken as prose
MAX_THEME_WORDS = 14
FIELD_ROLES = ("lead", "due", "start", "status")
# "1.2 ", "1.2.3 ", "2b ", "A1 " -- or "1. " / "1) " where there is one level only.
NUMBERED = re.compile(
    r"^(?P<ref>(?:[A-Z]{1,2})?\d{1,2}(?:\.\d{1,2}){1,3}[a-z]?|(?:[A-Z]{1,2})?\d{1,2}[a-z]?(?=[.)]))"
    r"[.):]?\s+(?=\S)"
)
LIST_NUMBER = re.compile(r"^\(?((?:[A-Z]{1,2})?\d{1,2}(?:\.\d{1,2}){0,3}[a-z]?)[.):]?$")
ACTION_NUMBERED_LABEL = re.compile(
    r"^(?:action|task)\s+(?P<ref>\d{1,2}(?:\.\d{1,2}){0,3}[a-z]?)\s*[:.–-]\s*", re.IGNORECASE
)
TRAILING_FACTS = re.compile(r"\(\s*(?P<facts>[^()]*(?:\([^()]*\)[^()]*)*)\)\s*$")
# Unlabelled facts that are a timescale: "by Sept 2019", "ongoing", "Jun 2019 – Dec 2019".
DATE_LIKE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b|\b(?:19|20)\d\d\b|"
    r"\bq[1-4]\b|\b(?:ongoing|on-going|tbc|tba|immediate(?:ly)?|quarterly|monthly|annually)\b|"
    r"\d{1,2}/\d{1,2}/\d{2,4}",
    re.IGNORECASE,
)
THEME_NUMBER = re.compile(
    r"^(?:(?:theme|priority|area|workstream|outcome|objective|aim|strand|section)\s+)?(\d{1,2})"
    r"(?:[.):]|\s*[-–:]|\s)\s*\S",
    re.IGNORECASE,
)


@dataclass
class _Item:
    """An action being gathered from consecutive blocks."""

    ref: str
    text: str
    block: Block
    theme: str
    kind: str  # "numbered" | "labels"
    fields: dict[str, str] = field(default_factory=dict)
    progress: list[str] = field(default_factory=list)
    sub_items: list[str] = field(default_factory=list)
    closed_text: bool = False  # fields or another paragraph followed: no more sub-items

    def add(self, values: list[LabelledValue]) -> None:
        for v in values:
            if v.role == "progress":
                self.progress.append(v.value)
                self.closed_text = True
            elif v.role == "action" and not self.text:
                self.text = v.value
            elif v.role is not None and v.value and v.role not in self.fields:
                # "Lead: PSW. By: March 2020." -- the sentence's full stop is not the value's.
                self.fields[v.role] = v.value.rstrip(". ")
                self.closed_text = True

    @property
    def has_fields(self) -> bool:
        return any(self.fields.get(r) for r in FIELD_ROLES)


@dataclass
class _Themes:
    """Headings seen so far: the last one, and the last one per number ("1" -> "1. Help ...")."""

    last: str = ""
    by_number: dict[str, str] = field(default_factory=dict)

    def see(self, text: str, heading: bool) -> None:
        if heading:
            self.last = text
        if m := THEME_NUMBER.match(text):
            self.by_number[m.group(1)] = text

    def of(self, ref: str) -> str:
        top = re.match(r"^(?:[A-Z]{1,2})?(\d{1,2})", ref)
        if top and "." in ref and top.group(1) in self.by_number:
            return self.by_number[top.group(1)]
        return self.last


def _opening(block: Block) -> tuple[str, str]:
    """(ref, text after the ref) of a block that opens with a number, else ("", text)."""
    text = collapse_whitespace(block.text)
    if block.kind == "list_item" and block.list_label and LIST_NUMBER.match(block.list_label):
        return LIST_NUMBER.match(block.list_label).group(1), text  # type: ignore[union-attr]
    if m := NUMBERED.match(text):
        return m.group("ref"), text[m.end() :]
    return "", text


def _facts(text: str, labels: FieldLabels) -> tuple[str, list[LabelledValue]]:
    """Split "Do this. (Lead: X; by May 2019; Status: Red)" or "Do this. Lead: X. By: May"
    into the text and its labelled values; unlabelled timescales count as due dates."""
    values: list[LabelledValue] = []
    m = TRAILING_FACTS.search(text)
    if m and _is_facts(m.group("facts"), labels):
        text = text[: m.start()].strip()
        for part in re.split(r"\s*;\s*", m.group("facts")):
            found = labels.find(part)
            if found and found[0].role is not None:
                values += found
            elif part.strip() and DATE_LIKE.search(part):
                values.append(LabelledValue("due", "", part.strip(), 0))
    found = labels.find(text)
    if len(found) > 1 or (found and found[0].role is not None):
        head = found[0] if found[0].role is None else None
        text = head.value if head else ""
        values = [v for v in found if v.role is not None] + values
    return text, values


def _is_facts(inner: str, labels: FieldLabels) -> bool:
    found = labels.find(inner)
    return any(v.role in (*FIELD_ROLES, "progress") for v in found)


def _theme_text(block: Block, text: str) -> str:
    """A numbered heading as written: "1. Help at the front door" (a list item keeps its
    number in its label)."""
    if block.kind == "list_item" and block.list_label:
        return f"{block.list_label} {text}"
    return collapse_whitespace(block.text)


def _looks_like_theme(text: str) -> bool:
    return 0 < len(text.split()) <= MAX_THEME_WORDS and not text.rstrip().endswith((".", ":", ";"))


def _to_action(item: _Item, source: str) -> Action:
    text = collapse_whitespace(" ".join([item.text, *item.sub_items]))
    f = item.fields
    return Action(
        theme=item.theme,
        ref=item.ref,
        text=text,
        lead_raw=f.get("lead", ""),
        start=DateValue(raw=f["start"]) if f.get("start") else None,
        due=DateValue(raw=f["due"]) if f.get("due") else None,
        status=Status(raw=f.get("status", "")),
        progress=collapse_whitespace(" ".join(item.progress)),
        success_measure=f.get("success_measure", ""),
        flags=["from_paragraphs"],
        provenance=RecordProvenance(
            source=source,
            page=item.block.prov.page,
            bbox=item.block.prov.bbox,
            table_index=item.block.prov.table_index,
            row_index=item.block.prov.row_index,
        ),
    )


def blocks_to_actions(doc: LayoutDocument, labels: FieldLabels | None = None) -> list[Action]:
    """Actions written as label:value blocks or numbered paragraphs, in document order;
    none when the document has fewer than MIN_ACTIONS of them."""
    labels = labels or load_field_labels()
    themes = _Themes()
    items: list[_Item] = []
    current: _Item | None = None

    def close() -> None:
        nonlocal current
        if current is not None and current.text and current.has_fields:
            items.append(current)
        elif current is not None and current.kind == "numbered" and _looks_like_theme(current.text):
            # A numbered line with no fields that reads like a heading: "1. Help at the door".
            themes.see(_theme_text(current.block, current.text), heading=True)
        current = None

    for block in doc.blocks:
        if block.table is not None:
            close()
            continue
        whole = collapse_whitespace(block.text)
        opening = labels.starts_with_label(whole)
        numbered_label = ACTION_NUMBERED_LABEL.match(whole)
        if numbered_label or (opening and opening.role in ("action", "ref")):
            # "Action: ...", "Action 3: ...", "Ref: 1.2" start a label:value block.
            close()
            ref = numbered_label.group("ref") if numbered_label else ""
            body = f"Action: {whole[numbered_label.end() :]}" if numbered_label else whole
            current = _Item(ref, "", block, themes.last, "labels")
            found = labels.find(body)
            if found and found[0].role == "ref":
                current.ref, found = found[0].value, found[1:]
            current.add(found)
            current.theme = themes.of(current.ref) if current.ref else themes.last
            continue
        ref, rest = _opening(block)
        text, values = _facts(rest, labels)
        if ref:
            close()
            current = _Item(ref, text, block, themes.of(ref), "numbered")
            current.add(values)
            continue
        if values and not text:
            # A label line ("Lead officer: ...") or a line of bracketed facts after the
            # action's bullets: both belong to the open action.
            if current is not None:
                current.add(values)
            continue
        if block.kind == "list_item" and current is not None and not current.closed_text:
            current.sub_items.append(whole)
            continue
        close()
        if block.kind == "heading":
            themes.see(whole, heading=True)
    close()
    if len(items) < MIN_ACTIONS:
        return []
    return [_to_action(item, doc.source) for item in items]


# A table whose cells mostly open with field labels is a grid of label:value cards.
LABEL_GRID_SHARE = 0.5


def label_grid_to_blocks(table: Table, labels: FieldLabels | None = None) -> list[Block]:
    """A grid of label:value cards ("What: ..." / "Who: ..." / "When: ..." cells, a card per
    column run) as the paragraphs a reader would give for it: column by column, top to
    bottom, a line without a label joined to the labelled line above it. Empty when the
    table is not such a grid (fewer than half its cells open with a label, or no action
    label and no lead or date label among them)."""
    labels = labels or load_field_labels()
    grid = table.texts()
    cells = [(r, c) for c in range(table.n_cols) for r in range(table.n_rows) if grid[r][c].strip()]
    if not cells:
        return []
    opening = {
        rc: labels.starts_with_label(collapse_whitespace(grid[rc[0]][rc[1]])) for rc in cells
    }
    roles = {v.role for v in opening.values() if v is not None}
    labelled = sum(1 for v in opening.values() if v is not None)
    if (
        labelled / len(cells) < LABEL_GRID_SHARE
        or "action" not in roles
        or not roles & {"lead", "due"}
    ):
        return []
    blocks: list[Block] = []
    for r, c in cells:
        text = collapse_whitespace(grid[r][c])
        cell = table.rows[r][c]
        if opening[(r, c)] is None and blocks:
            last = blocks[-1]
            blocks[-1] = Block(kind="paragraph", text=f"{last.text} {text}", prov=last.prov)
            continue
        prov = LayoutProvenance(
            source=table.source, page=cell.page, table_index=table.index, row_index=r
        )
        blocks.append(Block(kind="paragraph", text=text, prov=prov))
    return blocks


__all__ = ["MIN_ACTIONS", "blocks_to_actions", "label_grid_to_blocks"]
