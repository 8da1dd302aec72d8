"""Records to tables: the contract's actions, kpis, plans and errors, plus leads,
milestones, themes, glossary and legends, as rows (dicts) or as pandas DataFrames.

This only flattens: every value comes from the records as the stages left them (theme areas
and reported counts by meaning from the enrichment stage, pipeline/enrich.py).

Column order is fixed here (contract columns first, added ones after) so every
sink writes the same shape whatever the inputs; rows are sorted by stable ids,
so the same inputs give the same bytes whatever the worker count.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from planx.pipeline.frame_types import typed_frame
from planx.pipeline.inspection_cues import cited_cells
from planx.schemas.records import KPI, MEANINGS, Action, ErrorRecord, InputFile, Plan
from planx.schemas.table_columns import COLOURS, ERROR_COLUMNS, JUDGEMENT_AREAS, TABLE_COLUMNS

if TYPE_CHECKING:  # the run writes rows; frames are for compare and the tests
    import pandas as pd


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _bbox(b) -> str:
    return ",".join(f"{v:.1f}" for v in b) if b else ""


def plan_to_action_rows(plan: Plan) -> list[dict]:
    rows = []
    for a in plan.actions:
        rows.append(
            {
                "plan_id": plan.plan_id,
                "authority": plan.authority,
                "source": plan.source,
                "page": a.provenance.page,
                "theme": a.theme,
                "ref": a.ref,
                "action": a.text,
                "leads": "; ".join(lead.name for lead in a.leads) if a.leads else a.lead_raw,
                "lead_raw": a.lead_raw,
                "start_date": a.start.date if a.start else None,
                "due_date": a.due.date if a.due else None,
                "due_raw": a.due.raw if a.due else "",
                "status": a.status.colour or "",
                "status_meaning": a.status.meaning,
                "progress": a.progress,
                "action_id": a.id,
                "authority_la_code": plan.authority_la_code,
                "format": plan.format,
                "table_index": a.provenance.table_index,
                "row_index": a.provenance.row_index,
                "bbox": _bbox(a.provenance.bbox),
                "theme_ref": a.theme_ref,
                "theme_std": a.theme_std,
                "theme_rule": a.theme_rule,
                "objective": a.objective,
                "start_raw": a.start.raw if a.start else "",
                "start_precision": (a.start.precision or "") if a.start else "",
                "due_precision": (a.due.precision or "") if a.due else "",
                "due_recurrence": (a.due.recurrence or "") if a.due else "",
                "status_raw": a.status.raw,
                "status_fill": a.status.fill or "",
                "status_text_colour": a.status.text_colour or "",
                "status_icon_fill": a.status.icon_fill or "",
                "status_source": a.status.source or "",
                "meaning_basis": a.status.meaning_basis,
                "overdue": a.overdue,
                "evidence": a.evidence,
                "kpi_refs": a.kpi_refs,
                "lead_role_families": "; ".join(
                    sorted({lead.role_family for lead in a.leads if lead.role_family})
                ),
                "n_milestones": len(a.milestones),
                "flags": "; ".join(a.flags),
                "recommendation_cited": cited_cells(a.extra),
            }
        )
    return rows


def plan_to_kpi_rows(plan: Plan) -> list[dict]:
    return [
        {
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "source": plan.source,
            "page": k.provenance.page,
            "theme": k.theme,
            "ref": k.ref,
            "measure": k.measure,
            "owner": "; ".join(o.name for o in k.owners) if k.owners else k.owner_raw,
            "frequency": k.frequency,
            "target_raw": k.target_raw,
            "target_value": k.target_value,
            "target_unit": k.target_unit,
            "target_due": k.target_due.date if k.target_due else None,
            "status": k.status.colour or "",
            "status_meaning": k.status.meaning,
            "actual_raw": k.actual_raw,
            "actual_value": k.actual_value,
            "floor_raw": k.floor_raw,
            "floor_value": k.floor_value,
            "previous_raw": k.previous_raw,
            "direction": k.direction or "",
            "kpi_id": k.id,
            "authority_la_code": plan.authority_la_code,
            "format": plan.format,
            "table_index": k.provenance.table_index,
            "row_index": k.provenance.row_index,
            "owner_raw": k.owner_raw,
            "frequency_raw": k.frequency_raw,
            "target_due_raw": k.target_due.raw if k.target_due else "",
            "baseline_raw": k.baseline_raw,
            "status_raw": k.status.raw,
            "status_fill": k.status.fill or "",
            "status_source": k.status.source or "",
            "meaning_basis": k.status.meaning_basis,
            "direction_raw": k.direction_raw,
            "flags": "; ".join(k.flags),
            "recommendation_cited": cited_cells(k.extra),
        }
        for k in plan.kpis
    ]


def plan_to_plan_row(plan: Plan, n_warnings: int = 0, identical_copies: Sequence[str] = ()) -> dict:
    """The plan's row; `identical_copies` are the names of other files with the same bytes."""
    meanings: Counter[str] = Counter(a.status.meaning for a in plan.actions)
    reported_meaning = plan.reported_meaning_counts
    row = {
        "plan_id": plan.plan_id,
        "authority": plan.authority,
        "title": plan.title,
        "period": plan.period,
        "source": plan.source,
        "sha256": plan.sha256,
        "format": plan.format,
        "pages": plan.pages,
        "n_actions": len(plan.actions),
        "n_kpis": len(plan.kpis),
        **{f"n_{m}": meanings.get(m, 0) for m in MEANINGS},
        "authority_la_code": plan.authority_la_code,
        "authority_ons_code": plan.authority_ons_code,
        "region": plan.region,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "version": plan.version,
        "date": plan.date,
        "as_at": plan.as_at,
        "as_at_raw": plan.as_at_raw,
        "as_at_source": plan.as_at_source,
        "n_themes": len(plan.themes),
        "has_legend": bool(plan.legend.entries),
        "legend": "; ".join(f"{e.colour}={e.meaning}" for e in plan.legend.entries),
        **{f"reported_{c}": plan.reported_status_counts.get(c) for c in COLOURS},
        **{
            f"reported_{m}": (reported_meaning.get(m) if plan.reported_status_counts else None)
            for m in MEANINGS
            if m != "unknown"
        },
        "reported_counts_of": plan.reported_counts_of,
        "doc_kind": plan.doc_kind,
        "doc_kind_basis": plan.doc_kind_basis,
        "n_warnings": n_warnings,
        "identical_copies": "; ".join(identical_copies),
    }
    return row


