"""Generate planx's sample corpus: six fictional councils' plans and reports, and their truth.

    python samples/make_samples.py            # rewrite samples/plans, bad, expected
    python samples/make_samples.py OUTDIR     # write the same tree under OUTDIR

Each plan is described once as data (``_plan_*.py``); this script renders it
into every format it comes in and writes ``expected/<stem>.json`` from the same
truth, including the layout a person sees (tables after page joins, fills,
merges, pages). Output is deterministic, so the files are committed and CI
needs no office suite.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _plan_eastmarsh  # noqa: E402
import _plan_harrowden  # noqa: E402
import _plan_kestrel_bay  # noqa: E402
import _plan_northam_vale  # noqa: E402
import _plan_pendlemere  # noqa: E402
import _plan_saltmere  # noqa: E402
import _plan_wexcombe  # noqa: E402
from _bad import MANIFEST, bad_files  # noqa: E402
from _doc import Document, Grid  # noqa: E402
from _render_docx import render_docx  # noqa: E402
from _render_html import render_html  # noqa: E402
from _render_pdf import PdfInfo, render_pdf  # noqa: E402
from _render_text import render_text  # noqa: E402
from _render_xlsx import render_xlsx  # noqa: E402
from _truth import Plan, expected_of  # noqa: E402

SAMPLES_DIR = Path(__file__).resolve().parent
# A plan module gives PLAN and document() (and xlsx_sheets() for a spreadsheet); the
# versions of one plan over time give one such object each.
PLAN_MODULES: tuple[Any, ...] = (
    _plan_harrowden,
    _plan_northam_vale,
    _plan_eastmarsh,
    _plan_kestrel_bay,
    _plan_wexcombe,
    _plan_saltmere,
    *_plan_pendlemere.MODULES,
)
# Plans published in several versions: expected/history/<name>.json lists what changed.
HISTORIES = {"pendlemere_2019-20_improvement_plan": _plan_pendlemere.expected_history}
# PDF page breaks (and so the expected pages) were fixed with this reportlab.
GENERATED_WITH_REPORTLAB = "5.1.0"
ALL_OUTPUTS = frozenset({"pdf", "docx", "txt", "html", "xlsx", "json", "bad"})


def grid_layout(grid: Grid, *, with_fills: bool = True) -> dict:
    """A table as a person sees it: rows after page joins (header rows included, once).
    Without fills (a text export) there are no merges either: covered cells are blank."""
    return {
        "name": grid.name,
        "rows": len(grid.rows),
        "cols": grid.n_cols,
        "header_rows": grid.header_rows,
        "header": grid.header_labels(expand_merges=with_fills),
        "repeat_header": grid.repeat_header,
        "fills": grid.fills() if with_fills else {},
        "spans": grid.spans() if with_fills else [],
    }


def pdf_layout(doc: Document, info: PdfInfo) -> dict:
    table_pages, split_rows = [], []
    for t, grid in enumerate(doc.grids):
        pages = sorted({p for r in range(len(grid.rows)) for p in info.row_pages(grid.name, r)})
        table_pages.append(pages)
        for r in range(grid.header_rows, len(grid.rows)):
            if len(info.row_pages(grid.name, r)) > 1:
                split_rows.append([t, r])
    return {
        "pages": info.pages,
        "running_header": doc.header,
        "running_footer": f"{doc.footer} ... Page {{n}}",
        "tables": [grid_layout(g) for g in doc.grids],
        "table_pages": table_pages,
        "split_rows": split_rows,
        **(
            {
                "cards": [
                    {"name": c.name, "page": info.row_pages(c.name, 0)[0], "fill": c.badge_fill}
                    for c in doc.cards
                ]
            }
            if doc.cards
            else {}
        ),
    }


def row_pages(doc: Document, info: PdfInfo) -> dict[str, int]:
    """'action:i' / 'kpi:i' -> PDF page of the row's first line."""
    out = {}
    for grid in [*doc.grids, *(c.grid() for c in doc.cards)]:
        for r, key in enumerate(grid.row_keys):
            pages = info.row_pages(grid.name, r)
            if key and pages:
                out[key] = pages[0]
    return out


