"""`planx explain FILE`: how planx read each table of one document, and why.

For every table: where it is, its header, its first rows, the role each column took (with
its score, the header and cell evidence, and the role that came second), and why the table
was read as actions, KPIs or neither. It runs the same interpreter as `planx extract`
(through its `trace`), so what it prints is what extract did.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planx.extractors import ExtractSettings, extract
from planx.pipeline.interpret import TableTrace, interpret
from planx.schemas.layout import LayoutDocument
from planx.schemas.records import Plan

CELL_WIDTH = 28


@dataclass(frozen=True)
class Explanation:
    """A document as planx read it: the plan's totals and one trace per table."""

    source: str
    format: str
    pages: int | None
    plan: Plan
    tables: tuple[TableTrace, ...]
    layout: LayoutDocument


def explain_file(path: str | Path, settings: ExtractSettings | None = None) -> Explanation:
    """Read one file as `planx extract` does, keeping the interpreter's trace of each table."""
    from planx.pipeline.nlp.statuses import fill_to_colour

    doc = extract(path, settings)
    traces: list[TableTrace] = []
    plan = interpret(doc, plan_id="explain", sha256="", fill_to_colour=fill_to_colour, trace=traces)
    return Explanation(doc.source, doc.format, doc.pages, plan, tuple(traces), doc)


def _clip(text: str, width: int = CELL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def trace_to_lines(trace: TableTrace, layout: LayoutDocument, rows: int) -> list[str]:
    """The text block `planx explain` prints for one table."""
    pages = ",".join(str(p) for p in trace.pages) or "-"
    lines = [f"table {trace.index}  page {pages}"]
    if trace.caption:
        lines.append(f"  above: {_clip(trace.caption, 90)}")
    reading = trace.reading
    if reading is None:
        lines.append(f"  set aside: {trace.note}")
        return lines
    table = reading.table
    lines.append(
        f"  {table.n_rows} rows x {table.n_cols} columns; {reading.n_header_rows} header row(s)"
    )
    body = table.texts()[reading.n_header_rows : reading.n_header_rows + rows]
    for r, row in enumerate(body, start=reading.n_header_rows):
        lines.append(f"  row {r}: " + " | ".join(_clip(t) for t in row))
    lines.append("  columns:")
    for c in reading.columns:
        label = f"'{_clip(c.label)}'" if c.label else "(no header)"
        role = c.role or "-"
        runner = f"; runner-up {c.runner_up[0]} {c.runner_up[1]:.2f}" if c.runner_up else ""
        lines.append(
            f"    {c.col}: {label} -> {role} {c.score:.2f}"
            f" (header {c.header_score:.2f}, cells {c.content_score:.2f}{runner}) -- {c.why}"
        )
    verdict = {"actions": "ACTIONS", "kpis": "KPIS"}.get(reading.kind, "NEITHER")
    counts = ""
    if reading.kind in ("actions", "kpis"):
        counts = f": {trace.n_actions} actions, {trace.n_kpis} KPIs"
    lines.append(f"  read as {verdict}{counts} -- {reading.reason}")
    if reading.kind not in ("actions", "kpis") and trace.note != "neither actions nor KPIs":
        lines.append(f"  used as {trace.note}")
    return lines


def explanation_to_text(expl: Explanation, rows: int = 3) -> str:
    """The whole report: a summary line, then each table."""
    plan = expl.plan
    head = (
        f"{expl.source} ({expl.format}, {expl.pages or '-'} pages): "
        f"{len(plan.actions)} actions, {len(plan.kpis)} KPIs from {len(expl.tables)} tables"
    )
    if plan.authority:
        head += f"; authority {plan.authority}"
    out = [head, ""]
    for trace in expl.tables:
        out.extend(trace_to_lines(trace, expl.layout, rows))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def explanation_to_dict(expl: Explanation, rows: int = 3) -> dict[str, Any]:
    """The same, as JSON-ready data."""
    tables = []
    for t in expl.tables:
        item: dict[str, Any] = {
            "table": t.index,
            "pages": list(t.pages),
            "caption": t.caption,
            "note": t.note,
            "n_actions": t.n_actions,
            "n_kpis": t.n_kpis,
        }
        if t.reading is not None:
            r = t.reading
            item.update(
                kind=r.kind,
                reason=r.reason,
                n_header_rows=r.n_header_rows,
                first_rows=r.table.texts()[r.n_header_rows : r.n_header_rows + rows],
                columns=[
                    {
                        "col": c.col,
                        "label": c.label,
                        "role": c.role,
                        "score": c.score,
                        "header_score": c.header_score,
                        "cell_score": c.content_score,
                        "runner_up": list(c.runner_up) if c.runner_up else None,
                        "why": c.why,
                    }
                    for c in r.columns
                ],
            )
        tables.append(item)
    return {
        "source": expl.source,
        "format": expl.format,
        "pages": expl.pages,
        "n_actions": len(expl.plan.actions),
        "n_kpis": len(expl.plan.kpis),
        "tables": tables,
    }