def plan_to_lead_rows(plan: Plan) -> list[dict]:
    """One row per lead of an action, and per owner of a KPI."""
    records = [(a, a.leads, a.id, "") for a in plan.actions] + [
        (k, k.owners, "", k.id) for k in plan.kpis
    ]
    return [
        {
            "lead_id": f"{record.id}-L{n:02d}",
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "action_id": action_id,
            "kpi_id": kpi_id,
            "ref": record.ref,
            "lead": lead.name,
            "lead_raw": lead.raw,
            "kind": lead.kind,
            "role_family": lead.role_family or "",
            "expanded_from": lead.expanded_from or "",
            "source": plan.source,
            "page": record.provenance.page,
        }
        for record, leads, action_id, kpi_id in records
        for n, lead in enumerate(leads, start=1)
    ]


def plan_to_milestone_rows(plan: Plan) -> list[dict]:
    return [
        {
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "action_id": a.id,
            "ref": a.ref,
            "column": m.column,
            "milestone": m.text,
            "date": m.date.date,
            "date_raw": m.date.raw,
            "precision": m.date.precision or "",
            "source": plan.source,
            "page": a.provenance.page,
            "milestone_id": m.id or f"{a.id}-M{n:02d}",
        }
        for a in plan.actions
        for n, m in enumerate(a.milestones, start=1)
    ]


