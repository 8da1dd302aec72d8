"""The PDF reader's faster paths give what the plain ones give: PDFium's per-character
calls made without declared argument types answer as pypdfium2's typed ones, the clip
test for a whole page keeps the characters the one-at-a-time test keeps, and a grid with
no cell left open is the grid built again from its closed cells."""

from __future__ import annotations

import ctypes
import random
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from planx.extractors.pdf.pdfium_page import (
    CLIP_SLACK,
    _centre_in,
    _char_generated,
    _char_origin,
    _char_unicode,
    _in_clips,
    _text_object_address,
)
from planx.extractors.pdf.tables import TableGrid, close_open_cells, closed_grid

REPO = Path(__file__).resolve().parents[1]


def test_untyped_character_calls_answer_as_the_typed_ones() -> None:
    doc = pdfium.PdfDocument(str(REPO / "samples" / "plans" / "eastmarsh_2018-19_rag_summary.pdf"))
    try:
        page = doc[0]
        textpage = pdfium_c.FPDFText_LoadPage(page.raw)
        try:
            handle = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)
            ox, oy, tx, ty = (ctypes.c_double() for _ in range(4))
            n = pdfium_c.FPDFText_CountChars(textpage)
            assert n > 100
            for i in range(n):
                assert _char_unicode(handle, i) == pdfium_c.FPDFText_GetUnicode(textpage, i)
                assert _char_generated(handle, i) == pdfium_c.FPDFText_IsGenerated(textpage, i)
                typed_obj = pdfium_c.FPDFText_GetTextObject(textpage, i)
                assert (
                    _text_object_address(handle, i) == ctypes.cast(typed_obj, ctypes.c_void_p).value
                )
                _char_origin(handle, i, ctypes.byref(ox), ctypes.byref(oy))
                pdfium_c.FPDFText_GetCharOrigin(textpage, i, tx, ty)
                assert (ox.value, oy.value) == (tx.value, ty.value)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)
            page.close()
    finally:
        doc.close()


def test_the_page_wide_clip_test_keeps_what_the_one_at_a_time_test_keeps() -> None:
    rng = random.Random(7)
    # Centres exactly on a clip's edge less its slack, and just past it.
    boxes = [(9.0, 9.0, 9.0, 9.0), (111.0, 50.0, 111.0, 50.0), (111.2, 50.0, 111.2, 50.0)]
    for _ in range(400):
        x0, top = rng.uniform(0, 120), rng.uniform(0, 120)
        boxes.append((x0, top, x0 + rng.uniform(0, 12), top + rng.uniform(0, 12)))
    clips = [(0, 150, (10.0, 10.0, 110.0, 110.0)), (150, len(boxes), (40.0, 0.0, 60.0, 130.0))]
    x0, top, x1, bottom = (np.array(side) for side in zip(*boxes, strict=True))
    kept = _in_clips(x0, top, x1, bottom, clips).tolist()
    expected = [
        _centre_in(box, clip)
        for start, end, clip in clips
        for box in boxes[start:end]
    ]  # fmt: skip
    assert kept == expected
    assert CLIP_SLACK == 1.0 and kept[:3] == [True, True, False]
    assert 0 < sum(kept) < len(kept)


def _edge(orient: str, at: float, lo: float, hi: float) -> dict:
    if orient == "v":
        return {"orientation": "v", "x0": at, "x1": at, "top": lo, "bottom": hi}
    return {"orientation": "h", "top": at, "bottom": at, "x0": lo, "x1": hi}


def _layout(grid: TableGrid) -> tuple:
    return grid.cells, grid.xs, grid.ys, grid.slots, grid.spans, grid.bbox


def test_a_grid_is_laid_out_once_when_no_cell_is_left_open() -> None:
    ruled = [_edge("v", x, 10, 90) for x in (0, 100, 200)]
    ruled += [_edge("h", y, 0, 200) for y in (10, 50, 90)]
    full = [(0.0, 10.0, 100.0, 50.0), (100.0, 10.0, 200.0, 50.0)]
    full += [(0.0, 50.0, 100.0, 90.0), (100.0, 50.0, 200.0, 90.0)]
    assert _layout(closed_grid(full, ruled)) == _layout(TableGrid(close_open_cells(full, ruled)))
    # The top-left cell has no top rule: closed, as close_open_cells closes it.
    open_top = [
        _edge("h", 10, 100, 200) if e["top"] == 10 and e["orientation"] == "h" else e for e in ruled
    ]
    grid = closed_grid(full[1:], open_top)
    assert _layout(grid) == _layout(TableGrid(close_open_cells(full[1:], open_top)))
    assert len(grid.cells) == 4 and grid.locate(50, 30) == 3
