"""planx's own data files (pipeline/data: cue words, synonyms, the authorities' register),
read from the installed package wherever it lies."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

__all__ = ["read_data_json", "read_data_text"]


def read_data_text(name: str) -> str:
    """The text of pipeline/data/`name`."""
    return resources.files("planx.pipeline").joinpath(f"data/{name}").read_text(encoding="utf-8")


def read_data_json(name: str) -> Any:
    """pipeline/data/`name`, parsed as JSON."""
    return json.loads(read_data_text(name))
