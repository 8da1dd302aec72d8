"""Wall time of `planx extract` over one small file: start-up, imports and all.

    .venv/bin/python benchmarks/bench_startup.py --repeat 7

Runs `python -m planx extract FILE -o OUT --no-cache` in a fresh process `repeat`
times (OUT removed before each) and reports the median, the fastest and the slowest,
for a small text export and a small PDF from samples/. Beside it, the time of
`python -c pass` and of importing the command line alone, so that what is planx's own
start-up shows. The goal: the median at most 0.7 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SMALL_FILES = (
    REPO / "samples" / "plans" / "pendlemere_2019-20_improvement_plan_2019-09.txt",
    REPO / "samples" / "plans" / "kestrel_bay_2018-19_sip_committee_report.pdf",
)
GOAL_S = 0.7
DEFAULT_REPEAT = 7


def _timed(command: list[str], fresh: Path | None = None) -> float:
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - started


def _series(command: list[str], repeat: int, fresh: Path | None = None) -> dict[str, float]:
    _timed(command, fresh)  # once to warm the file system cache, not counted
    times = [_timed(command, fresh) for _ in range(repeat)]
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def run(repeat: int = DEFAULT_REPEAT) -> dict[str, Any]:
    """The timings, and their table under "markdown"."""
    python = sys.executable
    rows: dict[str, dict[str, float]] = {
        "python -c pass": _series([python, "-c", "pass"], repeat),
        "import the command line (planx --help)": _series(
            [python, "-m", "planx", "--help"], repeat
        ),
    }
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="planx-startup-") as tmp:
        out = Path(tmp) / "out"
        for path in SMALL_FILES:
            command = [python, "-m", "planx", "extract", str(path), "-o", str(out), "--no-cache"]
            rows[f"planx extract {path.name}"] = _series(command, repeat, out)
    result: dict[str, Any] = {"repeat": repeat, "rows": rows, "load_before": load}
    result["one_file_s"] = max(
        v["median"] for k, v in rows.items() if k.startswith("planx extract")
    )
    result["markdown"] = to_markdown(result)
    return result


def to_markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Each command {result['repeat']} times in a fresh process (after one untimed run); "
        f"1-minute load average before: {result['load_before']:.1f}.",
        "",
        "| command | median s | fastest s | slowest s |",
        "|---|---:|---:|---:|",
    ]
    for name, v in result["rows"].items():
        lines.append(f"| {name} | {v['median']:.2f} | {v['min']:.2f} | {v['max']:.2f} |")
    one = result["one_file_s"]
    met = "met" if one <= GOAL_S else "NOT met"
    lines += ["", f"One-file run (the slower median): {one:.2f} s ({met}; goal <= {GOAL_S} s)."]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    args = parser.parse_args()
    print(run(args.repeat)["markdown"])


if __name__ == "__main__":
    main()
