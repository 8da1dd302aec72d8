"""Generate planx's SECOND holdout set: four fictional plans in layouts no earlier set has.

    .venv/bin/python tests/holdout2/make_holdout.py            # rewrite tests/holdout2/plans, expected
    .venv/bin/python tests/holdout2/make_holdout.py OUTDIR     # write the same tree under OUTDIR

Like the first holdout (tests/holdout/), the plans were written without looking at
planx's interpretation code, and no rule may be tuned to them. Each plan is data
(``_plan_*.py`` here) in the samples' truth classes, drawn with the samples'
renderers (imported, never changed) plus the few layout features they lack
(``_render_extra.py``: font colours, nested DOCX tables, paragraph pages). The
expected records use the samples' expected format and contract rules, with the
first holdout's date forms and these additions:

- dates: "Ongoing / Sept 2019" (the date part), "Autumn term 2019" (September to
  December), "Summer term 2019" (April to July), "2019 Q1" and "By end Q4" read
  through the plan's own stated quarters and year;
- statuses: a rating shown by a symbol's font colour; a BRAG letter in brackets;
- leads: an abbreviation the plan defines is expanded wherever it occurs in a lead
  ("AD Early Help" -> "Assistant Director Early Help");
- targets: comparators ("≥ 85%", "<10") and rates ("42.5 per 10,000" -> 42.5, "per_10000").

Output is deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import importlib.util
import io
import json
import re
import sys
from collections.abc import Callable
from contextlib import ExitStack, nullcontext
from pathlib import Path
from types import ModuleType
from unittest import mock

HOLDOUT2_DIR = Path(__file__).resolve().parent
TESTS_DIR = HOLDOUT2_DIR.parent
SAMPLES_DIR = TESTS_DIR.parent / "samples"
sys.path.insert(0, str(SAMPLES_DIR))
sys.path.insert(0, str(HOLDOUT2_DIR))


def _load_first_holdout() -> ModuleType:
    """tests/holdout/make_holdout.py under its own name (this file has the same one)."""
    path = TESTS_DIR / "holdout" / "make_holdout.py"
    spec = importlib.util.spec_from_file_location("holdout1_make_holdout", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


holdout1 = _load_first_holdout()

import _plan_corrington  # noqa: E402
import _plan_greystow  # noqa: E402
import _plan_haverleigh  # noqa: E402
import _plan_ulverdale  # noqa: E402
import _truth  # noqa: E402
from _doc import Document, Grid, TableBlock  # noqa: E402
from _render_extra import (  # noqa: E402
    ParagraphPages,
    colour_markup,
    font_colours,
    log_paragraph_pages,
    nested_docx_tables,
)
from _render_pdf import PdfInfo, render_pdf  # noqa: E402
from _truth import Action, Plan, expected_of  # noqa: E402
from docx import Document as read_docx  # noqa: E402
from make_samples import render_format, row_pages  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

PLAN_MODULES: tuple[ModuleType, ...] = (
    _plan_corrington,
    _plan_ulverdale,
    _plan_greystow,
    _plan_haverleigh,
)
USED_AUTHORITIES = holdout1.SAMPLE_AUTHORITIES | {
    "Brackwater",
    "Fellmoor",
    "Hollinsby",
    "Ravensholt",
}
# School terms: a term names its months (the contract's first/last day rule applies).
TERMS = {"autumn": (9, 12), "summer": (4, 7)}
CALENDAR_QUARTER_START = {1: 1, 2: 4, 3: 7, 4: 10}

_FIRST_HOLDOUT_BOUNDS = holdout1.holdout_date_bounds
_SAMPLE_STATUS_OF = _truth.status_of
_SAMPLE_TARGET_OF = _truth.target_of


# --------------------------------------------------------------------------- rules


def _quarter(year: int, q: int) -> tuple[dt.date, dt.date]:
    first = CALENDAR_QUARTER_START[q]
    return dt.date(year, first, 1), holdout1._month_end(year, first + 2)


def holdout2_date_bounds(
    raw: str | dt.date,
    as_of: dt.date | None = None,
    *,
    plan_year: int | None = None,
    quarters: str = "financial",
) -> tuple[dt.date, dt.date] | None:
    """The first holdout's date rules plus this set's forms; quarters without a
    financial-year label follow the plan's own statement (``quarters``, ``plan_year``)."""
    if isinstance(raw, dt.date):
        return raw, raw
    again = functools.partial(
        holdout2_date_bounds, as_of=as_of, plan_year=plan_year, quarters=quarters
    )
    text = _truth.norm(raw)
    m = re.fullmatch(r"ongoing ?/ ?(.+)", text, flags=re.IGNORECASE)
    if m:  # an ongoing action with a date to report by
        return again(m.group(1))
    m = re.fullmatch(r"(?:by end of|by end|end of|by) (.+)", text, flags=re.IGNORECASE)
    if m:
        return again(m.group(1))
    m = re.fullmatch(r"([A-Za-z]+) term (\d{4})", text)
    if m and m.group(1).lower() in TERMS:
        first, last = TERMS[m.group(1).lower()]
        year = int(m.group(2))
        return dt.date(year, first, 1), holdout1._month_end(year, last)
    m = re.fullmatch(r"(\d{4}) Q([1-4])", text) or re.fullmatch(r"Q([1-4])", text)
    if m:
        if quarters != "calendar":
            raise ValueError(f"a bare quarter needs the plan's calendar-quarter rule: {raw!r}")
        year = int(m.group(1)) if m.lastindex == 2 else plan_year
        if year is None:
            raise ValueError(f"a quarter without a year needs the plan's year: {raw!r}")
        return _quarter(year, int(m.group(m.lastindex)))
    return _FIRST_HOLDOUT_BOUNDS(raw, as_of)


