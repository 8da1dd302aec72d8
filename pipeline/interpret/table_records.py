"""Table rows to actions and KPIs.

A plan table is read the way a person reads it: header rows name the columns
(see columns.py); a row with one cell spanning the table is a group heading
(a theme or workstream); a row whose ref parents the refs below it, and that
has no lead, date or status, is an objective, not an action; a row with no
ref, lead, date or status continues the action above it (split by a page or
table break); a blank theme cell means the theme above still holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planx.pipeline.interpret.columns import ColumnRoles, headers_to_roles
from planx.pipeline.interpret.inline import text_to_inline_fields
from planx.pipeline.interpret.profile import LEADING_CODE, TableReading, is_group_row
from planx.pipeline.interpret.text import collapse_whitespace
from planx.schemas.layout import Cell, Table
from planx.schemas.records import KPI, Action, DateValue, Milestone, RecordProvenance, Status

# "1.2.4", "2.2c", "A8", "1a", "6.1" -- a ref as councils write one at the start of a cell.
REF = re.compile(r"^(?:[A-Z]{1,3}\s?)?\d{1,3}(?:\.\d{1,3}){0,4}[a-z]?$")
LEADING_REF = re.compile(
    r"^((?:[A-Z]{1,2})?\d{1,3}(?:\.\d{1,3}){1,4}[a-z]?|\d{1,3}[a-z]|[A-Z]\d{1,3})[.):]?\s+(?=\S)"
)
THEME_TEXT = re.compile(
    r"^(?:(?:theme|priority|area|workstream|work-stream|work stream|outcome|objective|aim|strand|section|"
    r"improvement area|key area)\s*\d+[a-z]?\b|\d{1,2}(?:\.)?\s*[-–:]?\s+(?!(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)[A-Z])",
    re.IGNORECASE,
)
_MONTH_ABBR = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
MILESTONE_SPLIT = re.compile(
    rf"(?:(?<=\s)|^)(?=\d{{1,2}}(?:st|nd|rd|th)?\s*{_MONTH_ABBR}\.?\s*[-–—:])", re.IGNORECASE
)
MILESTONE_DATE = re.compile(
    rf"^(\d{{1,2}}(?:st|nd|rd|th)?\s*{_MONTH_ABBR})\.?\s*[-–—:]\s*(.*)$", re.IGNORECASE | re.DOTALL
)
ACTION_FIELDS = ("lead", "due", "start", "status", "kpi_ref", "progress")


def ref_depth(ref: str) -> int:
    return ref.count(".") + 1 if ref else 0


RECORD_FIELDS = ("lead", "due", "start", "status", "ref", "progress", "evidence")


def record_table_to_row(table: Table) -> Table | None:
    """A table that is one action written as "label | value" rows ("Action | ...",
    "Lead officer | ...", "Target date | ..."), turned into a header row and one data row,
    so it reads like any other action table. None if the table is not such a record."""
    if table.n_cols != 2 or not 3 <= table.n_rows <= 15:
        return None
    labels = [row[0].text.strip().rstrip(":") for row in table.rows]
    roles = headers_to_roles(labels)
    if roles.kind != "action" or sum(1 for r in RECORD_FIELDS if r in roles.by_role) < 2:
        return None
    header = tuple(
        Cell(text=label, row=0, col=c, bold=True, page=row[0].page, bbox=row[0].bbox)
        for c, (label, row) in enumerate(zip(labels, table.rows, strict=True))
    )
    values = tuple(
        Cell(text=row[1].text, row=1, col=c, fill=row[1].fill, page=row[1].page, bbox=row[1].bbox)
        for c, row in enumerate(table.rows)
    )
    return Table(
        rows=(header, values),
        n_header_rows=1,
        index=table.index,
        pages=table.pages,
        source=table.source,
        bbox=table.bbox,
    )


@dataclass
class TableContext:
    """What the document around a table tells the rows: the theme heading above it."""

    source: str
    theme: str = ""
    plan_id: str = ""
    # Objective rows seen so far in the document, by ref: an objective's actions may sit in the next table.
    objectives: dict[str, str] = field(default_factory=dict)
    # The theme the previous table ended under, when this table continues it (same columns,
    # no heading between): a theme cell or group row is not repeated after a page break.
    carried_theme: str = ""
    # The section heading or caption says its actions are done ("What we have achieved").
    section_done: bool = False


@dataclass
class _Row:
    index: int
    texts: list[str]
    fills: list[str | None]
    spans_table: bool
    single: int | None  # column of the only non-empty cell, if just one


@dataclass
class TableRecords:
    actions: list[Action] = field(default_factory=list)
    kpis: list[KPI] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    last_theme: str = ""  # the theme in force at the table's end, for a table that continues it


def _rows(table: Table, start: int) -> list[_Row]:
    out = []
    grid = table.texts()
    for r in range(start, table.n_rows):
        texts = [normalise_lines(t) for t in grid[r]]
        filled = [i for i, t in enumerate(texts) if t]
        spans = is_group_row(table, r, grid[r])
        out.append(
            _Row(
                index=r,
                texts=texts,
                fills=[c.fill for c in table.rows[r]],
                spans_table=spans,
                single=filled[0] if len(filled) == 1 else None,
            )
        )
    return out


def normalise_lines(text: str) -> str:
    return "\n".join(collapse_whitespace(line) for line in text.split("\n") if line.strip())


def _cell(row: _Row, roles: ColumnRoles, role: str) -> str:
    col = roles.get(role)
    return row.texts[col] if col is not None and col < len(row.texts) else ""


def _is_group_row(row: _Row, roles: ColumnRoles, n_cols: int) -> bool:
    """A theme/workstream heading inside the table."""
    if row.single is None:
        return False
    text = row.texts[row.single]
    if row.spans_table:
        return True
    if row.single in (roles.get("ref"), roles.get("theme")) and not REF.match(text):
        return (
            bool(THEME_TEXT.match(text))
            or row.single == roles.get("theme")
            or len(text.split()) > 1
        )
    return False


def _spans_into(table: Table, row: _Row, col: int) -> bool:
    """The row's only filled cell lies left of `col` and is merged across it."""
    if row.single is None or row.single >= col:
        return False
    return table.rows[row.index][col].merged_from == (row.index, row.single)


