"""Draft an expected file for a real plan from planx's own output, for a person to check.

    python scripts/draft_expected.py ../shared/seeds/x.txt > tests/expected/x.json

The draft is only a starting point: every value must be checked by hand
against the document before it is committed (that is what makes it expected).
Actions keep their ref and opening words, not whole passages of council text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planx.pipeline.flatten import plan_to_action_rows, plan_to_kpi_rows  # noqa: E402
from planx.pipeline.process import process_file  # noqa: E402

OPENING_WORDS = 6


def opening(text: str) -> str:
    return " ".join(text.split()[:OPENING_WORDS])


def iso(value) -> str | None:
    return value.isoformat() if value else None


def draft(path: Path) -> dict:
    plan = process_file(path).plan
    assert plan is not None, f"{path} could not be read"
    actions = [
        {
            "ref": r["ref"],
            "opening": opening(r["action"]),
            "theme": r["theme"],
            "leads": [x for x in r["leads"].split("; ") if x],
            "due_date": iso(r["due_date"]),
            "start_date": iso(r["start_date"]),
            "status": r["status"] or None,
            "status_meaning": r["status_meaning"],
        }
        for r in plan_to_action_rows(plan)
    ]
    kpis = [
        {
            "ref": r["ref"],
            "opening": opening(r["measure"]),
            "theme": r["theme"],
            "owner": [x for x in r["owner"].split("; ") if x],
            "frequency": r["frequency"],
            "target_raw": r["target_raw"],
            "target_value": r["target_value"],
            "target_unit": r["target_unit"],
            "target_due": iso(r["target_due"]),
        }
        for r in plan_to_kpi_rows(plan)
    ]
    return {
        "plan": {"authority": plan.authority, "period": plan.period},
        "status_counts": plan.reported_status_counts,
        "actions": actions,
        "kpis": kpis,
    }


if __name__ == "__main__":
    json.dump(draft(Path(sys.argv[1])), sys.stdout, indent=1, ensure_ascii=False, default=str)
    print()
