"""pdfplumber's TableFinder with a faster search for the cells between rule crossings.

pdfplumber's `intersections_to_cells` turns every crossing's edges into a set of boxes
again for each pair of crossings it compares, and scans all later crossings to find
those straight below and to the right: most of the cost of finding a page's grids.
`cells_from_intersections` does the same search with each crossing's sets made once
and the crossings on each vertical and horizontal rule indexed, so it returns the same
cells in the same order (tests/test_pdf_grids.py compares the two).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
)
from pdfplumber.utils import obj_to_bbox

Point = tuple[float, float]
BBox = tuple[float, float, float, float]


class RuledTableFinder(TableFinder):
    """TableFinder (pdfplumber's default "lines" settings) on a page-like object with
    `bbox` and `edges`; the same `edges`, `intersections`, `cells` and `tables`."""

    def __init__(self, page: Any):
        self.page = page
        self.settings = TableSettings.resolve(None)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges,
            self.settings.intersection_x_tolerance,
            self.settings.intersection_y_tolerance,
        )
        self.cells = cells_from_intersections(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def cells_from_intersections(intersections: dict[Point, dict[str, list[Any]]]) -> list[BBox]:
    """Every smallest rectangle whose four corners are crossings joined by drawn edges,
    from the top-left corner, as pdfplumber's `intersections_to_cells` finds them."""
    v_boxes = {p: {obj_to_bbox(e) for e in d["v"]} for p, d in intersections.items()}
    h_boxes = {p: {obj_to_bbox(e) for e in d["h"]} for p, d in intersections.items()}

    def connects(p1: Point, p2: Point) -> bool:
        """Some one edge runs through both crossings (they share x or y)."""
        if p1[0] == p2[0] and not v_boxes[p1].isdisjoint(v_boxes[p2]):
            return True
        return p1[1] == p2[1] and not h_boxes[p1].isdisjoint(h_boxes[p2])

    points = sorted(intersections)
    on_column: dict[float, list[Point]] = defaultdict(list)  # each in y order
    on_row: dict[float, list[Point]] = defaultdict(list)  # each in x order
    for p in points:
        on_column[p[0]].append(p)
        on_row[p[1]].append(p)
    cells = []
    for pt in points:
        below = [p for p in on_column[pt[0]] if p > pt]
        right = [p for p in on_row[pt[1]] if p > pt]
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    pt: Point, below: list[Point], right: list[Point], intersections: dict, connects: Any
) -> BBox | None:
    """The first cell with `pt` as its top-left corner, in pdfplumber's search order."""
    for below_pt in below:
        if not connects(pt, below_pt):
            continue
        for right_pt in right:
            if not connects(pt, right_pt):
                continue
            corner = (right_pt[0], below_pt[1])
            if (
                corner in intersections
                and connects(corner, right_pt)
                and connects(corner, below_pt)
            ):
                return (pt[0], pt[1], corner[0], corner[1])
    return None
