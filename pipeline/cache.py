"""Incremental cache of per-file results, so a re-run only redoes changed files.

An entry is keyed by the file's content (sha256), its name (records carry it),
the planx version, a fingerprint of planx's own code and data, and the run
settings that change results. Entries are JSON (the Plan as pydantic dumps it),
written atomically; an entry that cannot be read back is treated as missing.
Results of batch failures (timeouts, crashes, memory) are never stored: they
depend on the machine and the limits, not on the file.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

from planx.pipeline.fingerprint import code_fingerprint
from planx.pipeline.outputs import atomic_path, copy_range
from planx.pipeline.process import FileResult, RunSettings
from planx.schemas.records import ErrorRecord, Plan

CACHE_DIRNAME = ".planx-cache"
ENTRY_FORMAT = 1
# RunSettings fields that change speed, never results.
RESULT_NEUTRAL_FIELDS = frozenset({"nlp_batch_size"})


def settings_fingerprint(settings: RunSettings) -> str:
    values = {
        k: v for k, v in dataclasses.asdict(settings).items() if k not in RESULT_NEUTRAL_FIELDS
    }
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def run_fingerprint(settings: RunSettings) -> str:
    text = f"{ENTRY_FORMAT}\0{code_fingerprint()}\0{settings_fingerprint(settings)}"
    return hashlib.sha256(text.encode()).hexdigest()


def entry_key(fingerprint: str, sha256: str, name: str) -> str:
    """The key of one file's result: its bytes, its name and the run's fingerprint."""
    return hashlib.sha256(f"{fingerprint}\0{sha256}\0{name}".encode()).hexdigest()


def is_cacheable(result: FileResult) -> bool:
    return bool(result.sha256) and not any(e.stage == "batch" for e in result.errors)


def result_to_json(result: FileResult, key: str) -> str:
    entry = {
        "format": ENTRY_FORMAT,
        "key": key,
        "source": result.source,
        "sha256": result.sha256,
        "pages": result.pages,
        "plan": result.plan.model_dump(mode="json") if result.plan is not None else None,
        "errors": [e.model_dump(mode="json") for e in result.errors],
    }
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":"))


def json_to_result(text: str, key: str, path: str) -> FileResult:
    """The stored result, or ValueError when the entry is not one this code wrote for `key`."""
    entry = json.loads(text)
    if (
        not isinstance(entry, dict)
        or entry.get("format") != ENTRY_FORMAT
        or entry.get("key") != key
    ):
        raise ValueError("cache entry of another format or key")
    try:
        plan = Plan.model_validate(entry["plan"]) if entry["plan"] is not None else None
        errors = [ErrorRecord.model_validate(e) for e in entry["errors"]]
        return FileResult(
            path=path,
            source=str(entry["source"]),
            sha256=str(entry["sha256"]),
            plan=plan,
            errors=errors,
            pages=entry["pages"],
        )
    except (KeyError, TypeError) as exc:
        raise ValueError(f"incomplete cache entry: {exc}") from exc


class ResultCache:
    """Per-file results under `root`, one JSON file per entry."""

    def __init__(self, root: str | Path, fingerprint: str):
        self.root = Path(root)
        self.fingerprint = fingerprint  # run_fingerprint(settings)
        self.hits = 0
        self.misses = 0
        self.corrupt = 0

    def key(self, sha256: str, name: str) -> str:
        return entry_key(self.fingerprint, sha256, name)

    def entry_path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str, path: str | Path) -> FileResult | None:
        entry = self.entry_path(key)
        try:
            text = entry.read_text(encoding="utf-8")
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, UnicodeDecodeError):
            text = None
        try:
            if text is None:
                raise ValueError("unreadable cache entry")
            result = json_to_result(text, key, str(path))
        except ValueError:  # includes JSON and pydantic validation errors
            # A damaged entry is dropped and the file recomputed.
            self.corrupt += 1
            self.misses += 1
            entry.unlink(missing_ok=True)
            return None
        self.hits += 1
        return result

    def put(self, key: str, result: FileResult) -> bool:
        if not is_cacheable(result):
            return False
        self.put_entry(key, result_to_json(result, key))
        return True

    def put_entry(self, key: str, text: str) -> None:
        """An entry made already (result_to_json), e.g. by the worker that read the file."""
        with atomic_path(self.entry_path(key)) as tmp:
            tmp.write_text(text, encoding="utf-8")

    def put_entry_copied(self, key: str, src_fd: int, offset: int, length: int) -> None:
        """An entry made already, copied from `length` bytes of an open file at `offset`."""
        with atomic_path(self.entry_path(key)) as tmp, open(tmp, "wb") as fh:
            copy_range(src_fd, offset, length, fh.fileno())

    def prune(self, keep: set[str]) -> int:
        """Delete entries whose key is not in `keep`; returns how many."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for entry in self.root.glob("*/*.json"):
            if entry.stem not in keep:
                entry.unlink(missing_ok=True)
                removed += 1
        return removed
