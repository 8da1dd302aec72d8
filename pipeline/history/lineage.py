"""Which plans are versions of one plan (a lineage), and which of them are one version."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from planx.pipeline.history.match import HistorySettings, Item, match_actions, same_state_share
from planx.pipeline.interpret.as_at import STATED_SOURCES

# Only these kinds of document are versions of a plan (as compare.COMPARED_KINDS).
COMPARED_KINDS = ("plan", "performance_report", "")
# Words a title drops before two versions' titles are compared: dates, periods, versions.
_TITLE_NOISE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4]|quarter|version|v\d\S*|"
    r"update[ds]?|position|progress|as at|at|draft|final|refresh(?:ed)?|\d+\S*)\b"
)


@dataclass
class PlanInfo:
    """What the history needs of one plan read."""

    plan_id: str
    label: str  # the authority compared under
    source: str
    title: str
    doc_kind: str
    as_at: dt.date | None
    as_at_source: str
    reported: tuple
    items: list[Item] = field(default_factory=list)
    measures: frozenset[str] = frozenset()

    @property
    def compared(self) -> bool:
        return self.doc_kind in COMPARED_KINDS

    @property
    def stated(self) -> bool:
        return self.as_at is not None and self.as_at_source in STATED_SOURCES


def title_key(title: str) -> str:
    """A title without the words that change between versions (dates, periods, 'update')."""
    text = re.sub(r"[^a-z0-9 ]+", " ", str(title).lower().replace("'", ""))
    return " ".join(_TITLE_NOISE.sub(" ", text).split())


def titles_match(a: str, b: str, settings: HistorySettings) -> bool:
    """Two titles name one plan (a missing title matches any)."""
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return True
    return fuzz.token_sort_ratio(ka, kb) >= settings.title_score


def same_lineage(
    a: PlanInfo, b: PlanInfo, settings: HistorySettings, copy_threshold: float
) -> bool:
    """Two plans of one authority are versions of one plan: their titles match and their
    actions mostly match. Plans that would be copies (most records the same) always are."""
    if a.items and b.items:
        keys_a, keys_b = {i.text_key for i in a.items}, {i.text_key for i in b.items}
        if len(keys_a & keys_b) / max(len(keys_a), len(keys_b)) >= copy_threshold:
            return True
        matched = len(match_actions(a.items, b.items, settings))
        share = matched / min(len(a.items), len(b.items))
        return share >= settings.lineage_share and titles_match(a.title, b.title, settings)
    if a.items or b.items:
        return False
    if a.measures and b.measures:
        shared = len(a.measures & b.measures)
        if shared / max(len(a.measures), len(b.measures)) >= copy_threshold:
            return True
        share = shared / min(len(a.measures), len(b.measures))
        return share >= settings.lineage_share and titles_match(a.title, b.title, settings)
    if a.measures or b.measures:
        return False
    # Neither has records: a report that only counts statuses. Copies report the same counts.
    return a.reported == b.reported or (
        bool(title_key(a.title)) and titles_match(a.title, b.title, settings)
    )


def components(plans: Sequence[PlanInfo], linked: Callable[[PlanInfo, PlanInfo], bool]) -> list:
    """Groups of plans joined by `linked` (directly or through others), in plan_id order."""
    parent = {p.plan_id: p.plan_id for p in plans}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(plans):
        for b in plans[i + 1 :]:
            if root(a.plan_id) != root(b.plan_id) and linked(a, b):
                parent[max(root(a.plan_id), root(b.plan_id))] = min(
                    root(a.plan_id), root(b.plan_id)
                )
    groups: dict[str, list[PlanInfo]] = {}
    for p in plans:
        groups.setdefault(root(p.plan_id), []).append(p)
    return sorted(groups.values(), key=lambda g: g[0].plan_id)


def version_groups(members: Sequence[PlanInfo], settings: HistorySettings) -> list:
    """A lineage's plans grouped into versions, oldest first: plans whose stated as-at dates
    agree are one version; a plan dated only by its period or file joins the version it
    repeats (most actions in the same state), else the version of its date, else its own."""
    groups: list[list[PlanInfo]] = []
    ordered = sorted(members, key=lambda p: (not p.stated, p.as_at or dt.date.max, p.plan_id))
    for plan in ordered:
        target = None
        if plan.stated:
            target = next((g for g in groups if g[0].as_at == plan.as_at), None)
        else:
            shares = [(same_state_share(plan.items, g[0].items, settings), g) for g in groups]
            best = max(shares, key=lambda s: s[0], default=(0.0, None))
            if best[1] is not None and best[0] >= settings.same_state_share:
                target = best[1]
            else:
                target = next((g for g in groups if g[0].as_at == plan.as_at), None)
        if target is None:
            groups.append([plan])
        else:
            target.append(plan)
    return sorted(groups, key=lambda g: (g[0].as_at or dt.date.max, g[0].plan_id))


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, for readable ids."""
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:24].strip("-") or "plan"
