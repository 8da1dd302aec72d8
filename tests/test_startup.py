"""A run loads only what it needs: importing the run machinery, the interpreter and the
readers' registry loads no heavy library; each comes with the first file or table that
needs it (start-up of a small run is mostly imports)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("spacy", "pandas", "pyarrow", "duckdb", "openpyxl", "docx", "pdfplumber")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip())


def test_the_run_machinery_and_the_interpreter_load_no_heavy_library():
    code = "import planx.pipeline.cli, planx.pipeline.batch, planx.pipeline.interpret"
    assert _loaded_after(code + ", planx.extractors") == []


def test_a_text_file_is_read_without_the_other_readers_libraries():
    sample = REPO / "samples" / "plans" / "eastmarsh_2018-19_rag_summary.txt"
    code = f"from planx.extractors import extract\nextract({str(sample)!r})"
    assert _loaded_after(code) == []


def test_a_cached_rerun_does_not_load_spacy_or_a_reader(tmp_path: Path):
    sample = REPO / "samples" / "plans" / "eastmarsh_2018-19_rag_summary.pdf"
    run = (
        "from planx.pipeline.batch import run_extract\n"
        f"run_extract([{str(sample)!r}], {str(tmp_path / 'out')!r})"
    )
    subprocess.run([sys.executable, "-c", run], check=True, capture_output=True)
    loaded = _loaded_after(run)
    assert "spacy" not in loaded and "pdfplumber" not in loaded and "pandas" not in loaded