def _split_ref(text: str, numbered: bool = False) -> tuple[str, str]:
    """The ref written at the start of a cell and the text after it. In a column that numbers
    its items ("1. Establish ...", "NI 59 ..."), any leading number or code is a ref."""
    if numbered and (m := LEADING_CODE.match(text)):
        return m.group("ref"), text[m.end() :]
    if m := LEADING_REF.match(text):
        return m.group(1), text[m.end() :]
    return "", text


# A column numbers its items when most of its cells open with a number or code.
NUMBERED_SHARE = 0.6


def column_is_numbered(table: Table, col: int, n_head: int) -> bool:
    """Most filled cells of the column open with a number or code ('1. ...', 'NI 59 ...')."""
    texts = [row[col] for row in table.texts()[n_head:] if row[col].strip()]
    if len(texts) < 2:
        return False
    hits = sum(1 for t in texts if LEADING_CODE.match(t))
    return hits / len(texts) >= NUMBERED_SHARE


# "What we have already achieved", "Areas of achievement", "Completed actions" -- but not
# "What we want to achieve" or "Actions to be completed".
SECTION_DONE = re.compile(
    r"(?<!to be )(?<!will be )\b(?:achieved|achievements?|completed|delivered|accomplished)\b",
    re.IGNORECASE,
)


def _status(table: Table, row: _Row, col: int | None, section_done: bool = False) -> Status:
    """A status cell as written: its words, fill, and the colours of its glyphs and icons. A
    table with no status column under a section of achievements: every row is complete."""
    if col is None:
        if section_done:
            return Status(meaning="complete", source="derived", meaning_basis="section")
        return Status()
    cell = table.rows[row.index][col]
    return Status(
        raw=collapse_whitespace(row.texts[col]),
        fill=cell.fill,
        text_colour=cell.text_colour,
        icon_fill=cell.icon_fill,
    )


def _provenance(table: Table, r: int) -> RecordProvenance:
    p = table.row_provenance(r)
    return RecordProvenance(
        source=p.source, page=p.page, table_index=p.table_index, row_index=p.row_index, bbox=p.bbox
    )


