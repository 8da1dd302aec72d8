"""NLP stage speed: cells per second through `tag_plans`, and its share of end-to-end time
(CPU seconds of this process, so other jobs on the machine do not skew it).

    python benchmarks/bench_nlp.py            # prints the table
    run() -> dict                             # for benchmarks/run.py

Two workloads: a synthetic batch of plans built from typical cell values (many distinct
texts, so the date cache helps less than on real plans), and the real documents found in
samples/ and ../shared/{seeds,rendered}, where extraction + interpretation is timed too so
the NLP share of the end-to-end time can be reported.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from planx.pipeline.nlp.dates import clear_date_cache  # noqa: E402
from planx.pipeline.nlp.stage import build_nlp, tag_plans  # noqa: E402
from planx.schemas.records import (  # noqa: E402
    KPI,
    Action,
    DateValue,
    GlossaryEntry,
    Milestone,
    Plan,
    RecordProvenance,
    Status,
)

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
ROLES = [
    "Head of Service Children in Care",
    "Team Manager, Fostering",
    "Service Manager Early Help",
    "Assistant Director Safeguarding",
    "Principal Social Worker",
    "Virtual School Head",
    "LSCB Business Manager",
    "Head of Quality Assurance & Performance",
    "Group Manager Court Team",
    "DCS",
    "HoS",
    "PSW",
]
PEOPLE = ["ANNA BELL", "Tom Hart", "RUTH OKAFOR", "Sam Pike", "JO KENT"]
INITIALS = ["AB", "TH", "RO", "SP", "JK", "MW"]
STATUSES = ["G", "A", "R", "B", "Green", "Amber", "Red", "Complete", "On track", "Overdue", ""]
FILLS = [None, "#00B050", "#FFC000", "#FF0000", "#0070C0", "#92D050"]
FREQUENCIES = ["Monthly", "quarterly", "Quarterly", "6-monthly", "Annual", "weekly", "termly"]
TARGETS = ["80%", "90%", "4 / 7", "439", "< 10%", "20 days", "2.5%", "60"]


def _due(rng: random.Random) -> str:
    y = rng.choice([17, 18, 19])
    m = rng.randrange(12)
    d = rng.randint(1, 28)
    return rng.choice(
        [
            f"{MONTHS[m]} {2000 + y}",
            f"{MONTHS[m]}-{y}",
            f"{d:02d}/{m + 1:02d}/20{y}",
            f"Q{m // 3 + 1} 20{y}/{y + 1}",
            f"end of {MONTHS[m]} 20{y}",
            "TBC",
            "Ongoing",
            "Report quarterly",
            f"{d} {MONTHS[m]}",
            f"Spring 20{y}",
        ]
    )


def synthetic_plans(
    n_plans: int = 40, actions: int = 120, kpis: int = 30, seed: int = 7
) -> list[Plan]:
    rng = random.Random(seed)
    prov = RecordProvenance(source="bench")
    plans = []
    for p in range(n_plans):
        acts = []
        for i in range(actions):
            lead = rng.choice(
                [
                    rng.choice(ROLES),
                    " / ".join(rng.sample(PEOPLE, 2)),
                    "/".join(rng.sample(INITIALS, 2)),
                    rng.choice(ROLES) + " " + rng.choice(ROLES),
                ]
            )
            acts.append(
                Action(
                    text=f"action {i}",
                    lead_raw=lead,
                    provenance=prov,
                    due=DateValue(raw=_due(rng)),
                    start=DateValue(raw=_due(rng)) if i % 3 == 0 else None,
                    status=Status(raw=rng.choice(STATUSES), fill=rng.choice(FILLS)),
                    milestones=[
                        Milestone(
                            text="m",
                            column="March",
                            date=DateValue(raw=f"{rng.randint(1, 31):02d} Mar"),
                        )
                    ],
                )
            )
        ks = [
            KPI(
                measure=f"kpi {i}",
                owner_raw=rng.choice(ROLES),
                frequency_raw=rng.choice(FREQUENCIES),
                target_raw=rng.choice(TARGETS),
                target_due=DateValue(raw=_due(rng)),
                provenance=prov,
            )
            for i in range(kpis)
        ]
        plans.append(
            Plan(
                plan_id=f"p{p}",
                source="bench",
                sha256="0",
                format="txt",
                period="2017-18",
                glossary=[GlossaryEntry(abbreviation="AB", expansion="Anna Bell, Head of Service")],
                actions=acts,
                kpis=ks,
            )
        )
    return plans


def count_cells(plans: list[Plan]) -> int:
    n = 0
    for plan in plans:
        for a in plan.actions:
            n += bool(a.lead_raw) + bool(a.due and a.due.raw) + bool(a.start and a.start.raw)
            n += bool(a.status.raw or a.status.fill) + sum(
                bool(m.date.raw or m.column) for m in a.milestones
            )
        for k in plan.kpis:
            n += (
                bool(k.owner_raw)
                + bool(k.frequency_raw)
                + bool(k.target_raw)
                + bool(k.target_due and k.target_due.raw)
            )
    return n


def _documents() -> list[Path]:
    found = []
    for folder in (
        REPO / "samples",
        REPO.parent / "shared" / "seeds",
        REPO.parent / "shared" / "rendered",
    ):
        if folder.is_dir():
            found += sorted(
                p
                for p in folder.iterdir()
                if p.suffix.lower() in (".pdf", ".docx", ".txt", ".md", ".xlsx", ".html")
            )
    return found


def end_to_end_share(nlp) -> dict[str, Any]:
    """Extract + interpret vs NLP time over the real documents available."""
    from planx.extractors import extract
    from planx.pipeline.interpret import interpret
    from planx.pipeline.nlp.statuses import fill_to_colour

    t_front = t_nlp = 0.0
    cells = files = 0
    for path in _documents():
        try:
            t0 = time.process_time()
            plan = interpret(extract(path), plan_id="b", sha256="0", fill_to_colour=fill_to_colour)
            t1 = time.process_time()
        except Exception:
            continue
        tag_plans([plan], nlp)
        t2 = time.process_time()
        t_front += t1 - t0
        t_nlp += t2 - t1
        cells += count_cells([plan])
        files += 1
    total = t_front + t_nlp
    return {
        "files": files,
        "cells": cells,
        "extract_interpret_s": round(t_front, 3),
        "nlp_s": round(t_nlp, 3),
        "nlp_share": round(t_nlp / total, 3) if total else None,
    }


def run(n_plans: int = 40) -> dict[str, Any]:
    t0 = time.perf_counter()
    nlp = build_nlp()
    t_build = time.perf_counter() - t0
    plans = synthetic_plans(n_plans)
    cells = count_cells(plans)
    # CPU time of this process: other jobs on a shared machine do not count against it.
    clear_date_cache()
    t0 = time.process_time()
    tag_plans(plans, nlp)
    cold = time.process_time() - t0
    t0 = time.process_time()
    tag_plans(plans, nlp)
    warm = time.process_time() - t0
    share = end_to_end_share(nlp)
    result: dict[str, Any] = {
        "build_s": round(t_build, 3),
        "cells": cells,
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "cells_per_s_cold": round(cells / cold),
        "cells_per_s_warm": round(cells / warm),
        **{f"real_{k}": v for k, v in share.items()},
    }
    share_text = f"{share['nlp_share']:.1%}" if share["nlp_share"] is not None else "n/a"
    result["markdown"] = "\n".join(
        [
            "| measure | value |",
            "| --- | --- |",
            f"| build_nlp (once per run) | {t_build:.2f} s |",
            f"| synthetic batch | {n_plans} plans, {cells} cells |",
            f"| tag_plans, cold date cache (CPU) | {cold:.2f} s, {cells / cold:,.0f} cells/s |",
            f"| tag_plans, warm date cache (CPU) | {warm:.2f} s, {cells / warm:,.0f} cells/s |",
            f"| real documents | {share['files']} files, {share['cells']} cells |",
            f"| extract + interpret / NLP (CPU) | {share['extract_interpret_s']:.2f} s / {share['nlp_s']:.2f} s |",
            f"| NLP share of end-to-end | {share_text} |",
        ]
    )
    return result


if __name__ == "__main__":
    out = run()
    print(out.pop("markdown"))
    print(out)
