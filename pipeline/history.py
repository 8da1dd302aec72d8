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
from version to version; the change list (`compare_changes`) says what moved between each
version and the next. Everything here is recomputed over all plans at compare time, so the
same files give the same lineages, keys and changes in any order and across runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from pipeline.interpret.as_at import STATED_SOURCES
from schemas.tables import CHANGE_KINDS, HISTORY_COLUMNS

# Only these kinds of document are versions of a plan (as compare.COMPARED_KINDS).
COMPARED_KINDS = ("plan", "performance_report", "")
COPY_REASON = "copy"
EARLIER_VERSION_REASON = "earlier_version"
VERSION_REASONS = ("", EARLIER_VERSION_REASON)
UNKNOWN = "unknown"
HISTORY_TABLES = tuple(HISTORY_COLUMNS)
ACTION_HISTORY_COLUMNS = HISTORY_COLUMNS["action_history"]
CHANGE_COLUMNS = HISTORY_COLUMNS["compare_changes"]
LINEAGE_COLUMNS = HISTORY_COLUMNS["compare_lineages"]
ACTION_KEY_COLUMNS = HISTORY_COLUMNS["action_keys"]
PLAN_HISTORY_COLUMNS = ["lineage_id", "version_no", "n_versions", "as_at", "as_at_source"]
# Words a title drops before two versions' titles are compared: dates, periods, versions.
_TITLE_NOISE = re.compile(
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|q[1-4]|quarter|version|v\d\S*|"
    r"update[ds]?|position|progress|as at|at|draft|final|refresh(?:ed)?|\d+\S*)\b"
)


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

    @property
    def lead_key(self) -> str:
        return lead_key(self.leads)


@dataclass(frozen=True)
class Match:
    """An action of the older version (`old`) and of the newer (`new`), by index."""

    old: int
    new: int
    by: str  # "text" (same text), "ref" (same ref, texts agree), "similar" (similar text)
    score: float


@dataclass
class PlanInfo:
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


@dataclass(frozen=True)
class History:
    """compare_plans with each plan's lineage and version, and the history tables."""

    plans: pd.DataFrame
    frames: dict[str, pd.DataFrame]


# --------------------------------------------------------------------------- matching


def text_key(text: str) -> str:
    """Text as compared for sameness: case, spacing and punctuation ignored (as in SQL)."""
    return re.sub(r"[^a-z0-9]+", "", str(text).lower())


def lead_key(leads: str) -> str:
    """The set of leads, case and order ignored (as in SQL)."""
    return ";".join(sorted({x.strip() for x in str(leads).lower().split(";")} - {""}))


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def _ref_key(ref: str) -> str:
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


def changes_between(old: Sequence[Item], new: Sequence[Item], matches: Sequence[Match]) -> list:
    """(kind, old item or None, new item or None, old value, new value) for every change
    between two versions: per matched action its text, ref, status meaning, due date and
    leads; then the actions added and the actions dropped."""
    out: list[tuple[str, Item | None, Item | None, str, str]] = []
    for m in matches:
        a, b = old[m.old], new[m.new]
        if a.text_key != b.text_key:
            out.append(("text", a, b, a.action, b.action))
        if a.ref != b.ref:
            out.append(("ref", a, b, a.ref, b.ref))
        if a.status_meaning != b.status_meaning:
            out.append(("status", a, b, a.status_meaning, b.status_meaning))
        if a.due_date != b.due_date:
            out.append(("due_date", a, b, _iso(a.due_date), _iso(b.due_date)))
        if a.lead_key != b.lead_key:
            out.append(("lead", a, b, a.leads, b.leads))
    matched_old = {m.old for m in matches}
    matched_new = {m.new for m in matches}
    out += [
        ("added", None, b, "", b.status_meaning) for j, b in enumerate(new) if j not in matched_new
    ]
    out += [
        ("dropped", a, None, a.status_meaning, "")
        for i, a in enumerate(old)
        if i not in matched_old
    ]
    return out


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# --------------------------------------------------------------------------- lineages


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