def split_milestones(text: str) -> list[tuple[str, str]]:
    """'09 Mar - Launch 21 Mar - Review' -> [('09 Mar', 'Launch'), ('21 Mar', 'Review')]."""
    pieces = [
        p.strip() for chunk in text.split("\n") for p in MILESTONE_SPLIT.split(chunk) if p.strip()
    ]
    out: list[tuple[str, str]] = []
    for piece in pieces:
        if m := MILESTONE_DATE.match(piece):
            out.append((collapse_whitespace(m.group(1)), collapse_whitespace(m.group(2))))
        elif out:
            out[-1] = (out[-1][0], collapse_whitespace(out[-1][1] + " " + piece))
        else:
            out.append(("", collapse_whitespace(piece)))
    return out


GROUP = "__group__"  # the ref of a candidate row that is a group heading (its theme)


def table_to_actions(reading: TableReading, ctx: TableContext) -> TableRecords:
    """The actions of a table read as an action table (see profile.read_table)."""
    out = TableRecords()
    action_col = reading.roles.get("action")
    assert action_col is not None
    numbered = column_is_numbered(reading.table, action_col, reading.n_header_rows)
    candidates = _action_candidates(reading, action_col, numbered, out)
    _candidates_to_actions(candidates, reading, ctx, numbered, out)
    return out


def _action_candidates(
    reading: TableReading, action_col: int, numbered: bool, out: TableRecords
) -> list[tuple[_Row, str, str]]:
    """The body rows that may hold actions, as (row, ref, text); a group heading's row has
    the ref GROUP and its theme as text (and the theme is added to `out.themes`)."""
    table, roles, n_head = reading.table, reading.roles, reading.n_header_rows
    header = [t.lower() for t in table.texts()[0]] if n_head else []
    found: list[tuple[_Row, str, str]] = []
    for row in _rows(table, n_head):
        if header and [t.lower() for t in row.texts] == header:
            continue  # a header repeated mid-table
        if not any(row.texts):
            continue
        if _spans_into(table, row, action_col) and not row.spans_table:
            # One cell merged across the ref and action columns ("1.3 Strengthen ..."):
            # the action column's text, read as any other.
            row.texts[action_col], row.texts[row.single] = row.texts[row.single], ""  # type: ignore[index]
        if _is_group_row(row, roles, table.n_cols):
            group_theme = collapse_whitespace(row.texts[row.single])  # type: ignore[index]
            out.themes.append(group_theme)
            found.append((row, GROUP, group_theme))
            continue
        found.append((row, *_ref_and_text(row, roles, action_col, numbered)))
    return found


def _ref_and_text(
    row: _Row, roles: ColumnRoles, action_col: int, numbered: bool
) -> tuple[str, str]:
    """A row's ref and action text: from the ref column, a ref alone in the action column
    (its text beside it), or a ref leading the action's text."""
    ref = _cell(row, roles, "ref")
    text = row.texts[action_col]
    # "1.2.4" alone in the action column, its text in the column beside it that has no
    # label of its own (or shares the action column's merged label).
    beside = action_col + 1
    if (
        REF.match(text)
        and beside < len(row.texts)
        and roles.labels[beside] in ("", roles.labels[action_col])
    ):
        ref, text = text, row.texts[action_col + 1]
    if not ref:
        ref, text = _split_ref(text, numbered)
    elif not REF.match(ref) and text == "":
        ref, text = "", ref
    return ref, text


def _has_action_fields(row: _Row, roles: ColumnRoles) -> bool:
    """Whether the row has a lead, date, status, progress or milestone of its own."""
    return (
        any(_cell(row, roles, f) for f in ACTION_FIELDS)
        or any(row.texts[c] for c in roles.months if c < len(row.texts))
        or ((status_col := roles.get("status")) is not None and bool(row.fills[status_col]))
    )


