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


def _loaded_by_cli(args: list[str]) -> list[str]:
    """The heavy libraries the command line has loaded when it exits."""
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
        f"sys.argv = ['planx', *{args!r}]\n"
        "from planx.pipeline.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return eval(done.stdout.strip().splitlines()[-1])


def test_a_one_file_run_writes_and_checks_its_tables_without_pandas(tmp_path: Path):
    """pandas is for compare: the run writes its CSV files from rows, the other formats in
    the sink process (pyarrow, openpyxl and duckdb load there), and checks the CSV files."""
    sample = REPO / "samples" / "plans" / "eastmarsh_2018-19_rag_summary.txt"
    loaded = _loaded_by_cli(["extract", str(sample), "-o", str(tmp_path / "out"), "--no-cache"])
    assert loaded == ["spacy"]
    assert (tmp_path / "out" / "plans.duckdb").exists()


def test_a_csv_run_loads_no_library_of_the_other_formats(tmp_path: Path):
    sample = REPO / "samples" / "plans" / "eastmarsh_2018-19_rag_summary.txt"
    out = tmp_path / "out"
    loaded = _loaded_by_cli(["extract", str(sample), "-o", str(out), "--formats", "csv"])
    assert loaded == ["spacy"]
    assert sorted(p.suffix for p in out.iterdir() if not p.name.startswith(".")) == [".csv"] * 13
