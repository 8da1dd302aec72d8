"""Enrichment: what planx adds to a plan's records once they are read (after the NLP stage),
in one stage, so every output (the records, the cache, the tables, the JSON Schema) has it.

- Each action's and each theme's common theme area (`theme_std`) and the rule that chose it
  (`theme_rule`): pipeline/taxonomy.py, from the plan's own theme, else the action's text.
- The status counts a document reports, by meaning (`reported_meaning_counts`): each colour
  through the plan's own key, else the common reading of the colour
  (pipeline/data/status_words.json).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from planx.pipeline.nlp.lexicon import load_status_words
from planx.pipeline.taxonomy import classify_theme
from planx.schemas.records import Action, Plan, StatusLegend, Theme

__all__ = ["enrich_plan", "enrich_plans", "reported_meanings"]


def _action_with_theme(action: Action) -> Action:
    """The action with its common theme area and the rule that chose it."""
    std, rule = classify_theme(action.theme, action.text)
    return action.model_copy(update={"theme_std": std, "theme_rule": rule})


def _theme_with_area(theme: Theme) -> Theme:
    """The theme with the common theme area its name reads as."""
    std, rule = classify_theme(theme.name, "")
    return theme.model_copy(update={"theme_std": std, "theme_rule": rule})


def reported_meanings(counts: dict[str, int], legend: StatusLegend) -> dict[str, int]:
    """Counts by colour as counts by meaning: through the plan's key, else the common reading."""
    common = load_status_words().common_meaning
    out: Counter[str] = Counter()
    for colour, n in counts.items():
        meaning = legend.meaning_of(colour)
        if meaning in (None, "unknown"):
            meaning = common[colour]
        out[meaning] += n
    return dict(out)


def enrich_plan(plan: Plan) -> Plan:
    """The plan with its theme areas and its reported counts by meaning."""
    return plan.model_copy(
        update={
            "actions": [_action_with_theme(a) for a in plan.actions],
            "themes": [_theme_with_area(t) for t in plan.themes],
            "reported_meaning_counts": reported_meanings(plan.reported_status_counts, plan.legend),
        }
    )


def enrich_plans(plans: Iterable[Plan]) -> list[Plan]:
    """Each plan enriched."""
    return [enrich_plan(p) for p in plans]