def _candidates_to_actions(
    candidates: list[tuple[_Row, str, str]],
    reading: TableReading,
    ctx: TableContext,
    numbered: bool,
    out: TableRecords,
) -> None:
    """Each candidate as a group heading (the theme from here on), an objective (a ref that
    parents the refs below it, with no fields), the rest of the action above (split by a
    page or table break), or an action, into `out`."""
    table, roles = reading.table, reading.roles
    theme_col = roles.get("theme")
    theme = ctx.carried_theme
    refs = [ref for _, ref, _ in candidates if ref and ref != GROUP]
    for i, (row, ref, text) in enumerate(candidates):
        if ref == GROUP:
            theme = text
            continue
        if theme_col is not None and row.texts[theme_col]:
            theme = collapse_whitespace(row.texts[theme_col])
            if theme not in out.themes:
                out.themes.append(theme)
        has_fields = _has_action_fields(row, roles)
        if not text and not has_fields:
            continue
        following = [r for _, r, _ in candidates[i + 1 :] if r and r != GROUP]
        if (
            ref
            and not has_fields
            and (
                any(r.startswith(ref + ".") for r in refs)
                or (following and ref_depth(following[0]) > ref_depth(ref))
            )
        ):
            ctx.objectives[ref] = collapse_whitespace(f"{ref} {text}")
            continue
        if (
            not ref
            and not has_fields
            and out.actions
            and out.actions[-1].provenance.table_index == table.index
            # Where actions carry refs, a row without one continues the one above; where none
            # do, only a row that reads on from it (lower case first) does.
            and (refs or numbered or not text or text[:1].islower())
        ):
            prev = out.actions[-1]
            # A row that only continues the action above (split by a page or table break).
            out.actions[-1] = prev.model_copy(
                update={"text": collapse_whitespace(prev.text + " " + text)}
            )
            _append_extras(out.actions, row, roles)
            continue
        objective = _objective_of(ref, ctx.objectives)
        out.actions.append(
            _row_to_action(table, row, roles, ref, text, theme or ctx.theme, objective, ctx)
        )
    out.last_theme = theme or ctx.theme


def _objective_of(ref: str, objectives: dict[str, str]) -> str:
    """The nearest objective whose ref parents this one ("1.2" for "1.2.4")."""
    parts = ref.split(".")
    for n in range(len(parts) - 1, 0, -1):
        if (parent := ".".join(parts[:n])) in objectives:
            return objectives[parent]
    return ""


def _append_extras(actions: list[Action], row: _Row, roles: ColumnRoles) -> None:
    prev = actions[-1]
    update = {}
    for role, attr in (
        ("progress", "progress"),
        ("evidence", "evidence"),
        ("success_measure", "success_measure"),
    ):
        extra = _cell(row, roles, role)
        if extra:
            update[attr] = collapse_whitespace(getattr(prev, attr) + " " + extra)
    if update:
        actions[-1] = prev.model_copy(update=update)


def _row_to_action(
    table: Table,
    row: _Row,
    roles: ColumnRoles,
    ref: str,
    text: str,
    theme: str,
    objective: str,
    ctx: TableContext,
) -> Action:
    status_col = roles.get("status")
    milestones = []
    for col, month in sorted(roles.months.items()):
        for date_raw, mtext in split_milestones(row.texts[col]):
            milestones.append(Milestone(text=mtext, column=month, date=DateValue(raw=date_raw)))
    if (col := roles.get("milestones")) is not None and col not in roles.months:
        for date_raw, mtext in split_milestones(row.texts[col]):
            milestones.append(
                Milestone(text=mtext, column=roles.labels[col], date=DateValue(raw=date_raw))
            )
    used = set(roles.by_role.values()) | set(roles.months)
    extra = {
        (roles.labels[c] or f"column {c + 1}"): collapse_whitespace(t)
        for c, t in enumerate(row.texts)
        if c not in used
        and t
        and not (
            c == (roles.get("action") or 0) + 1
            and collapse_whitespace(t) == collapse_whitespace(text)
        )
    }
    lead = _cell(row, roles, "lead")
    due = _cell(row, roles, "due") or _cell(row, roles, "target_due")
    start = _cell(row, roles, "start")
    if not (lead and due):
        inline = text_to_inline_fields(collapse_whitespace(text))
        lead, due, start = (
            lead or inline.get("lead", ""),
            due or inline.get("due", ""),
            start or inline.get("start", ""),
        )
        if inline:
            extra["fields_from_text"] = ", ".join(sorted(inline))
    theme_ref = ""
    if m := re.match(r"^(?:[A-Za-z -]*?\s)?(\d{1,2})\b", theme):
        theme_ref = m.group(1)
    return Action(
        plan_id=ctx.plan_id,
        theme=theme,
        theme_ref=theme_ref,
        objective=objective,
        ref=ref,
        text=collapse_whitespace(text),
        lead_raw=normalise_lines(lead),  # line breaks separate leads
        due=DateValue(raw=collapse_whitespace(due)) if due else None,
        start=DateValue(raw=collapse_whitespace(start)) if start else None,
        status=_status(table, row, status_col, ctx.section_done),
        progress=collapse_whitespace(_cell(row, roles, "progress")),
        evidence=collapse_whitespace(_cell(row, roles, "evidence")),
        success_measure=collapse_whitespace(_cell(row, roles, "success_measure")),
        kpi_refs=collapse_whitespace(_cell(row, roles, "kpi_ref")),
        milestones=milestones,
        extra=extra,
        provenance=_provenance(table, row.index),
    )