def plan_to_theme_rows(plan: Plan) -> list[dict]:
    n_actions = Counter(a.theme for a in plan.actions)
    n_kpis = Counter(k.theme for k in plan.kpis)
    rows = []
    for t in plan.themes:
        rows.append(
            {
                "plan_id": plan.plan_id,
                "authority": plan.authority,
                "theme_id": t.id,
                "ref": t.ref,
                "theme": t.name,
                "theme_std": t.theme_std,
                "theme_rule": t.theme_rule,
                "n_actions": n_actions.get(t.name, 0),
                "n_kpis": n_kpis.get(t.name, 0),
            }
        )
    return rows


def plan_to_glossary_rows(plan: Plan) -> list[dict]:
    return [
        {
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "abbreviation": g.abbreviation,
            "expansion": g.expansion,
            "source": g.source,
        }
        for g in plan.glossary
    ]


def plan_to_legend_rows(plan: Plan) -> list[dict]:
    rows = [
        {
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "colour": e.colour,
            "label": e.label,
            "meaning": e.meaning,
            "fill": e.fill or "",
            "kind": "entry",
            "mark": "",
        }
        for e in plan.legend.entries
    ]
    rows += [
        {
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "colour": "",
            "label": m.label,
            "meaning": m.meaning,
            "fill": "",
            "kind": "mark",
            "mark": m.mark,
        }
        for m in plan.legend.marks
    ]
    rows += [
        {
            "plan_id": plan.plan_id,
            "authority": plan.authority,
            "colour": "",
            "label": c,
            "meaning": "",
            "fill": "",
            "kind": "criterion",
            "mark": "",
        }
        for c in plan.legend.criteria
    ]
    return rows


def plan_to_inspection_rows(plan: Plan) -> list[dict]:
    """One row for an inspection report: its dates, framework and a column per judgement."""
    found = plan.inspection
    if found is None:
        return []
    grades: dict[str, str] = {}
    for j in found.judgements:
        grades.setdefault(j.area, j.grade)
    return [
        {
            "plan_id": plan.plan_id,
            "source": plan.source,
            "authority": plan.authority,
            "authority_la_code": plan.authority_la_code,
            "authority_ons_code": plan.authority_ons_code,
            "framework": found.framework,
            "inspection_start": found.inspection_start,
            "inspection_end": found.inspection_end,
            "published": found.published,
            "overall": found.overall,
            **{area: grades.get(area, "") for area in JUDGEMENT_AREAS},
            "n_recommendations": len(found.recommendations),
            "n_recommendations_lscb": sum(r.about == "LSCB" for r in found.recommendations),
            "judgements": "; ".join(f"{j.label}: {j.grade}" for j in found.judgements),
            "dates_raw": found.dates_raw,
            "published_raw": found.published_raw,
            "title": found.title,
        }
    ]


def plan_to_recommendation_rows(plan: Plan) -> list[dict]:
    """One row per recommendation of an inspection report, in the report's order."""
    found = plan.inspection
    if found is None:
        return []
    return [
        {
            "plan_id": plan.plan_id,
            "source": plan.source,
            "authority": plan.authority,
            "n": r.n,
            "text": r.text,
            "about": r.about,
            "page": r.page,
            "label": r.label,
            "section": r.section,
            "authority_la_code": plan.authority_la_code,
            "inspection_end": found.inspection_end,
            "published": found.published,
        }
        for r in found.recommendations
    ]


def plan_to_tag_rows(plan: Plan) -> list[dict]:
    """One row per span the NLP stage tagged in an action's or KPI's cells."""
    records: list[Action | KPI] = [*plan.actions, *plan.kpis]
    return [
        {
            "plan_id": plan.plan_id,
            "record_id": record.id,
            "ref": record.ref,
            "field": span.field,
            "label": span.label,
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "source": plan.source,
            "page": record.provenance.page,
            "tag_id": f"{record.id}-S{n:03d}",
        }
        for record in records
        for n, span in enumerate(record.spans, start=1)
    ]


