"""Score planx on the holdout plans: per-field P/R/F1, plan metadata, every mismatch.

.venv/bin/python tests/holdout/score_holdout.py              # table + metadata
.venv/bin/python tests/holdout/score_holdout.py --details    # also every mismatch
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

HOLDOUT_DIR = Path(__file__).resolve().parent
REPO = HOLDOUT_DIR.parents[1]
sys.path.insert(0, str(REPO))

from planx.pipeline.evaluate import (  # noqa: E402
    FieldScore,
    documents_for,
    evaluate,
    format_table,
    load_expected,
    summary_rows,
)

EXPECTED_DIR = HOLDOUT_DIR / "expected"
PLANS_DIR = HOLDOUT_DIR / "plans"
PLAN_FIELDS = ("authority", "title", "period", "period_start", "period_end", "date")


def holdout_scores(settings=None):
    """{(stem, format): {"actions": Score, "kpis": Score}} for every holdout document."""
    expected = load_expected([EXPECTED_DIR])
    return evaluate(documents_for(expected, [PLANS_DIR]), expected, settings)


def field_totals(results) -> dict[str, FieldScore]:
    """Every document's counts added up per table.field."""
    totals: dict[str, FieldScore] = {}
    for _stem, _fmt, name, s in summary_rows(results):
        totals.setdefault(name, FieldScore()).add(s)
    return totals


def plan_mismatches() -> list[str]:
    """Plan-level values (authority, title, period, dates, prose status counts) that differ."""
    from planx.pipeline.process import process_file

    expected = load_expected([EXPECTED_DIR])
    wrong = []
    for stem, path in documents_for(expected, [PLANS_DIR]):
        plan = process_file(path).plan
        want = expected[stem].data
        if plan is None:
            wrong.append(f"{path.name}: no plan")
            continue
        got = {
            "authority": plan.authority,
            "title": plan.title,
            "period": plan.period,
            "period_start": plan.period_start and plan.period_start.isoformat(),
            "period_end": plan.period_end and plan.period_end.isoformat(),
            "date": plan.date and plan.date.isoformat(),
        }
        for key in PLAN_FIELDS:
            if (got[key] or None) != (want["plan"][key] or None):
                wrong.append(
                    f"{path.name} plan.{key}: got {got[key]!r}, expected {want['plan'][key]!r}"
                )
        if dict(plan.reported_status_counts) != want["status_counts"]:
            wrong.append(
                f"{path.name} plan.status_counts: got {dict(plan.reported_status_counts)!r}, "
                f"expected {want['status_counts']!r}"
            )
    return wrong


@click.command()
@click.option("--details", is_flag=True, help="List every mismatched value.")
def main(details: bool) -> None:
    results = holdout_scores()
    rows = summary_rows(results)
    click.echo(format_table(rows))
    click.echo("\nAll holdout documents together:\n")
    click.echo(format_table([("ALL", "*", n, s) for n, s in sorted(field_totals(results).items())]))
    worst = min((s.f1 for *_, s in rows), default=1.0)
    click.echo(f"\n{len(results)} documents; lowest field F1 = {worst:.3f}")
    meta = plan_mismatches()
    click.echo(f"\nPlan metadata mismatches: {len(meta)}")
    for line in meta:
        click.echo(line)
    if details:
        click.echo("\nRecord mismatches:")
        for scores in results.values():
            for score in scores.values():
                for line in score.mismatches:
                    click.echo(line)


if __name__ == "__main__":
    main()
