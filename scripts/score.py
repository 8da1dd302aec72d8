"""Print per-field precision/recall of planx against the hand-checked expected files.

    python scripts/score.py              # samples/ and the real plans in ../shared
    python scripts/score.py --details    # also list every mismatch

Expected files: samples/expected/*.json (the fictional samples, every format)
and tests/expected/*.json (the real plans: ../shared/seeds/*.txt and
../shared/rendered/*.pdf|docx).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from planx.pipeline.evaluate import (  # noqa: E402
    documents_for,
    evaluate,
    format_table,
    load_expected,
    summary_rows,
)

SHARED = REPO.parent / "shared"


@click.command()
@click.option("--details", is_flag=True, help="List every mismatched value.")
@click.option("--only", default=None, help="Only plans whose file stem contains this text.")
def main(details: bool, only: str | None) -> None:
    expected = load_expected([REPO / "samples" / "expected", REPO / "tests" / "expected"])
    folders = [REPO / "samples" / "plans", SHARED / "seeds", SHARED / "rendered"]
    docs = [d for d in documents_for(expected, folders) if not only or only in d[0]]
    results = evaluate(docs, expected)
    rows = summary_rows(results)
    click.echo(format_table(rows))
    worst = min((s.f1 for *_, s in rows), default=1.0)
    click.echo(f"\n{len(results)} documents; lowest field F1 = {worst:.3f}")
    if details:
        for scores in results.values():
            for score in scores.values():
                for line in score.mismatches:
                    click.echo(line)


if __name__ == "__main__":
    main()
