"""A batch run: discover files, process each, gather the records, write the tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.discover import discover
from pipeline.process import FileResult, RunSettings, process_file
from pipeline.sinks import write_tables
from pipeline.tables import records_to_frames
from schemas.records import ErrorRecord, Plan


@dataclass
class RunSummary:
    outdir: Path
    n_files: int = 0
    n_plans: int = 0
    n_failed: int = 0
    n_actions: int = 0
    n_kpis: int = 0
    n_pages: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def gather(results: Iterable[FileResult]) -> tuple[list[Plan], list[ErrorRecord]]:
    plans: list[Plan] = []
    errors: list[ErrorRecord] = []
    for result in results:
        if result.plan is not None:
            plans.append(result.plan)
        errors.extend(result.errors)
    return plans, errors


def run_extract(
    paths: Sequence[str | Path],
    outdir: str | Path,
    settings: RunSettings | None = None,
    *,
    on_result: Callable[[FileResult], None] | None = None,
) -> RunSummary:
    settings = settings or RunSettings()
    outdir = Path(outdir)
    found = discover(paths)
    summary = RunSummary(
        outdir=outdir, n_files=len(found.files), skipped=[str(p) for p in found.skipped]
    )
    results = []
    for path in found.files:
        result = process_file(path, settings)
        results.append(result)
        if on_result:
            on_result(result)
    plans, errors = gather(results)
    warnings = Counter(e.source for e in errors if e.severity == "warning")
    frames = records_to_frames(plans, errors, dict(warnings))
    summary.written = write_tables(frames, outdir)
    summary.n_plans = len(plans)
    summary.n_failed = sum(1 for r in results if r.plan is None)
    summary.n_actions = sum(len(p.actions) for p in plans)
    summary.n_kpis = sum(len(p.kpis) for p in plans)
    summary.n_pages = sum(r.pages or 0 for r in results)
    summary.errors = errors
    return summary
