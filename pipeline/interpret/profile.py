"""Column roles and table kinds from evidence: the header's words and what the cells hold.

A real plan's header may use words nobody listed ("What we have committed to"), mislead
("Measure" over a column of success measures in an action table), or be missing. So every
column gets a profile of its body cells -- how many read as dates, statuses, leads,
imperative sentences, numbers, refs -- and each role is scored from the header's words and
from that profile together. Roles go to columns best score first; the table's kind
(actions, KPIs or neither) is decided from all its columns at once. Every choice keeps its
score, its runner-up and its reasons, which `planx explain` prints.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from planx.pipeline.interpret.columns import (
    COLUMN_EVIDENCE,
    MIN_SCORE,
    ROLE_SYNONYMS,
    THEME_COLUMN_PENALTY,
    ColumnRoles,
    _month_of,
    assign_greedily,
    score_label,
)
from planx.pipeline.interpret.grid import collapse_copied_columns
from planx.schemas.layout import Cell, Table

TableKind = str  # "actions" | "kpis" | "other"

# Header evidence counts a little more than the cells': a header is the plan's own word.
HEADER_WEIGHT = 1.0
CONTENT_WEIGHT = 0.8
ROLE_MIN = 0.5  # a column needs this much total evidence to take a role
# A header word stands alone only when the cells do not contradict it.
CONTRADICTED = 0.15
MAX_HEADER_ROWS = 6
# One point of fuzzy header score on the 0..1 evidence scale (84 -> 0.5, 100 -> 1.0).
HEADER_UNIT = 0.5 / (100 - MIN_SCORE)
# Cells alone decide a role only over this many filled cells.
MIN_CELLS_WITHOUT_HEADER = 3

_IMPERATIVE = frozenset(COLUMN_EVIDENCE["imperative_verbs"])
_NOMINAL = frozenset(COLUMN_EVIDENCE["nominal_actions"])
_LEAD_WORDS = frozenset(COLUMN_EVIDENCE["lead_words"])
_MEASURE_PHRASES = tuple(COLUMN_EVIDENCE["measure_phrases"])
# Any of the phrases anywhere in a (lower-cased) text, in one search.
_MEASURE_PHRASE = re.compile("|".join(re.escape(p) for p in _MEASURE_PHRASES))

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b{_MONTH}(?:\s|$|[-/'’,])|\b\d{{1,2}}\s*[/.\-]\s*\d{{1,2}}\s*[/.\-]\s*\d{{2,4}}\b|\bq[1-4]\b"
    r"|\bquarter\b|\b(?:19|20)\d\d\b|\b\d\d\s*/\s*\d\d\b|\b(?:spring|summer|autumn|winter)\b"
    r"|\b(?:ongoing|on-going|tbc|tba|immediate(?:ly)?|by end|end of|weekly|monthly|quarterly|annual(?:ly)?)\b",
    re.IGNORECASE,
)
_FREQUENCY = re.compile(
    r"^\s*(?:weekly|fortnightly|monthly|bi-?monthly|quarterly|termly|6[- ]monthly|half[- ]yearly|"
    r"bi-?annual(?:ly)?|annual(?:ly)?|yearly|every\s+\w+\s+(?:weeks?|months?))\b",
    re.IGNORECASE,
)
_STATUS_WORDS = re.compile(
    r"^\s*(?:[RAGBY](?:\s*/\s*[RAGBY])?|red|amber|green|blue|yellow|complete[d]?|achieved|on[- ]track|"
    r"off[- ]track|at[- ]risk|not (?:yet )?started|in progress|delayed|overdue|ongoing|not met|met|"
    r"partially (?:met|achieved|complete[d]?))\b[\s.!)]*(?:\(.{0,20}\))?\s*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"^\s*(?:[<>≤≥=~]|at least|no more than|up to)?\s*£?\s*-?\d[\d,]*(?:\.\d+)?\s*"
    r"(?:%|per\s*cent|pc|k|m|days?|weeks?|months?|years?|hours?|per\s+[\d,]+(?:\s+\w+)?|"
    r"/\s*\d+|of\s+\d+|out\s+of\s+\d+|to\s+\d[\d,.]*\s*\w*)?(?:\s+\w+){0,2}\s*(?:\(.*\))?\s*$",
    re.IGNORECASE,
)
_REF = re.compile(
    r"^\s*(?:[A-Z]{1,4}\s?)?\d{1,3}(?:\.\d{1,3}){0,4}[a-z]?[.)]?\s*$|^\s*\(?[a-z]\)\s*$|^\s*[ivx]{1,5}[.)]\s*$"
)
# A ref written at the start of a text cell: "NI 59 ...", "1. ...", "2.3 ...", "(a) ...".
LEADING_CODE = re.compile(
    r"^\s*(?P<ref>[A-Z]{2,4}\s?\d{1,3}[a-z]?|\d{1,3}(?:\.\d{1,3}){1,4}[a-z]?|\d{1,3}[a-z]?(?=[.)])|"
    r"[A-Z]\d{1,3}(?:\.\d{1,3})*)[.):]?\s+(?=\S)"
)
_INITIALS = re.compile(r"^[A-Z][A-Za-z&]{1,6}$")
PLACEHOLDER = re.compile(r"^(?:-{1,3}|–|—|n/?a|tbc|tba|\*|\.{1,3}|x)$", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# "Report of: ...": a label and its value, not a deed.
_LABEL_THEN_COLON = re.compile(r"^\W*[A-Za-z]+(?:\s+\w+){0,2}\s*:")
_LEAD_SEPARATORS = re.compile(r"[\s/,;&]+")
_RATE = re.compile(r"\d\s*%|\d+(?:\.\d+)?\s+per\s+[\d,]+")  # "45%", "12.5 per 10,000"


@dataclass(frozen=True)
class ColumnProfile:
    """What a column's body cells hold, as shares of its non-empty cells."""

    col: int
    label: str
    n_cells: int  # non-empty body cells
    n_rows: int  # body rows
    shares: dict[str, float]
    mean_words: float

    def share(self, feature: str) -> float:
        return self.shares.get(feature, 0.0)