def _components(plans: Sequence[PlanInfo], linked: Callable[[PlanInfo, PlanInfo], bool]) -> list:
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


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:24].strip("-") or "plan"


# --------------------------------------------------------------------------- frames in


def _items(actions: pd.DataFrame) -> dict[str, list[Item]]:
    """Each plan's actions in document order (action ids count up through a plan)."""
    out: dict[str, list[Item]] = {}
    if actions.empty:
        return out
    ordered = actions.sort_values(["plan_id", "action_id"], kind="stable")
    for row in ordered.itertuples(index=False):
        items = out.setdefault(row.plan_id, [])
        due = pd.to_datetime(row.due_date, errors="coerce")
        page = pd.to_numeric(row.page, errors="coerce")
        items.append(
            Item(
                action_id=str(row.action_id),
                ref=str(row.ref),
                action=str(row.action),
                status=str(row.status),
                status_meaning=str(row.status_meaning) or UNKNOWN,
                due_date=None if pd.isna(due) else due.date(),
                leads=str(row.leads),
                progress=str(row.progress),
                position=len(items) + 1,
                page=None if pd.isna(page) else int(page),
            )
        )
    return out


def _plan_infos(tables: dict[str, pd.DataFrame]) -> list[PlanInfo]:
    plans, kpis = tables["plans"], tables["kpis"]
    items = _items(tables["actions"])
    measures = (
        kpis.groupby("plan_id")["measure"].agg(lambda s: frozenset(text_key(m) for m in s))
        if not kpis.empty
        else pd.Series(dtype=object)
    )
    named = plans["authority"].str.strip()
    labels = named.where(named != "", "[" + plans["source"] + "]")
    reported_cols = [c for c in plans.columns if c.startswith("reported_") and c[9:] in _COLOURS]
    infos = []
    for label, (_, p) in zip(labels, plans.iterrows(), strict=True):
        as_at = pd.to_datetime(p.get("as_at"), errors="coerce")
        infos.append(
            PlanInfo(
                plan_id=p["plan_id"],
                label=label,
                source=p["source"],
                title=str(p.get("title", "")),
                doc_kind=str(p.get("doc_kind", "")),
                as_at=None if pd.isna(as_at) else as_at.date(),
                as_at_source=str(p.get("as_at_source", "") or ""),
                reported=tuple(None if pd.isna(p[c]) else float(p[c]) for c in reported_cols),
                items=items.get(p["plan_id"], []),
                measures=measures.get(p["plan_id"], frozenset()),
            )
        )
    return sorted(infos, key=lambda i: i.plan_id)


_COLOURS = ("red", "amber", "green", "blue")


# --------------------------------------------------------------------------- the history


@dataclass
class _Lineage:
    lineage_id: str
    label: str
    versions: list[list[PlanInfo]]  # version groups, oldest first
    compared: bool
    reps: list[PlanInfo] = field(default_factory=list)  # the copy kept of each version


def _lineage_id(label: str, first: Sequence[PlanInfo], taken: set[str]) -> str:
    """Readable and stable: the authority, and a digest of the first version's title and date."""
    title = min(title_key(p.title) for p in first)
    as_at = first[0].as_at.isoformat() if first[0].as_at else ""
    basis = f"{label}\0{title}\0{as_at}"
    lineage_id = f"{_slug(label)}-{hashlib.sha1(basis.encode()).hexdigest()[:8]}"
    if lineage_id in taken:  # two plans of one authority with one title and date
        basis += "\0" + min(p.plan_id for p in first)
        lineage_id = f"{_slug(label)}-{hashlib.sha1(basis.encode()).hexdigest()[:8]}"
    taken.add(lineage_id)
    return lineage_id


