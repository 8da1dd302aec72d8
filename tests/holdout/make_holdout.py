"""Generate planx's HOLDOUT set: four fictional plans in layouts the samples do not have.

    .venv/bin/python tests/holdout/make_holdout.py            # rewrite tests/holdout/plans, expected
    .venv/bin/python tests/holdout/make_holdout.py OUTDIR     # write the same tree under OUTDIR

The holdout checks that planx generalises: its plans were written without looking
at planx's interpretation code, and no rule may be tuned to them. Each plan is
described once as data (``_plan_*.py`` here) with the samples' truth classes and
drawn with the samples' renderers (imported from samples/, never changed); the
expected records are written in exactly the samples' expected format, with the
same contract rules, plus the date forms these plans add ("31.3.19",
"Spring 2019", "end of June 2019", "By April 2019", "30 September 2018",
"2018/19"). Output is deterministic.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from unittest import mock

HOLDOUT_DIR = Path(__file__).resolve().parent
SAMPLES_DIR = HOLDOUT_DIR.parents[1] / "samples"
sys.path.insert(0, str(SAMPLES_DIR))
sys.path.insert(0, str(HOLDOUT_DIR))

import _plan_brackwater  # noqa: E402
import _plan_fellmoor  # noqa: E402
import _plan_hollinsby  # noqa: E402
import _plan_ravensholt  # noqa: E402
import _truth  # noqa: E402
from _doc import Document  # noqa: E402
from _render_pdf import render_pdf  # noqa: E402
from _truth import Plan, expected_of  # noqa: E402
from make_samples import grid_layout, pdf_layout, render_format, row_pages  # noqa: E402

PLAN_MODULES: tuple[ModuleType, ...] = (
    _plan_fellmoor,
    _plan_brackwater,
    _plan_ravensholt,
    _plan_hollinsby,
)
SAMPLE_AUTHORITIES = frozenset(
    {"Harrowden", "Northam Vale", "Eastmarsh", "Kestrel Bay", "Wexcombe"}
)

_SAMPLE_DATE_BOUNDS = _truth.date_bounds
# Meteorological seasons: a season names its three months.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def holdout_date_bounds(
    raw: str | dt.date, as_of: dt.date | None = None
) -> tuple[dt.date, dt.date] | None:
    """The samples' date rules plus the forms the holdout plans use."""
    if isinstance(raw, dt.date):
        return raw, raw
    text = _truth.norm(raw)
    m = re.fullmatch(r"(?:end of|by) (.+)", text, flags=re.IGNORECASE)
    if m:
        return holdout_date_bounds(m.group(1), as_of)
    m = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})", text)
    if m:
        year = int(m.group(3)) + (2000 if len(m.group(3)) == 2 else 0)
        d = dt.date(year, int(m.group(2)), int(m.group(1)))
        return d, d
    m = re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", text)
    if m and m.group(2).lower() in _truth.MONTHS:
        d = dt.date(int(m.group(3)), _truth.MONTHS[m.group(2).lower()], int(m.group(1)))
        return d, d
    m = re.fullmatch(r"([A-Za-z]+) (\d{4})", text)
    if m and m.group(1).lower() in SEASONS:
        first, last = SEASONS[m.group(1).lower()]
        year = int(m.group(2))
        return dt.date(year, first, 1), _month_end(year, last)
    m = re.fullmatch(r"(\d{4})/(\d{2})", text)
    if m:  # a financial year, April to March
        year = int(m.group(1))
        return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)
    return _SAMPLE_DATE_BOUNDS(raw, as_of)


def holdout_expected(plan: Plan, layout: dict, pages: dict[str, int]) -> dict:
    """The samples' expected record builder, with the holdout's date forms added."""
    # expected_of reads dates through _truth.date_bounds; widen it for this call only.
    with mock.patch.object(_truth, "date_bounds", holdout_date_bounds):
        return expected_of(plan, layout, pages)


def document_layout(module: ModuleType, doc: Document, pdf_info) -> dict:
    """What a person sees in each shipped format (the samples' layout block)."""
    plan: Plan = module.PLAN
    layout: dict = {}
    if "pdf" in plan.formats:
        layout["pdf"] = pdf_layout(doc, pdf_info)
    tables = [grid_layout(g) for g in doc.grids]
    for fmt in ("docx", "html"):
        if fmt in plan.formats:
            layout[fmt] = {"tables": tables}
    if "txt" in plan.formats:
        layout["txt"] = {"tables": [grid_layout(g, with_fills=False) for g in doc.grids]}
    if "xlsx" in plan.formats:
        sheets = module.xlsx_sheets()
        layout["xlsx"] = {
            "tables": [grid_layout(s.grid) for s in sheets],
            "sheets": [{"sheet": s.name, "first_row": s.first_row} for s in sheets],
        }
    return layout


def check_quirks(plan: Plan, layout: dict) -> None:
    """Fail loudly if an edit made a plan lose what it exists to test."""
    refs = [a.ref for _, _, a in plan.actions()]
    if len(refs) != len(set(refs)):
        raise AssertionError(f"{plan.stem}: duplicate refs")
    if plan.authority in SAMPLE_AUTHORITIES:
        raise AssertionError(f"{plan.stem}: reuses a sample council's name")
    if not 15 <= len(refs) <= 40:
        raise AssertionError(f"{plan.stem}: {len(refs)} actions, expected 15-40")
    if plan.stem == _plan_ravensholt.PLAN.stem:
        pdf = layout["pdf"]
        tracker = next(t for t, g in enumerate(pdf["tables"]) if g["name"] == "tracker")
        if len(pdf["table_pages"][tracker]) < 3 or pdf["tables"][tracker]["repeat_header"]:
            raise AssertionError("the tracker must cross 3+ PDF pages without a repeated header")


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def build(out_root: Path = HOLDOUT_DIR) -> list[Path]:
    """Write plans/ and expected/ under out_root; return the paths written."""
    out_root = Path(out_root)
    written: list[Path] = []
    for module in PLAN_MODULES:
        plan: Plan = module.PLAN
        doc: Document = module.document()
        # Always drawn: the PDF's page breaks are part of the truth when it ships.
        pdf_bytes, info = render_pdf(doc)
        layout = document_layout(module, doc, info)
        check_quirks(plan, layout)
        for fmt in plan.formats:
            path = out_root / "plans" / f"{plan.stem}.{fmt}"
            _write(path, pdf_bytes if fmt == "pdf" else render_format(fmt, module, doc))
            written.append(path)
        pages = row_pages(doc, info) if "pdf" in plan.formats else {}
        expected = holdout_expected(plan, layout, pages)
        path = out_root / "expected" / f"{plan.stem}.json"
        _write(path, json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HOLDOUT_DIR
    paths = build(out)
    print(f"wrote {len(paths)} files under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
