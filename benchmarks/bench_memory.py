"""Main-process peak memory against the number of files: flat when the batch streams.

    .venv/bin/python benchmarks/bench_memory.py --small 50 --large 500 --rounds 3

Runs `planx extract` (2 worker processes, no cache) over the first `small` files of the
generated corpus and over `large` files, each in a fresh process, `rounds` times in turn,
and reports the median of the main process's peak resident memory (VmHWM) for both, and
how far each run rose above the peak its imports had set before it started. Linux
counts a process's pages per CPU and sums them now and then, so one reading can be off
by ~0.25 MB: hence the rounds. The goal: the large run's peak is no
more than the small run's (the main process keeps a light copy of each result, never
the plans, and writes the CSV files as rows come). Workers, and the sink process that
writes Parquet, XLSX and DuckDB, are separate processes with a memory of their own,
reported beside it.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from bench_batch import WORK, _interleaved, ensure_corpus  # noqa: E402

MEMORY_CORPUS = HERE / "corpus-memory"
DEFAULT_SMALL, DEFAULT_LARGE, DEFAULT_ROUNDS = 50, 500, 3


def _first_files(corpus: Path, n: int, folder: Path) -> Path:
    """A folder holding the corpus's first `n` files (copies: the same bytes)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in sorted(corpus.glob("plan_*"))[:n]:
        shutil.copy2(path, folder / path.name)
    return folder


def run(
    small: int = DEFAULT_SMALL,
    large: int = DEFAULT_LARGE,
    workers: int = 2,
    rounds: int = DEFAULT_ROUNDS,
) -> dict[str, Any]:
    """Median peak main-process memory for `small` and `large` files over `rounds` rounds."""
    corpus = ensure_corpus(MEMORY_CORPUS, large)
    WORK.mkdir(parents=True, exist_ok=True)
    steps = {}
    for n in (small, large):
        inputs = corpus if n == large else _first_files(corpus, n, WORK / f"mem-in-{n}")
        out = WORK / f"mem-out-{n}"
        steps[n] = ([str(inputs), str(out), str(workers), "nocache"], out)
    results = _interleaved(steps, rounds)
    for _, out in steps.values():
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(WORK / f"mem-in-{small}", ignore_errors=True)
    ratio = results[large]["main_rss_mb"] / results[small]["main_rss_mb"]
    result = {
        "small": small,
        "large": large,
        "workers": workers,
        "rounds": rounds,
        "runs": results,
        "ratio": ratio,
    }
    result["markdown"] = to_markdown(result)
    return result


def to_markdown(result: dict[str, Any]) -> str:
    small, large = result["small"], result["large"]
    lines = [
        f"`planx extract` with {result['workers']} worker processes, no cache, "
        f"over the first {small} and all {large} files of the generated corpus; "
        f"medians of {result['rounds']} rounds, the two sizes in turn.",
        "",
        "| files | PDF pages | actions | seconds | main process peak RSS (MB) | each round "
        "| risen above the imports' peak (MB) | worker peak RSS (MB) "
        "| sink process peak RSS (MB) |",
        "|---:|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for n in (small, large):
        r = result["runs"][n]
        rounds = ", ".join(f"{mb:.2f}" for mb in r["all_main_rss_mb"])
        lines.append(
            f"| {n} | {r['pages']:,} | {r['actions']:,} | {r['seconds']:.1f} "
            f"| {r['main_rss_mb']:.2f} | {rounds} | {r['main_rss_above_imports_mb']:.2f} "
            f"| {r['worker_rss_mb']:.0f} | {r.get('sink_rss_mb', 0.0):.0f} |"
        )
    met = "met" if result["ratio"] <= 1.0 else "NOT met"
    lines += [
        "",
        f"Main-process peak, {large} files / {small} files: {result['ratio']:.3f} "
        f"({met}; goal: {large} files no more than {small}). Loads before the runs: "
        + ", ".join(
            f"{n} files {'/'.join(f'{x:.1f}' for x in result['runs'][n]['loads_before'])}"
            for n in (small, large)
        )
        + ".",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=DEFAULT_SMALL)
    parser.add_argument("--large", type=int, default=DEFAULT_LARGE)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=DEFAULT_ROUNDS)
    args = parser.parse_args()
    print(run(args.small, args.large, args.workers, args.rounds)["markdown"])


if __name__ == "__main__":
    main()