def _lineages(
    infos: Sequence[PlanInfo], settings: HistorySettings, copy_threshold: float
) -> list[_Lineage]:
    by_label: dict[str, list[PlanInfo]] = {}
    for info in infos:
        by_label.setdefault(info.label, []).append(info)
    out: list[_Lineage] = []
    taken: set[str] = set()
    for label in sorted(by_label):
        plans = by_label[label]
        compared = [p for p in plans if p.compared]
        groups = _components(compared, lambda a, b: same_lineage(a, b, settings, copy_threshold))
        for group in groups:
            versions = version_groups(group, settings)
            out.append(_Lineage(_lineage_id(label, versions[0], taken), label, versions, True))
        for p in plans:
            if not p.compared:  # an inspection report: a lineage of its own, never compared
                out.append(_Lineage(_lineage_id(label, [p], taken), label, [[p]], False))
    return out


def _with_copies(
    plans: pd.DataFrame,
    actions: pd.DataFrame,
    kpis: pd.DataFrame,
    lineages: Sequence[_Lineage],
    find_copies: Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame], pd.DataFrame],
) -> pd.DataFrame:
    """compare_plans, copies sought only among the plans of one version."""
    group_of = {
        p.plan_id: f"{lin.lineage_id}\x1f{n}"
        for lin in lineages
        for n, group in enumerate(lin.versions, start=1)
        for p in group
    }
    named = plans["authority"].str.strip()
    label = named.where(named != "", "[" + plans["source"] + "]")
    grouped = plans.assign(authority=plans["plan_id"].map(group_of).fillna(label))
    copies = find_copies(grouped, actions, kpis)
    copies["authority"] = copies["plan_id"].map(dict(zip(plans["plan_id"], label, strict=True)))
    return copies


def _representatives(lin: _Lineage, copies: pd.DataFrame) -> list[PlanInfo]:
    """The copy kept of each version; where the copy rule left two plans of one version
    (their texts read too differently), the one read from the most structured format (as
    the copy rule ranks them), then with most actions, then by file name."""
    from pipeline.compare import FORMAT_RANK

    copy_of = dict(zip(copies["plan_id"], copies["copy_of"], strict=True))
    formats = dict(zip(copies["plan_id"], copies["format"], strict=True))
    reps = []
    for group in lin.versions:
        kept = [p for p in group if not copy_of.get(p.plan_id)]
        reps.append(
            min(
                kept or group,
                key=lambda p: (
                    FORMAT_RANK.get(formats.get(p.plan_id, ""), len(FORMAT_RANK)),
                    -len(p.items),
                    p.source,
                    p.plan_id,
                ),
            )
        )
    return reps


def _keys(lin: _Lineage, settings: HistorySettings) -> tuple[dict, dict]:
    """action_id -> action_key for every plan of the lineage, and per version the matches
    with the version before (new index -> Match)."""
    keys: dict[str, str] = {}
    links: dict[str, dict[int, Match]] = {}
    counter = 0

    def new_key() -> str:
        nonlocal counter
        counter += 1
        return f"{lin.lineage_id}-A{counter:03d}"

    previous: PlanInfo | None = None
    for rep in lin.reps:
        matches = match_actions(previous.items, rep.items, settings) if previous else []
        links[rep.plan_id] = {m.new: m for m in matches}
        for j, item in enumerate(rep.items):
            m = links[rep.plan_id].get(j)
            keys[item.action_id] = keys[previous.items[m.old].action_id] if m else new_key()
        previous = rep
    for group, rep in zip(lin.versions, lin.reps, strict=True):
        for copy in sorted((p for p in group if p is not rep), key=lambda p: p.plan_id):
            found = {m.new: m for m in match_actions(rep.items, copy.items, settings)}
            for j, item in enumerate(copy.items):
                m = found.get(j)
                keys[item.action_id] = keys[rep.items[m.old].action_id] if m else new_key()
    return keys, links