def check_quirks(plan: Plan, layout: dict) -> None:
    """Fail loudly if an edit made a plan lose the layout quirk it exists to test."""
    refs = [a.ref for _, _, a in plan.actions()]
    if len(refs) != len(set(refs)):
        raise AssertionError(f"{plan.stem}: duplicate refs")
    pdf = layout["pdf"]
    multi_page = [t for t, pages in enumerate(pdf["table_pages"]) if len(pages) > 1]
    if plan.stem == _plan_northam_vale.PLAN.stem:
        if pdf["pages"] < 6:
            raise AssertionError("numbered-themes plan must run to at least 6 PDF pages")
        if not pdf["split_rows"]:
            raise AssertionError("numbered-themes plan must have a row split by a page break")
        if not any(not pdf["tables"][t]["repeat_header"] for t in multi_page):
            raise AssertionError(
                "numbered-themes plan needs a table crossing pages without a header"
            )
    if plan.stem in (
        _plan_harrowden.PLAN.stem,
        _plan_eastmarsh.PLAN.stem,
        _plan_wexcombe.PLAN.stem,
    ):
        if not any(pdf["tables"][t]["repeat_header"] for t in multi_page):
            raise AssertionError(
                f"{plan.stem}: needs a table crossing pages with a repeated header"
            )
    if plan.stem == _plan_saltmere.PLAN.stem:
        cards = pdf["cards"]
        per_page = [sum(c["page"] == p for c in cards) for p in {c["page"] for c in cards}]
        if max(per_page) != 2:
            raise AssertionError("the performance report needs two cards to a PDF page")
        if all(k.floor for _, k in plan.kpis()) or not any(
            "(" in k.previous for _, k in plan.kpis()
        ):
            raise AssertionError("the report needs KPIs with no floor and previous values rated")
    if len(plan.actions()) and not 15 <= len(plan.actions()) <= 40:
        raise AssertionError(f"{plan.stem}: {len(plan.actions())} actions, expected 15-40")


def render_format(fmt: str, module: Any, doc: Document) -> bytes | str:
    """One non-PDF rendering of a plan's document."""
    if fmt == "docx":
        return render_docx(doc)
    if fmt == "txt":
        return render_text(doc)
    if fmt == "html":
        return render_html(doc)
    if fmt == "xlsx":
        return render_xlsx(module.xlsx_sheets(), doc.title, doc.author, doc.created)
    raise ValueError(f"no renderer for {fmt}")


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def build(out_root: Path = SAMPLES_DIR, outputs: Collection[str] = ALL_OUTPUTS) -> list[Path]:
    """Write the chosen outputs under out_root (plans/, bad/, expected/); return the paths."""
    unknown = set(outputs) - ALL_OUTPUTS
    if unknown:
        raise ValueError(f"unknown outputs: {sorted(unknown)}")
    out_root = Path(out_root)
    written: list[Path] = []
    first_pdf = b""
    for module in PLAN_MODULES:
        plan: Plan = module.PLAN
        doc: Document = module.document()
        stem = out_root / "plans" / plan.stem
        # The PDF is always drawn: the expected file needs its pages.
        pdf_bytes, info = render_pdf(doc)
        first_pdf = first_pdf or pdf_bytes
        layout: dict = {"pdf": pdf_layout(doc, info)}
        tables = [grid_layout(g) for g in doc.grids]
        if "docx" in plan.formats:
            layout["docx"] = {"tables": [grid_layout(g) for g in doc.docx_grids]}
        if "html" in plan.formats:
            layout["html"] = {"tables": tables}
        if "txt" in plan.formats:
            layout["txt"] = {"tables": [grid_layout(g, with_fills=False) for g in doc.grids]}
        if "xlsx" in plan.formats:
            sheets = module.xlsx_sheets()
            layout["xlsx"] = {
                "tables": [grid_layout(s.grid) for s in sheets],
                "sheets": [{"sheet": s.name, "first_row": s.first_row} for s in sheets],
            }
        check_quirks(plan, layout)
        for fmt in plan.formats:
            if fmt in outputs:
                path = stem.with_suffix(f".{fmt}")
                _write(path, pdf_bytes if fmt == "pdf" else render_format(fmt, module, doc))
                written.append(path)
        if "json" in outputs:
            expected = expected_of(plan, layout, row_pages(doc, info))
            path = out_root / "expected" / f"{plan.stem}.json"
            _write(path, json.dumps(expected, indent=1, ensure_ascii=False) + "\n")
            written.append(path)
    if "json" in outputs:
        for name, history in HISTORIES.items():
            path = out_root / "expected" / "history" / f"{name}.json"
            _write(path, json.dumps(history(), indent=1, ensure_ascii=False) + "\n")
            written.append(path)
    if "bad" in outputs:
        for name, data in bad_files(first_pdf).items():
            path = out_root / "bad" / name
            _write(path, data)
            written.append(path)
        path = out_root / "bad" / "manifest.json"
        _write(path, json.dumps(MANIFEST, indent=1) + "\n")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else SAMPLES_DIR
    paths = build(out)
    print(f"wrote {len(paths)} files under {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
