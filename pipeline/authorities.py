"""The register of England's 153 children's-services authorities, and finding one in a document.

The register (pipeline/data/authorities.csv) is built by scripts/build_register.py
from the Ofsted overview workbook. Councils not in it (or fictional ones) are
still found from how councils name themselves ("X County Council",
"London Borough of X"), without codes.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from planx.pipeline.data_files import read_data_text


@dataclass(frozen=True)
class Authority:
    name: str
    la_code: str = ""
    ons_code: str = ""
    region: str = ""
    stat_neighbours: tuple[str, ...] = ()
    overall_effectiveness_grade: str = ""
    inspection_end_date: str = ""  # ISO date of the inspection that gave the grade
    publication_date: str = ""  # and of its report


@dataclass(frozen=True)
class Register:
    authorities: tuple[Authority, ...]
    names: dict[str, Authority]  # every spelling (display name and aliases) -> authority

    def by_la_code(self, code: str) -> Authority | None:
        return next((a for a in self.authorities if a.la_code == code), None)


@cache
def load_register() -> Register:
    text = read_data_text("authorities.csv")
    authorities, names = [], {}
    for row in csv.DictReader(text.splitlines()):
        a = Authority(
            name=row["name"],
            la_code=row["la_code"],
            ons_code=row["ons_code"],
            region=row["region"],
            stat_neighbours=tuple(x for x in row["stat_neighbours"].split(",") if x),
            overall_effectiveness_grade=row["overall_effectiveness_grade"],
            inspection_end_date=row.get("inspection_end_date", ""),
            publication_date=row.get("publication_date", ""),
        )
        authorities.append(a)
        for spelling in [a.name, *filter(None, row["aliases"].split("|"))]:
            names[spelling] = a
    return Register(tuple(authorities), names)


_COUNCIL_WORDS = r"(?:Metropolitan Borough|Borough|City|County|District|Unitary)"
_NAME = r"[A-Z][a-z]+(?:[- ](?:upon|on|and|&|under|in|of|[A-Z][a-z]+))*(?<![ -]of)(?<![ -]and)"
# How councils name themselves: "Wexcombe County Council", "London Borough of Eastmarsh", "Kestrel Bay Council".
# Each pattern comes with words it cannot match without: a text with none of them is not searched.
_SELF_NAMES = [
    (
        ("Borough of",),
        re.compile(
            rf"\b(?:London Borough|Royal Borough|Borough|Metropolitan Borough) of ({_NAME})"
        ),
    ),
    (("Council",), re.compile(rf"\b({_NAME}) (?:{_COUNCIL_WORDS} )?Council\b")),
    (
        ("s Children", "s children"),
        re.compile(rf"\b({_NAME})(?:'s|’s) [Cc]hildren(?:'s|’s) [Ss]ervices\b"),
    ),
]
_NOT_NAMES = {
    "The",
    "This",
    "Our",
    "Full",
    "Cabinet",
    "County",
    "City",
    "Borough",
    "Parish",
    "Town",
    "District",
    "Local",
    "Safeguarding",
    "Children",
    "Improvement",
    "Council",
    "Each",
    "Every",
    "All",
    "Member",
}
FRONT_MATTER_BLOCKS = 25
MIN_SCORE = 2  # one passing mention deep in a document is not enough to name its council
# Capitalised words that may stand before a council's name without changing it.
_LEADING_WORDS = frozenset(
    "The In Of For To And By With At On From Across Within Inside Outside Throughout Dear Re Our "
    "Council Councils Children Children's Families Services Service Report Plan Update".split()
)
_WORD_BEFORE = re.compile(r"([A-Z][a-z]+)\s+$")
_STREET_WORDS = re.compile(
    r"^\s+(?:Blvd|Boulevard|Road|Rd|Street|St|Avenue|Ave|Lane|Way|Drive|House|Hall)\b\.?"
)


def _part_of_longer_name(text: str, start: int, end: int) -> bool:
    """The match is one word of another place or street: "New Hampshire", "Westminster Blvd."."""
    before = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    if (
        before
        and before.group(1) not in _LEADING_WORDS
        and not text[:start].rstrip().endswith((".", ":"))
    ):
        return True
    return bool(_STREET_WORDS.match(text[end : end + 12]))


_GOV_DOMAIN = re.compile(r"(?:@|www\.|//)([a-z0-9-]+)\.gov\.uk\b", re.IGNORECASE)


_NOT_LOWER_LETTERS = re.compile(r"[^a-z]")
_COUNCIL_KIND_SUFFIX = re.compile(r"(?:\s+(?:Metropolitan|Borough|City|County|District|Unitary))+$")


def _squash(name: str) -> str:
    return _NOT_LOWER_LETTERS.sub("", name.lower().replace("&", "and"))


def _register_pattern(register: Register) -> re.Pattern[str]:
    spellings = sorted(register.names, key=len, reverse=True)
    # The lookahead for a spelling's first letter lets the search skip most positions fast.
    first = "".join(sorted({re.escape(s[0]) for s in spellings if s}))
    return re.compile(
        rf"(?=[{first}])(?<![\w-])(" + "|".join(re.escape(s) for s in spellings) + r")(?![\w-])"
    )


@dataclass(frozen=True)
class _Lookup:
    """A register's spellings as one pattern, and its authorities by squashed spelling (as a
    web or mail domain writes them)."""

    pattern: re.Pattern[str]
    by_domain: dict[str, Authority]


# Built once per register; the register is kept beside its lookup so its id stays its own.
_LOOKUPS: dict[int, tuple[Register, _Lookup]] = {}


def _lookup(register: Register) -> _Lookup:
    held = _LOOKUPS.get(id(register))
    if held is None or held[0] is not register:
        by_domain = {_squash(s): a for s, a in register.names.items()}
        held = (register, _Lookup(_register_pattern(register), by_domain))
        _LOOKUPS[id(register)] = held
    return held[1]


def find_authority(texts: Iterable[str], register: Register | None = None) -> Authority | None:
    """The council a document is about: the name it uses most, front matter counting more.

    `texts` are the document's blocks in order.
    """
    register = register or load_register()
    lookup = _lookup(register)
    pattern, by_domain = lookup.pattern, lookup.by_domain
    scores: Counter[str] = Counter()
    found: dict[str, Authority] = {}
    for i, text in enumerate(texts):
        for m in _GOV_DOMAIN.finditer(text):
            # A council's web or mail domain ("@cityoflondon.gov.uk") names it too.
            a = by_domain.get(_squash(m.group(1)))
            if a is not None:
                found[a.name] = a
                scores[a.name] += 3
        weight = 3 if i < FRONT_MATTER_BLOCKS else 1
        for m in pattern.finditer(text):
            if _part_of_longer_name(text, m.start(), m.end()):
                continue  # "New Hampshire", "Westminster Blvd."
            a = register.names[m.group(1)]
            found[a.name] = a
            scores[a.name] += weight
        for needles, self_name in _SELF_NAMES:
            if not any(needle in text for needle in needles):
                continue
            for m in self_name.finditer(text):
                if m.group(0).startswith("City of") and _STREET_WORDS.match(
                    text[m.end() : m.end() + 12]
                ):
                    continue
                # "Eastmarsh Borough Council" names Eastmarsh.
                name = _COUNCIL_KIND_SUFFIX.sub("", m.group(1).strip())
                if not name or name.split(" ")[0] in _NOT_NAMES:
                    continue
                a = register.names.get(name) or Authority(name=name)
                found.setdefault(a.name, a)
                scores[a.name] += weight * 2
    scores = Counter({name: n for name, n in scores.items() if n >= MIN_SCORE})
    if not scores:
        return None
    best = max(scores.items(), key=lambda kv: (kv[1], bool(found[kv[0]].la_code)))[0]
    return found[best]
