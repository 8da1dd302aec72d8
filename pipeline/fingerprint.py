"""A hash of planx's own code and data (light to import: the command line's client asks
for it before deciding whether a warm server may run the command)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import planx

# planx's own packages: a change to any file in them changes the fingerprint.
CODE_PACKAGES = ("pipeline", "extractors", "schemas")
CODE_SUFFIXES = (".py", ".json", ".csv", ".txt", ".toml")


def code_fingerprint() -> str:
    """A hash of planx's source and data files, so results from older code are not reused
    (the version number alone does not change while the code is being worked on).
    Computed per call (a few milliseconds), so a long-lived process sees edits."""
    digest = hashlib.sha256(planx.__version__.encode())
    root = Path(__file__).resolve().parents[1]
    for package in CODE_PACKAGES:
        base = root / package
        files = sorted(
            p
            for p in base.rglob("*")
            if p.suffix in CODE_SUFFIXES and p.is_file() and "__pycache__" not in p.parts
        )
        for path in files:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
