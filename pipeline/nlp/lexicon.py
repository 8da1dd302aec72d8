"""The shipped vocabularies: sector abbreviations and role words, role families, and
status words.

Loaded when a pipeline is built (through the components' `initialize`), never at import.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
SECTOR_LEXICON = DATA_DIR / "sector_lexicon.json"
STATUS_WORDS = DATA_DIR / "status_words.json"
ROLE_FAMILIES = DATA_DIR / "role_families.json"


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
    agencies: frozenset[str] = frozenset()  # bodies that lead on their own ("Police")

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
            agencies=frozenset(" ".join(a.lower().split()) for a in data.get("agencies", [])),
            **words,
        )


@dataclass(frozen=True, eq=False)
class StatusWords:
    colours: MappingProxyType  # colour -> phrases
    letters: MappingProxyType  # "R" -> "red"
    meanings: MappingProxyType  # meaning -> phrases
    common_meaning: MappingProxyType  # colour -> meaning, where the plan gives no key
    fills: MappingProxyType  # colour -> standard fills ("#FFC000")
    # A key's wording -> meaning: wording that negates completion, then ordered rules.
    negated_complete: re.Pattern[str] | None
    legend_rules: tuple[tuple[str, re.Pattern[str]], ...]

    # A status key's wording for rated measures, in reading order: (meaning, phrases).
    key_phrases: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StatusWords:
        negated = data.get("negated_complete", [])
        groups = data.get("key_phrases", {}).get("groups", [])
        return cls(
            colours=MappingProxyType({k: tuple(v) for k, v in data.get("colours", {}).items()}),
            letters=MappingProxyType(dict(data.get("letters", {}))),
            meanings=MappingProxyType({k: tuple(v) for k, v in data.get("meanings", {}).items()}),
            common_meaning=MappingProxyType(dict(data.get("common_meaning", {}))),
            fills=MappingProxyType({k: tuple(v) for k, v in data.get("fills", {}).items()}),
            negated_complete=re.compile("|".join(negated)) if negated else None,
            legend_rules=tuple(
                (r["meaning"], re.compile("|".join(r["patterns"])))
                for r in data.get("legend_rules", [])
            ),
            key_phrases=tuple((g["meaning"], tuple(g["phrases"])) for g in groups),
        )

    @property
    def common_colour(self) -> dict[str, str]:
        """meaning -> the colour that commonly shows it."""
        return {m: c for c, m in self.common_meaning.items()}


FamilyRule = tuple[str, tuple[re.Pattern[str], ...]]


@dataclass(frozen=True)
class RoleFamilies:
    """Ordered rules from a lead's title to its role family (the first that matches wins)."""

    role_rules: tuple[FamilyRule, ...]
    team_rules: tuple[FamilyRule, ...]
    other_role: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoleFamilies:
        def rules(key: str) -> tuple[FamilyRule, ...]:
            return tuple(
                (r["family"], tuple(re.compile(p) for p in r["patterns"])) for r in data[key]
            )

        return cls(rules("role_rules"), rules("team_rules"), data["other_role"])

    def family_of(self, title: str, kind: str = "role") -> str | None:
        """The family of a role, person or team lead's (expanded) title; None for a team no
        rule names, for initials and unknown leads, and for a person with no title."""
        if kind not in ("role", "person", "team"):
            return None
        low = " ".join(title.lower().replace("&", " and ").split())
        for family, patterns in self.team_rules if kind == "team" else self.role_rules:
            if any(p.search(low) for p in patterns):
                return family
        return self.other_role if kind == "role" else None


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


@lru_cache(maxsize=8)
def load_role_families(path: str | None = None) -> RoleFamilies:
    """Role-family rules (pipeline/data/role_families.json unless a path is given)."""
    return RoleFamilies.from_dict(_read(path or ROLE_FAMILIES))


__all__ = [
    "Abbreviation",
    "Lexicon",
    "RoleFamilies",
    "StatusWords",
    "load_lexicon",
    "load_role_families",
    "load_status_words",
]
