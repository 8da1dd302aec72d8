"""Score extracted actions and KPIs against hand-checked expected records.

Expected files (samples/expected/*.json, tests/expected/*.json) list a plan's
true actions and KPIs. A sample's expected action carries its full text
("action"); a real plan's carries only its opening words ("opening"), so
council text is not copied into the repo. Records are paired by ref where both
have one, else by text similarity; then each field is scored as slot filling:

    precision = correct values / values produced,  recall = correct values / values expected

An unpaired produced record counts against precision of every field it fills;
an unpaired expected record against recall.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz

ACTION_FIELDS = (
    "record",
    "ref",
    "action",
    "theme",
    "leads",
    "start_date",
    "due_date",
    "status",
    "status_meaning",
    "progress",
)
KPI_FIELDS = (
    "record",
    "ref",
    "measure",
    "theme",
    "owner",
    "frequency",
    "target_raw",
    "target_value",
    "target_unit",
    "target_due",
    "status",
    "status_meaning",
    "actual_raw",
    "actual_value",
    "floor_raw",
    "floor_value",
    "previous_raw",
    "direction",
)
MIN_TEXT_SIMILARITY = 80


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: FieldScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Score:
    fields: dict[str, FieldScore] = field(default_factory=lambda: defaultdict(FieldScore))
    mismatches: list[str] = field(default_factory=list)

    def worst_f1(self) -> float:
        return min((s.f1 for s in self.fields.values()), default=1.0)


# Typographic punctuation read as plain, so a curly quote never counts as a mismatch.
_PLAIN_PUNCTUATION: dict[str, str | int | None] = {
    "‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "",
}  # fmt: skip


def norm_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    text = text.translate(str.maketrans(_PLAIN_PUNCTUATION))
    return re.sub(r"\s+", " ", text).strip().lower()


def norm_leads(value: object) -> str:
    if isinstance(value, list):
        parts = value
    else:
        parts = str(value or "").split(";")
    return "; ".join(sorted(norm_text(p) for p in parts if norm_text(p)))


def norm_number(value: object) -> str:
    text = norm_text(value)
    if not text:
        return ""
    try:
        return f"{float(text):.4f}"
    except ValueError:
        return text


NORMALISERS = {
    "leads": norm_leads,
    "owner": norm_leads,
    "target_value": norm_number,
    "actual_value": norm_number,
    "floor_value": norm_number,
}


def _value(record: dict, name: str) -> str:
    return NORMALISERS.get(name, norm_text)(record.get(name))


def _same_text(value: object, expected: dict, text_field: str) -> bool:
    produced = norm_text(value)
    if "opening" in expected:
        return produced.startswith(norm_text(expected["opening"]))
    return produced == norm_text(expected.get(text_field))


def pair_records(
    produced: Sequence[dict], expected: Sequence[dict], text_field: str
) -> list[tuple[int | None, int | None]]:
    """Pairs of (produced index, expected index); None where a record has no partner."""
    pairs: list[tuple[int | None, int | None]] = []
    used_p: set[int] = set()
    used_e: set[int] = set()
    by_ref: dict[str, list[int]] = defaultdict(list)
    for i, rec in enumerate(produced):
        if norm_text(rec.get("ref")):
            by_ref[norm_text(rec.get("ref"))].append(i)
    for j, exp in enumerate(expected):
        ref = norm_text(exp.get("ref"))
        candidates = [i for i in by_ref.get(ref, []) if i not in used_p] if ref else []
        if len(candidates) > 1:  # refs repeat: let the text decide
            candidates.sort(key=lambda i: -_similarity(produced[i], exp, text_field))
        if candidates:
            pairs.append((candidates[0], j))
            used_p.add(candidates[0])
            used_e.add(j)
    scored = []
    for j, exp in enumerate(expected):
        if j in used_e:
            continue
        for i, rec in enumerate(produced):
            if i not in used_p:
                s = _similarity(rec, exp, text_field)
                if s >= MIN_TEXT_SIMILARITY:
                    scored.append((s, i, j))
    for _s, i, j in sorted(scored, key=lambda t: (-t[0], t[1], t[2])):
        if i not in used_p and j not in used_e:
            pairs.append((i, j))
            used_p.add(i)
            used_e.add(j)
    pairs += [(i, None) for i in range(len(produced)) if i not in used_p]
    pairs += [(None, j) for j in range(len(expected)) if j not in used_e]
    return pairs


def _similarity(rec: dict, exp: dict, text_field: str) -> float:
    produced = norm_text(rec.get(text_field))
    if "opening" in exp:
        opening = norm_text(exp["opening"])
        return (
            100.0 if produced.startswith(opening) else fuzz.ratio(produced[: len(opening)], opening)
        )
    return fuzz.ratio(produced, norm_text(exp.get(text_field)))


def score_records(
    produced: Sequence[dict],
    expected: Sequence[dict],
    fields: Sequence[str],
    text_field: str,
    label: str = "",
) -> Score:
    score = Score()
    # A field no expected record carries is not checked, not even on an extra record.
    checked = {name for exp in expected for name in exp} | {"record", text_field}
    for i, j in pair_records(produced, expected, text_field):
        rec = produced[i] if i is not None else None
        exp = expected[j] if j is not None else None
        if rec is not None and exp is not None:
            score.fields["record"].tp += 1
        elif rec is not None:
            score.fields["record"].fp += 1
            score.mismatches.append(
                f"{label} extra: {rec.get('ref')} {norm_text(rec.get(text_field))[:60]}"
            )
        elif exp is not None:
            score.fields["record"].fn += 1
            score.mismatches.append(
                f"{label} missing: {exp.get('ref')} {norm_text(exp.get('opening') or exp.get(text_field))[:60]}"
            )
        for name in fields:
            if (
                name == "record"
                or name not in checked
                or (
                    exp is not None
                    and name not in exp
                    and not (name == text_field and "opening" in exp)
                )
            ):
                continue  # the expected file does not check this field
            got = _value(rec, name) if rec is not None else ""
            if name == text_field and exp is not None and rec is not None:
                ok = _same_text(rec.get(text_field), exp, text_field)
                want = "x" if (exp.get("opening") or exp.get(text_field)) else ""
                got = "x" if got else ""
                if ok and want:
                    score.fields[name].tp += 1
                else:
                    score.fields[name].fp += bool(got)
                    score.fields[name].fn += bool(want)
                continue
            want = _value(exp, name) if exp is not None else ""
            if got and want and got == want:
                score.fields[name].tp += 1
            else:
                if got:
                    score.fields[name].fp += 1
                if want:
                    score.fields[name].fn += 1
                if got != want and rec is not None and exp is not None:
                    score.mismatches.append(
                        f"{label} {exp.get('ref') or ''} {name}: got {got!r}, expected {want!r}"
                    )
    return score


@dataclass(frozen=True)
class ExpectedPlan:
    stem: str
    data: dict

    @property
    def actions(self) -> list[dict]:
        return self.data.get("actions", [])

    @property
    def kpis(self) -> list[dict]:
        return self.data.get("kpis", [])


def load_expected(folders: Iterable[Path]) -> dict[str, ExpectedPlan]:
    found = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.json")):
            found[path.stem] = ExpectedPlan(path.stem, json.loads(path.read_text(encoding="utf-8")))
    return found


def score_plan(
    actions: Sequence[dict], kpis: Sequence[dict], expected: ExpectedPlan, label: str = ""
) -> dict[str, Score]:
    return {
        "actions": score_records(actions, expected.actions, ACTION_FIELDS, "action", label),
        "kpis": score_records(kpis, expected.kpis, KPI_FIELDS, "measure", label),
    }


def format_table(rows: list[tuple[str, str, str, FieldScore]]) -> str:
    lines = [
        "| plan | format | table.field | P | R | F1 | tp | fp | fn |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for plan, fmt, name, s in rows:
        lines.append(
            f"| {plan} | {fmt} | {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.tp} | {s.fp} | {s.fn} |"
        )
    return "\n".join(lines)


def documents_for(
    expected: dict[str, ExpectedPlan], folders: Iterable[Path]
) -> list[tuple[str, Path]]:
    """Every document in `folders` whose stem has an expected file: (stem, path)."""
    docs = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*")):
            if path.is_file() and path.stem in expected and path.suffix != ".json":
                docs.append((path.stem, path))
    return docs


def expected_for_format(expected: ExpectedPlan, fmt: str) -> ExpectedPlan:
    """Drop the checks a format cannot carry: a status given only as a cell fill, a text
    colour or an icon is lost in a text export (the expected file lists such formats in
    `no_fill_formats`)."""
    if fmt not in expected.data.get("no_fill_formats", []):
        return expected
    actions = []
    for action in expected.actions:
        if action.get("status_source") in ("fill", "font", "icon"):
            action = {k: v for k, v in action.items() if k not in ("status", "status_meaning")}
        actions.append(action)
    return ExpectedPlan(expected.stem, {**expected.data, "actions": actions})


def evaluate(
    docs: Sequence[tuple[str, Path]], expected: dict[str, ExpectedPlan], settings=None
) -> dict[tuple[str, str], dict[str, Score]]:
    """Extract each document and score it: {(stem, format suffix): {"actions": Score, "kpis": Score}}."""
    from planx.pipeline.flatten import plan_to_action_rows, plan_to_kpi_rows
    from planx.pipeline.process import process_file

    results = {}
    for stem, path in docs:
        result = process_file(path, settings)
        plan = result.plan
        actions = plan_to_action_rows(plan) if plan else []
        kpis = plan_to_kpi_rows(plan) if plan else []
        fmt = path.suffix.lstrip(".")
        results[(stem, fmt)] = score_plan(
            actions, kpis, expected_for_format(expected[stem], fmt), label=f"{stem}.{fmt}"
        )
    return results


def summary_rows(
    results: dict[tuple[str, str], dict[str, Score]],
) -> list[tuple[str, str, str, FieldScore]]:
    rows = []
    for (stem, fmt), tables in sorted(results.items()):
        for table, score in tables.items():
            for name, s in score.fields.items():
                if s.tp + s.fp + s.fn:
                    rows.append((stem, fmt, f"{table}.{name}", s))
    return rows
