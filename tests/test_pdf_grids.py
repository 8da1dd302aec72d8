"""The faster cell search finds exactly pdfplumber's cells, in pdfplumber's order, on
every page of every PDF we hold and on grids made to trip it (merged cells, a rule
that stops short, two tables side by side)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from pdfplumber.table import (
    TableFinder,
    TableSettings,
    edges_to_intersections,
    intersections_to_cells,
)

from planx.extractors.pdf.finder import RuledTableFinder, cells_from_intersections
from planx.extractors.pdf.pdfium_page import PdfiumPages
from planx.extractors.pdf.tables import TableGrid

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _pdfs() -> list[Path]:
    found = sorted((REPO / "samples").rglob("*.pdf"))
    for folder in ("rendered", "realdocs"):
        found += sorted((SHARED / folder).rglob("*.pdf")) if (SHARED / folder).is_dir() else []
    return found


def _intersections(edges: list[dict]) -> dict:
    settings = TableSettings.resolve(None)
    return edges_to_intersections(
        edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
    )


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    orient = "h" if top == bottom else "v"
    return {
        "x0": x0, "x1": x1, "top": top, "bottom": bottom,
        "width": x1 - x0, "height": bottom - top,
        "orientation": orient, "object_type": "line",
    }  # fmt: skip


def _grid(xs: list[float], ys: list[float]) -> list[dict]:
    """Full rules along every x and y."""
    edges = [_edge(x, ys[0], x, ys[-1]) for x in xs]
    return edges + [_edge(xs[0], y, xs[-1], y) for y in ys]


MADE_GRIDS = {
    "plain 3x4": _grid([0, 50, 120, 200], [0, 20, 40, 60, 80]),
    # the middle vertical rule stops after the first row: a cell merged across below it
    "merged below the header": [
        e for e in _grid([0, 60, 140], [0, 20, 40, 60]) if not (e["x0"] == 60 and e["top"] == 0)
    ]
    + [_edge(60, 0, 60, 20)],
    "two tables side by side": _grid([0, 40, 80], [0, 20, 40]) + _grid([100, 150], [10, 30, 50]),
    "a rule short of the frame": _grid([0, 50, 100], [0, 25, 50])[:-1] + [_edge(0, 50, 70, 50)],
}


@pytest.mark.parametrize("name", sorted(MADE_GRIDS))
def test_made_grids_give_pdfplumbers_cells(name):
    intersections = _intersections(MADE_GRIDS[name])
    expected = intersections_to_cells(intersections)
    assert expected, "the grid should have cells"
    assert cells_from_intersections(intersections) == expected


class _EdgesPage:
    """What TableFinder reads of a page."""

    def __init__(self, bbox: tuple, edges: list[dict]):
        self.bbox, self.edges = bbox, edges


def test_every_page_we_hold_gives_pdfplumbers_cells_and_tables():
    pdfs = _pdfs()
    assert pdfs, "no PDFs found"
    pages_with_cells = 0
    for path in pdfs:
        try:
            pages = PdfiumPages(path)
        except Exception:
            continue  # the hostile files (encrypted, damaged): the reader's tests cover them
        try:
            for index in range(len(pages)):
                objects = pages.page(index)
                page = _EdgesPage(objects.bbox, objects.edges)
                ours, theirs = RuledTableFinder(page), TableFinder(page)
                assert ours.cells == theirs.cells, (path.name, index + 1)
                assert [t.cells for t in ours.tables] == [t.cells for t in theirs.tables]
                pages_with_cells += bool(theirs.cells)
        finally:
            pages.close()
    assert pages_with_cells >= 20


def test_locating_many_points_at_once_finds_the_cells_one_at_a_time_finds():
    # A grid with a cell merged across two columns, a hole, and points on every border.
    cells = [(0, 0, 50, 20), (50, 0, 120, 20), (0, 20, 120, 40), (0, 40, 50, 60)]
    grid = TableGrid(cells)
    coords = [-1.0, 0.0, 0.5, 25.0, 49.999, 50.0, 50.001, 119.9, 120.0, 130.0]
    heights = [-1.0, 0.0, 10.0, 19.999, 20.0, 39.0, 40.0, 59.9, 60.0, 70.0]
    points = [(x, y) for x in coords for y in heights]
    one_at_a_time = [grid.locate(x, y) for x, y in points]
    at_once = grid.locate_all(np.array([p[0] for p in points]), np.array([p[1] for p in points]))
    assert at_once.tolist() == one_at_a_time
    assert {0, 1, 2, 3, -1} <= set(one_at_a_time)  # every cell, the hole and outside met
    assert grid.locate(75.0, 50.0) == -1  # the hole right of the last cell
