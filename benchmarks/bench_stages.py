"""Speed of the stages after extraction: interpret, NLP and as-at + enrich, per page.

    .venv/bin/python benchmarks/bench_stages.py [--runs 3] [--every 6] [--corpus DIR] [files...]

The files (default: every 6th PDF of the benchmark corpus, benchmarks/corpus/ built by
make_corpus.py, and every sample plan in samples/plans/) are extracted once per run, not
timed; then each stage is timed per file with the process's CPU clock, so other work on
the machine does not count; after each file the garbage collector is settled as a batch
settles it. Each run is a fresh process, so no remembered reading is
carried from one run to the next. Prints the median of the runs in ms per page for the
corpus and for the sample PDFs, and in ms per document for the other formats.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO / "benchmarks" / "corpus"
STAGES = ("interpret", "nlp", "enrich")


def default_files(corpus: Path, every: int) -> list[Path]:
    """Every `every`-th corpus PDF, then the sample plans in every format."""
    return sorted(corpus.glob("*.pdf"))[::every] + sorted((REPO / "samples" / "plans").glob("*"))


def one_run(files: list[Path]) -> dict[str, dict[str, float]]:
    """Per file: its pages (0 when the format has none) and each stage's CPU seconds."""
    from planx.extractors import ExtractSettings, extract
    from planx.pipeline.enrich import enrich_plan
    from planx.pipeline.interpret import interpret
    from planx.pipeline.interpret.as_at import with_as_at
    from planx.pipeline.nlp.stage import tag_plans
    from planx.pipeline.nlp.statuses import fill_to_colour
    from planx.pipeline.process import PLAN_ID_CHARS, RunSettings, _nlp, file_sha256

    settings = RunSettings()
    nlp, nlp_settings = _nlp(settings.nlp_batch_size, settings.as_of)
    out: dict[str, dict[str, float]] = {}
    for path in files:
        doc = extract(path, ExtractSettings())
        sha = file_sha256(path)
        t0 = time.process_time()
        plan = interpret(
            doc, plan_id=sha[:PLAN_ID_CHARS], sha256=sha, fill_to_colour=fill_to_colour
        )
        t1 = time.process_time()
        plan = tag_plans([plan], nlp, nlp_settings)[0]
        t2 = time.process_time()
        enrich_plan(with_as_at(plan, doc))
        t3 = time.process_time()
        times = {"interpret": t1 - t0, "nlp": t2 - t1, "enrich": t3 - t2}
        out[str(path)] = {"pages": float(doc.pages or 0), **times}
        settle()  # as a batch does after each file (batch.results_out_of_gc)
    return out


def settle() -> None:
    """What is left after a file is collected and the rest frozen, as the batch does, so a
    full garbage collection walks only what the next file makes."""
    gc.collect()
    gc.freeze()


def _groups(files: list[Path], corpus: Path) -> dict[str, list[str]]:
    in_corpus = [str(p) for p in files if p.parent == corpus]
    pdfs = [str(p) for p in files if p.parent != corpus and p.suffix.lower() == ".pdf"]
    others = [str(p) for p in files if p.parent != corpus and p.suffix.lower() != ".pdf"]
    return {"corpus PDFs": in_corpus, "sample PDFs": pdfs, "other formats": others}


def summary(runs: list[dict[str, dict[str, float]]], groups: dict[str, list[str]]) -> list[str]:
    """Markdown rows: per group and stage, the median over runs of ms per page (per document
    for formats without pages)."""
    lines = ["| files | unit | " + " | ".join(STAGES) + " |", "|---|---|" + "---|" * len(STAGES)]
    for name, paths in groups.items():
        if not paths:
            continue
        pages = sum(runs[0][p]["pages"] for p in paths)
        unit, n = ("ms/page", pages) if pages else ("ms/doc", float(len(paths)))
        medians = [
            statistics.median(sum(run[p][stage] for p in paths) / n * 1000 for run in runs)
            for stage in STAGES
        ]
        label = f"{name} ({len(paths)}, {int(pages)} pages)" if pages else f"{name} ({len(paths)})"
        lines.append(f"| {label} | {unit} | " + " | ".join(f"{m:.2f}" for m in medians) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--every", type=int, default=6)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--one-run", action="store_true", help="one run, as JSON (internal)")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    files = [p.resolve() for p in args.files] or default_files(corpus, args.every)
    if args.one_run:
        print(json.dumps(one_run(files)))
        return
    command = [sys.executable, __file__, "--one-run", *map(str, files)]
    runs = [
        json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        for _ in range(args.runs)
    ]
    print("\n".join(summary(runs, _groups(files, corpus))))


if __name__ == "__main__":
    main()
