"""One file through the stages: extract -> interpret -> NLP -> enrich.

`process_file` is the unit of work every executor runs (in-process, a worker
pool or a Dask cluster). A failure at any stage becomes an `ErrorRecord` for
errors.csv, never an exception out of here; a stage that fails after
extraction still returns what was read, marked partial.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from planx.extractors import ExtractionError, ExtractSettings, extract
from planx.schemas.records import ErrorRecord, Plan
from planx.schemas.settings import resolve_settings

PLAN_ID_CHARS = 16


@dataclass(frozen=True)
class RunSettings:
    """Everything a run needs to process one file; picklable so workers can get it."""

    extract: ExtractSettings = field(default_factory=ExtractSettings)
    as_of: dt.date | None = None
    nlp_batch_size: int = 256

    @classmethod
    def resolve(cls, settings: RunSettings | dict[str, Any] | None) -> RunSettings:
        """Settings from None, a dict or an instance (schemas.settings.resolve_settings)."""
        return resolve_settings(cls, settings, "run")


@dataclass(frozen=True)
class PlanSize:
    """What a progress line and a run's counts say of a plan."""

    plan_id: str
    n_actions: int
    n_kpis: int

    @classmethod
    def of(cls, plan: Plan) -> PlanSize:
        return cls(plan.plan_id, len(plan.actions), len(plan.kpis))


@dataclass(frozen=True)
class SpooledRows:
    """Where a worker left a prepared plan's bytes: a file of the run's spool folder, from
    which the run copies them into the outputs without reading them into its memory."""

    path: str
    csv: tuple[tuple[str, int, int], ...] = ()  # (table, offset, length) of its CSV rows, UTF-8
    sink: tuple[int, int] = (0, 0)  # offset and length of the sink's messages
    cache_entry: tuple[int, int] | None = None  # offset and length of the cache entry, UTF-8


@dataclass(frozen=True)
class PreparedPlan:
    """A plan as a batch writes it (made by pipeline/prepared.py). The plans table's row
    leaves n_warnings and identical_copies to the run, which counts them over every file of
    the plan's name."""

    size: PlanSize
    plan_row: dict[str, Any]
    csv_texts: tuple[tuple[str, str], ...] = ()  # (table, its rows as CSV lines), table order
    sink_messages: bytes = b""  # the sink's messages for every table, pickled back to back
    cache_entry: str | None = None  # the result's cache entry (cache.result_to_json)
    # The three above left in a file instead (empty here), for a run's own worker processes.
    spooled: SpooledRows | None = None


@dataclass
class FileResult:
    path: str
    source: str
    sha256: str
    plan: Plan | None = None
    errors: list[ErrorRecord] = field(default_factory=list)
    pages: int | None = None
    same_as: str = ""  # for a byte-identical copy: the path of the file read in its place
    # In a batch, the plan made into the rows the run writes (pipeline/prepared.py), sent
    # back by the worker instead of the plan.
    prepared: PreparedPlan | None = None

    def plan_size(self) -> PlanSize | None:
        """The plan's id and sizes (None: no plan read), from the plan or its rows."""
        if self.plan is not None:
            return PlanSize.of(self.plan)
        return self.prepared.size if self.prepared is not None else None


HASH_CHUNK_BYTES = 1 << 16


def file_sha256(path: str | Path) -> str:
    """The file's SHA-256, read into one small buffer: a batch hashes every input and output,
    and reading each in fresh megabyte pieces (two alive at once) set its peak memory."""
    digest = hashlib.sha256()
    buffer = bytearray(HASH_CHUNK_BYTES)
    view = memoryview(buffer)
    with open(path, "rb", buffering=0) as fh:
        while n := fh.readinto(buffer):
            digest.update(view[:n])
    return digest.hexdigest()


@cache
def _nlp(batch_size: int, as_of: dt.date | None):
    # Built once per process (a worker builds its own), as spaCy pipelines should be.
    from planx.pipeline.nlp.stage import NlpSettings, build_nlp

    settings = NlpSettings(batch_size=batch_size, as_of=as_of)
    return build_nlp(settings), settings


def warm_up(settings: RunSettings | None = None) -> None:
    """Build this process's NLP pipeline now, so a worker's first file does not pay for it."""
    settings = settings or RunSettings()
    _nlp(settings.nlp_batch_size, settings.as_of)


def stage_error(
    path: Path, stage: str, exc: Exception, prefix: str = "", severity: str = "failed"
) -> ErrorRecord:
    """A stage's unexpected failure as one line for errors.csv."""
    return ErrorRecord(
        source=path.name,
        stage=stage,
        error=f"{prefix}{type(exc).__name__}: {_one_line(exc)}",
        kind=stage,
        severity=severity,
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def process_file(path: str | Path, settings: RunSettings | None = None) -> FileResult:
    path = Path(path)
    settings = settings or RunSettings()
    result = FileResult(path=str(path), source=path.name, sha256="")
    try:
        result.sha256 = file_sha256(path)
    except OSError as exc:
        result.errors.append(
            ErrorRecord(
                source=path.name,
                stage="extract",
                error=f"cannot read file: {_one_line(exc)}",
                kind="unreadable",
            )
        )
        return result
    plan_id = result.sha256[:PLAN_ID_CHARS]
    try:
        doc = extract(path, settings.extract)
    except ExtractionError as exc:
        result.errors.append(
            ErrorRecord(source=path.name, stage="extract", error=exc.message, kind=exc.kind)
        )
        return result
    except MemoryError:
        raise  # the batch's memory guard reports it, not the file
    except Exception as exc:  # a reader bug must not stop the batch
        result.errors.append(
            ErrorRecord(
                source=path.name,
                stage="extract",
                error=f"could not read file: {type(exc).__name__}: {_one_line(exc)}",
                kind="unreadable",
            )
        )
        return result
    result.pages = doc.pages
    for warning in doc.warnings:
        result.errors.append(
            ErrorRecord(
                source=path.name, stage="extract", error=warning, kind="warning", severity="warning"
            )
        )
    from planx.pipeline.interpret import interpret

    try:
        from planx.pipeline.nlp.statuses import fill_to_colour

        plan = interpret(doc, plan_id=plan_id, sha256=result.sha256, fill_to_colour=fill_to_colour)
    except MemoryError:
        raise  # the batch's memory guard reports it, not the file
    except Exception as exc:
        result.errors.append(stage_error(path, "interpret", exc))
        return result
    try:
        from planx.pipeline.nlp.stage import tag_plans

        nlp, nlp_settings = _nlp(settings.nlp_batch_size, settings.as_of)
        plan = tag_plans([plan], nlp, nlp_settings)[0]
    except MemoryError:
        raise  # the batch's memory guard reports it, not the file
    except Exception as exc:
        result.errors.append(stage_error(path, "nlp", exc, "values left as written: ", "partial"))
    from planx.pipeline.enrich import enrich_plan
    from planx.pipeline.interpret.as_at import with_as_at

    # As-at after NLP, which reads the plan's period and date; enrichment on the records read.
    result.plan = enrich_plan(with_as_at(plan, doc))
    return result