def tables_to_history(
    tables: dict[str, pd.DataFrame],
    find_copies: Callable[[pd.DataFrame, pd.DataFrame, pd.DataFrame], pd.DataFrame],
    settings: HistorySettings | None = None,
    copy_threshold: float = 0.8,
) -> History:
    """Lineages, versions, action keys and changes over every plan read.

    `find_copies(plans, actions, kpis)` is compare.plans_to_copies: it is given the plans
    with each version as its own "authority", so copies are only sought within a version.
    Returns compare_plans with `lineage_id`, `version_no`, `n_versions`, `as_at` and
    `as_at_source`, earlier versions left out ("earlier_version"), and the history tables.
    """
    settings = settings or HistorySettings()
    plans, actions, kpis = tables["plans"], tables["actions"], tables["kpis"]
    infos = _plan_infos(tables)
    lineages = _lineages(infos, settings, copy_threshold)
    copies = _with_copies(plans, actions, kpis, lineages, find_copies)
    keys: dict[str, str] = {}
    history_rows: list[dict] = []
    change_rows: list[dict] = []
    plan_cols: dict[str, dict] = {}
    for lin in lineages:
        lin.reps = _representatives(lin, copies)
        lin_keys, links = _keys(lin, settings)
        keys |= lin_keys
        latest = lin.reps[-1].plan_id
        for n, (group, rep) in enumerate(zip(lin.versions, lin.reps, strict=True), start=1):
            for p in group:
                plan_cols[p.plan_id] = {
                    "lineage_id": lin.lineage_id,
                    "version_no": n,
                    "n_versions": len(lin.versions),
                    "as_at": rep.as_at,
                    "as_at_source": rep.as_at_source,
                    "_rep": p is rep,
                    "_earlier": p is rep and rep.plan_id != latest and lin.compared,
                    "_copy_of": "" if p is rep else rep.plan_id,
                }
        if not lin.compared:
            continue
        history_rows += _history_rows(lin, lin_keys, links)
        for n in range(1, len(lin.reps)):
            change_rows += _change_rows(lin, n, lin_keys, links, settings)
    history = _frame(history_rows, ACTION_HISTORY_COLUMNS)
    changes = _sorted_changes(_frame(change_rows, CHANGE_COLUMNS))
    frames = {
        "compare_lineages": _lineage_frame(lineages, changes),
        "compare_changes": changes,
        "action_history": history,
        "action_keys": _action_key_frame(actions, keys, plan_cols),
    }
    return History(plans=_plans_with_versions(copies, plan_cols), frames=frames)


def _history_rows(lin: _Lineage, keys: dict[str, str], links: dict) -> list[dict]:
    rows = []
    for n, rep in enumerate(lin.reps, start=1):
        for j, item in enumerate(rep.items):
            m = links[rep.plan_id].get(j)
            rows.append(
                {
                    "lineage_id": lin.lineage_id,
                    "action_key": keys[item.action_id],
                    "plan_id": rep.plan_id,
                    "as_at": rep.as_at,
                    "ref": item.ref,
                    "status": item.status,
                    "status_meaning": item.status_meaning,
                    "due_date": item.due_date,
                    "leads": item.leads,
                    "progress": item.progress,
                    "authority": lin.label,
                    "version_no": n,
                    "as_at_source": rep.as_at_source,
                    "action_id": item.action_id,
                    "action": item.action,
                    "position": item.position,
                    "source": rep.source,
                    "page": item.page,
                    "matched_by": m.by if m else "",
                    "match_score": m.score if m else None,
                }
            )
    return rows


