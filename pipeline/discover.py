"""Find the input documents under the paths a user gives."""

from __future__ import annotations

import os
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
    """Paths as strings (os.path, os.walk), not pathlib objects: pathlib interns every part
    of a path, and a batch of hundreds of files grew the run's memory by a megabyte."""

    files: tuple[str, ...]  # absolute, symlinks resolved; sorted, de-duplicated
    skipped: tuple[str, ...]  # non-documents found inside folders


def _path_order(path: str) -> str:
    """Paths in pathlib's order, part by part: the separator made the lowest character (as
    a string, "a-b/x" comes before "a/x"; as parts, "a" before "a-b"). One string per path,
    not a list of its parts: sorting a batch's paths is the most memory discovery takes."""
    return path.replace(os.sep, "\0")


def discover(paths: Iterable[str | Path]) -> Discovered:
    """Files named directly are always taken; folders are searched recursively,
    skipping hidden entries and files that are plainly not documents."""
    files: set[str] = set()
    skipped: list[str] = []
    for raw in paths:
        path = os.fspath(raw)
        if not os.path.isdir(path):
            files.add(os.path.realpath(path))
            continue
        found: list[str] = []
        for folder, subfolders, names in os.walk(path):
            # Hidden folders and __pycache__ are not searched (os.walk follows the list).
            subfolders[:] = [d for d in subfolders if not _hidden(d)]
            for name in names:
                child = os.path.join(folder, name)
                if _hidden(name) or not os.path.isfile(child):
                    continue
                suffix = os.path.splitext(name)[1].lower() or name.lower()
                if suffix in NOT_DOCUMENTS:
                    found.append(child)
                else:
                    files.add(os.path.realpath(child))
        skipped += sorted(found, key=_path_order)
    return Discovered(files=tuple(sorted(files, key=_path_order)), skipped=tuple(skipped))


def _hidden(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__"
