"""End-to-end speed and memory of `planx extract` on a generated corpus.

    .venv/bin/python benchmarks/bench_batch.py --plans 60          # corpus made if missing
    .venv/bin/python benchmarks/bench_batch.py --corpus DIR --workers 1 2

Measures, each in a fresh process so one does not warm or bloat the next:

- the whole batch (discover, hash, extract, interpret, NLP, tables, every sink)
  with 1 worker (in-process) and with 2 worker processes: seconds, pages/s,
  and the speed-up of 2 workers over 1;
- peak resident memory of each worker process, and whether it grows over the
  run (worker peak after the first quarter of the files vs at the end);
- a re-run with nothing changed (every result from the cache): seconds, and as
  a share of the first run;
- the reference: pdfplumber's own `page.extract_tables()` and `page.extract_text()`
  on every page of the same PDFs in one process, and end-to-end (1 worker) as a
  multiple of it; where planx has a `pdf_engine` setting, planx runs with pdfium.

Each configuration runs `repeat` times, in rounds that run every configuration once in
turn (so the machine's drift over the minutes moves them alike), and the table gives medians.
`run(corpus_dir, plans=..., workers=..., repeat=...) -> dict` is what `make bench`
calls; its "markdown" entry is the results table.

Wall-clock numbers need a quiet machine: on 2 cores, one other busy process
takes a whole core from the 2-worker run (the table prints the load average
before each run). The main process writes each plan's rows as it arrives, so
the 2-worker run has no long serial tail of writing at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

DEFAULT_CORPUS = HERE / "corpus"
WORK = HERE / "_work"
DEFAULT_PLANS = 120

GOALS = {
    "vs_pdfplumber": 0.33,  # end-to-end (1 worker) at most this multiple of pdfplumber's own
    "speedup_2": 1.8,  # 2 workers at least this much faster than 1
    "rerun_share": 0.05,  # a no-change re-run at most this share of the first run
}


# ---------------------------------------------------------------- measured in a child process


def _self_rss_mb() -> float:
    from planx.pipeline.executors import peak_rss_kb  # where every planx version has it

    return peak_rss_kb() / 1024


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (the workers)."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def pdf_engine() -> str | None:
    """The PDF engine planx runs with here: pdfium where planx has the setting, else None
    (its only reader)."""
    import dataclasses

    from planx.extractors import ExtractSettings

    names = {f.name for f in dataclasses.fields(ExtractSettings)}
    return "pdfium" if "pdf_engine" in names else None


def measure_batch(corpus: Path, out: Path, workers: int, cache: bool) -> dict[str, Any]:
    from planx.pipeline.batch import run_extract

    engine = pdf_engine()
    settings = {"extract": {"pdf_engine": engine}} if engine else None
    imported_rss_mb = _self_rss_mb()  # the peak the imports set, before the run's own work
    cpu = _cpu_s()
    started = time.perf_counter()
    summary = run_extract([corpus], out, settings, batch={"workers": workers, "cache": cache})
    seconds = time.perf_counter() - started
    cpu = _cpu_s() - cpu
    main_rss_mb = _self_rss_mb()
    samples = summary.stats.rss_samples_mb
    quarter = samples[: max(1, len(samples) // 4)]
    return {
        "seconds": seconds,
        "cpu_s": cpu,
        "files": summary.n_files,
        "plans": summary.n_plans,
        "failed": summary.n_failed,
        "actions": summary.n_actions,
        "pages": summary.n_pages,
        "cached": summary.n_cached,
        "worker_rss_mb": summary.stats.peak_rss_mb,
        "worker_rss_first_quarter_mb": max(quarter) if quarter else 0.0,
        "main_rss_mb": main_rss_mb,
        "main_rss_imported_mb": imported_rss_mb,
        "main_rss_above_imports_mb": max(0.0, main_rss_mb - imported_rss_mb),
        # Parquet, XLSX and DuckDB are written by a process of their own where planx has one
        "sink_rss_mb": getattr(summary, "sink_rss_mb", 0.0),
    }


def measure_pdfplumber(corpus: Path) -> dict[str, Any]:
    import pdfplumber

    pages = tables = chars = 0
    cpu = _cpu_s()
    started = time.perf_counter()
    for path in sorted(corpus.glob("*.pdf")):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                tables += len(page.extract_tables())
                chars += len(page.extract_text() or "")
                pages += 1
                page.close()
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": _cpu_s() - cpu,
        "pages": pages,
        "tables": tables,
        "text_chars": chars,
        "main_rss_mb": _self_rss_mb(),
    }


def _median_run(args: list[str], repeat: int, fresh: Path | None = None) -> dict[str, Any]:
    """`repeat` runs of one measurement (each with `fresh` removed first): the median of
    each number, the load before each run."""
    return _interleaved({"only": (args, fresh)}, repeat)["only"]


def _interleaved(
    steps: dict[Any, tuple[list[str], Path | None]], repeat: int
) -> dict[Any, dict[str, Any]]:
    """`repeat` rounds, each running every step once in turn (its `fresh` folder removed
    first): so a machine that gets slower or faster over the minutes a benchmark takes
    moves every step alike, and their ratios hold. Per step: the median of each number,
    every run's seconds, the load before each run."""
    runs: dict[Any, list[dict[str, Any]]] = {key: [] for key in steps}
    for _ in range(repeat):
        for key, (args, fresh) in steps.items():
            if fresh is not None:
                shutil.rmtree(fresh, ignore_errors=True)
            runs[key].append(_child(args))
    return {key: _medians(step_runs) for key, step_runs in runs.items()}


