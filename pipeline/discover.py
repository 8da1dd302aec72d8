"""Find the input documents under the paths a user gives."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Files that sit beside plans in a folder but are never plans (code, data, notes for tools).
NOT_DOCUMENTS = frozenset(
    {
        ".py",
        ".pyc",
        ".json",
        ".toml",
        ".yaml",
        ".yml",
        ".cfg",
        ".ini",
        ".lock",
        ".csv",
        ".parquet",
        ".duckdb",
        ".gitignore",
        ".gitkeep",
        ".ds_store",
    }
)


@dataclass(frozen=True)
class Discovered:
    files: tuple[Path, ...]  # sorted, de-duplicated
    skipped: tuple[Path, ...]  # non-documents found inside folders


def discover(paths: Iterable[str | Path]) -> Discovered:
    """Files named directly are always taken; folders are searched recursively,
    skipping hidden entries and files that are plainly not documents."""
    files: dict[Path, None] = {}
    skipped: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                rel = child.relative_to(path)
                if (
                    any(part.startswith(".") or part == "__pycache__" for part in rel.parts)
                    or not child.is_file()
                ):
                    continue
                suffix = child.suffix.lower() or child.name.lower()
                if suffix in NOT_DOCUMENTS:
                    skipped.append(child)
                else:
                    files[child.resolve()] = None
        else:
            files[path.resolve()] = None
    return Discovered(files=tuple(sorted(files)), skipped=tuple(skipped))