def bracket_status_of(plan: Plan, action: Action) -> tuple[str | None, str, str | None]:
    """The samples' status rule, plus a BRAG letter in brackets ("Some slippage (A)")."""
    m = re.search(r"\(([BRAG])\)", action.status_text)
    if m:
        return _SAMPLE_STATUS_OF(plan, dataclasses.replace(action, status_text=m.group(1)))
    return _SAMPLE_STATUS_OF(plan, action)


def expanded_leads(plan: Plan, parts: tuple[str, ...]) -> list[str]:
    """Each lead with every abbreviation the plan defines expanded where it occurs."""
    glossary = dict(plan.glossary)
    out = []
    for part in parts:
        if part in glossary:
            out.append(glossary[part])
            continue
        out.append(
            re.sub(
                r"\b[A-Za-z]+\b",
                lambda m: glossary.get(m.group(0), m.group(0)),
                part,
            )
        )
    return out


def holdout2_target_of(raw: str) -> tuple[float | int | None, str]:
    """The samples' target rule after a comparator ("≥ 85%", "<10"), plus rates."""
    text = _truth.norm(raw)
    m = re.fullmatch(r"(?:≥|≤|<|>|=<|>=|<=)\s*(.+)", text)
    if m:
        return holdout2_target_of(m.group(1))
    m = re.fullmatch(r"(\d+(?:\.\d+)?) per (\d{1,3}(?:,\d{3})*)", text)
    if m:
        # A rate's unit names its base as an identifier, like "percent": "per_10000".
        return _truth._num(m.group(1)), "per_" + m.group(2).replace(",", "")
    return _SAMPLE_TARGET_OF(raw)


def holdout2_expected(module: ModuleType, layout: dict, pages: dict[str, int]) -> dict:
    """The samples' expected record builder with this set's rules (for this call only)."""
    plan: Plan = module.PLAN
    bounds = functools.partial(
        holdout2_date_bounds,
        plan_year=getattr(module, "PLAN_YEAR", None),
        quarters=getattr(module, "QUARTERS", "financial"),
    )
    override: Callable | None = getattr(module, "status_override", None)

    def status_of(p: Plan, action: Action):
        found = override(action) if override else None
        return found or bracket_status_of(p, action)

    with ExitStack() as stack:
        stack.enter_context(mock.patch.object(_truth, "date_bounds", bounds))
        stack.enter_context(mock.patch.object(_truth, "status_of", status_of))
        stack.enter_context(mock.patch.object(_truth, "leads_of", expanded_leads))
        stack.enter_context(mock.patch.object(_truth, "target_of", holdout2_target_of))
        return expected_of(plan, layout, pages)


# --------------------------------------------------------------------------- drawing


@dataclasses.dataclass
class Rendered:
    files: dict[str, bytes | str]
    doc: Document
    pdf_info: PdfInfo | None
    paragraphs: ParagraphPages


def _context(module: ModuleType, fmt: str):
    """The extra layout features a plan's format needs while it is drawn."""
    if module is _plan_corrington:
        return colour_markup()
    if module is _plan_haverleigh and fmt == "docx":
        return nested_docx_tables(_plan_haverleigh.nested_titles())
    return nullcontext()


def render(module: ModuleType) -> Rendered:
    plan: Plan = module.PLAN
    doc: Document = module.document()
    files: dict[str, bytes | str] = {}
    info = None
    paragraphs = ParagraphPages()
    for fmt in plan.formats:
        with _context(module, fmt):
            if fmt == "pdf":
                with log_paragraph_pages(paragraphs):
                    files[fmt], info = render_pdf(doc)
            elif module is _plan_haverleigh and fmt == "docx":
                files[fmt] = render_format(fmt, module, module.document(headings=False))
            else:
                files[fmt] = render_format(fmt, module, doc)
    return Rendered(files, doc, info, paragraphs)