_HEADER_PERIOD = re.compile(r"\b(?:19|20)\d\d(?:\s*[-/]\s*(?:19|20)?\d\d)?\b")


def header_period(roles: ColumnRoles, role: str) -> str:
    """The year a column header gives its values ("Target 2018/19"), for rows with no date."""
    col = roles.get(role)
    m = _HEADER_PERIOD.search(roles.labels[col]) if col is not None else None
    return m.group(0) if m else ""


def table_to_kpis(reading: TableReading, ctx: TableContext) -> TableRecords:
    """The KPIs of a table read as a KPI table: one per measure row, with its target, value,
    floor, previous value, direction and status where columns give them."""
    table, roles, n_head = reading.table, reading.roles, reading.n_header_rows
    out = TableRecords()
    header = [t.lower() for t in table.texts()[0]] if n_head else []
    theme = ctx.carried_theme or ctx.theme
    theme_col = roles.get("theme")
    measure_col = roles.get("measure")
    assert measure_col is not None
    numbered = roles.get("ref") is None and column_is_numbered(table, measure_col, n_head)
    for row in _rows(table, n_head):
        if not any(row.texts) or (header and [t.lower() for t in row.texts] == header):
            continue
        if _is_group_row(row, roles, table.n_cols) and (
            row.spans_table or row.single != measure_col
        ):
            theme = collapse_whitespace(row.texts[row.single])  # type: ignore[index]
            out.themes.append(theme)
            continue
        if theme_col is not None and row.texts[theme_col]:
            theme = collapse_whitespace(row.texts[theme_col])
            if theme not in out.themes:
                out.themes.append(theme)
        measure = collapse_whitespace(row.texts[measure_col])
        ref = _cell(row, roles, "ref")
        if not ref and numbered:
            ref, measure = _split_ref(measure, numbered)
        if not measure:
            continue
        if _continues_kpi_above(row, roles, ref, numbered, out.kpis, table.index):
            prev = out.kpis[-1]
            out.kpis[-1] = prev.model_copy(
                update={"measure": collapse_whitespace(prev.measure + " " + measure)}
            )
            continue
        out.kpis.append(_row_to_kpi(reading, row, ref, measure, theme, ctx))
    out.last_theme = theme
    return out


def _continues_kpi_above(
    row: _Row, roles: ColumnRoles, ref: str, numbered: bool, kpis: list[KPI], table_index: int
) -> bool:
    """A row with no ref (where measures carry refs) and no lead, frequency, target or value
    of its own continues the measure above (split by a page or table break)."""
    return bool(
        not ref
        and (roles.get("ref") is not None or numbered)
        and kpis
        and not any(
            _cell(row, roles, f) for f in ("lead", "frequency", "target", "target_due", "actual")
        )
        and kpis[-1].provenance.table_index == table_index
    )