def _change_rows(
    lin: _Lineage, n: int, keys: dict[str, str], links: dict, settings: HistorySettings
) -> list[dict]:
    """The changes from version n to version n + 1 (n counted from 1)."""
    old, new = lin.reps[n - 1], lin.reps[n]
    matches = sorted(links[new.plan_id].values(), key=lambda m: m.new)
    rows = []
    for kind, a, b, before, after in changes_between(old.items, new.items, matches):
        item = b or a
        rows.append(
            {
                "authority": lin.label,
                "lineage_id": lin.lineage_id,
                "from_plan_id": old.plan_id,
                "to_plan_id": new.plan_id,
                "from_as_at": old.as_at,
                "to_as_at": new.as_at,
                "action_key": keys[item.action_id],
                "ref": item.ref,
                "action": item.action,
                "change": kind,
                "old": before,
                "new": after,
                "from_version": n,
                "to_version": n + 1,
                "from_action_id": a.action_id if a else "",
                "to_action_id": b.action_id if b else "",
                "from_source": old.source,
                "to_source": new.source,
            }
        )
    return rows


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for col in frame.columns:
        if col in ("as_at", "due_date", "from_as_at", "to_as_at", "first_as_at", "last_as_at"):
            frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
        elif col in ("version_no", "from_version", "to_version", "position", "page", "n_versions"):
            frame[col] = pd.array(frame[col], dtype="Int64")
        elif col == "match_score":
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("Float64")
        elif col.startswith("n_"):
            frame[col] = pd.array(frame[col], dtype="Int64")
        else:
            frame[col] = frame[col].astype(object).where(frame[col].notna(), "").astype(str)
    return frame


def _sorted_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Per lineage and version: each action's changes in the newer version's order, then
    the actions dropped in the older version's order (as v_compare_changes sorts them)."""
    order = {k: i for i, k in enumerate(CHANGE_KINDS)}
    return (
        changes.assign(_dropped=changes["to_action_id"] == "", _kind=changes["change"].map(order))
        .sort_values(
            [
                "authority",
                "lineage_id",
                "to_version",
                "_dropped",
                "to_action_id",
                "from_action_id",
                "_kind",
            ],
            kind="stable",
        )
        .drop(columns=["_dropped", "_kind"])
        .reset_index(drop=True)
    )


def _lineage_frame(lineages: Sequence[_Lineage], changes: pd.DataFrame) -> pd.DataFrame:
    counts = (
        changes.groupby(["lineage_id", "change"]).size().unstack(fill_value=0)
        if not changes.empty
        else pd.DataFrame()
    )
    rows = []
    for lin in lineages:
        if not lin.compared:
            continue
        dates = [r.as_at for r in lin.reps if r.as_at is not None]
        row = {
            "authority": lin.label,
            "lineage_id": lin.lineage_id,
            "title": lin.reps[-1].title,
            "n_versions": len(lin.reps),
            "first_as_at": min(dates, default=None),
            "last_as_at": max(dates, default=None),
            "as_at_dates": "; ".join(_iso(r.as_at) for r in lin.reps),
            "as_at_sources": "; ".join(r.as_at_source for r in lin.reps),
            "plan_ids": "; ".join(r.plan_id for r in lin.reps),
            "sources": "; ".join(r.source for r in lin.reps),
            "actions_by_version": "; ".join(str(len(r.items)) for r in lin.reps),
            "latest_plan_id": lin.reps[-1].plan_id,
        }
        for kind in CHANGE_KINDS:
            has = lin.lineage_id in counts.index and kind in counts.columns
            row[f"n_{kind}"] = int(counts.loc[lin.lineage_id, kind]) if has else 0
        row["n_changes"] = sum(row[f"n_{k}"] for k in CHANGE_KINDS)
        rows.append(row)
    frame = _frame(rows, LINEAGE_COLUMNS)
    return frame.sort_values(["authority", "lineage_id"], ignore_index=True)


def _action_key_frame(
    actions: pd.DataFrame, keys: dict[str, str], plan_cols: dict[str, dict]
) -> pd.DataFrame:
    frame = actions[["action_id", "plan_id", "source"]].copy()
    frame["lineage_id"] = frame["plan_id"].map(lambda p: plan_cols.get(p, {}).get("lineage_id", ""))
    frame["action_key"] = frame["action_id"].map(keys).fillna("")
    return _frame(frame.to_dict("records"), ACTION_KEY_COLUMNS).sort_values(
        ["plan_id", "action_id"], ignore_index=True
    )


