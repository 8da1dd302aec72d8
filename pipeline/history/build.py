"""The history over every plan read: lineages, versions, action keys, the tables."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from planx.pipeline.copies import authority_label
from planx.pipeline.history.lineage import (
    PlanInfo,
    components,
    same_lineage,
    slug,
    title_key,
    version_groups,
)
from planx.pipeline.history.match import (
    UNKNOWN,
    HistorySettings,
    Item,
    Match,
    match_actions,
    text_key,
)
from planx.schemas.table_columns import (
    COPY_REASON,
    EARLIER_VERSION_REASON,
    FORMAT_RANK,
    HISTORY_COLUMNS,
)

ACTION_HISTORY_COLUMNS = HISTORY_COLUMNS["action_history"]
ACTION_KEY_COLUMNS = HISTORY_COLUMNS["action_keys"]
PLAN_HISTORY_COLUMNS = ["lineage_id", "version_no", "n_versions", "as_at", "as_at_source"]
_COLOURS = ("red", "amber", "green", "blue")  # reported counts by colour: copies agree on them


@dataclass(frozen=True)
class History:
    """compare_plans with each plan's lineage and version, and the tables only Python can
    compute: action_history (each action's key in each version) and action_keys."""

    plans: pd.DataFrame
    frames: dict[str, pd.DataFrame]


# --------------------------------------------------------------------------- frames in


def items_by_plan(actions: pd.DataFrame) -> dict[str, list[Item]]:
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
    """Every plan read, with its actions and measures, in plan_id order."""
    plans, kpis = tables["plans"], tables["kpis"]
    items = items_by_plan(tables["actions"])
    measures = (
        kpis.groupby("plan_id")["measure"].agg(lambda s: frozenset(text_key(m) for m in s))
        if not kpis.empty
        else pd.Series(dtype=object)
    )
    labels = authority_label(plans)
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


# --------------------------------------------------------------------------- the history


@dataclass
class _Lineage:
    """One plan's versions, oldest first."""

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
    lineage_id = f"{slug(label)}-{hashlib.sha1(basis.encode()).hexdigest()[:8]}"
    if lineage_id in taken:  # two plans of one authority with one title and date
        basis += "\0" + min(p.plan_id for p in first)
        lineage_id = f"{slug(label)}-{hashlib.sha1(basis.encode()).hexdigest()[:8]}"
    taken.add(lineage_id)
    return lineage_id


def _lineages(
    infos: Sequence[PlanInfo], settings: HistorySettings, copy_threshold: float
) -> list[_Lineage]:
    """The lineages of each authority's compared plans, and each other document alone."""
    by_label: dict[str, list[PlanInfo]] = {}
    for info in infos:
        by_label.setdefault(info.label, []).append(info)
    out: list[_Lineage] = []
    taken: set[str] = set()
    for label in sorted(by_label):
        plans = by_label[label]
        compared = [p for p in plans if p.compared]
        groups = components(compared, lambda a, b: same_lineage(a, b, settings, copy_threshold))
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
            keys[item.action_id] = (
                keys[previous.items[m.old].action_id] if m and previous else new_key()
            )
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
    """Lineages, versions and action keys over every plan read (what changed between
    versions is the views' to say: pipeline/history/views.py).

    `find_copies(plans, actions, kpis)` is compare.plans_to_copies: it is given the plans
    with each version as its own "authority", so copies are only sought within a version.
    Returns compare_plans with `lineage_id`, `version_no`, `n_versions`, `as_at` and
    `as_at_source`, earlier versions left out ("earlier_version"), and `action_history`
    and `action_keys`.
    """
    settings = settings or HistorySettings()
    plans, actions, kpis = tables["plans"], tables["actions"], tables["kpis"]
    infos = _plan_infos(tables)
    lineages = _lineages(infos, settings, copy_threshold)
    copies = _with_copies(plans, actions, kpis, lineages, find_copies)
    keys: dict[str, str] = {}
    history_rows: list[dict] = []
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
    frames = {
        "action_history": _frame(history_rows, ACTION_HISTORY_COLUMNS),
        "action_keys": _action_key_frame(actions, keys, plan_cols),
    }
    return History(plans=_plans_with_versions(copies, plan_cols), frames=frames)


def _history_rows(lin: _Lineage, keys: dict[str, str], links: dict) -> list[dict]:
    """action_history: every action of every version kept."""
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


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as a frame of the table's columns and types (dates as dates, blanks as "")."""
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


def _action_key_frame(
    actions: pd.DataFrame, keys: dict[str, str], plan_cols: dict[str, dict]
) -> pd.DataFrame:
    """action_keys: every action of every plan read, with its lineage and key."""
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
    # A file with another's bytes shares its plan_id: it stays a copy of the file read.
    identical = out["copy_of"] == out["plan_id"]
    kept_copy = out.loc[identical, ["copy_of", "copy_of_source", "excluded_reason"]].copy()
    read = out[~identical]
    source_of = dict(zip(read["plan_id"], read["source"], strict=True))
    compared = out["excluded_reason"].isin(["", COPY_REASON]) & ~identical
    out["copy_of"] = [i["_copy_of"] if c else "" for i, c in zip(info, compared, strict=True)]
    out["copy_of_source"] = out["copy_of"].map(lambda p: source_of.get(p, ""))
    out["excluded_reason"] = [
        (COPY_REASON if i["_copy_of"] else EARLIER_VERSION_REASON if i["_earlier"] else "")
        if c
        else reason
        for i, c, reason in zip(info, compared, out["excluded_reason"], strict=True)
    ]
    out.loc[identical, ["copy_of", "copy_of_source", "excluded_reason"]] = kept_copy
    for col in PLAN_HISTORY_COLUMNS:
        out[col] = [i[col] for i in info]
    out["as_at"] = out["as_at"].astype(object).where(out["as_at"].notna(), None)
    for col in ("version_no", "n_versions"):
        out[col] = pd.array(out[col], dtype="Int64")
    return out