def _medians(runs: list[dict[str, Any]]) -> dict[str, Any]:
    out = dict(runs[0])
    for key, value in runs[0].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[key] = statistics.median(r[key] for r in runs)
    out["all_seconds"] = [r["seconds"] for r in runs]
    out["all_main_rss_mb"] = [r["main_rss_mb"] for r in runs]
    out["loads_before"] = [r["load_before"] for r in runs]
    return out


def _child(args: list[str]) -> dict[str, Any]:
    """One measurement in a fresh interpreter; its JSON result, with the machine's
    load just before (other busy processes make wall-clock numbers meaningless)."""
    load = os.getloadavg()[0]
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark step {args} failed:\n{proc.stderr[-3000:]}")
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "load_before": load}


# ---------------------------------------------------------------- the benchmark


def ensure_corpus(corpus_dir: Path | None, plans: int) -> Path:
    """An existing corpus is used as it is; the default one is (re)made to `plans` files."""
    from make_corpus import make_corpus

    if corpus_dir is not None and (corpus_dir / "corpus.json").exists():
        return corpus_dir
    corpus_dir = corpus_dir or DEFAULT_CORPUS
    manifest_path = corpus_dir / "corpus.json"
    if manifest_path.exists() and json.loads(manifest_path.read_text())["plans"] == plans:
        return corpus_dir
    make_corpus(corpus_dir, plans)
    return corpus_dir


def run(
    corpus_dir: str | Path | None = None,
    *,
    plans: int = DEFAULT_PLANS,
    workers: tuple[int, ...] = (1, 2),
    reference: bool = True,
    repeat: int = 1,
) -> dict[str, Any]:
    corpus = ensure_corpus(Path(corpus_dir) if corpus_dir else None, plans)
    manifest = json.loads((corpus / "corpus.json").read_text())
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    steps: dict[Any, tuple[list[str], Path | None]] = {}
    if reference:
        steps["pdfplumber"] = ([str(corpus), "-", "0", "pdfplumber"], None)
    for n in workers:
        # The last configuration also fills the cache, for the re-run.
        cache = n == workers[-1]
        out = WORK / f"w{n}"
        steps[n] = ([str(corpus), str(out), str(n), "cache" if cache else "nocache"], out)
    measured = _interleaved(steps, repeat)
    ref = measured.pop("pdfplumber", None)
    runs: dict[int, dict] = measured
    last = workers[-1]
    rerun = _median_run([str(corpus), str(WORK / f"w{last}"), str(last), "cache"], repeat)
    shutil.rmtree(WORK, ignore_errors=True)

    pages = manifest["pdf_pages"]
    result: dict[str, Any] = {
        "corpus": str(corpus),
        "files": manifest["plans"],
        "pdf_pages": pages,
        "runs": runs,
        "rerun": rerun,
        "pdfplumber": ref,
        "repeat": repeat,
        "pdf_engine": pdf_engine()
        or "planx's own reader (pdfplumber-based; no pdf_engine setting yet)",
    }
    for n, r in runs.items():
        result[f"pages_per_s_{n}"] = pages / r["seconds"]
    if 1 in runs and 2 in runs:
        result["speedup_2"] = runs[1]["seconds"] / runs[2]["seconds"]
    result["rerun_share"] = rerun["seconds"] / runs[last]["seconds"]
    if ref is not None and 1 in runs:
        result["vs_pdfplumber"] = runs[1]["seconds"] / ref["seconds"]
        result["vs_pdfplumber_cpu"] = runs[1]["cpu_s"] / ref["cpu_s"]
    result["markdown"] = to_markdown(result)
    return result