def _plans_with_versions(copies: pd.DataFrame, plan_cols: dict[str, dict]) -> pd.DataFrame:
    """compare_plans: copies point at the copy kept of their own version; the kept copy of
    every version but the latest is left out as an earlier version."""
    out = copies.copy()
    info = out["plan_id"].map(plan_cols)
    source_of = dict(zip(out["plan_id"], out["source"], strict=True))
    compared = out["excluded_reason"].isin(["", COPY_REASON])
    out["copy_of"] = [i["_copy_of"] if c else "" for i, c in zip(info, compared, strict=True)]
    out["copy_of_source"] = out["copy_of"].map(lambda p: source_of.get(p, ""))
    out["excluded_reason"] = [
        (COPY_REASON if i["_copy_of"] else EARLIER_VERSION_REASON if i["_earlier"] else "")
        if c
        else reason
        for i, c, reason in zip(info, compared, out["excluded_reason"], strict=True)
    ]
    for col in PLAN_HISTORY_COLUMNS:
        out[col] = [i[col] for i in info]
    out["as_at"] = out["as_at"].astype(object).where(out["as_at"].notna(), None)
    for col in ("version_no", "n_versions"):
        out[col] = pd.array(out[col], dtype="Int64")
    return out


# --------------------------------------------------------------------------- SQL views


def _sql_text_key(col: str) -> str:
    return f"regexp_replace(lower(COALESCE({col}, '')), '[^a-z0-9]+', '', 'g')"


def _sql_lead_key(col: str) -> str:
    return (
        f"array_to_string(list_sort(list_distinct(list_filter(list_transform("
        f"string_split(lower(COALESCE({col}, '')), ';'), lambda x: trim(x)), lambda x: x <> ''))), ';')"
    )


def _sql_iso(col: str) -> str:
    return f"COALESCE(strftime(TRY_CAST({col} AS DATE), '%Y-%m-%d'), '')"


