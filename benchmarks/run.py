"""`make bench`: run every benchmark and write benchmarks/results.md.

Speed and memory are measured here, never in the tests. Each benchmark module
exposes `run(...) -> dict` with a `markdown` entry (its table) and headline
numbers; this runner records the machine, the date and the command beside them.

    python benchmarks/run.py                 # all (`make bench`; tens of minutes)
    python benchmarks/run.py --quick         # small sizes, one run each: a try-out in minutes
    python benchmarks/run.py --only batch    # one of: startup, batch, memory, camelot,
                                             # extract, nlp (repeatable)

The headline goals (one-file start-up, end to end vs pdfplumber, 2 workers over 1,
main-process memory for many files vs few, Camelot for reference) come first.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
import sys
from pathlib import Path

import click

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[:0] = [str(REPO), str(HERE)]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(
            next(
                x
                for x in Path("/proc/meminfo").read_text().splitlines()
                if x.startswith("MemTotal")
            ).split()[1]
        )
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration, ValueError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def git_rev() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return ""


def _sections(text: str) -> dict[str, str]:
    """'## title' -> body; the part before the first section under ''."""
    out: dict[str, str] = {}
    title, lines = "", []
    for line in text.splitlines():
        if line.startswith("## "):
            out[title] = "\n".join(lines)
            title, lines = line, []
        else:
            lines.append(line)
    out[title] = "\n".join(lines)
    return out


BENCHMARKS = ("startup", "batch", "memory", "camelot", "extract", "nlp")
# Sizes: (full, quick).
SIZES = {
    "plans": (120, 12),
    "repeat": (3, 1),
    "startup_repeat": (7, 3),
    "memory": ((50, 500), (5, 50)),
    "memory_rounds": (3, 1),
    "camelot_files": (10, 2),
}


def _size(name: str, quick: bool):
    return SIZES[name][1 if quick else 0]


def headline(results: dict[str, dict]) -> list[str]:
    """The goals of issue 12, each with its figure (blank where its benchmark did not run)."""
    rows = ["| measure | value | goal |", "|---|---:|---|"]
    if "startup" in results:
        v, cold = results["startup"]["one_file_s"], results["startup"]["one_file_cold_s"]
        rows.append(
            f"| one-file `planx extract`, wall, with `planx serve` running (cold process: "
            f"{cold:.2f} s) | {v:.2f} s | {'met' if v <= 0.7 else 'NOT met'} (<= 0.7 s) |"
        )
    batch = results.get("batch", {})
    if "vs_pdfplumber" in batch:
        v = batch["vs_pdfplumber"]
        rows.append(
            f"| planx end to end (1 worker) / pdfplumber tables + text, same pages "
            f"| {v:.2f}x | {'met' if v <= 0.33 else 'NOT met'} (<= 0.33) |"
        )
    if "camelot" in results:
        cam = results["camelot"]
        v = cam["camelot"]["seconds"] / cam["pdfplumber"]["seconds"]
        rows.append(f"| Camelot lattice / pdfplumber, same pages (reference) | {v:.2f}x | |")
    if "speedup_2" in batch:
        v = batch["speedup_2"]
        rows.append(
            f"| 2 workers / 1 worker speed-up | {v:.2f}x | {'met' if v >= 1.8 else 'NOT met'} (>= 1.8) |"
        )
    if "memory" in results:
        mem = results["memory"]
        v = mem["ratio"]
        rows.append(
            f"| main-process peak RSS, {mem['large']} files / {mem['small']} files "
            f"| {v:.3f} | {'met' if v <= 1.0 else 'NOT met'} (<= 1) |"
        )
    return rows


def run_chosen(chosen: tuple[str, ...], quick: bool, plans: int | None) -> dict[str, dict]:
    """Each chosen benchmark's result (its "markdown" entry is its section)."""
    results: dict[str, dict] = {}
    plans = plans or _size("plans", quick)
    if "startup" in chosen:
        import bench_startup

        click.echo("one-file start-up ...", err=True)
        results["startup"] = bench_startup.run(repeat=_size("startup_repeat", quick))
    if "batch" in chosen:
        import bench_batch

        click.echo(f"batch, {plans} plans ...", err=True)
        results["batch"] = bench_batch.run(plans=plans, repeat=_size("repeat", quick))
    if "memory" in chosen:
        import bench_memory

        small, large = _size("memory", quick)
        click.echo(f"main-process memory, {small} vs {large} files ...", err=True)
        results["memory"] = bench_memory.run(small, large, rounds=_size("memory_rounds", quick))
    if "camelot" in chosen:
        import bench_batch
        import bench_camelot

        click.echo("Camelot lattice (its own environment) ...", err=True)
        corpus = bench_batch.ensure_corpus(None, plans)
        results["camelot"] = bench_camelot.run(corpus, _size("camelot_files", quick))
    if "extract" in chosen:
        import bench_extract

        click.echo("PDF extractor vs pdfplumber ...", err=True)
        results["extract"] = bench_extract.run()
    if "nlp" in chosen:
        import bench_nlp

        click.echo("NLP stage ...", err=True)
        results["nlp"] = bench_nlp.run()
    return results


TITLES = {
    "startup": "## One-file run (start-up)",
    "batch": "## Batch end to end",
    "memory": "## Main-process memory against the number of files",
    "camelot": "## Camelot lattice (reference)",
    "extract": "## PDF extractor vs pdfplumber's plain extract_tables()",
    "nlp": "## NLP stage",
}


@click.command()
@click.option(
    "--only",
    type=click.Choice(BENCHMARKS),
    multiple=True,
    help="Run only these benchmarks.",
)
@click.option(
    "--quick",
    is_flag=True,
    help="Small sizes and one run each (startup, batch, memory, camelot): to try it out. "
    "Numbers from a quick run are not the goals' figures.",
)
@click.option(
    "--plans", type=int, default=None, help="Corpus size (plans) for the batch benchmark [120]."
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="[default: benchmarks/results.md; with --quick, benchmarks/results-quick.md]",
)
def main(only: tuple[str, ...], quick: bool, plans: int | None, output: Path | None) -> None:
    output = output or HERE / ("results-quick.md" if quick else "results.md")
    chosen = only or (BENCHMARKS[:4] if quick else BENCHMARKS)
    sections = [
        "# Benchmark results",
        "",
        f"- machine: {machine()}",
        f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}` (via `make bench`)",
        f"- commit: {git_rev()}",
        f"- mode: {'QUICK (small sizes, one run each: a try-out, not the figures)' if quick else 'full'}",
        "",
    ]
    results = run_chosen(chosen, quick, plans)
    sections += ["## Goals", "", *headline(results), ""]
    for name in BENCHMARKS:
        if name in results:
            sections += [TITLES[name], "", results[name]["markdown"], ""]
    if only and output.exists():
        # Keep the sections of benchmarks not re-run this time, with a note of when they ran.
        kept = _sections(output.read_text(encoding="utf-8"))
        fresh = _sections("\n".join(sections))
        earlier = kept.pop("", "").split("- date: ")[-1].split("\n")[0]
        for title, body in kept.items():
            if title not in fresh:
                body = body.strip()
                # A section kept before has its date; one whose title names its commit, too.
                if not body.startswith("(from the earlier run of") and "(commit " not in title:
                    body = f"(from the earlier run of {earlier})\n{body}"
                sections += [title, body, ""]
    output.write_text("\n".join(sections) + "\n", encoding="utf-8")
    click.echo(f"wrote {output}")


if __name__ == "__main__":
    main()
