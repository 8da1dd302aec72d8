"""Speed and memory of the PDF reader against pdfplumber's own `extract_tables`.

Run: .venv/bin/python benchmarks/bench_extract.py [--repeats N] [files...]

For each file it times (median of N runs) and measures the peak traced memory
of (a) `PdfExtractor().extract` and (b) pdfplumber's plain
`for page in pdf.pages: page.extract_tables(); page.close()`, prints a
markdown table and the overall time ratio (sum over files), then checks that
peak memory does not grow with the page count on generated long-table PDFs.
`measure(files, repeats)` returns the per-file rows; `run()`, which
benchmarks/run.py calls, returns those rows, the overall ratio, the
memory-growth rows and the markdown of both tables.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import pdfplumber  # noqa: E402

from planx.extractors.base import ExtractionError, ExtractSettings  # noqa: E402
from planx.extractors.pdf import PdfExtractor  # noqa: E402

SHARED = REPO.parent / "shared"
DEFAULT_REPEATS = 3
GROWTH_PAGES = (10, 50, 200)
MIB = 1024 * 1024


def default_files() -> list[Path]:
    """Samples, the rendered real plans, and the third-party table PDFs that open."""
    files = sorted((REPO / "samples" / "plans").glob("*.pdf"))
    files += sorted((SHARED / "rendered").glob("*.pdf"))
    for path in sorted((SHARED / "realdocs" / "pdf-tables").glob("*.pdf")):
        try:
            with pdfplumber.open(path) as pdf:
                if pdf.pages:
                    files.append(path)
        except Exception:  # encrypted, empty or broken: not a speed case
            continue
    return files


def ours(path: Path) -> Any:
    try:
        return PdfExtractor().extract(path, ExtractSettings())
    except ExtractionError:
        return None


def plumber(path: Path) -> int:
    """pdfplumber's plain table extraction, page by page, closing each page."""
    n = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            n += len(page.extract_tables())
            page.close()
    return n


def _seconds(fn: Callable[[Path], Any], path: Path) -> float:
    gc.collect()
    start = time.perf_counter()
    fn(path)
    return time.perf_counter() - start


def _median_pair(path: Path, repeats: int) -> tuple[float, float]:
    """Median seconds of ours and of pdfplumber, runs interleaved so load affects both alike."""
    mine, theirs = [], []
    for _ in range(repeats):
        mine.append(_seconds(ours, path))
        theirs.append(_seconds(plumber, path))
    return statistics.median(mine), statistics.median(theirs)


def _memory_mib(fn: Callable[[Path], Any], path: Path) -> tuple[float, float]:
    """Peak traced memory during fn(path), and what its result still holds afterwards."""
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn(path)
        gc.collect()
        held, peak = tracemalloc.get_traced_memory()
        del result
    finally:
        tracemalloc.stop()
    return peak / MIB, held / MIB


def _peak_mib(fn: Callable[[Path], Any], path: Path) -> float:
    return _memory_mib(fn, path)[0]