def history_views() -> dict[str, str]:
    """SQL views that give the same rows as compare_changes and compare_lineages.

    The matching of actions across versions is fuzzy, so it is done in Python: the views
    read its result, `action_history` (each action's `action_key` in each version) and
    `compare_plans` (each plan's lineage and version), and redo the rest in SQL.
    """
    versions = f"""
        SELECT authority, lineage_id, version_no, plan_id, title, source,
               TRY_CAST(as_at AS DATE) AS as_at, as_at_source
        FROM compare_plans
        WHERE excluded_reason IN ('', '{EARLIER_VERSION_REASON}') AND COALESCE(lineage_id, '') <> ''"""
    kind_order = "list_position([" + ", ".join(f"'{k}'" for k in CHANGE_KINDS) + "], change)"
    pair_cols = "p.authority, p.lineage_id, p.from_plan_id, p.to_plan_id, p.from_as_at, p.to_as_at"
    tail = "p.from_version, p.to_version"
    srcs = "p.from_source, p.to_source"
    matched = [
        (
            "text",
            "o.action",
            "n.action",
            f"{_sql_text_key('o.action')} <> {_sql_text_key('n.action')}",
        ),
        ("ref", "o.ref", "n.ref", "o.ref <> n.ref"),
        ("status", "o.status_meaning", "n.status_meaning", "o.status_meaning <> n.status_meaning"),
        (
            "due_date",
            _sql_iso("o.due_date"),
            _sql_iso("n.due_date"),
            f"{_sql_iso('o.due_date')} <> {_sql_iso('n.due_date')}",
        ),
        ("lead", "o.leads", "n.leads", f"{_sql_lead_key('o.leads')} <> {_sql_lead_key('n.leads')}"),
    ]
    parts = [
        f"""SELECT {pair_cols}, n.action_key, n.ref, n.action, '{kind}' AS change,
                   {old} AS old, {new} AS new, {tail}, o.action_id AS from_action_id,
                   n.action_id AS to_action_id, {srcs}
            FROM both_ p JOIN action_history o ON o.plan_id = p.from_plan_id
                         JOIN action_history n ON n.plan_id = p.to_plan_id AND n.action_key = o.action_key
            WHERE {where}"""
        for kind, old, new, where in matched
    ]
    parts.append(
        f"""SELECT {pair_cols}, n.action_key, n.ref, n.action, 'added', '', n.status_meaning, {tail},
                   '', n.action_id, {srcs}
            FROM both_ p JOIN action_history n ON n.plan_id = p.to_plan_id
            WHERE NOT EXISTS (SELECT 1 FROM action_history o
                              WHERE o.plan_id = p.from_plan_id AND o.action_key = n.action_key)"""
    )
    parts.append(
        f"""SELECT {pair_cols}, o.action_key, o.ref, o.action, 'dropped', o.status_meaning, '', {tail},
                   o.action_id, '', {srcs}
            FROM both_ p JOIN action_history o ON o.plan_id = p.from_plan_id
            WHERE NOT EXISTS (SELECT 1 FROM action_history n
                              WHERE n.plan_id = p.to_plan_id AND n.action_key = o.action_key)"""
    )
    counts = ", ".join(f"COUNT(*) FILTER (WHERE change = '{k}') AS n_{k}" for k in CHANGE_KINDS)
    zeroed = ", ".join(f"COALESCE(c.n_{k}, 0) AS n_{k}" for k in CHANGE_KINDS)
    total = " + ".join(f"COALESCE(c.n_{k}, 0)" for k in CHANGE_KINDS)
    return {
        "v_compare_changes": f"""
            WITH v AS ({versions}),
            both_ AS (
                SELECT t.authority, f.lineage_id, f.plan_id AS from_plan_id, t.plan_id AS to_plan_id,
                       f.as_at AS from_as_at, t.as_at AS to_as_at, f.version_no AS from_version,
                       t.version_no AS to_version, f.source AS from_source, t.source AS to_source
                FROM v f JOIN v t ON t.lineage_id = f.lineage_id AND t.version_no = f.version_no + 1)
            SELECT * FROM ({" UNION ALL ".join(parts)}) AS c
            ORDER BY authority, lineage_id, to_version, to_action_id = '', to_action_id, from_action_id,
                     {kind_order}""",
        "v_compare_lineages": f"""
            WITH v AS ({versions}),
            n AS (SELECT plan_id, COUNT(*) AS n FROM action_history GROUP BY ALL),
            l AS (
                SELECT v.authority, v.lineage_id, arg_max(v.title, v.version_no) AS title,
                       COUNT(*) AS n_versions, MIN(v.as_at) AS first_as_at, MAX(v.as_at) AS last_as_at,
                       string_agg({_sql_iso("v.as_at")}, '; ' ORDER BY v.version_no) AS as_at_dates,
                       string_agg(COALESCE(v.as_at_source, ''), '; ' ORDER BY v.version_no) AS as_at_sources,
                       string_agg(v.plan_id, '; ' ORDER BY v.version_no) AS plan_ids,
                       string_agg(v.source, '; ' ORDER BY v.version_no) AS sources,
                       string_agg(CAST(COALESCE(n.n, 0) AS VARCHAR), '; ' ORDER BY v.version_no)
                           AS actions_by_version,
                       arg_max(v.plan_id, v.version_no) AS latest_plan_id
                FROM v LEFT JOIN n USING (plan_id) GROUP BY v.authority, v.lineage_id),
            c AS (SELECT lineage_id, {counts} FROM v_compare_changes GROUP BY ALL)
            SELECT l.*, {zeroed}, {total} AS n_changes
            FROM l LEFT JOIN c USING (lineage_id)
            ORDER BY l.authority, l.lineage_id""",
    }
