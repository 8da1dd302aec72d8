"""The report's "What changed" data: per plan published in several versions, what moved
between its last two versions (status flows, due dates moved, actions added and dropped)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

NEW, DROPPED = "new", "dropped"


def _iso(value: object) -> str | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return text or None


def status_flows(older: pd.DataFrame, newer: pd.DataFrame) -> list[dict]:
    """Actions by (status meaning before, status meaning after) between two versions'
    action_history rows: "new" before an action added, "dropped" after one taken out."""
    joined = older[["action_key", "status_meaning"]].merge(
        newer[["action_key", "status_meaning"]],
        on="action_key",
        how="outer",
        suffixes=("_from", "_to"),
    )
    pairs = joined.assign(
        source=joined["status_meaning_from"].fillna(NEW),
        target=joined["status_meaning_to"].fillna(DROPPED),
    )
    counts = pairs.groupby(["source", "target"]).size().rename("n").reset_index()
    # What moved first, most actions first; then what stayed as it was.
    counts = counts.assign(_same=counts["source"] == counts["target"]).sort_values(
        ["_same", "n", "source", "target"], ascending=[True, False, True, True]
    )
    return [
        {"from": r.source, "to": r.target, "n": int(r.n)} for r in counts.itertuples(index=False)
    ]


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [
        {c: str(v) for c, v in zip(columns, r, strict=True)}
        for r in frame[columns].itertuples(index=False)
    ]


def lineage_to_payload(lineage: pd.Series, history: pd.DataFrame, changes: pd.DataFrame) -> dict:
    """One plan's versions and what changed between its last two."""
    mine = history[history["lineage_id"] == lineage["lineage_id"]]
    versions = (
        mine.groupby("version_no")
        .agg(as_at=("as_at", "first"), as_at_source=("as_at_source", "first"),
             source=("source", "first"), n_actions=("action_key", "size"))
        .reset_index()
    )  # fmt: skip
    last = int(lineage["n_versions"])
    older = mine[mine["version_no"] == last - 1]
    newer = mine[mine["version_no"] == last]
    moved = changes[
        (changes["lineage_id"] == lineage["lineage_id"]) & (changes["to_version"] == last)
    ]
    cols = ["action_key", "ref", "action", "old", "new"]
    return {
        "authority": lineage["authority"],
        "lineage_id": lineage["lineage_id"],
        "title": lineage["title"],
        "versions": [
            {
                "as_at": _iso(v.as_at),
                "as_at_source": v.as_at_source,
                "source": v.source,
                "n_actions": int(v.n_actions),
            }
            for v in versions.itertuples(index=False)
        ],
        "counts": {k: int(n) for k, n in moved["change"].value_counts().sort_index().items()},
        "flows": status_flows(older, newer),
        "due_moved": _rows(moved[moved["change"] == "due_date"], cols),
        "added": _rows(moved[moved["change"] == "added"], cols),
        "dropped": _rows(moved[moved["change"] == "dropped"], cols),
        "reworded": _rows(moved[moved["change"] == "text"], cols),
    }


def frames_to_history(frames: dict[str, pd.DataFrame]) -> dict:
    """Every plan with two or more versions, and how many plans were seen once."""
    lineages = frames.get("compare_lineages")
    if lineages is None or lineages.empty:
        return {"lineages": [], "n_single": 0}
    history, changes = frames["action_history"], frames["compare_changes"]
    several = lineages[lineages["n_versions"] > 1]
    return {
        "lineages": [lineage_to_payload(r, history, changes) for _, r in several.iterrows()],
        "n_single": int((lineages["n_versions"] == 1).sum()),
    }
