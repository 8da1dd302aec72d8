"""The one-page HTML report: summary, comparison charts, KPI targets and a filterable actions table.

The page opens without a network: styles, script and data are inline, and a
Content-Security-Policy allows only that exact script and style (by hash).
Data is embedded as JSON in a <script type="application/json"> element with
every '<', '>' and '&' escaped as \\u003c etc., so no cell (say one holding
"</script>") can end the element early; the script renders it with
textContent only. The few server-side strings go through html.escape.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import math
import re
from functools import cache
from importlib import resources
from pathlib import Path

import pandas as pd

from planx import __version__
from planx.pipeline.compare import CompareResult
from planx.pipeline.outputs import atomic_path
from planx.pipeline.report.history import frames_to_history
from planx.schemas.records import MEANINGS
from planx.schemas.table_columns import NO_DATE

REPORT_NAME = "report.html"
TITLE = "Improvement plans compared"
SCRIPTS = ("report.js", "history.js")  # run in this order, as one inline script
# Columns of the actions table the report embeds, so every row can be traced to its source.
ACTION_COLUMNS = [
    "action_id", "authority", "ref", "theme", "theme_std", "action", "leads", "due_date", "due_raw", "status",
    "status_meaning", "overdue", "source", "page", "table_index", "row_index",
]  # fmt: skip
_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


@cache
def _asset(name: str) -> str:
    return resources.files("planx.pipeline.report").joinpath(name).read_text(encoding="utf-8")


def _plain(value: object) -> object:
    """A JSON-ready scalar: dates as ISO text, NaN/NA as null, numpy numbers as Python ones."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def frame_to_records(frame: pd.DataFrame) -> list[dict]:
    cols = list(frame.columns)
    return [
        dict(zip(cols, (_plain(v) for v in row), strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]


def frame_to_rows(frame: pd.DataFrame, columns: list[str]) -> dict:
    """Column names once plus rows as lists: about half the size of records for big tables."""
    frame = frame.reindex(columns=columns)
    return {
        "columns": columns,
        "rows": [[_plain(v) for v in row] for row in frame.itertuples(index=False, name=None)],
    }


def payload_to_json(payload: dict) -> str:
    """JSON safe to place inside a <script> element."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group(0)], text)


def result_to_payload(result: CompareResult) -> dict:
    """The report's data: the comparison tables and the actions compared, as compare wrote
    them (authority labels, "unknown" meanings and overdue flags are compare's)."""
    frames = result.tables
    overdue = frames["compare_overdue"]
    note = next((n for n in overdue["note"] if n), "")
    return {
        "meanings": list(MEANINGS),
        "no_date": NO_DATE,
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "summary": frame_to_records(frames["compare_authority_summary"]),
        "theme_counts": frame_to_records(frames["compare_theme_counts"]),
        "status_mix": frame_to_records(frames["compare_status_mix"]),
        "lead_roles": frame_to_records(frames["compare_lead_roles"]),
        "due_quarters": frame_to_records(frames["compare_due_quarters"]),
        "overdue": [] if note else frame_to_records(overdue.drop(columns=["action"])),
        "overdue_note": note,
        "kpi_targets": frame_to_records(frames["compare_kpi_targets"]),
        "recommendations": frame_to_records(frames["compare_recommendation_coverage"]),
        "recommendation_links": frame_to_records(frames["compare_recommendation_links"]),
        "actions": frame_to_rows(result.actions, ACTION_COLUMNS),
        "history": frames_to_history(frames),  # "What changed": pipeline/report/history.py
    }


def _csp_hash(text: str) -> str:
    return (
        "'sha256-"
        + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
        + "'"
    )


def payload_to_html(
    payload: dict, *, title: str = TITLE, subtitle: str = "", footer: str = ""
) -> str:
    js, css = "\n".join(_asset(name) for name in SCRIPTS), _asset("report.css")
    # Only this page's own script and style may run: nothing from the network, nothing injected.
    csp = (
        f"default-src 'none'; script-src {_csp_hash(js)}; style-src {_csp_hash(css)}; img-src data:"
    )
    values = {
        "CSP": html.escape(csp),
        "VERSION": html.escape(__version__),
        "TITLE": html.escape(title),
        "SUBTITLE": html.escape(subtitle),
        "FOOTER": html.escape(footer),
        "CSS": css,
        "JS": js,
        "DATA": payload_to_json(payload),
    }
    # One pass, so a placeholder-like string inside the data is never substituted.
    return re.sub(r"\{\{([A-Z]+)\}\}", lambda m: values[m.group(1)], _asset("template.html"))


def write_report(result: CompareResult, path: Path | None = None) -> Path:
    """The one-page report of a comparison, at `path` (default OUTDIR/report.html)."""
    path = path or result.outdir / REPORT_NAME
    payload = result_to_payload(result)
    summary = result.tables["compare_authority_summary"]
    as_of = result.as_of
    subtitle = (
        f"{len(summary)} authorities, {int(summary['n_plans'].sum())} plans, "
        f"{len(result.actions)} actions, {int(summary['n_kpis'].sum())} KPIs"
        + (f"; overdue judged as of {as_of.isoformat()}" if as_of else "")
    )
    footer = (
        f"Generated by planx {__version__} from the tables in {path.parent.name or path.parent}."
    )
    with atomic_path(path) as tmp:
        tmp.write_text(payload_to_html(payload, subtitle=subtitle, footer=footer), encoding="utf-8")
    return path
