"""Camelot's lattice reader on the benchmark's PDF pages, for reference beside planx.

    .venv/bin/python benchmarks/bench_camelot.py --files 10

Camelot is never a planx dependency: it is installed in a virtual environment of its
own, benchmarks/.camelot-venv (made on first use: `pip install camelot-py==2.0.0
opencv-python-headless`), and timed there in a child process over the first `files`
PDFs of the batch benchmark's corpus. pdfplumber's own extract_tables() +
extract_text() is timed over the same pages in planx's environment, so the two give a
ratio on the same pages.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

CAMELOT_VENV = HERE / ".camelot-venv"
CAMELOT_PACKAGES = ("camelot-py==2.0.0", "opencv-python-headless")
DEFAULT_FILES = 10

# Run inside the Camelot environment: time lattice over each PDF, print JSON.
CAMELOT_SCRIPT = """
import json, sys, time
import camelot
pages = tables = 0
started = time.perf_counter()
for path in sys.argv[1:]:
    found = camelot.read_pdf(path, pages="all", flavor="lattice")
    tables += found.n
seconds = time.perf_counter() - started
print(json.dumps({"seconds": seconds, "tables": tables, "version": camelot.__version__}))
"""


def camelot_python() -> Path:
    """The Camelot environment's interpreter, the environment made and filled if missing."""
    python = CAMELOT_VENV / "bin" / "python"
    if not python.exists():
        venv.create(CAMELOT_VENV, with_pip=True)
    probe = subprocess.run([str(python), "-c", "import camelot, cv2"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", *CAMELOT_PACKAGES], check=True
        )
    return python


def _pdfplumber_seconds(paths: list[Path]) -> dict[str, Any]:
    """pdfplumber's own tables and text on every page of `paths`, in this process."""
    import time

    import pdfplumber

    pages = tables = 0
    started = time.perf_counter()
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                page.extract_text()
                pages += 1
                page.close()
    return {"seconds": time.perf_counter() - started, "pages": pages, "tables": tables}


def run(corpus: Path, files: int = DEFAULT_FILES) -> dict[str, Any]:
    """Camelot lattice and pdfplumber over the first `files` PDFs of `corpus`."""
    paths = sorted(corpus.glob("*.pdf"))[:files]
    python = camelot_python()
    proc = subprocess.run(
        [str(python), "-c", CAMELOT_SCRIPT, *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"camelot failed:\n{proc.stderr[-3000:]}")
    camelot = json.loads(proc.stdout.strip().splitlines()[-1])
    plumber = _pdfplumber_seconds(paths)
    result = {"files": len(paths), "camelot": camelot, "pdfplumber": plumber}
    result["markdown"] = to_markdown(result)
    return result


def to_markdown(result: dict[str, Any]) -> str:
    cam, plumber = result["camelot"], result["pdfplumber"]
    pages = plumber["pages"]
    return "\n".join(
        [
            f"The first {result['files']} PDFs of the batch corpus ({pages:,} pages), "
            f"Camelot {cam['version']} in its own environment (benchmarks/.camelot-venv).",
            "",
            "| reader | seconds | pages/s | tables found | / pdfplumber |",
            "|---|---:|---:|---:|---:|",
            f"| Camelot lattice | {cam['seconds']:.1f} | {pages / cam['seconds']:.1f} "
            f"| {cam['tables']} | {cam['seconds'] / plumber['seconds']:.2f}x |",
            f"| pdfplumber extract_tables() + extract_text() | {plumber['seconds']:.1f} "
            f"| {pages / plumber['seconds']:.1f} | {plumber['tables']} | 1.00x |",
        ]
    )


def main() -> None:
    from bench_batch import ensure_corpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=DEFAULT_FILES)
    parser.add_argument("--plans", type=int, default=12, help="corpus size if made")
    args = parser.parse_args()
    print(run(ensure_corpus(None, args.plans), args.files)["markdown"])


if __name__ == "__main__":
    main()
