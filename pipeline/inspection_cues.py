"""The cue words an Ofsted inspection report is read by (pipeline/data/inspection_cues.json),
compiled once; and the one cue the tables use, the column that cites recommendations.

A module of its own, importing only planx's data reader: the process that writes a run's tables
uses `cited_cells` without importing the interpreter the report reader belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from planx.pipeline.data_files import read_data_json

__all__ = ["load_inspection_cues", "cited_cells"]


@dataclass(frozen=True)
class InspectionCues:
    opening_pages: int
    frameworks: dict[str, tuple[re.Pattern[str], ...]]
    areas: tuple[tuple[str, re.Pattern[str]], ...]
    grade: re.Pattern[str]
    overall_sentence: re.Pattern[str]
    lscb_sentence: re.Pattern[str]
    dates: re.Pattern[str]
    published: re.Pattern[str]
    headings: tuple[re.Pattern[str], ...]
    subheadings: tuple[re.Pattern[str], ...]
    lscb_heading: re.Pattern[str]
    lscb_part: re.Pattern[str]
    local_authority_part: re.Pattern[str]
    citation_column: re.Pattern[str]


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=1)
def load_inspection_cues() -> InspectionCues:
    """The cues of pipeline/data/inspection_cues.json, compiled."""
    data: dict[str, Any] = read_data_json("inspection_cues.json")
    return InspectionCues(
        opening_pages=int(data["opening_pages"]),
        frameworks={k: tuple(map(_compile, v)) for k, v in data["frameworks"].items()},
        areas=tuple((area, _compile(p)) for area, p in data["judgement_areas"]),
        grade=_compile(data["grade"]),
        overall_sentence=_compile(data["overall_sentence"]),
        lscb_sentence=_compile(data["lscb_sentence"]),
        dates=_compile(data["dates"]),
        published=_compile(data["published"]),
        headings=tuple(map(_compile, data["recommendation_headings"])),
        subheadings=tuple(map(_compile, data["recommendation_subheadings"])),
        lscb_heading=_compile(data["lscb_heading"]),
        lscb_part=_compile(data["lscb_part"]),
        local_authority_part=_compile(data["local_authority_part"]),
        citation_column=_compile(data["citation_column"]),
    )


def cited_cells(extra: dict[str, str]) -> str:
    """A plan record's cells under a column that names or quotes inspection recommendations."""
    pattern = load_inspection_cues().citation_column
    return " | ".join(v.strip() for k, v in extra.items() if v.strip() and pattern.search(k))
