"""The shipped vocabularies: sector abbreviations and role words, and status words.

Loaded when a pipeline is built (through the components' `initialize`), never at import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SECTOR_LEXICON = DATA_DIR / "sector_lexicon.json"
STATUS_WORDS = DATA_DIR / "status_words.json"


@dataclass(frozen=True)
class Abbreviation:
    key: str
    expansion: str
    kind: str = "other"  # role | team | other
    ambiguous: bool = False  # also common as personal initials ("TM", "EH")
    source: str = "lexicon"


@dataclass(frozen=True, eq=False)
class Lexicon:
    abbreviations: MappingProxyType  # exact key -> Abbreviation
    folded: MappingProxyType  # casefolded key -> Abbreviation, where only one key folds to it
    head_initial: tuple[tuple[str, ...], ...]
    person_heads: frozenset[str]
    team_heads: frozenset[str]
    board_heads: frozenset[str]
    person_titles: frozenset[str]
    org_words: frozenset[str]
    small_words: frozenset[str]
    known_titles: tuple[str, ...]

    def lookup(self, text: str) -> Abbreviation | None:
        """An abbreviation as written, else written in another case ("PSw" -> PSW)."""
        return self.abbreviations.get(text) or self.folded.get(text.casefold())

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Lexicon:
        abbreviations = {
            key: Abbreviation(
                key, v["expansion"], v.get("kind", "other"), bool(v.get("ambiguous", False))
            )
            for key, v in data.get("abbreviations", {}).items()
        }
        folded: dict[str, Abbreviation | None] = {}
        for key, entry in abbreviations.items():
            k = key.casefold()
            prior = folded.get(k)
            folded[k] = entry if prior is None or prior.expansion == entry.expansion else None
        words = {
            name: frozenset(w.lower() for w in data.get(name, []))
            for name in (
                "person_heads",
                "team_heads",
                "board_heads",
                "person_titles",
                "org_words",
                "small_words",
            )
        }
        return cls(
            abbreviations=MappingProxyType(abbreviations),
            folded=MappingProxyType({k: v for k, v in folded.items() if v is not None}),
            head_initial=tuple(tuple(p) for p in data.get("head_initial", [])),
            known_titles=tuple(data.get("known_titles", [])),
            **words,
        )


@dataclass(frozen=True, eq=False)
class StatusWords:
    colours: MappingProxyType  # colour -> phrases
    letters: MappingProxyType  # "R" -> "red"
    meanings: MappingProxyType  # meaning -> phrases
    # A status key's wording for rated measures, in reading order: (meaning, phrases).
    key_phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatusWords:
        groups = data.get("key_phrases", {}).get("groups", [])
        return cls(
            colours=MappingProxyType({k: tuple(v) for k, v in data.get("colours", {}).items()}),
            letters=MappingProxyType(dict(data.get("letters", {}))),
            meanings=MappingProxyType({k: tuple(v) for k, v in data.get("meanings", {}).items()}),
            key_phrases=tuple((g["meaning"], tuple(g["phrases"])) for g in groups),
        )


def _read(path: str | Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The sector lexicon (pipeline/data/sector_lexicon.json unless a path is given)."""
    return Lexicon.from_dict(_read(path or SECTOR_LEXICON))


@lru_cache(maxsize=8)
def load_status_words(path: str | None = None) -> StatusWords:
    """Status colour and meaning words (pipeline/data/status_words.json unless given)."""
    return StatusWords.from_dict(_read(path or STATUS_WORDS))


__all__ = ["Abbreviation", "Lexicon", "StatusWords", "load_lexicon", "load_status_words"]
