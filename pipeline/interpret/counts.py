"""Status counts a document reports about itself, rather than records it lists.

Two layouts: a sentence ("17 of the 38 indicators are rated as Green, 12 as Amber
and nine as Red"; "20 tasks marked amber, 45 green") and a count table (status
columns G / A / R by area rows, often with a TOTAL row). Each gives colour ->
number and what is counted: "indicators" (measures, KPIs) or "actions" (tasks,
projects, milestones). A count table is never a table of records.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from planx.schemas.layout import Block, Table

COLOUR_WORD = {"red": "red", "amber": "amber", "yellow": "amber", "green": "green", "blue": "blue"}
STATUS_LETTER = {"R": "red", "A": "amber", "Y": "amber", "G": "green", "B": "blue"}
CONTEXT_BLOCKS = 3  # blocks before a count table that may say what it counts

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | {
    w: 20 + 10 * i for i, w in enumerate(_TENS)
}
_NUM = (
    r"(?:\d{1,4}(?![\d.,]?\d)(?!\s?%)|"
    rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS[1:10])}))?|"
    rf"(?:{'|'.join(sorted(_UNITS, key=len, reverse=True))}))"
)
_INDICATOR_NOUN = r"indicators?|measures?|kpis?|pis?|metrics?|targets?|scorecard\s+measures?"
_ACTION_NOUN = (
    r"tasks?|actions?|projects?|items?|milestones?|recommendations?|objectives?|workstreams?|"
    r"deliverables?|activities|activity"
)
_NOUN = rf"(?:{_INDICATOR_NOUN}|{_ACTION_NOUN})"
_COLOURS_RE = r"(red|amber|green|blue|yellow)"
_PERCENT_ASIDE = r"(?:\(\s*\d{1,3}(?:\.\d+)?\s?%\s*\)\s+)?"
# "20 tasks marked amber", "17 of the 38 indicators are rated as Green",
# "6 actions had been completed and were rated blue".
_COUNT_STRONG = re.compile(
    rf"\b({_NUM})\s+{_PERCENT_ASIDE}(?:(?:out\s+)?of\s+(?:the\s+|our\s+|its\s+|these\s+)?{_NUM}\s+)?"
    rf"(?:[\w-]+\s+)?({_NOUN})\b"
    r"(?:\s+[\w'-]+){0,6}?\s+(?:marked|rated|rag\s*rated|brag\s*rated|assessed|reported|shown|scored)\s+(?:as\s+)?"
    rf"['‘\"]?{_COLOURS_RE}\b",
    re.IGNORECASE,
)
# "45 green", "12 as Amber", "nine were red", "3 (8%) red".
_COUNT_WEAK = re.compile(
    rf"\b({_NUM})\s+{_PERCENT_ASIDE}(?:(?:{_NOUN})\s+)?(?:(?:were|are|was|is)\s+)?"
    rf"(?:(?:marked|rated)\s+)?(?:as\s+)?['‘\"]?{_COLOURS_RE}\b",
    re.IGNORECASE,
)
_ANY_NOUN = re.compile(rf"\b(?:{_NOUN})\b", re.IGNORECASE)
_TOTAL_LABEL = re.compile(r"^\s*(?:grand\s+)?(?:total|overall|all)\b", re.IGNORECASE)
_PERCENT_LABEL = re.compile(r"%|\bper\s?cent|\bpercentage|\bproportion", re.IGNORECASE)
# "No. Green", "Number of red", "Green (G)", "Red ratings": a status header cell.
_HEADER_NOISE = re.compile(
    r"^(?:no\.?|number(?:\s+of)?|#|count(?:\s+of)?)\s+|\s*\(\s*[RAGBY]\s*\)$|"
    r"\s+(?:rated|ratings?|indicators?|measures?|actions?|kpis?)$",
    re.IGNORECASE,
)
_EMPTY_COUNT = {"", "-", "–", "—", "nil", "none"}


@dataclass(frozen=True)
class ReportedCounts:
    """colour -> number a document reports, and what it counts ("indicators", "actions", "")."""

    counts: dict[str, int] = field(default_factory=dict)
    counts_of: str = ""


def number_value(text: str) -> int | None:
    """'17' -> 17, 'nine' -> 9, 'twenty-one' -> 21; None for anything else."""
    word = text.strip().lower()
    if word.isdigit():
        return int(word)
    parts = re.split(r"[- ]", word)
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS[1:10]:
        return NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]]
    return NUMBER_WORDS.get(word)


def noun_to_counts_of(text: str) -> str:
    """What the first count noun in a text counts: "indicators", "actions" or ""."""
    m = _ANY_NOUN.search(text)
    if not m:
        return ""
    return "indicators" if re.fullmatch(_INDICATOR_NOUN, m.group(0), re.IGNORECASE) else "actions"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;!?])\s+(?=[A-Z])", text) if s.strip()]


def _statement(sentence: str) -> tuple[list[re.Match[str]], str] | None:
    """The count matches of a sentence that states counts, and its noun; None otherwise.

    A sentence states counts with a strong match ("17 of the 38 indicators are rated
    as Green"), or with two colours counted and a count noun ("Of the 38 indicators,
    17 are green and 12 amber")."""
    strong = list(_COUNT_STRONG.finditer(sentence))
    spans = [m.span() for m in strong]
    weak = [
        m for m in _COUNT_WEAK.finditer(sentence) if not any(a <= m.start() < b for a, b in spans)
    ]
    colours = {m.group(m.lastindex or 0).lower() for m in [*strong, *weak]}
    if strong:
        return sorted([*strong, *weak], key=lambda m: m.start()), noun_to_counts_of(
            strong[0].group(2)
        )
    if len(colours) >= 2 and _ANY_NOUN.search(sentence):
        return weak, noun_to_counts_of(sentence)
    return None


def _add(counts: dict[str, int], matches: Sequence[re.Match[str]]) -> None:
    for m in matches:
        value = number_value(m.group(1))
        if value is not None:
            counts.setdefault(COLOUR_WORD[m.group(m.lastindex or 0).lower()], value)


def prose_counts(texts: Sequence[str]) -> ReportedCounts:
    """Counts a document gives in prose; the first full statement wins, later repeats of
    one colour are not added again."""
    for i, text in enumerate(texts):
        sentences = _sentences(text)
        for j, sentence in enumerate(sentences):
            if (found := _statement(sentence)) is None:
                continue
            matches, counts_of = found
            counts: dict[str, int] = {}
            _add(counts, matches)
            # The statement may run on over the next sentences and list items ("There are:" ...).
            for more in [*sentences[j + 1 :], *texts[i + 1 : i + 6]]:
                weak = list(_COUNT_WEAK.finditer(more))
                if not weak:
                    break
                _add(counts, weak)
            if counts:
                return ReportedCounts(counts=counts, counts_of=counts_of)
            break
    return ReportedCounts()


def find_status_counts(texts: Sequence[str]) -> dict[str, int]:
    """colour -> number from prose (see `prose_counts`)."""
    return prose_counts(texts).counts


# --- count tables ---------------------------------------------------------------------------------


def _status_label(text: str) -> str | None:
    """The colour a header cell names: 'Green', 'G', 'No. Red', 'Amber (A)'."""
    text = text.strip().strip(":*")
    if text in STATUS_LETTER:
        return STATUS_LETTER[text]
    return COLOUR_WORD.get(_HEADER_NOISE.sub("", text).strip().lower())


def _count(text: str) -> int | None:
    text = text.strip()
    if text.lower() in _EMPTY_COUNT:
        return 0
    return int(text) if re.fullmatch(r"\d{1,5}", text) else None


@dataclass(frozen=True)
class _CountGrid:
    """A count table read: colour -> count per body row, and each row's label."""

    rows: list[tuple[str, dict[str, int]]]


def _columns_grid(grid: list[list[str]]) -> _CountGrid | None:
    """Statuses across the top (one header row), areas down the side."""
    for h, header in enumerate(grid[:3]):
        columns = {c: colour for c, t in enumerate(header) if (colour := _status_label(t))}
        if len(set(columns.values())) < 2:
            continue
        rows = []
        for row in grid[h + 1 :]:
            if not any(row):
                continue
            values = {c: _count(row[c]) for c in columns}
            if any(v is None for v in values.values()):
                return None
            label = next((t for c, t in enumerate(row) if c not in columns and t.strip()), "")
            counts: dict[str, int] = {}
            for c, v in values.items():
                counts[columns[c]] = counts.get(columns[c], 0) + (v or 0)
            rows.append((label, counts))
        return _CountGrid(rows) if rows else None
    return None


def _rows_grid(grid: list[list[str]]) -> _CountGrid | None:
    """Statuses down the side ("Green | 17"), one count per row or one per area column."""
    per_colour: dict[str, list[int]] = {}
    for row in grid:
        colour = _status_label(row[0]) if row else None
        if colour is None:
            continue
        values = [_count(t) for t in row[1:] if t.strip()]
        if not values or any(v is None for v in values):
            return None
        per_colour.setdefault(colour, [0] * len(values))
        if len(per_colour[colour]) != len(values):
            return None
        per_colour[colour] = [a + (b or 0) for a, b in zip(per_colour[colour], values, strict=True)]
    if len(per_colour) < 2:
        return None
    width = len(next(iter(per_colour.values())))
    if any(len(v) != width for v in per_colour.values()):
        return None
    header = next((r for r in grid if r and _status_label(r[0]) is None), [])
    labels = [t for t in header[1:] if t.strip()] if header else []
    rows = [
        (labels[i] if i < len(labels) else "", {c: v[i] for c, v in per_colour.items()})
        for i in range(width)
    ]
    return _CountGrid(rows)


def _count_grid(table: Table) -> _CountGrid | None:
    grid = [[t.strip() for t in row] for row in table.texts()]
    if not grid or table.n_cols < 2:
        return None
    return _columns_grid(grid) or _rows_grid(grid)


def is_count_table(table: Table) -> bool:
    """A table of status counts (G / A / R columns by area rows, or the other way round),
    not of records: every status cell is a whole number."""
    return _count_grid(table) is not None


def table_counts(table: Table) -> dict[str, int]:
    """colour -> number from a count table: its TOTAL row where it has one, else the sum of
    its area rows (percentage rows left out)."""
    read = _count_grid(table)
    if read is None:
        return {}
    total = next((c for label, c in read.rows if _TOTAL_LABEL.match(label)), None)
    if total is not None:
        return dict(total)
    out: dict[str, int] = {}
    for label, counts in read.rows:
        if _PERCENT_LABEL.search(label):
            continue
        for colour, n in counts.items():
            out[colour] = out.get(colour, 0) + n
    return out


def find_reported_counts(blocks: Sequence[Block]) -> ReportedCounts:
    """The counts a document reports: a prose statement first, else its first count table
    (what it counts read from its own cells, or the few blocks before it)."""
    prose = prose_counts([b.text for b in blocks if b.table is None])
    if prose.counts:
        return prose
    for i, block in enumerate(blocks):
        if block.table is None or not (counts := table_counts(block.table)):
            continue
        context = [" ".join(t for row in block.table.texts() for t in row)]
        context += [b.text for b in reversed(blocks[max(0, i - CONTEXT_BLOCKS) : i]) if b.text]
        counts_of = next((k for t in context if (k := noun_to_counts_of(t))), "")
        return ReportedCounts(counts=counts, counts_of=counts_of)
    return ReportedCounts()


__all__ = [
    "ReportedCounts",
    "find_reported_counts",
    "find_status_counts",
    "is_count_table",
    "noun_to_counts_of",
    "number_value",
    "prose_counts",
    "table_counts",
]
