"""What a document is: an improvement/action plan, a performance report, an inspection
report, or something else.

Decided from the document's content and from what was read from it, never from its
file name. Each kind gathers evidence with a weight; the heaviest wins and its
evidence is kept as the basis:

- inspection report: separate inspection cues in the first pages (an "Inspection of
  ... children's services" heading, inspection dates, the lead inspector, a table of
  judgement grades, ...), at least MIN_INSPECTION_CUES of them, more than the other
  kinds' evidence, and fewer than MANY_ACTIONS actions read;
- performance report: KPIs that carry a rating or a latest value, outnumbering the
  actions; counts reported for indicators; a status key worded for measures (target,
  floor, tolerance, comparator); a title naming a performance report, scorecard or
  data profile;
- plan: actions read; counts reported for actions; KPIs listed (with their targets)
  without being rated; a title naming a plan, strategy or programme.

The kind never changes what is extracted: every action and KPI read is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from planx.pipeline.data_files import read_data_json
from planx.pipeline.nlp.statuses import key_meaning
from planx.schemas.layout import LayoutDocument
from planx.schemas.records import KPI, Plan

INSPECTION_PAGES = 3  # inspection cues are read on the first pages ...
INSPECTION_BLOCKS = 80  # ... or in the first blocks of a format without pages
MIN_INSPECTION_CUES = 3
TITLE_BLOCKS = 12  # the first heading is looked for in these blocks
MANY_ACTIONS = 10
SOME_ACTIONS = 3
MIN_RATED_KPIS = 3
MIN_LISTED_KPIS = 3


@dataclass(frozen=True)
class DocKind:
    """A document's kind and the evidence it was read from."""

    kind: str
    basis: str


@dataclass(frozen=True)
class _Cues:
    inspection: tuple[tuple[str, re.Pattern[str]], ...]
    grade: re.Pattern[str]
    min_grade_cells: int
    plan_title: tuple[tuple[str, re.Pattern[str]], ...]
    performance_title: tuple[tuple[str, re.Pattern[str]], ...]


def _patterns(group: dict[str, str]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(p, re.IGNORECASE)) for name, p in group.items())


@lru_cache(maxsize=1)
def load_cues() -> _Cues:
    """The cue words of pipeline/data/doc_kind_cues.json, compiled."""
    data: dict[str, Any] = read_data_json("doc_kind_cues.json")
    return _Cues(
        inspection=_patterns(data["inspection"]),
        grade=re.compile(data["judgement_grade"], re.IGNORECASE),
        min_grade_cells=int(data["min_grade_cells"]),
        plan_title=_patterns(data["plan_title"]),
        performance_title=_patterns(data["performance_title"]),
    )


def _opening(doc: LayoutDocument) -> list:
    """The blocks of the first pages (the first blocks where a format has no pages)."""
    paged = [b for b in doc.blocks if b.prov.page is not None]
    if paged:
        return [b for b in doc.blocks if (b.prov.page or 0) <= INSPECTION_PAGES]
    return list(doc.blocks[:INSPECTION_BLOCKS])


def inspection_cues(doc: LayoutDocument) -> list[str]:
    """The separate inspection cues the document's first pages show, by name."""
    cues = load_cues()
    found: list[str] = []
    grades = 0
    for block in _opening(doc):
        if block.table is not None:
            cells = [t.strip() for row in block.table.texts() for t in row]
            grades += sum(bool(cues.grade.match(t)) for t in cells if t)
            texts = cells
        else:
            texts = [block.text.strip()]
        for name, pattern in cues.inspection:
            if name not in found and any(pattern.search(t) for t in texts if t):
                found.append(name)
    if grades >= cues.min_grade_cells:
        found.append("judgement grades")
    return found


def _title_cues(doc: LayoutDocument, plan: Plan, group: str) -> list[str]:
    heading = next((b.text for b in doc.blocks[:TITLE_BLOCKS] if b.kind == "heading"), "")
    lines = [t for t in (plan.title, heading) if t]
    return [
        name
        for name, pattern in getattr(load_cues(), group)
        if any(pattern.search(t) for t in lines)
    ]


def _rated(kpi: KPI) -> bool:
    s = kpi.status
    return bool(s.raw or s.fill or s.colour or s.icon_fill or s.text_colour or kpi.actual_raw)


def _measure_key(plan: Plan) -> bool:
    """Whether the status key is worded for measures (target, floor, tolerance, comparator)."""
    rated = [e for e in plan.legend.entries if key_meaning(e.label) not in (None, "unknown")]
    return len(rated) >= 2


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def document_kind(doc: LayoutDocument, plan: Plan) -> DocKind:
    """The kind of a document, from its content and the records read from it."""
    n_actions = len(plan.actions)
    n_rated = sum(_rated(k) for k in plan.kpis)
    n_targets = sum(bool(k.target_raw) for k in plan.kpis)
    evidence: dict[str, list[tuple[int, str]]] = {"plan": [], "performance_report": []}

    perf = evidence["performance_report"]
    if n_rated >= MIN_RATED_KPIS and n_rated > n_actions:
        perf.append((2, f"{n_rated} of {_plural(len(plan.kpis), 'KPI')} rated"))
    if plan.reported_counts_of == "indicators":
        perf.append((2, "reports status counts of indicators"))
    if _measure_key(plan):
        perf.append((1, "status key rates measures"))
    perf += [(1, f"title {c}") for c in _title_cues(doc, plan, "performance_title")]

    work = evidence["plan"]
    if n_actions:
        weight = 3 if n_actions >= MANY_ACTIONS else 2 if n_actions >= SOME_ACTIONS else 1
        work.append((weight, _plural(n_actions, "action")))
    if plan.reported_counts_of == "actions":
        work.append((2, "reports status counts of actions"))
    if len(plan.kpis) >= MIN_LISTED_KPIS and n_rated == 0:
        # Measures set out (with their targets) but not rated: what a plan commits to.
        targets = f", {n_targets} with targets" if n_targets else ""
        work.append((1, f"{_plural(len(plan.kpis), 'KPI')} listed, none rated{targets}"))
    work += [(1, f"title {c}") for c in _title_cues(doc, plan, "plan_title")]

    scores = {kind: sum(w for w, _ in found) for kind, found in evidence.items()}
    cues = inspection_cues(doc)
    # An inspection report lists no actions: a document with many is a plan that quotes
    # its inspection on its opening pages.
    if (
        len(cues) >= MIN_INSPECTION_CUES
        and len(cues) > max(scores.values())
        and n_actions < MANY_ACTIONS
    ):
        return DocKind("inspection_report", "inspection cues: " + ", ".join(cues))
    # A tie goes to the plan: a plan that reports on its measures is still a plan.
    if scores["plan"] and scores["plan"] >= scores["performance_report"]:
        kind = "plan"
    elif scores["performance_report"]:
        kind = "performance_report"
    else:
        found = f"{_plural(n_actions, 'action')}, {_plural(len(plan.kpis), 'KPI')}"
        return DocKind("other", f"no plan or report evidence ({found}, no plan or report title)")
    return DocKind(kind, "; ".join(reason for _, reason in evidence[kind]))


__all__ = ["DocKind", "document_kind", "inspection_cues", "load_cues"]
