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

from pipeline.interpret.columns import ColumnRoles, headers_to_roles
from pipeline.interpret.inline import text_to_inline_fields
from schemas.layout import Cell, Table
from schemas.records import KPI, Action, DateValue, Milestone, Provenance, Status

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


def normalise_space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def ref_depth(ref: str) -> int:
    return ref.count(".") + 1 if ref else 0


def is_header_like(texts: list[str]) -> bool:
    filled = [t for t in texts if t]
    return len(filled) >= 2 and all(len(t) <= 60 and not t.endswith(".") for t in filled)


def header_rows_of(table: Table) -> int:
    if table.n_header_rows:
        return table.n_header_rows
    first = table.texts()[0] if table.rows else []
    return 1 if is_header_like(first) and table.n_rows > 1 else 0


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


def roles_of(table: Table) -> tuple[ColumnRoles, int]:
    n_head = header_rows_of(table)
    if n_head == 0:
        return headers_to_roles([""] * table.n_cols), 0
    labels = []
    for c in range(table.n_cols):
        parts: list[str] = []
        for r in range(n_head):
            text = table.rows[r][c].text.strip()
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        labels.append(" / ".join(parts))
    return headers_to_roles(labels), n_head


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
        origin = table.rows[r][filled[0]] if len(filled) == 1 else None
        spans = origin is not None and origin.col_span >= max(2, table.n_cols - 1)
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
    return "\n".join(normalise_space(line) for line in text.split("\n") if line.strip())


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


def _split_ref(text: str) -> tuple[str, str]:
    if m := LEADING_REF.match(text):
        return m.group(1), text[m.end() :]
    return "", text


def _provenance(table: Table, r: int) -> Provenance:
    p = table.row_provenance(r)
    return Provenance(
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
            out.append((normalise_space(m.group(1)), normalise_space(m.group(2))))
        elif out:
            out[-1] = (out[-1][0], normalise_space(out[-1][1] + " " + piece))
        else:
            out.append(("", normalise_space(piece)))
    return out


def table_to_actions(
    table: Table, roles: ColumnRoles, n_head: int, ctx: TableContext
) -> TableRecords:
    out = TableRecords()
    header = [t.lower() for t in table.texts()[0]] if n_head else []
    group_theme = ""
    theme_col = roles.get("theme")
    action_col = roles.get("action")
    assert action_col is not None
    pending: list[tuple[_Row, str, str]] = []  # (row, ref, text) candidates, resolved below
    for row in _rows(table, n_head):
        if header and [t.lower() for t in row.texts] == header:
            continue  # a header repeated mid-table
        if not any(row.texts):
            continue
        if _is_group_row(row, roles, table.n_cols):
            group_theme = normalise_space(row.texts[row.single])  # type: ignore[index]
            out.themes.append(group_theme)
            pending.append((row, "__group__", group_theme))
            continue
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
            ref, text = _split_ref(text)
        elif not REF.match(ref) and text == "":
            ref, text = "", ref
        pending.append((row, ref, text))

    theme = ctx.carried_theme
    refs = [ref for _, ref, _ in pending if ref and ref != "__group__"]
    for i, (row, ref, text) in enumerate(pending):
        if ref == "__group__":
            theme = text
            continue
        if theme_col is not None and row.texts[theme_col]:
            theme = normalise_space(row.texts[theme_col])
            if theme not in out.themes:
                out.themes.append(theme)
        has_fields = (
            any(_cell(row, roles, f) for f in ACTION_FIELDS)
            or any(row.texts[c] for c in roles.months if c < len(row.texts))
            or (roles.get("status") is not None and row.fills[roles.get("status")])
        )  # type: ignore[index]
        if not text and not has_fields:
            continue
        following = [r for _, r, _ in pending[i + 1 :] if r and r != "__group__"]
        if (
            ref
            and not has_fields
            and (
                any(r.startswith(ref + ".") for r in refs)
                or (following and ref_depth(following[0]) > ref_depth(ref))
            )
        ):
            ctx.objectives[ref] = normalise_space(f"{ref} {text}")
            continue
        if (
            not ref
            and not has_fields
            and out.actions
            and out.actions[-1].provenance.table_index == table.index
        ):
            prev = out.actions[-1]
            # A row that only continues the action above (split by a page or table break).
            out.actions[-1] = prev.model_copy(
                update={"text": normalise_space(prev.text + " " + text)}
            )
            _append_extras(out.actions, row, roles)
            continue
        objective = _objective_of(ref, ctx.objectives)
        out.actions.append(
            _row_to_action(table, row, roles, ref, text, theme or ctx.theme, objective, ctx)
        )
    out.last_theme = theme or ctx.theme
    return out


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
    for role, attr in (("progress", "progress"), ("evidence", "evidence")):
        extra = _cell(row, roles, role)
        if extra:
            update[attr] = normalise_space(getattr(prev, attr) + " " + extra)
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
        (roles.labels[c] or f"column {c + 1}"): normalise_space(t)
        for c, t in enumerate(row.texts)
        if c not in used
        and t
        and not (
            c == (roles.get("action") or 0) + 1 and normalise_space(t) == normalise_space(text)
        )
    }
    lead = _cell(row, roles, "lead")
    due = _cell(row, roles, "due") or _cell(row, roles, "target_due")
    start = _cell(row, roles, "start")
    if not (lead and due):
        inline = text_to_inline_fields(normalise_space(text))
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
        text=normalise_space(text),
        lead_raw=normalise_lines(lead),  # line breaks separate leads
        due=DateValue(raw=normalise_space(due)) if due else None,
        start=DateValue(raw=normalise_space(start)) if start else None,
        status=Status(
            raw=normalise_space(_cell(row, roles, "status")),
            fill=row.fills[status_col] if status_col is not None else None,
            text_colour=table.rows[row.index][status_col].text_colour
            if status_col is not None
            else None,
            icon_fill=table.rows[row.index][status_col].icon_fill
            if status_col is not None
            else None,
        ),
        progress=normalise_space(_cell(row, roles, "progress")),
        evidence=normalise_space(_cell(row, roles, "evidence")),
        kpi_refs=normalise_space(_cell(row, roles, "kpi_ref")),
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


