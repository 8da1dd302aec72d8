"""A common theme taxonomy, so plans compare across councils.

Each action's theme (and, failing that, its own text) is mapped to one of a
shared set of areas by keyword rules read from pipeline/data/theme_taxonomy.json.
The rule that fired is returned beside the result ("theme:mash" or
"text:care leaver"), so a reviewer can see why; the original theme is kept by
the caller.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from planx.pipeline.data_files import read_data_json
from planx.schemas.table_columns import UNCLASSIFIED_THEME as UNCLASSIFIED


@dataclass(frozen=True)
class ThemeRule:
    area: str
    keyword: str
    pattern: re.Pattern[str]


@cache
def load_rules() -> tuple[ThemeRule, ...]:
    data = read_data_json("theme_taxonomy.json")
    rules = []
    for area in data["areas"]:
        for keyword in area["keywords"]:
            # Keywords match whole words; a trailing '*' allows any ending ("recruit*").
            body = re.escape(keyword.rstrip("*")).replace(r"\ ", r"\s+")
            tail = r"\w*" if keyword.endswith("*") else r"(?:s|es)?\b"
            rules.append(
                ThemeRule(area["name"], keyword, re.compile(rf"\b{body}{tail}", re.IGNORECASE))
            )
    return tuple(rules)


def _best(text: str, rules: tuple[ThemeRule, ...]) -> ThemeRule | None:
    """The area with most keyword hits; ties go to the area listed first (more specific areas first)."""
    hits: dict[str, tuple[int, int, ThemeRule]] = {}
    for order, rule in enumerate(rules):
        n = len(rule.pattern.findall(text))
        if n:
            count, first, best_rule = hits.get(rule.area, (0, order, rule))
            hits[rule.area] = (count + n, min(first, order), best_rule)
    if not hits:
        return None
    return max(hits.values(), key=lambda v: (v[0], -v[1]))[2]


@cache
def classify_theme(theme: str, text: str = "") -> tuple[str, str]:
    """(area, rule) for an action's theme, falling back to its text."""
    rules = load_rules()
    for field_name, value in (("theme", theme), ("text", text)):
        if value and (rule := _best(value, rules)):
            return rule.area, f"{field_name}:{rule.keyword}"
    return UNCLASSIFIED, ""