def _kpi_target_and_value(reading: TableReading, row: _Row, measure: str) -> tuple[str, str, str]:
    """A measure row's target, the date it is due, and its latest value: from their columns,
    else the latest of a row of targets or values by year (or month)."""
    roles = reading.roles
    target_years = reading.extra_roles.get("target_years", ())
    value_years = reading.extra_roles.get("value_years", ())
    target = _cell(row, roles, "target")
    target_due = _cell(row, roles, "target_due") or _cell(row, roles, "due")
    if target_years and (latest := _latest_value(row, target_years)) is not None:
        col, target = latest
        target_due = target_due or year_label_period(roles.labels[col], measure)
    target_due = target_due or header_period(roles, "target")
    actual = _cell(row, roles, "actual")
    if not actual and (latest := _latest_value(row, value_years or tuple(roles.months))):
        actual = latest[1]  # the latest of a row of values by year or month
    return target, target_due, actual


def _kpi_extra(reading: TableReading, row: _Row) -> dict[str, str]:
    """The row's other cells by column label, and every cell of its year or month columns."""
    roles = reading.roles
    target_years = reading.extra_roles.get("target_years", ())
    value_years = reading.extra_roles.get("value_years", ())
    used = set(roles.by_role.values()) | set(target_years) | set(value_years) | set(roles.months)
    extra = {
        (roles.labels[c] or f"column {c + 1}"): collapse_whitespace(t)
        for c, t in enumerate(row.texts)
        if c not in used and t
    }
    for c in (*target_years, *value_years, *sorted(roles.months)):
        if row.texts[c]:
            extra[roles.labels[c] or f"column {c + 1}"] = collapse_whitespace(row.texts[c])
    return extra


def _row_to_kpi(
    reading: TableReading, row: _Row, ref: str, measure: str, theme: str, ctx: TableContext
) -> KPI:
    """One measure row as a KPI, its values as written."""
    table, roles = reading.table, reading.roles
    target, target_due, actual = _kpi_target_and_value(reading, row, measure)
    return KPI(
        plan_id=ctx.plan_id,
        theme=theme,
        ref=collapse_whitespace(ref),
        measure=measure,
        owner_raw=normalise_lines(_cell(row, roles, "lead")),
        frequency_raw=collapse_whitespace(_cell(row, roles, "frequency")),
        target_raw=collapse_whitespace(target),
        target_due=DateValue(raw=collapse_whitespace(target_due)) if target_due else None,
        baseline_raw=collapse_whitespace(_cell(row, roles, "baseline")),
        status=_status(table, row, roles.get("status")),
        actual_raw=collapse_whitespace(actual),
        floor_raw=collapse_whitespace(_cell(row, roles, "floor")),
        previous_raw=collapse_whitespace(_cell(row, roles, "previous")),
        direction_raw=collapse_whitespace(_cell(row, roles, "direction")),
        extra=_kpi_extra(reading, row),
        provenance=_provenance(table, row.index),
    )


_HAS_DIGIT = re.compile(r"\d")


def _latest_value(row: _Row, cols: tuple[int, ...]) -> tuple[int, str] | None:
    """The rightmost of these columns whose cell holds a figure ('74.0%', '13'), not a note
    ('To be set in 2009 ...')."""
    for col in sorted(cols, reverse=True):
        text = collapse_whitespace(row.texts[col]) if col < len(row.texts) else ""
        if text and _HAS_DIGIT.search(text) and len(text.split()) <= 4:
            return col, text
    return None


_ACADEMIC = re.compile(r"\bacademic\b|\bschool year", re.IGNORECASE)
_SPAN = re.compile(r"\b((?:19|20)?\d\d)\s*/\s*((?:19|20)?\d\d)\b")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def year_label_period(label: str, measure: str = "") -> str:
    """The period a year column's label names, written so the date reader reads it whole:
    '10/11' -> '2010/11'; '2011 (2010/11 academic year)' -> 'academic year 2010/11'. A
    measure that says it relates to academic years makes its span an academic year."""
    last = label.split(" / ")[-1]
    academic = bool(_ACADEMIC.search(last) or _ACADEMIC.search(measure))
    if m := _SPAN.search(last):
        first, second = m.group(1), m.group(2)
        first = first if len(first) == 4 else ("20" if int(first) < 50 else "19") + first
        span = f"{first}/{second[-2:]}"
        return f"academic year {span}" if academic else span
    if m := _YEAR.search(last):
        return m.group(0)
    return ""