def table_to_kpis(table: Table, roles: ColumnRoles, n_head: int, ctx: TableContext) -> TableRecords:
    out = TableRecords()
    header = [t.lower() for t in table.texts()[0]] if n_head else []
    theme = ctx.carried_theme or ctx.theme
    theme_col = roles.get("theme")
    measure_col = roles.get("measure")
    assert measure_col is not None
    used = set(roles.by_role.values())
    for row in _rows(table, n_head):
        if not any(row.texts) or (header and [t.lower() for t in row.texts] == header):
            continue
        if _is_group_row(row, roles, table.n_cols) and (
            row.spans_table or row.single != measure_col
        ):
            theme = normalise_space(row.texts[row.single])  # type: ignore[index]
            out.themes.append(theme)
            continue
        if theme_col is not None and row.texts[theme_col]:
            theme = normalise_space(row.texts[theme_col])
            if theme not in out.themes:
                out.themes.append(theme)
        measure = normalise_space(row.texts[measure_col])
        ref = _cell(row, roles, "ref")
        if not measure:
            continue
        if (
            not ref
            and roles.get("ref") is not None
            and out.kpis
            and not any(_cell(row, roles, f) for f in ("lead", "frequency", "target", "target_due"))
            and out.kpis[-1].provenance.table_index == table.index
        ):
            prev = out.kpis[-1]
            out.kpis[-1] = prev.model_copy(
                update={"measure": normalise_space(prev.measure + " " + measure)}
            )
            continue
        target_due = (
            _cell(row, roles, "target_due")
            or _cell(row, roles, "due")
            or header_period(roles, "target")
        )
        out.kpis.append(
            KPI(
                plan_id=ctx.plan_id,
                theme=theme,
                ref=normalise_space(ref),
                measure=measure,
                owner_raw=normalise_lines(_cell(row, roles, "lead")),
                frequency_raw=normalise_space(_cell(row, roles, "frequency")),
                target_raw=normalise_space(_cell(row, roles, "target")),
                target_due=DateValue(raw=normalise_space(target_due)) if target_due else None,
                baseline_raw=normalise_space(_cell(row, roles, "baseline")),
                extra={
                    (roles.labels[c] or f"column {c + 1}"): normalise_space(t)
                    for c, t in enumerate(row.texts)
                    if c not in used and t
                },
                provenance=_provenance(table, row.index),
            )
        )
    out.last_theme = theme
    return out