def _goal(value: float | None, goal: float, *, at_most: bool) -> str:
    if value is None:
        return ""
    ok = value <= goal if at_most else value >= goal
    return f"{'met' if ok else 'NOT met'} (goal {'<=' if at_most else '>='} {goal:g})"


def to_markdown(result: dict[str, Any]) -> str:
    runs, rerun, ref = result["runs"], result["rerun"], result["pdfplumber"]
    lines = [
        f"Corpus: {result['files']} files, {result['pdf_pages']:,} PDF pages ({result['corpus']}). "
        f"Medians of {result['repeat']} run(s) each, in rounds (pdfplumber, 1 worker, 2 workers, "
        f"then again); planx's PDF engine: {result['pdf_engine']}.",
        "",
        "| run | seconds | CPU seconds | pages/s | worker peak RSS (MB) "
        "| worker RSS after 1st quarter (MB) | main process peak RSS (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for n, r in runs.items():
        label = "1 worker (in-process)" if n == 1 else f"{n} worker processes"
        worker = f"{r['worker_rss_mb']:.0f}" if n > 1 else "(in main)"
        first = f"{r['worker_rss_first_quarter_mb']:.0f}" if n > 1 else ""
        # Workers are forked from planx's fork server, not from this process, so their CPU
        # time is not in this process's children's rusage: only wall-clock is comparable.
        cpu = f"{r['cpu_s']:.1f}" if n == 1 else "n/a"
        lines.append(
            f"| {label} | {r['seconds']:.1f} | {cpu} "
            f"| {result['pdf_pages'] / r['seconds']:.1f} "
            f"| {worker} | {first} | {r['main_rss_mb']:.0f} |"
        )
    lines.append(
        f"| re-run, nothing changed | {rerun['seconds']:.1f} | {rerun['cpu_s']:.1f} | | | "
        f"| {rerun['main_rss_mb']:.0f} |"
    )
    if ref is not None:
        lines.append(
            f"| pdfplumber extract_tables() + extract_text() | {ref['seconds']:.1f} | {ref['cpu_s']:.1f} "
            f"| {ref['pages'] / ref['seconds']:.1f} | | | {ref['main_rss_mb']:.0f} |"
        )
    loads = [v for r in [*runs.values(), rerun, *([ref] if ref else [])] for v in r["loads_before"]]
    lines += [
        "",
        f"1-minute load average before each run: {', '.join(f'{v:.1f}' for v in loads)} "
        "(wall-clock numbers, the speed-up above all, hold only when nothing else runs).",
        "",
        "Each run's seconds, round by round: "
        + "; ".join(
            f"{label} {', '.join(f'{v:.1f}' for v in r['all_seconds'])}"
            for label, r in [
                *((f"{n} worker(s)", r) for n, r in runs.items()),
                *([("pdfplumber", ref)] if ref else []),
            ]
        )
        + ".",
        "",
        "| measure | value | goal |",
        "|---|---:|---|",
    ]
    if "vs_pdfplumber" in result:
        v = result["vs_pdfplumber"]
        lines.append(
            f"| end to end (1 worker) / pdfplumber tables + text | {v:.2f}x "
            f"| {_goal(v, GOALS['vs_pdfplumber'], at_most=True)} |"
        )
        lines.append(
            f"| the same in CPU seconds | {result['vs_pdfplumber_cpu']:.2f}x "
            "| (less affected by other load on the machine) |"
        )
    if "speedup_2" in result:
        v = result["speedup_2"]
        lines.append(
            f"| speed-up, 2 workers over 1 | {v:.2f}x | {_goal(v, GOALS['speedup_2'], at_most=False)} |"
        )
    v = result["rerun_share"]
    lines.append(
        f"| no-change re-run / first run | {v:.1%} | {_goal(v, GOALS['rerun_share'], at_most=True)} |"
    )
    first_run = next(iter(runs.values()))
    lines.append(
        f"| plans read / files | {first_run['plans']} / {first_run['files']} "
        f"({first_run['actions']:,} actions) | |"
    )
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        corpus, out, workers, mode = sys.argv[2:6]
        if mode == "pdfplumber":
            print(json.dumps(measure_pdfplumber(Path(corpus))))
        else:
            print(json.dumps(measure_batch(Path(corpus), Path(out), int(workers), mode == "cache")))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=DEFAULT_PLANS, help="corpus size if made")
    parser.add_argument("--corpus", type=Path, default=None, help="an existing corpus folder")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--no-reference", action="store_true", help="skip pdfplumber alone")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (medians)")
    args = parser.parse_args()
    result = run(
        args.corpus,
        plans=args.plans,
        workers=tuple(args.workers),
        reference=not args.no_reference,
        repeat=args.repeat,
    )
    print(result["markdown"])


if __name__ == "__main__":
    main()
