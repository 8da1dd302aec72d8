"""The NLP stage's rules as data: each shipped file loads, has the shape its loader reads,
and its rules are what the stage applies."""

from __future__ import annotations

import json
import re
from typing import get_args

import pytest

from planx.pipeline.nlp.lexicon import (
    ROLE_FAMILIES,
    SECTOR_LEXICON,
    STATUS_WORDS,
    load_lexicon,
    load_role_families,
    load_status_words,
)
from planx.pipeline.nlp.statuses import COLOURS, hex_to_rgb
from planx.schemas.records import MEANINGS, RoleFamily


def _json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)


def test_sector_lexicon_shape():
    data = _json(SECTOR_LEXICON)
    assert data["_about"]
    for key, entry in data["abbreviations"].items():
        assert key.strip() == key and entry["expansion"].strip(), key
        assert entry.get("kind", "other") in ("role", "team", "other"), key
        assert isinstance(entry.get("ambiguous", False), bool), key
    assert all(_strings(p) for p in data["head_initial"])
    for name in (
        "person_heads",
        "team_heads",
        "person_titles",
        "org_words",
        "small_words",
        "known_titles",
        "agencies",
    ):
        assert _strings(data[name]) and data[name], name
    lexicon = load_lexicon(str(SECTOR_LEXICON))
    assert set(lexicon.abbreviations) == set(data["abbreviations"])
    assert "police" in lexicon.agencies


def test_role_families_shape():
    data = _json(ROLE_FAMILIES)
    assert data["_about"]
    families = set(get_args(RoleFamily))
    for key in ("role_rules", "team_rules"):
        assert data[key]
        for rule in data[key]:
            assert rule["family"] in families
            assert _strings(rule["patterns"])
            for pattern in rule["patterns"]:
                re.compile(pattern)
    assert data["other_role"] in families
    order = [r["family"] for r in data["role_rules"]]
    # The first family that matches wins: the narrower tier must come first.
    assert order.index("Assistant Director") < order.index("Director")
    assert order.index("Virtual School Head") < order.index("Head of Service")
    loaded = load_role_families(str(ROLE_FAMILIES))
    assert [f for f, _ in loaded.role_rules] == order


def test_status_words_shape():
    data = _json(STATUS_WORDS)
    assert data["_about"]
    assert set(data["colours"]) <= set(COLOURS) and all(map(_strings, data["colours"].values()))
    assert set(data["letters"].values()) <= set(COLOURS)
    assert all(len(letter) == 1 and letter.isupper() for letter in data["letters"])
    assert set(data["meanings"]) <= set(MEANINGS) and all(map(_strings, data["meanings"].values()))
    assert set(data["common_meaning"]) == set(COLOURS)
    assert set(data["common_meaning"].values()) <= set(MEANINGS)
    assert set(data["fills"]) == set(COLOURS)
    assert all(hex_to_rgb(f) for fills in data["fills"].values() for f in fills)
    for pattern in data["negated_complete"]:
        re.compile(pattern)
    for rule in data["legend_rules"]:
        assert rule["meaning"] in MEANINGS and _strings(rule["patterns"])
        for pattern in rule["patterns"]:
            re.compile(pattern)
    words = load_status_words(str(STATUS_WORDS))
    assert [m for m, _ in words.legend_rules] == [r["meaning"] for r in data["legend_rules"]]
    assert words.common_colour["complete"] == "blue"


def test_role_family_rules_are_read_from_their_file(tmp_path):
    path = tmp_path / "families.json"
    path.write_text(
        json.dumps(
            {
                "role_rules": [{"family": "Team Manager", "patterns": ["\\bpractice\\s+lead\\b"]}],
                "other_role": "Other",
                "team_rules": [{"family": "Board/Partnership", "patterns": ["\\bcabinet\\b"]}],
            }
        ),
        encoding="utf-8",
    )
    rules = load_role_families(str(path))
    assert rules.family_of("Practice Lead, Fostering") == "Team Manager"
    assert rules.family_of("Head of Service") == "Other"
    assert rules.family_of("Person Unknown", "person") is None
    assert rules.family_of("Cabinet", "team") == "Board/Partnership"
    assert rules.family_of("Early Help Team", "team") is None
    assert rules.family_of("JH", "initials") is None


@pytest.mark.parametrize(
    ("title", "kind", "family"),
    [
        ("assistant director & deputy", "role", "Assistant Director"),
        ("Deputy Director, Children's Social Care", "role", "Assistant Director"),
        ("Head of the Virtual School", "role", "Virtual School Head"),
        ("Locality Manager", "role", "Service/Group Manager"),
        ("Youth Offending Team Leader", "role", "Team Manager"),
        ("Director of People (Jane Smith)", "person", "Director"),
        ("Corporate Parenting Panel", "team", "Board/Partnership"),
    ],
)
def test_shipped_role_family_rules(title, kind, family):
    assert load_role_families().family_of(title, kind) == family