@dataclass(frozen=True)
class RoleChoice:
    """The role a column took, with its evidence and the role that came second."""

    col: int
    label: str
    role: str | None
    score: float
    header_score: float
    content_score: float
    runner_up: tuple[str, float] | None
    why: str


@dataclass(frozen=True)
class TableReading:
    """How a table was read: its kind, column roles, header rows, and why."""

    kind: TableKind
    table: Table  # the table as read: columns that only repeat a neighbour folded in
    roles: ColumnRoles
    n_header_rows: int
    columns: tuple[RoleChoice, ...]
    profiles: tuple[ColumnProfile, ...]
    reason: str
    extra_roles: dict[str, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class TableContext:
    """What the document says around a table: the caption or heading just above it."""

    caption: str = ""
    fill_to_colour: Callable[[str], str | None] | None = None


# --- cells --------------------------------------------------------------------------------------


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


def is_date_like(text: str) -> bool:
    return bool(_DATE.search(text)) and len(text.split()) <= 8


def is_status_like(text: str) -> bool:
    return bool(_STATUS_WORDS.match(text))


def is_number_like(text: str) -> bool:
    t = text.strip()
    return bool(_NUMBER.match(t)) and any(ch.isdigit() for ch in t) and len(t) <= 40


def is_ref_like(text: str) -> bool:
    return bool(_REF.match(text))


def is_imperative(text: str) -> bool:
    """'Establish ...', 'Implementation of ...', '1. Review ...': a text that names a deed."""
    rest = LEADING_CODE.sub("", text.strip(), count=1)
    words = words_of(rest)
    if not words or _LABEL_THEN_COLON.match(rest):
        return False  # "Report of: ..." is a label and its value
    first = words[0].lower()
    if first in _IMPERATIVE:
        return True
    return first in _NOMINAL and len(words) > 1 and words[1].lower() in ("of", "and")


def is_lead_like(text: str) -> bool:
    """A short cell naming people, roles, teams or bodies ('Head of Service', 'DCS / PSW')."""
    t = text.strip()
    words = words_of(t)
    if not words or len(words) > 14 or t.endswith("."):
        return False
    lowered = {w.lower() for w in words}
    if lowered & _LEAD_WORDS:
        return True
    tokens = _LEAD_SEPARATORS.split(t)
    tokens = [x for x in tokens if x and x.lower() not in ("and", "with", "the", "of")]
    if tokens and all(_INITIALS.match(x) and sum(c.isupper() for c in x) >= 2 for x in tokens):
        return True  # initials only: "AD / HoS"
    # A person: two or three capitalised words ("Jane Smith").
    return 2 <= len(words) <= 3 and all(w[0].isupper() for w in words) and not is_date_like(t)


def is_measure_like(text: str) -> bool:
    """A text that describes a quantity ('% of ...', 'Number of ...', '... rate', '... was 45%');
    not a run of figures ('between 90% and 95% ...')."""
    tokens = text.split()
    if not tokens or sum(any(ch.isdigit() for ch in t) for t in tokens) / len(tokens) > 0.3:
        return False
    if _MEASURE_PHRASE.search(text.lower()):
        return True
    return bool(_RATE.search(text))


def cell_colour(cell: Cell, fill_to_colour: Callable[[str], str | None] | None) -> str | None:
    """The status colour a cell shows without words: its fill, an icon in it, or its text's colour."""
    if fill_to_colour is None:
        return None
    for colour in (cell.fill, cell.icon_fill, cell.text_colour):
        if colour and (named := fill_to_colour(colour)):
            return named
    return None


# What a body cell's text can read as, in the order a column profile lists them.
CELL_FEATURES = (
    "date",
    "frequency",
    "status",
    "number",
    "ref",
    "lead",
    "sentence",
    "imperative",
    "measure",
    "leading_code",
    "short",
)
# Cell texts recur (a lead, a status word, "Ongoing"): what each reads as is remembered,
# up to this many texts.
CELL_CACHE_SIZE = 4096


@dataclass(frozen=True)
class TextFeatures:
    """What one cell text reads as: a flag per CELL_FEATURES name, and its word count."""

    flags: tuple[bool, ...]
    n_words: int

    def flag(self, feature: str) -> bool:
        return self.flags[CELL_FEATURES.index(feature)]


@lru_cache(maxsize=CELL_CACHE_SIZE)
def text_features(text: str) -> TextFeatures:
    """The features of a body cell's text (stripped; "" for a cell shown only by colour)."""
    n_words = len(words_of(text))
    by_name = {
        "date": bool(text) and is_date_like(text),
        "frequency": bool(_FREQUENCY.match(text)),
        "status": bool(text) and is_status_like(text),
        "number": bool(text) and is_number_like(text),
        "ref": bool(text) and is_ref_like(text),
        "lead": bool(text) and is_lead_like(text),
        "sentence": n_words >= 6,
        "imperative": bool(text) and is_imperative(text),
        "measure": bool(text) and is_measure_like(text),
        "leading_code": bool(LEADING_CODE.match(text)) and n_words >= 3,
        "short": 0 < n_words <= 4,
    }
    return TextFeatures(tuple(by_name[name] for name in CELL_FEATURES), n_words)


# --- header rows ----------------------------------------------------------------------------------


def _header_score(texts: list[str]) -> float:
    """How well a row's cells read as column labels: the best lexicon score of any cell."""
    best = 0.0
    for text in texts:
        if text:
            best = max(best, max(score_label(text, role) for role in ROLE_SYNONYMS))
    return best


def _label_like(text: str, long_ok: bool = False) -> bool:
    """Reads as a column label: short, not a sentence. A row styled as a header that names
    roles may have longer labels ("What we will do to achieve this outcome")."""
    words, chars = (25, 160) if long_ok else (12, 70)
    return len(text) <= chars and len(text.split()) <= words and not text.rstrip().endswith(".")


def is_group_row(table: Table, r: int, texts: list[str] | None = None) -> bool:
    """A heading row inside a table: one cell alone in its row, merged across at least half
    the table ("1) Infant feeding", "Theme 2: Early help"). `texts`: the row's `texts()`,
    when the caller has them."""
    texts = table.texts()[r] if texts is None else texts
    filled = [c for c, t in enumerate(texts) if t.strip()]
    if len(filled) != 1:
        return False
    return table.rows[r][filled[0]].col_span >= max(2, (table.n_cols + 1) // 2)


def count_header_rows(table: Table) -> int:
    """Header rows at the top: the reader's count, else the leading rows that read as labels.

    A row counts when every filled cell reads as a short label and the row either names a
    role from the lexicon or shares the header's look (bold or a fill the body lacks).
    """
    if table.n_header_rows:
        return table.n_header_rows
    if table.n_rows < 2:
        return 0
    body = table.rows[min(3, table.n_rows - 1) :]
    body_fills = {c.fill for row in body for c in row}
    body_bold = all(c.bold for row in body for c in row if c.text.strip())
    grid = table.texts()
    n = 0
    for r in range(min(MAX_HEADER_ROWS, table.n_rows - 1)):
        texts = [t.strip() for t in grid[r]]
        filled = [t for t in texts if t]
        cells = table.rows[r]
        styled = (
            all(c.bold for c, t in zip(cells, texts, strict=True) if t) and not body_bold
        ) or (
            cells[0].fill is not None
            and all(c.fill == cells[0].fill for c in cells)
            and cells[0].fill not in body_fills
        )
        if not filled:
            if n and styled:
                n += 1  # an empty band of the header's colour
                continue
            break
        if is_group_row(table, r, grid[r]):
            break
        words_hit = _header_score(filled) >= MIN_SCORE
        if not all(_label_like(t, long_ok=styled) for t in filled):
            break
        merged_down = n > 0 and any(
            c.merged_from is not None and c.merged_from[0] < r for c in cells
        )
        if not (words_hit or styled or merged_down) or (len(filled) < 2 and not merged_down):
            break
        n += 1
    return n


def column_labels(table: Table, n_head: int) -> list[str]:
    """One label per column, stacked header rows joined ("Targets / 08/09"). A header cell that
    spans several columns labels each of them."""
    labels = []
    for c in range(table.n_cols):
        parts: list[str] = []
        for r in range(n_head):
            text = table.rows[r][c].text.strip()
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append(" / ".join(parts))
    return labels


# --- column profiles -----------------------------------------------------------------------------


def _body_rows(table: Table, n_head: int, grid: list[list[str]]) -> list[int]:
    return [r for r in range(n_head, table.n_rows) if not is_group_row(table, r, grid[r])]


def profile_columns(
    table: Table, n_head: int, labels: list[str], context: TableContext | None = None
) -> list[ColumnProfile]:
    """Each column's profile over the body rows (group rows and empty rows left out)."""
    ctx = context or TableContext()
    grid = table.texts()
    rows = [r for r in _body_rows(table, n_head, grid) if any(t.strip() for t in grid[r])]
    profiles = []
    for c in range(table.n_cols):
        counts: dict[str, int] = {}
        n = 0
        words = 0
        seen: list[str] = []
        vertical = 0
        for r in rows:
            cell = table.rows[r][c]
            text = grid[r][c].strip()
            if PLACEHOLDER.match(text):
                text = ""  # "--", "n/a": no value, so no evidence of the column's type
            colour = cell_colour(cell, ctx.fill_to_colour)
            if not text and not colour:
                continue
            n += 1
            features = text_features(text)
            for name, flag in zip(CELL_FEATURES, features.flags, strict=True):
                counts[name] = counts.get(name, 0) + int(flag)
            if not features.flag("status") and colour is not None and len(text) <= 25:
                counts["status"] += 1  # a status shown by its colour alone
            words += features.n_words
            seen.append(text)
            if cell.merged_from is not None and cell.merged_from[0] != r:
                vertical += 1
        shares = {k: v / n for k, v in counts.items()} if n else {}
        if n:
            shares["distinct"] = len(set(seen)) / n
            shares["vertical_merge"] = vertical / n
            shares["filled"] = n / max(1, len(rows))
        profiles.append(
            ColumnProfile(
                col=c,
                label=labels[c],
                n_cells=n,
                n_rows=len(rows),
                shares=shares,
                mean_words=words / n if n else 0.0,
            )
        )
    return profiles


# --- role scores ---------------------------------------------------------------------------------

# Roles whose cells have a type the profile can check.
_TYPED = {
    "due": "date",
    "start": "date",
    "target_due": "date",
    "status": "status",
    "frequency": "frequency",
    "target": "number",
    "actual": "number",
    "baseline": "number",
    "floor": "number",
    "previous": "number",
    "ref": "ref",
    "kpi_ref": "ref",
}
_TEXT_ROLES = ("action", "measure", "progress", "evidence", "theme")


def content_score(p: ColumnProfile, role: str) -> float:
    """How well the cells alone support a role, 0..1. Cells tell a column's type (dates,
    numbers, refs, text); the header tells which role of that type (start or due date)."""
    if p.n_cells == 0:
        return 0.0
    s = p.share
    long_text = min(1.0, p.mean_words / 8)
    if role == "action":
        if s("imperative") < 0.4:
            return 0.0
        return max(
            0.0, 0.65 * s("imperative") + 0.35 * s("sentence") * long_text - 0.5 * s("number")
        )
    if role == "measure":
        if p.mean_words < 4:
            return 0.0
        return max(
            0.0,
            (0.55 * s("measure") + 0.45 * s("sentence") * long_text) * (1 - s("imperative"))
            - 0.5 * s("number"),
        )
    if role == "lead":
        return s("lead") * (1 - s("sentence")) * (1 - s("date"))
    if role in ("due", "start", "target_due"):
        return 0.9 * s("date") * (1 - s("sentence"))
    if role == "status":
        return s("status") * (1 - s("sentence"))
    if role == "frequency":
        return s("frequency")
    if role in ("actual", "target", "baseline", "floor", "previous"):
        return 0.85 * s("number")
    if role in ("ref", "kpi_ref"):
        return s("ref") * (1 - s("number") * 0.5)
    if role == "progress":
        return 0.4 * s("sentence") * (1 - s("imperative"))
    if role == "theme":
        # A theme is written once and carried down: merged down, or left blank below.
        carried = max(s("vertical_merge"), 1 - s("filled"))
        return 0.5 * carried * (1 - s("number")) * (1 - s("date"))
    return 0.0


def _header_support(label: str, role: str) -> float:
    """The header's evidence for a role, 0..1 (0 below the lexicon's match threshold)."""
    if not label:
        return 0.0
    parts = [p.strip() for p in label.split(" / ") if p.strip()]
    score = max((score_label(x, role) for x in [*parts, label]), default=0.0)
    if score < MIN_SCORE:
        return 0.0
    return 0.5 + HEADER_UNIT * (score - MIN_SCORE)


def _contradicted(p: ColumnProfile, role: str) -> bool:
    """Cells that plainly are not what the header says (a 'Date' column of sentences)."""
    if p.n_cells < 3:
        return False
    feature = _TYPED.get(role)
    if feature is not None:
        if role == "ref" and p.share("leading_code") > 0.5:
            return False
        return p.share(feature) < CONTRADICTED and p.share("sentence") > 0.5
    if role in _TEXT_ROLES:
        return (p.share("date") > 0.8 or p.share("number") > 0.8) and p.mean_words < 4
    return False


def role_scores(p: ColumnProfile) -> dict[str, tuple[float, float, float]]:
    """role -> (total, header part, content part) for one column."""
    out = {}
    for role in ROLE_SYNONYMS:
        header = _header_support(p.label, role)
        if header and _contradicted(p, role):
            header *= 0.4
        content = content_score(p, role)
        out[role] = (HEADER_WEIGHT * header + CONTENT_WEIGHT * content, header, content)
    return out


# Roles that need their header: the cells alone cannot tell a start date from a due date,
# a baseline from a target, or evidence from progress.
_HEADER_ONLY = {
    "start",
    "target_due",
    "baseline",
    "floor",
    "previous",
    "evidence",
    "kpi_ref",
    "milestones",
    "direction",
    "target",
    "frequency",
}


# Numbers without a header could be anything (a comparator, a count): only an unlabelled
# column's numbers are read as the measure's value.
_NUMBER_ROLES = {"actual", "target", "baseline", "floor", "previous"}


def assign_roles(
    profiles: list[ColumnProfile], skip: frozenset[int] = frozenset()
) -> tuple[dict[str, int], list[RoleChoice], dict[int, str]]:
    """Roles to columns, best evidence first, one column per role; `skip` columns take none."""
    labels = [p.label for p in profiles]
    shared = {
        x
        for i, x in enumerate(labels)
        if x and ((i and labels[i - 1] == x) or labels[i + 1 : i + 2] == [x])
    }
    months: dict[int, str] = {}
    candidates = []
    scored: dict[int, dict[str, tuple[float, float, float]]] = {}
    for p in profiles:
        parts = [x.strip() for x in p.label.split(" / ") if x.strip()]
        if parts and (month := _month_of(parts[-1])):
            months[p.col] = month
            continue
        scores = role_scores(p)
        scored[p.col] = scores
        # A header that names some role is evidence against every role it does not name --
        # unless the label is shared with a neighbour (one header over two grid columns).
        names_a_role = any(h for _t, h, _c in scores.values()) and p.label not in shared
        for role, (total, header, _content) in scores.items():
            if not header and (
                role in _HEADER_ONLY
                or names_a_role
                or p.n_cells < MIN_CELLS_WITHOUT_HEADER
                or (role in _NUMBER_ROLES and p.label.strip())
            ):
                continue
            if p.col in skip:
                continue
            if total < ROLE_MIN:
                continue
            rank = total - THEME_COLUMN_PENALTY * HEADER_UNIT * p.col if role == "theme" else total
            candidates.append((rank, -p.col, p.col, role))
    by_role = assign_greedily(candidates)
    choices = []
    for p in profiles:
        if p.col in months:
            choices.append(
                RoleChoice(
                    p.col, p.label, "milestones", 1.0, 1.0, 0.0, None, f"month {months[p.col]}"
                )
            )
            continue
        scores = scored.get(p.col, {})
        if p.col in skip:
            choices.append(
                RoleChoice(
                    p.col, p.label, "by_year", 1.0, 1.0, 0.0, None, "one of several year columns"
                )
            )
            continue
        role = next((r for r, c in by_role.items() if c == p.col), None)
        ranked = sorted(scores.items(), key=lambda kv: kv[1][0], reverse=True)
        runner = next(((r, round(v[0], 2)) for r, v in ranked if r != role and v[0] > 0), None)
        total, header, content = scores[role] if role else (0.0, 0.0, 0.0)
        choices.append(
            RoleChoice(
                col=p.col,
                label=p.label,
                role=role,
                score=round(total, 2),
                header_score=round(header, 2),
                content_score=round(content, 2),
                runner_up=runner,
                why=_why(p, role, header, content),
            )
        )
    return by_role, choices, months


def _why(p: ColumnProfile, role: str | None, header: float, content: float) -> str:
    if role is None:
        return "no role with enough evidence"
    bits = []
    if header:
        bits.append(f"header '{p.label}'")
    top = sorted(
        ((k, v) for k, v in p.shares.items() if k not in ("distinct", "filled") and v >= 0.3),
        key=lambda kv: -kv[1],
    )[:3]
    if content and top:
        bits.append("cells: " + ", ".join(f"{k} {v:.0%}" for k, v in top))
    return "; ".join(bits) or "position"


# --- table kind ----------------------------------------------------------------------------------

_ACTION_FIELDS = ("lead", "due", "start", "status", "progress", "milestones")
_KPI_FIELDS = (
    "target",
    "actual",
    "baseline",
    "floor",
    "previous",
    "frequency",
    "status",
    "target_due",
)
_YEAR_LABEL = re.compile(r"(?:^|\s|/)(?:19|20)?\d\d\s*/\s*(?:19|20)?\d\d\b|^(?:19|20)\d\d\b")
_TARGET_WORD = re.compile(r"\btargets?\b", re.IGNORECASE)


_YEAR_SPAN = re.compile(r"\b(?:19|20)?\d\d\s*/\s*(?:19|20)?\d\d\b|\b(?:19|20)\d\d\b|\([^)]*\)")


def year_columns(profiles: list[ColumnProfile]) -> tuple[int, ...]:
    """Two or more columns headed alike but for a year ('08/09' | '09/10' | '10/11', 'Target
    2018/19' | 'Target 2019/20'): one value per year. 'Baseline 2017/18' beside 'Target
    2018/19' is not such a series: their words differ."""
    series: dict[str, list[int]] = {}
    for p in profiles:
        last = p.label.split(" / ")[-1].strip()
        if not last or not _YEAR_LABEL.search(last) or len(last.split()) > 8:
            continue
        if p.n_cells and p.share("sentence") >= 0.5 and p.share("number") < 0.3:
            continue
        rest = " ".join(_YEAR_SPAN.sub(" ", last).lower().split())
        series.setdefault(rest, []).append(p.col)
    best = max(series.values(), key=len, default=[])
    return tuple(best) if len(best) >= 2 else ()


def decide_kind(
    by_role: dict[str, int],
    choices: list[RoleChoice],
    profiles: list[ColumnProfile],
    years: tuple[int, ...],
    n_head: int,
    context: TableContext,
) -> tuple[str, dict[str, int], dict[str, tuple[int, ...]], str]:
    """The table's kind from all its columns, the roles adjusted to it, and the reason."""
    by_choice = {c.col: c for c in choices}
    n_body = max((p.n_rows for p in profiles), default=0)
    roles = dict(by_role)
    extra: dict[str, tuple[int, ...]] = {}
    if n_body == 0:
        return "other", roles, extra, "no body rows"
    action_col, measure_col = roles.get("action"), roles.get("measure")
    action_by_header = action_col is not None and by_choice[action_col].header_score > 0
    fields = [r for r in _ACTION_FIELDS if r in roles]
    if action_col is not None and (action_by_header or fields):
        why = f"an action column ({'header' if action_by_header else 'cells'})" + (
            f" with {', '.join(fields)}" if fields else ""
        )
        if measure_col is not None:
            roles["success_measure"] = roles.pop("measure")
            why += "; its measure column is each action's success measure"
        return "actions", roles, extra, why
    if measure_col is not None:
        kpi_fields = [r for r in _KPI_FIELDS if r in roles]
        if years:
            said = any(
                _TARGET_WORD.search(profiles[c].label) for c in years
            ) or _TARGET_WORD.search(context.caption or "")
            extra["target_years" if said else "value_years"] = years
            kpi_fields.append("targets by year" if said else "values by year")
        measure_by_header = by_choice[measure_col].header_score > 0
        if kpi_fields or (measure_by_header and n_head):
            return (
                "kpis",
                roles,
                extra,
                f"a measure column ({'header' if measure_by_header else 'cells'})"
                + (f" with {', '.join(kpi_fields)}" if kpi_fields else ""),
            )
        return "other", roles, extra, "a measure column but no target, value or status"
    if action_col is not None:
        return "other", roles, extra, "action-like cells but no lead, date, status or progress"
    return "other", roles, extra, "no action or measure column"


def read_table(table: Table, context: TableContext | None = None) -> TableReading:
    """Read a table's header rows, column roles and kind from all the evidence."""
    ctx = context or TableContext()
    n_head = count_header_rows(table)
    table = collapse_copied_columns(table, n_head)
    labels = column_labels(table, n_head)
    profiles = profile_columns(table, n_head, labels, ctx)
    years = year_columns(profiles)
    by_role, choices, months = assign_roles(profiles, skip=frozenset(years))
    kind, roles, extra, reason = decide_kind(by_role, choices, profiles, years, n_head, ctx)
    if kind == "actions" and "success_measure" in roles:
        choices = [
            c if c.col != roles["success_measure"] else _renamed(c, "success_measure")
            for c in choices
        ]
    return TableReading(
        kind=kind,
        table=table,
        roles=ColumnRoles(by_role=roles, months=months, labels=tuple(labels)),
        n_header_rows=n_head,
        columns=tuple(choices),
        profiles=tuple(profiles),
        reason=reason,
        extra_roles=extra,
    )


def _renamed(choice: RoleChoice, role: str) -> RoleChoice:
    return dataclasses.replace(choice, role=role)
