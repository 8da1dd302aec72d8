"""Calibrate the score at which a recommendation counts as addressed, on the development pairs.

    python scripts/calibrate_links.py OUTDIR

OUTDIR is an extract of the inspection reports in ../shared/realdocs/ofsted-ilacs/ and the
plans answering three of them (../shared/rendered/: Bristol, Worcestershire, City of London
DOCX). A recommendation is addressed by hand when its hand-checked expectation lists an
action or KPI (Bristol) or the plan's own mapping lists it (Worcestershire); its score is
its best text score with citations left out (the case of a plan that cites nothing). Each
threshold is scored by balanced accuracy (the mean of the shares of addressed and of
unaddressed recommendations it gets right: both mistakes cost alike, whichever is more
common) of "best score >= threshold" against the hand labels; the best (the lowest of a
tie) is printed, with the link measures at the data file's threshold.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planx.pipeline.compare import CompareSettings, read_tables, tables_to_comparisons  # noqa: E402
from planx.pipeline.recommendation_links import LinkSettings  # noqa: E402
from tests.link_expectations import expected_hits, load, mapping_recall  # noqa: E402


def hand_labels() -> dict[tuple[str, int], bool]:
    """(inspection, n) -> addressed by hand."""
    bristol, worcs = (
        load("bristol_2016-17_getting_to_good"),
        load("worcestershire_2017_scrutiny_update"),
    )
    labels = {
        (bristol["inspection"], int(n)): bool(e["actions"] or e["kpis"])
        for n, e in bristol["expected"].items()
    }
    labels |= {(worcs["inspection"], n): str(n) in worcs["mapping"] for n in range(1, 19)}
    return labels


def best_text_scores(outdir: Path) -> pd.Series:
    settings = LinkSettings(**{**vars(LinkSettings.default()), "use_citations": False})
    frames = tables_to_comparisons(read_tables(outdir), settings=CompareSettings(links=settings))
    links = frames["compare_recommendation_links"]
    return links.groupby(["source", "rec_n"])["score"].max()


def main(outdir: Path) -> None:
    labels = hand_labels()
    scores = best_text_scores(outdir)
    rows = [(labels[key], float(scores.get(key, 0.0))) for key in labels]
    print(f"{len(rows)} recommendations, {sum(y for y, _ in rows)} addressed by hand")
    best = (0.0, 0.0)
    positives = sum(y for y, _ in rows)
    negatives = len(rows) - positives
    for t in [x / 100 for x in range(5, 61)]:
        tp = sum(y and s >= t for y, s in rows)
        tn = sum((not y) and s < t for y, s in rows)
        balanced = (tp / positives + tn / negatives) / 2
        print(
            f"threshold {t:.2f}: addressed {tp:2d}/{positives} right, unaddressed {tn:2d}/{negatives} right, balanced accuracy {balanced:.3f}"
        )
        best = max(best, (balanced, -t))
    print(f"best threshold {-best[1]:.2f} (balanced accuracy {best[0]:.3f})")
    frames = tables_to_comparisons(read_tables(outdir))
    links = frames["compare_recommendation_links"]
    for k in (1, 3, 5):
        w, b = mapping_recall(outdir, links, k), expected_hits(outdir, links, k)
        print(
            f"top {k}: Worcestershire mapping recall {w[0]}/{w[1]}, Bristol expected {b[0]}/{b[1]}"
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
