"""Labelled values outside tables: "Lead officer: Head of MASH", "Latest: 97% | Target: 97%".

The labels and the record field each fills come from pipeline/data/field_labels.json. A
label counts only when a colon follows it, so prose that merely mentions a target does
not.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

FIELD_LABELS = Path(__file__).resolve().parents[1] / "data" / "field_labels.json"
ACTION_ROLES = ("action", "ref", "lead", "due", "start", "status", "progress", "success_measure")
KPI_VALUE_ROLES = ("actual", "target", "floor", "previous", "direction")
# Separators between labelled values on one line, trimmed off a value's ends.
_TRIM = " \t\n|;,·•–—-"


@dataclass(frozen=True)
class LabelledValue:
    """One "Label: value" (role None for text before the first label)."""

    role: str | None
    label: str
    value: str
    start: int


def _normalise(label: str) -> str:
    label = re.sub(r"\([^)]*\)", " ", label.lower())
    label = re.sub(r"[^a-z ]+", " ", label)
    return " ".join(label.split())


@dataclass(frozen=True)
class FieldLabels:
    """Label words by role, and a pattern that finds any of them followed by a colon."""

    roles: MappingProxyType
    pattern: re.Pattern[str]

    @classmethod
    def from_dict(cls, data: dict) -> FieldLabels:
        roles = {
            role: tuple(_normalise(p) for p in phrases)
            for role, phrases in data.items()
            if not role.startswith("_")
        }
        phrases = sorted({p for ps in roles.values() for p in ps}, key=len, reverse=True)
        words = "|".join(r"\s+".join(map(re.escape, p.split())) for p in phrases)
        pattern = re.compile(
            rf"(?<![\w'’])(?P<label>(?:{words})(?:\(s\)|s)?)(?:\s*\([^)]{{0,30}}\))?\s*:(?!//)",
            re.IGNORECASE,
        )
        return cls(MappingProxyType(roles), pattern)

    def role_of(self, label: str) -> str | None:
        """The field a label names ("Lead officer(s)" -> lead), or None."""
        text = _normalise(label)
        for candidate in (text, text[:-1] if text.endswith("s") else text):
            for role, phrases in self.roles.items():
                if candidate in phrases:
                    return role
        return None

    def find(self, text: str) -> list[LabelledValue]:
        """Every known "Label: value" in the text, in order; text before the first label
        comes first with role None (when there is any)."""
        if ":" not in text:
            matches = []  # a label needs its colon: most text has none, and the search is long
        else:
            matches = [
                (m, role) for m in self.pattern.finditer(text) if (role := self.role_of(m["label"]))
            ]
        out: list[LabelledValue] = []
        head = text[: matches[0][0].start() if matches else len(text)].strip(_TRIM)
        if head:
            out.append(LabelledValue(None, "", head, 0))
        for k, (m, role) in enumerate(matches):
            end = matches[k + 1][0].start() if k + 1 < len(matches) else len(text)
            value = _balance(text[m.end() : end].strip(_TRIM))
            out.append(LabelledValue(role, m["label"], value, m.start()))
        return out

    def starts_with_label(self, text: str) -> LabelledValue | None:
        """The label the text opens with, and its value up to the next label; else None."""
        found = self.find(text.lstrip())
        return found[0] if found and found[0].role is not None and found[0].start == 0 else None


def _balance(value: str) -> str:
    """A value without a bracket left open or closed by the text around it."""
    if value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1].rstrip(_TRIM)
    if value.startswith("(") and value.count("(") > value.count(")"):
        value = value[1:].lstrip(_TRIM)
    return value


@lru_cache(maxsize=4)
def load_field_labels(path: str | None = None) -> FieldLabels:
    """Field labels (pipeline/data/field_labels.json unless a path is given)."""
    with open(path or FIELD_LABELS, encoding="utf-8") as fh:
        return FieldLabels.from_dict(json.load(fh))


__all__ = [
    "ACTION_ROLES",
    "FieldLabels",
    "KPI_VALUE_ROLES",
    "LabelledValue",
    "load_field_labels",
]
