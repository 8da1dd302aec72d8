"""`make bench`: run every benchmark and write benchmarks/results.md.

Speed and memory are measured here, never in the tests. Each benchmark module
exposes `run(...) -> dict` with a `markdown` entry (its table) and headline
numbers; this runner records the machine, the date and the command beside them.

    python benchmarks/run.py                 # all
    python benchmarks/run.py --only extract  # one of: extract, nlp, batch
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


@click.command()
@click.option(
    "--only",
    type=click.Choice(["extract", "nlp", "batch"]),
    multiple=True,
    help="Run only these benchmarks.",
)
@click.option(
    "--plans", default=120, show_default=True, help="Corpus size (plans) for the batch benchmark."
)
@click.option(
    "--output", type=click.Path(path_type=Path), default=HERE / "results.md", show_default=True
)
def main(only: tuple[str, ...], plans: int, output: Path) -> None:
    chosen = only or ("extract", "nlp", "batch")
    sections = [
        "# Benchmark results",
        "",
        f"- machine: {machine()}",
        f"- date: {dt.datetime.now().strftime('%Y-%m-%d %H:%M')}",
        f"- command: `{' '.join([Path(sys.executable).name, *sys.argv])}` (via `make bench`)",
        f"- commit: {git_rev()}",
        "",
    ]
    if "extract" in chosen:
        import bench_extract

        click.echo("PDF extractor vs pdfplumber ...", err=True)
        result = bench_extract.run()
        sections += [
            "## PDF extractor vs pdfplumber's plain extract_tables()",
            "",
            result["markdown"],
            "",
        ]
    if "nlp" in chosen:
        import bench_nlp

        click.echo("NLP stage ...", err=True)
        result = bench_nlp.run()
        sections += ["## NLP stage", "", result["markdown"], ""]
    if "batch" in chosen:
        import bench_batch

        click.echo(f"batch, {plans} plans ...", err=True)
        result = bench_batch.run(plans=plans)
        sections += ["## Batch end to end", "", result["markdown"], ""]
    if only and output.exists():
        # Keep the sections of benchmarks not re-run this time, with a note of when they ran.
        kept = _sections(output.read_text(encoding="utf-8"))
        fresh = _sections("\n".join(sections))
        earlier = kept.pop("", "").split("- date: ")[-1].split("\n")[0]
        for title, body in kept.items():
            if title not in fresh:
                sections += [title, f"(from the earlier run of {earlier})", body.strip(), ""]
    output.write_text("\n".join(sections) + "\n", encoding="utf-8")
    click.echo(f"wrote {output}")


if __name__ == "__main__":
    main()
