"""Scoring recommendation links against the hand-checked expectations in tests/expected/links/.

Shared by the tests and scripts/calibrate_links.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

LINKS = Path(__file__).resolve().parent / "expected" / "links"


def load(name: str) -> dict:
    return json.loads((LINKS / f"{name}.json").read_text(encoding="utf-8"))


def _items(outdir: Path, plan_source: str) -> pd.DataFrame:
    """Every action and KPI of the plan: kind, id, ref, theme and its place among its kind."""
    actions = pd.read_parquet(outdir / "actions.parquet")
    kpis = pd.read_parquet(outdir / "kpis.parquet")
    a = actions[actions["source"] == plan_source]
    k = kpis[kpis["source"] == plan_source]
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "item_kind": "action",
                    "item_id": a["action_id"],
                    "ref": a["ref"],
                    "theme": a["theme"],
                }
            ),
            pd.DataFrame(
                {"item_kind": "kpi", "item_id": k["kpi_id"], "ref": k["ref"], "theme": k["theme"]}
            ),
        ],
        ignore_index=True,
    ).assign(ordinal=lambda f: f["item_id"].str[-4:].astype(int))


def top_links(links: pd.DataFrame, inspection: str, k: int) -> dict[int, pd.DataFrame]:
    theirs = links[(links["source"] == inspection) & (links["rank"] <= k)]
    return {int(n): g for n, g in theirs.groupby("rec_n")}


def mapping_recall(outdir: Path, links: pd.DataFrame, k: int = 3) -> tuple[int, int, list]:
    """Worcestershire: the (recommendation, outcome) pairs of the plan's own mapping that have
    an item of the outcome among the recommendation's top `k` links."""
    want = load("worcestershire_2017_scrutiny_update")
    items = _items(outdir, want["plan"]).set_index("item_id")
    top = top_links(links, want["inspection"], k)
    hits, missed = 0, []
    for rec, outcomes in want["mapping"].items():
        got = top.get(int(rec), pd.DataFrame(columns=["item_id"]))
        for outcome in outcomes:
            ordinals = set(want["kpi_ordinals"].get(str(outcome), []))
            found = False
            for item_id in got["item_id"]:
                item = items.loc[item_id]
                if item["item_kind"] == "action":
                    found |= str(item["ref"]).startswith(f"{outcome}.")
                else:
                    found |= bool(re.match(rf"^Outcome\s+{outcome}\b", str(item["theme"])))
                    found |= int(item["ordinal"]) in ordinals
            hits += found
            if not found:
                missed.append((int(rec), outcome))
    total = sum(len(v) for v in want["mapping"].values())
    return hits, total, missed


def expected_hits(outdir: Path, links: pd.DataFrame, k: int = 3) -> tuple[int, int, list]:
    """Bristol: the recommendations with a hand-checked expected action or KPI that have one
    among their top `k` links."""
    want = load("bristol_2016-17_getting_to_good")
    items = _items(outdir, want["plan"]).set_index("item_id")
    top = top_links(links, want["inspection"], k)
    hits, total, missed = 0, 0, []
    for rec, expected in want["expected"].items():
        if not (expected["actions"] or expected["kpis"]):
            continue
        total += 1
        got = top.get(int(rec), pd.DataFrame(columns=["item_id"]))
        found = any(
            items.loc[i, "ref"]
            in expected["actions" if items.loc[i, "item_kind"] == "action" else "kpis"]
            for i in got["item_id"]
        )
        hits += found
        if not found:
            missed.append(int(rec))
    return hits, total, missed
