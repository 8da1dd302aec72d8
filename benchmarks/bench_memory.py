"""Main-process peak memory against the number of files: flat when the batch streams.

    .venv/bin/python benchmarks/bench_memory.py --small 50 --large 500

Runs `planx extract` (2 worker processes, no cache) over the first `small` files of the
generated corpus and over `large` files, each in a fresh process, and reports the main
process's peak resident memory (VmHWM) for both. The goal: the large run's peak is no
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

from bench_batch import WORK, _child, ensure_corpus  # noqa: E402

MEMORY_CORPUS = HERE / "corpus-memory"
DEFAULT_SMALL, DEFAULT_LARGE = 50, 500


def _first_files(corpus: Path, n: int, folder: Path) -> Path:
    """A folder holding the corpus's first `n` files (copies: the same bytes)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in sorted(corpus.glob("plan_*"))[:n]:
        shutil.copy2(path, folder / path.name)
    return folder


def run(small: int = DEFAULT_SMALL, large: int = DEFAULT_LARGE, workers: int = 2) -> dict[str, Any]:
    """Peak main-process memory for `small` and `large` files."""
    corpus = ensure_corpus(MEMORY_CORPUS, large)
    WORK.mkdir(parents=True, exist_ok=True)
    results = {}
    for n in (small, large):
        inputs = corpus if n == large else _first_files(corpus, n, WORK / f"mem-in-{n}")
        out = WORK / f"mem-out-{n}"
        shutil.rmtree(out, ignore_errors=True)
        results[n] = _child([str(inputs), str(out), str(workers), "nocache"])
        shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(WORK / f"mem-in-{small}", ignore_errors=True)
    ratio = results[large]["main_rss_mb"] / results[small]["main_rss_mb"]
    result = {"small": small, "large": large, "workers": workers, "runs": results, "ratio": ratio}
    result["markdown"] = to_markdown(result)
    return result


def to_markdown(result: dict[str, Any]) -> str:
    small, large = result["small"], result["large"]
    lines = [
        f"`planx extract` with {result['workers']} worker processes, no cache, "
        f"over the first {small} and all {large} files of the generated corpus.",
        "",
        "| files | PDF pages | actions | seconds | main process peak RSS (MB) "
        "| worker peak RSS (MB) | sink process peak RSS (MB) | load before |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in (small, large):
        r = result["runs"][n]
        lines.append(
            f"| {n} | {r['pages']:,} | {r['actions']:,} | {r['seconds']:.1f} "
            f"| {r['main_rss_mb']:.0f} | {r['worker_rss_mb']:.0f} "
            f"| {r.get('sink_rss_mb', 0.0):.0f} | {r['load_before']:.1f} |"
        )
    met = (
        "met"
        if result["runs"][large]["main_rss_mb"] <= result["runs"][small]["main_rss_mb"]
        else "NOT met"
    )
    lines += [
        "",
        f"Main-process peak, {large} files / {small} files: {result['ratio']:.2f} "
        f"({met}; goal: {large} files no more than {small}).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", type=int, default=DEFAULT_SMALL)
    parser.add_argument("--large", type=int, default=DEFAULT_LARGE)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(run(args.small, args.large, args.workers)["markdown"])


if __name__ == "__main__":
    main()