def files_to_copies(files: Iterable[InputFile]) -> dict[str, list[str]]:
    """Plan id -> names of the files that were identical copies of the one read."""
    copies: dict[str, list[str]] = {}
    for f in files:
        if f.outcome == "identical_copy" and f.plan_id:
            copies.setdefault(f.plan_id, []).append(f.source)
    return copies


# Tables with rows per plan, in the order the batch writes them as plans arrive; the plans,
# errors and files tables are one row per input and are written once every file is done.
PLAN_TABLES = (
    "actions",
    "kpis",
    "leads",
    "milestones",
    "themes",
    "glossary",
    "legends",
    "tags",
    "inspections",
    "recommendations",
)
_PLAN_ROWS = {
    "actions": plan_to_action_rows,
    "kpis": plan_to_kpi_rows,
    "leads": plan_to_lead_rows,
    "milestones": plan_to_milestone_rows,
    "themes": plan_to_theme_rows,
    "glossary": plan_to_glossary_rows,
    "legends": plan_to_legend_rows,
    "tags": plan_to_tag_rows,
    "inspections": plan_to_inspection_rows,
    "recommendations": plan_to_recommendation_rows,
}


def plan_sort_key(plan: Plan) -> tuple[str, str]:
    """Where a plan's rows go in every table: by source file name, then plan id."""
    return (plan.source, plan.plan_id)


def plan_to_rows(plan: Plan) -> dict[str, list[dict]]:
    """The plan's rows in each of PLAN_TABLES."""
    return dict(plan_tables(plan))


def plan_tables(plan: Plan) -> Iterator[tuple[str, list[dict]]]:
    """Each of PLAN_TABLES with the plan's rows in it, a table's rows made when asked for
    (a large plan's rows are not all held at once)."""
    for name in PLAN_TABLES:
        yield name, _PLAN_ROWS[name](plan)


def error_rows(errors: Iterable[ErrorRecord]) -> list[dict]:
    """The errors table's rows, in a stable order."""
    return [
        e.model_dump(include=set(ERROR_COLUMNS))
        for e in sorted(errors, key=lambda e: (e.source, e.stage, e.error))
    ]


def file_rows(files: Iterable[InputFile]) -> list[dict]:
    """The files table's rows, in a stable order."""
    return [f.model_dump() for f in sorted(files, key=lambda f: (f.path, f.source))]


def rows_to_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    """One table's rows as a frame with the table's columns in order, each typed."""
    import pandas as pd

    return typed_frame(pd.DataFrame(rows, columns=TABLE_COLUMNS[name]), TABLE_COLUMNS[name])


def records_to_rows(
    plans: Sequence[Plan],
    errors: Iterable[ErrorRecord],
    warnings_by_source: dict[str, int] | None = None,
    files: Sequence[InputFile] = (),
) -> dict[str, list[dict]]:
    """All output tables' rows, in a stable order (plans by source then id)."""
    plans = sorted(plans, key=plan_sort_key)
    warnings_by_source = warnings_by_source or {}
    copies = files_to_copies(files)
    rows: dict[str, list[dict]] = {name: [] for name in TABLE_COLUMNS}
    for plan in plans:
        for name, table_rows in plan_to_rows(plan).items():
            rows[name] += table_rows
        rows["plans"].append(
            plan_to_plan_row(
                plan, warnings_by_source.get(plan.source, 0), copies.get(plan.plan_id, ())
            )
        )
    rows["errors"] = error_rows(errors)
    rows["files"] = file_rows(files)
    return rows


def records_to_frames(
    plans: Sequence[Plan],
    errors: Iterable[ErrorRecord],
    warnings_by_source: dict[str, int] | None = None,
    files: Sequence[InputFile] = (),
) -> dict[str, pd.DataFrame]:
    """All output tables as typed frames, in a stable order (plans by source then id)."""
    rows = records_to_rows(plans, errors, warnings_by_source, files)
    return {name: rows_to_frame(name, rows[name]) for name in TABLE_COLUMNS}
