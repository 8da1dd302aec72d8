"""Wall time of `planx extract` over one small file: start-up, imports and all.

    .venv/bin/python benchmarks/bench_startup.py --repeat 7

Runs `python -m planx extract FILE -o OUT --no-cache` `repeat` times (OUT removed before
each) and reports the median, the fastest and the slowest, for a small text export and a
small PDF from samples/: first as a cold process (PLANX_NO_SERVE=1), then with a warm
`planx serve` running (started in a temporary PLANX_SERVE_DIR before those rows, stopped
after; each command is still a fresh `python -m planx` client). Beside them, the time of
`python -c pass` and of importing the command line alone, so that what is planx's own
start-up shows. The goal: the median at most 0.7 s; the one-file figure is the warm one (what
a user who has started `planx serve` once gets), the cold one is given beside it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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
COLD_ENV = {"PLANX_NO_SERVE": "1"}  # a cold process even where the user runs a server
SERVER_READY_S = 300  # the server's warm-up on a busy machine


def _timed(command: list[str], env: dict[str, str], fresh: Path | None = None) -> float:
    if fresh is not None:
        shutil.rmtree(fresh, ignore_errors=True)
    started = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def _series(
    command: list[str], repeat: int, extra_env: dict[str, str], fresh: Path | None = None
) -> dict[str, float]:
    env = {**os.environ, **extra_env}
    _timed(command, env, fresh)  # once to warm the file system cache, not counted
    times = [_timed(command, env, fresh) for _ in range(repeat)]
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


@contextlib.contextmanager
def warm_server(directory: Path) -> Iterator[dict[str, str]]:
    """`planx serve` running with its socket in `directory`; the environment that finds it."""
    env = {"PLANX_SERVE_DIR": str(directory)}
    server = subprocess.Popen(
        [sys.executable, "-m", "planx", "serve", "--idle-timeout", "600"],
        env={**os.environ, **env},
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + SERVER_READY_S
        while not list(directory.glob("*.sock")):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("planx serve did not start")
            time.sleep(0.05)
        yield env
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def _extract_rows(out: Path, repeat: int, env: dict[str, str], label: str) -> dict[str, Any]:
    rows = {}
    for path in SMALL_FILES:
        command = [sys.executable, "-m", "planx", "extract", str(path), "-o", str(out)]
        rows[f"planx extract {path.name}{label}"] = _series(
            [*command, "--no-cache"], repeat, env, out
        )
    return rows


def run(repeat: int = DEFAULT_REPEAT) -> dict[str, Any]:
    """The timings, and their table under "markdown"."""
    python = sys.executable
    rows: dict[str, dict[str, float]] = {
        "python -c pass": _series([python, "-c", "pass"], repeat, COLD_ENV),
        "import the command line (planx --help)": _series(
            [python, "-m", "planx", "--help"], repeat, COLD_ENV
        ),
    }
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="planx-startup-") as tmp:
        out = Path(tmp) / "out"
        cold = _extract_rows(out, repeat, COLD_ENV, ", cold process")
        with warm_server(Path(tmp) / "serve") as env:
            warm = _extract_rows(out, repeat, env, ", with `planx serve` running")
    rows |= cold | warm
    result: dict[str, Any] = {"repeat": repeat, "rows": rows, "load_before": load}
    result["one_file_s"] = max(v["median"] for v in warm.values())
    result["one_file_cold_s"] = max(v["median"] for v in cold.values())
    result["load_after"] = os.getloadavg()[0]
    result["markdown"] = to_markdown(result)
    return result


def to_markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Each command {result['repeat']} times in a fresh process (after one untimed run); "
        f"1-minute load average before: {result['load_before']:.1f}, "
        f"after: {result['load_after']:.1f}.",
        "",
        "| command | median s | fastest s | slowest s |",
        "|---|---:|---:|---:|",
    ]
    for name, v in result["rows"].items():
        lines.append(f"| {name} | {v['median']:.2f} | {v['min']:.2f} | {v['max']:.2f} |")
    one, cold = result["one_file_s"], result["one_file_cold_s"]
    met = "met" if one <= GOAL_S else "NOT met"
    lines += [
        "",
        f"One-file run (the slower median), with `planx serve` running: {one:.2f} s "
        f"({met}; goal <= {GOAL_S} s); cold process: {cold:.2f} s.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    args = parser.parse_args()
    print(run(args.repeat)["markdown"])


if __name__ == "__main__":
    main()
