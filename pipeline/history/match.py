"""Actions of two versions of one plan matched one to one (what changed between them is
v_compare_changes's to say: pipeline/history/views.py)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

UNKNOWN = "unknown"


@dataclass(frozen=True)
class HistorySettings:
    """Thresholds of the matching (similarities are 0-100, RapidFuzz scale)."""

    text_score: float = 80.0  # two actions' texts this similar are one action
    ref_text_score: float = 55.0  # ... or this similar when they carry the same ref
    lineage_share: float = 0.5  # share of the smaller plan's actions matched: one lineage
    title_score: float = 80.0  # normalised titles this similar match
    same_state_share: float = 0.8  # share of actions in the same state: one version

    def __post_init__(self) -> None:
        for name in ("text_score", "ref_text_score", "title_score"):
            if not 0 < getattr(self, name) <= 100:
                raise ValueError(f"History setting {name!r} must be in (0, 100]")
        for name in ("lineage_share", "same_state_share"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"History setting {name!r} must be in (0, 1]")


@dataclass(frozen=True)
class Item:
    """One action as the history sees it."""

    action_id: str
    ref: str
    action: str
    status: str = ""
    status_meaning: str = UNKNOWN
    due_date: dt.date | None = None
    leads: str = ""
    progress: str = ""
    position: int = 0
    page: int | None = None

    @property
    def text_key(self) -> str:
        return text_key(self.action)


@dataclass(frozen=True)
class Match:
    """An action of the older version (`old`) and of the newer (`new`), by index."""

    old: int
    new: int
    by: str  # "text" (same text), "ref" (same ref, texts agree), "similar" (similar text)
    score: float


def text_key(text: str) -> str:
    """Text as compared for sameness: case, spacing and punctuation ignored (as in SQL)."""
    return re.sub(r"[^a-z0-9]+", "", str(text).lower())


def _words(text: str) -> str:
    """Lower-case words, for similarity."""
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def _ref_key(ref: str) -> str:
    """A ref as compared: case, spaces and trailing dots ignored."""
    return re.sub(r"[^a-z0-9.]+", "", str(ref).lower()).strip(".")


def similarity_matrix(old: Sequence[str], new: Sequence[str]) -> np.ndarray:
    """Pairwise text similarity (0-100): the mean of RapidFuzz's token-set and token-sort
    ratios, so a reworded sentence scores high and a shared phrase alone does not."""
    if not old or not new:
        return np.zeros((len(old), len(new)))
    a, b = [_words(t) for t in old], [_words(t) for t in new]
    set_ratio = process.cdist(a, b, scorer=fuzz.token_set_ratio)
    sort_ratio = process.cdist(a, b, scorer=fuzz.token_sort_ratio)
    return (set_ratio + sort_ratio) / 2


def match_actions(
    old: Sequence[Item], new: Sequence[Item], settings: HistorySettings | None = None
) -> list[Match]:
    """One-to-one matches between two versions' actions: the same text first (a renumbered
    action), then the same ref where the texts agree (a reworded one), then similar text;
    best score first, ties in document order."""
    settings = settings or HistorySettings()
    scores = similarity_matrix([i.action for i in old], [i.action for i in new])
    used_old: set[int] = set()
    used_new: set[int] = set()
    matches: list[Match] = []

    def take(pairs: list[tuple[float, int, int]], by: str) -> None:
        for score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
            if i not in used_old and j not in used_new:
                used_old.add(i)
                used_new.add(j)
                matches.append(Match(i, j, by, round(float(score), 1)))

    old_keys, new_keys = [i.text_key for i in old], [i.text_key for i in new]
    take(
        [
            (100.0, i, j)
            for i, a in enumerate(old_keys)
            for j, b in enumerate(new_keys)
            if a and a == b
        ],
        "text",
    )
    old_refs, new_refs = [_ref_key(i.ref) for i in old], [_ref_key(i.ref) for i in new]
    take(
        [
            (scores[i, j], i, j)
            for i, a in enumerate(old_refs)
            for j, b in enumerate(new_refs)
            if a and a == b and scores[i, j] >= settings.ref_text_score
        ],
        "ref",
    )
    rows, cols = np.nonzero(scores >= settings.text_score)
    take([(scores[i, j], int(i), int(j)) for i, j in zip(rows, cols, strict=True)], "similar")
    return sorted(matches, key=lambda m: m.new)


def _same_state(a: Item, b: Item) -> bool:
    """The same action in the same state: text, due date and status (an unknown status
    agrees with any: a text export loses status colours)."""
    return (
        a.text_key == b.text_key
        and a.due_date == b.due_date
        and (
            a.status_meaning == b.status_meaning or UNKNOWN in (a.status_meaning, b.status_meaning)
        )
    )


def same_state_share(a: Sequence[Item], b: Sequence[Item], settings: HistorySettings) -> float:
    """Share of the larger plan's actions that the other holds in the same state."""
    if not a and not b:
        return 1.0
    same = sum(_same_state(a[m.old], b[m.new]) for m in match_actions(a, b, settings))
    return same / max(len(a), len(b))