def _table_extras(grid: Grid) -> dict:
    colours = {
        f"{r},{c}": font_colours(p.text)[0][0]
        for r, row in enumerate(grid.rows)
        for c, gc in enumerate(row)
        if gc is not None
        for p in gc.paras
        if font_colours(p.text)
    }
    return {"font_colours": colours} if colours else {}


def document_layout(module: ModuleType, rendered: Rendered) -> dict:
    """What a person sees in each shipped format (the samples' layout block, plus font
    colours and nesting where a plan has them)."""
    layout = holdout1.document_layout(module, rendered.doc, rendered.pdf_info)
    for fmt in ("docx", "html"):
        if fmt in layout:
            for table, grid in zip(layout[fmt]["tables"], rendered.doc.grids, strict=True):
                table.update(_table_extras(grid))
    if module is _plan_haverleigh:
        layout["docx"]["nested"] = [
            {"outer": "1x1 layout table, no borders", "title": title, "table": name}
            for name, title in _plan_haverleigh.nested_titles().items()
        ]
    return layout


def action_pages(module: ModuleType, rendered: Rendered) -> dict[str, int]:
    if rendered.pdf_info is None:
        return {}
    pages = row_pages(rendered.doc, rendered.pdf_info)
    if not rendered.doc.grids:  # numbered paragraphs: the page of the one that starts it
        for i, (_, _, a) in enumerate(module.PLAN.actions()):
            page = rendered.paragraphs.first_page(f"{a.ref} ")
            if page is not None:
                pages[f"action:{i}"] = page
    return pages


# --------------------------------------------------------------------------- checks


def _docx_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("word/document.xml").decode("utf-8")


def check_quirks(module: ModuleType, rendered: Rendered, expected: dict) -> None:
    """Fail loudly if an edit made a plan lose what it exists to test."""
    plan: Plan = module.PLAN
    refs = [a.ref for _, _, a in plan.actions()]
    if len(refs) != len(set(refs)):
        raise AssertionError(f"{plan.stem}: duplicate refs")
    if plan.authority in USED_AUTHORITIES:
        raise AssertionError(f"{plan.stem}: reuses an earlier plan's council name")
    if not 15 <= len(refs) <= 40:
        raise AssertionError(f"{plan.stem}: {len(refs)} actions, expected 15-40")
    files = rendered.files
    if module is _plan_corrington:
        xml = _docx_xml(files["docx"])
        if "w:color" not in xml or xml.count("w:shd") != 7:  # header cells only
            raise AssertionError("ratings must be font colours, with fills on the header only")
        if 'style="color:' not in files["html"] or "background-color:#00B050" in files["html"]:
            raise AssertionError("the HTML must carry ratings as font colours")
    if module is _plan_ulverdale:
        header = expected["layout"]["pdf"]["tables"][0]["header"]
        if header[-1] != "Ref":
            raise AssertionError("the ref must be the last column")
        if len(load_workbook(io.BytesIO(files["xlsx"])).sheetnames) != 2:
            raise AssertionError("the workbook needs an action sheet and a scorecard sheet")
        if not any(a["start_date"] for a in expected["actions"]):
            raise AssertionError("a timescale range must give a start date")
    if module is _plan_greystow:
        if any(isinstance(b, TableBlock) for b in rendered.doc.blocks) or "\t" in files["txt"]:
            raise AssertionError("the numbered-paragraph plan must have no table")
        if any(a["page"] is None for a in expected["actions"]):
            raise AssertionError("every action needs its PDF page")
    if module is _plan_haverleigh:
        outer = read_docx(io.BytesIO(files["docx"])).tables
        if len(outer) != len(plan.themes) or any(
            len(t.rows) != 1 or not t.cell(0, 0).tables for t in outer
        ):
            raise AssertionError("each theme table must sit inside a 1x1 layout table")
        xml = _docx_xml(files["docx"])
        if "w:vMerge" not in xml or "w:tblHeader" not in xml:
            raise AssertionError("inner tables need a merged lead column and a repeated header")


# --------------------------------------------------------------------------- output


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def build(out_root: Path = HOLDOUT2_DIR) -> list[Path]:
    """Write plans/ and expected/ under out_root; return the paths written."""
    out_root = Path(out_root)
    written: list[Path] = []
    for module in PLAN_MODULES:
        plan: Plan = module.PLAN
        rendered = render(module)
        layout = document_layout(module, rendered)
        expected = holdout2_expected(module, layout, action_pages(module, rendered))
        check_quirks(module, rendered, expected)
        for fmt in plan.formats:
            path = out_root / "plans" / f"{plan.stem}.{fmt}"
            _write(path, rendered.files[fmt])
            written.append(path)
        path = out_root / "expected" / f"{plan.stem}.json"
        _write(path, json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HOLDOUT2_DIR
    paths = build(out)
    print(f"wrote {len(paths)} files under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
