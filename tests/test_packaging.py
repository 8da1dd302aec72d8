"""planx installs as one package: the repository's folders land under `planx.*`, never as
generic top-level `pipeline`, `extractors` or `schemas` packages, and the Python use the
README documents works."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FOLDERS = {"planx": "planx", "pipeline": "planx.pipeline", "extractors": "planx.extractors"}
FOLDERS["schemas"] = "planx.schemas"
SKIP_IN_COPY = (".git", ".venv", "out", "build", "*.egg-info", "benchmarks", "tests", "samples")


def _project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_installed_under_planx():
    listed = set(_project()["tool"]["setuptools"]["packages"])
    on_disk = set()
    for folder, name in FOLDERS.items():
        for init in (REPO / folder).rglob("__init__.py"):
            parts = init.parent.relative_to(REPO / folder).parts
            on_disk.add(".".join([name, *parts]))
    assert on_disk == listed


def test_the_version_is_declared_once():
    project = _project()["project"]
    assert "version" not in project and project["dynamic"] == ["version"]
    import planx

    assert re.fullmatch(r"\d+\.\d+\.\d+", planx.__version__)


@pytest.mark.slow
def test_a_built_wheel_has_only_planx_at_the_top(tmp_path: Path):
    source = tmp_path / "src"  # a copy, so the build leaves no build/ folder in the repository
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(*SKIP_IN_COPY))
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q"]
        + ["-w", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = tmp_path.glob("planx-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"planx"}
    assert "planx/pipeline/cli.py" in names
    assert "planx/extractors/pdf/reader.py" in names
    assert "planx/pipeline/data/status_words.json" in names  # package data comes along
    assert "planx/pipeline/report/template.html" in names


def test_outside_the_repository_only_planx_imports(tmp_path: Path):
    code = (
        "import importlib.util as u, planx.pipeline.cli, planx.extractors, planx.schemas\n"
        "print(sorted(n for n in ('pipeline', 'extractors', 'schemas') if u.find_spec(n)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_readmes_python_example_runs(tmp_path: Path):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## In Python.*?```python\n(.*?)```", readme, re.S).group(1)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("['heading'")
    authority, n_actions, meaning = lines[1].split()
    assert authority == "Eastmarsh" and int(n_actions) > 0 and meaning != "unknown"


def test_the_console_script_runs_outside_the_repository(tmp_path: Path):
    """Package data (lexicons, the report's assets) is found under the installed names."""
    planx = Path(sys.executable).with_name("planx")
    sample = REPO / "samples" / "plans" / "eastmarsh_2018-19_rag_summary.pdf"
    for args in (["extract", str(sample), "-o", "out", "-q"], ["compare", "out"]):
        done = subprocess.run([planx, *args], capture_output=True, text=True, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "actions.csv").stat().st_size > 0
    assert "Eastmarsh" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
