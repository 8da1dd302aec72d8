"""Column roles from header text: a synonym lexicon matched fuzzily, never fixed positions.

Each role lists the words councils put in header cells (pipeline/data/column_roles.json). A
header is scored against every synonym (rapidfuzz). `headers_to_roles` assigns roles from
headers alone, greedily, best score first, each role to one column (month columns of next
milestones excepted); profile.py weighs these scores with what the cells hold.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz, process

from planx.pipeline.data_files import read_data_json


def _load_evidence_words() -> dict:
    return read_data_json("column_roles.json")


COLUMN_EVIDENCE: dict = _load_evidence_words()
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    role: tuple(words) for role, words in COLUMN_EVIDENCE["roles"].items()
}


@dataclass(frozen=True)
class _Synonym:
    """A synonym with what scoring a label against it needs, worked out once."""

    text: str
    n_words: int
    phrase: re.Pattern[str] | None  # the synonym as a phrase inside a longer label (3+ chars)


_SYNONYMS: dict[str, tuple[_Synonym, ...]] = {
    role: tuple(
        _Synonym(
            word,
            len(word.split()),
            re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])") if len(word) >= 3 else None,
        )
        for word in words
    )
    for role, words in ROLE_SYNONYMS.items()
}
# Header labels recur within a table, across a document's tables and across plans: their
# scores are remembered, up to this many labels (so a long batch does not grow without end).
LABEL_CACHE_SIZE = 2048
_PARENTHESISED = re.compile(r"\(.*?\)")
_NOT_LABEL_CHARS = re.compile(r"[^a-z0-9#./ ]+")
_SPACES = re.compile(r"\s+")

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
MIN_SCORE = 84
THEME_COLUMN_PENALTY = 2


@dataclass(frozen=True)
class ColumnRoles:
    """Which column holds what; `months` maps a milestone column to its month label."""

    by_role: dict[str, int]
    months: dict[int, str]
    labels: tuple[str, ...]

    def get(self, role: str) -> int | None:
        return self.by_role.get(role)

    def has(self, *roles: str) -> bool:
        return any(r in self.by_role for r in roles)

    @property
    def kind(self) -> str:
        """'action', 'kpi' or 'other' — what the table lists."""
        if "action" in self.by_role:
            return "action"
        if "measure" in self.by_role:
            return "kpi"
        return "other"


def _normalise(label: str) -> str:
    label = label.lower().replace("&", " and ").replace("_", " ")
    label = _PARENTHESISED.sub(" ", label)
    label = _NOT_LABEL_CHARS.sub(" ", label)
    return _SPACES.sub(" ", label).strip(" .")


def _month_of(label: str) -> str | None:
    word = _normalise(label).split(" / ")[-1].strip()
    for month in MONTHS:
        if word == month or (len(word) >= 3 and month.startswith(word) and len(word) <= len(month)):
            return month.capitalize()
    return None


def score_label(label: str, role: str) -> float:
    """How well a header label names a role, 0..100 (the best score over its synonyms)."""
    return label_scores(label)[role]


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def label_scores(label: str) -> Mapping[str, float]:
    """How well a header label names each role (`score_label`), worked out once per label."""
    text = _normalise(label)
    return MappingProxyType({role: _score_text(text, role) for role in ROLE_SYNONYMS})


def _score_text(text: str, role: str) -> float:
    if not text:
        return 0.0
    # Whole-label similarity counts most (100 for the synonym itself): the best over all
    # synonyms, in one call.
    best: float = process.extractOne(text, ROLE_SYNONYMS[role], scorer=fuzz.ratio)[1]
    n_words = len(text.split())
    for synonym in _SYNONYMS[role]:
        extra_words = n_words - synonym.n_words
        # A synonym as a phrase inside a longer label counts a little less.
        if (
            synonym.phrase is not None
            and extra_words <= 3
            and synonym.text in text
            and synonym.phrase.search(text)
        ):
            best = max(best, 90.0 - extra_words * 2)
        # "National Indicator No", "Action Ref": a label's last word names what it holds.
        if role == "ref" and text.endswith(" " + synonym.text):
            best = max(best, 90.0 - extra_words * 2)
    return best


def headers_to_roles(labels: Sequence[str]) -> ColumnRoles:
    """Assign a role to each header label; unknown headers get none."""
    months: dict[int, str] = {}
    candidates: list[tuple[float, int, int, str]] = []
    for col, label in enumerate(labels):
        parts = [p.strip() for p in label.split(" / ") if p.strip()]
        if parts and (month := _month_of(parts[-1])):
            months[col] = month
            continue
        for role in ROLE_SYNONYMS:
            # In a stacked header ("Target / Due") the lowest part is the most specific.
            score = max((score_label(p, role) for p in [*parts, label]), default=0.0)
            if score >= MIN_SCORE:
                # Themes lead a table: between two theme-like headers, the one further left wins.
                rank = score - THEME_COLUMN_PENALTY * col if role == "theme" else score
                candidates.append((rank, -col, col, role))
    return ColumnRoles(by_role=assign_greedily(candidates), months=months, labels=tuple(labels))


def assign_greedily(candidates: list[tuple[float, int, int, str]]) -> dict[str, int]:
    """(rank, -col, col, role) candidates -> role: column, best rank first, each role and
    each column used once (ties go to the column further left)."""
    by_role: dict[str, int] = {}
    used: set[int] = set()
    for _rank, _neg, col, role in sorted(candidates, reverse=True):
        if role in by_role or col in used:
            continue
        by_role[role] = col
        used.add(col)
    return by_role