def _page_count(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def measure(
    files: Iterable[Path | str] | None = None,
    repeats: int = DEFAULT_REPEATS,
    *,
    verbose: bool = False,
) -> list[dict[str, Any]]:
    """One row per file (default: `default_files()`): pages, median seconds and peak MiB
    for ours and for pdfplumber, and their time ratio."""
    rows = []
    for path in map(Path, default_files() if files is None else files):
        if verbose:
            print(f"  {path.name} ...", file=sys.stderr, flush=True)
        pages = _page_count(path)
        ours(path)  # warm caches (fonts, CMaps) so neither side pays them alone
        plumber(path)
        our_s, plumber_s = _median_pair(path, repeats)
        rows.append(
            {
                "file": path.name,
                "pages": pages,
                "ours_s": our_s,
                "pdfplumber_s": plumber_s,
                "ratio": our_s / plumber_s if plumber_s else float("nan"),
                "pages_per_s": pages / our_s if our_s else float("nan"),
                "ours_peak_mib": _peak_mib(ours, path),
                "pdfplumber_peak_mib": _peak_mib(plumber, path),
            }
        )
    return rows


def make_long_table_pdf(path: Path, pages: int) -> Path:
    """A ruled table running over about `pages` pages, header repeated on each."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    styles = getSampleStyleSheet()
    cell = styles["BodyText"]
    data: list[list[Any]] = [["Ref", "Action", "Lead", "Due"]]
    for i in range(pages * 21):
        text = f"Action {i + 1}: review the case files and report the findings to the board."
        data.append(
            [f"{i // 10 + 1}.{i % 10 + 1}", Paragraph(text, cell), "Head of Service", "Mar 2018"]
        )
    table = Table(data, colWidths=[50, 300, 100, 70], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9D9D9")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    doc.build([Paragraph("Long plan", styles["Heading1"]), table])
    return path


def memory_growth(page_counts: Iterable[int] = GROWTH_PAGES) -> list[dict[str, Any]]:
    """Peak traced memory of ours and pdfplumber against the page count."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in page_counts:
            path = make_long_table_pdf(Path(tmp) / f"long-{n}.pdf", n)
            pages = _page_count(path)
            start = time.perf_counter()
            doc = ours(path)
            seconds = time.perf_counter() - start
            peak, held = _memory_mib(ours, path)
            rows.append(
                {
                    "pages": pages,
                    "ours_s": seconds,
                    "tables": len(doc.tables) if doc else 0,
                    "rows": doc.tables[0].n_rows if doc and doc.tables else 0,
                    "ours_peak_mib": peak,
                    "document_mib": held,
                    "pdfplumber_peak_mib": _peak_mib(plumber, path),
                }
            )
    return rows


def rows_to_markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| file | pages | our s | pdfplumber s | ratio | pages/s | our peak MiB | pdfplumber peak MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['file']} | {r['pages']} | {r['ours_s']:.2f} | {r['pdfplumber_s']:.2f} | "
            f"{r['ratio']:.2f} | {r['pages_per_s']:.1f} | {r['ours_peak_mib']:.1f} | "
            f"{r['pdfplumber_peak_mib']:.1f} |"
        )
    total_ours = sum(r["ours_s"] for r in rows)
    total_plumber = sum(r["pdfplumber_s"] for r in rows)
    if total_plumber:
        lines.append("")
        lines.append(
            f"Overall: ours {total_ours:.2f} s, pdfplumber {total_plumber:.2f} s, "
            f"ratio {total_ours / total_plumber:.2f}"
        )
    return "\n".join(lines)


def growth_to_markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| pages | our s | tables | rows after joins | our peak MiB | of which the result MiB "
        "| peak minus result MiB | pdfplumber peak MiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['pages']} | {r['ours_s']:.2f} | {r['tables']} | {r['rows']} | "
            f"{r['ours_peak_mib']:.1f} | {r['document_mib']:.1f} | "
            f"{r['ours_peak_mib'] - r['document_mib']:.1f} | {r['pdfplumber_peak_mib']:.1f} |"
        )
    return "\n".join(lines)


def run(
    files: Iterable[Path | str] | None = None,
    repeats: int = DEFAULT_REPEATS,
    *,
    growth: Iterable[int] = GROWTH_PAGES,
    verbose: bool = False,
) -> dict[str, Any]:
    """Everything `make bench` reports: per-file rows, the overall time ratio (sum over
    files), the memory-growth rows, and the markdown of both tables."""
    rows = measure(files, repeats, verbose=verbose)
    growth_rows = memory_growth(growth) if growth else []
    total_ours = sum(r["ours_s"] for r in rows)
    total_plumber = sum(r["pdfplumber_s"] for r in rows)
    markdown = rows_to_markdown(rows)
    if growth_rows:
        markdown += "\n\nMemory against page count (generated long-table PDFs):\n\n"
        markdown += growth_to_markdown(growth_rows)
    return {
        "rows": rows,
        "ratio": total_ours / total_plumber if total_plumber else None,
        "growth": growth_rows,
        "markdown": markdown,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs (default: samples + shared)")
    parser.add_argument("--repeats", type=int, default=DEFAULT_REPEATS, help="runs per timing")
    parser.add_argument(
        "--growth",
        type=int,
        nargs="*",
        default=list(GROWTH_PAGES),
        help="page counts for the memory-growth check (none to skip)",
    )
    args = parser.parse_args(argv)
    result = run(args.files or None, args.repeats, growth=args.growth, verbose=True)
    print(result["markdown"], flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
