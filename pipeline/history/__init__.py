"""Versions of one plan over time, and what changed between them.

Councils republish the same plan every month or quarter. Plans of one authority whose
titles match and whose actions mostly match are versions of one plan, a lineage
(`lineage_id`); a plan seen once is a lineage of one. Each version is dated by its as-at
date (read from the document: pipeline/interpret/as_at.py). Copies of one version in
several formats stay one version: within a lineage, plans are grouped by as-at date and
compare.plans_to_copies (passed in as `find_copies`) picks the copy to keep in each group.

Actions are matched across consecutive versions: by the same text first (so a renumbered
action is still one action), then by the same ref when the texts agree, then by similar
text above a threshold; never one action to two. A matched action keeps its `action_key`
from version to version; the change list (`compare_changes`, a SQL view over the keys:
views.py) says what moved between each version and the next. Everything here is recomputed over all plans at compare time, so the
same files give the same lineages, keys and changes in any order and across runs.
"""

from __future__ import annotations

from planx.pipeline.history.build import History, items_by_plan, tables_to_history
from planx.pipeline.history.lineage import same_lineage, title_key, version_groups
from planx.pipeline.history.match import (
    HistorySettings,
    Item,
    Match,
    match_actions,
    same_state_share,
)
from planx.pipeline.history.views import history_views
from planx.schemas.table_columns import CHANGE_KINDS, EARLIER_VERSION_REASON, HISTORY_COLUMNS

HISTORY_TABLES = tuple(HISTORY_COLUMNS)

__all__ = [
    "CHANGE_KINDS",
    "EARLIER_VERSION_REASON",
    "HISTORY_TABLES",
    "History",
    "HistorySettings",
    "Item",
    "Match",
    "history_views",
    "items_by_plan",
    "match_actions",
    "same_lineage",
    "same_state_share",
    "tables_to_history",
    "title_key",
    "version_groups",
]
