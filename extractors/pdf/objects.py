"""What the PDF reader needs of one page, whichever library parsed it.

A page is its characters and its vector shapes (rects, lines, curves) in
pdfplumber's frame: points, origin at the top left of the page as displayed (after
/Rotate), y growing down. Two producers fill it: PDFium (`pdfium_page`, the fast
default) and pdfplumber (`from_pdfplumber`, the reference). The edges pdfplumber's
TableFinder reads are made from the shapes the way pdfplumber makes them
(`shape_edges`), so both engines find the same grids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from planx.extractors.pdf.tables import color_to_hex
from planx.extractors.pdf.text import Glyph, is_bold_font

BBox = tuple[float, float, float, float]
Point = tuple[float, float]
Edge = dict[str, Any]  # pdfplumber's edge: x0, x1, top, bottom, width, height, orientation

RECT, LINE, CURVE = "rect", "line", "curve"
_ITALIC_WORDS = ("italic", "oblique")


# A character in the page's frame: the reader's own glyph record, so a page of text that
# reads left to right needs no copy of its thousands of characters.
Char = Glyph


@dataclass(frozen=True, slots=True)
class Shape:
    """A painted subpath: a rectangle, a straight line or anything else (a curve)."""

    kind: str  # RECT, LINE or CURVE
    x0: float
    top: float
    x1: float
    bottom: float
    fill: bool
    fill_colour: str | None
    stroke: bool
    stroke_colour: str | None
    linewidth: float
    pts: tuple[Point, ...] = ()  # the subpath's points in order, in the frame


@dataclass
class PageObjects:
    """Everything the reader takes from one page."""

    bbox: BBox  # the page's box in the frame above
    rotation: int  # /Rotate, degrees clockwise
    chars: list[Char]
    shapes: list[Shape]
    n_images: int
    edges: list[Edge] = field(default_factory=list)  # for pdfplumber's TableFinder

    @property
    def rects(self) -> list[Shape]:
        """The shapes that are rectangles."""
        return [s for s in self.shapes if s.kind == RECT]


@cache  # asked per text object; a document has a few fonts
def font_style(name: str) -> tuple[bool, bool]:
    """Bold and italic, as a font's name says."""
    lowered = name.lower()
    return is_bold_font(name), any(w in lowered for w in _ITALIC_WORDS)


def _edge(x0: float, top: float, x1: float, bottom: float, orient: str | None, kind: str) -> Edge:
    """One edge as pdfplumber spells it."""
    return {
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "width": x1 - x0,
        "height": bottom - top,
        "orientation": orient,
        "object_type": kind,
    }


def shape_edges(shapes: list[Shape]) -> list[Edge]:
    """The edges pdfplumber derives from the shapes (`Page.edges`): a line is one edge
    (horizontal when flat, else vertical), a rect its four sides, a curve one edge per
    pair of consecutive points (oriented only when axis-aligned)."""
    lines, rects, curves = [], [], []
    for s in shapes:
        if s.kind == LINE:
            orient = "h" if s.top == s.bottom else "v"
            lines.append(_edge(s.x0, s.top, s.x1, s.bottom, orient, LINE))
        elif s.kind == RECT:
            rects += [
                _edge(s.x0, s.top, s.x1, s.top, "h", "rect_edge"),
                _edge(s.x0, s.bottom, s.x1, s.bottom, "h", "rect_edge"),
                _edge(s.x0, s.top, s.x0, s.bottom, "v", "rect_edge"),
                _edge(s.x1, s.top, s.x1, s.bottom, "v", "rect_edge"),
            ]
        else:
            for (ax, ay), (bx, by) in zip(s.pts, s.pts[1:], strict=False):
                orient = "v" if ax == bx else ("h" if ay == by else None)
                box = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
                curves.append(_edge(*box, orient, "curve_edge"))
    return lines + rects + curves


def from_pdfplumber(page: Any) -> PageObjects:
    """A pdfplumber page's objects (parsed once, by pdfminer)."""
    objects = page.objects
    shapes = [
        Shape(
            kind,
            o["x0"],
            o["top"],
            o["x1"],
            o["bottom"],
            bool(o.get("fill")),
            color_to_hex(o.get("non_stroking_color")),
            bool(o.get("stroke")),
            color_to_hex(o.get("stroking_color")),
            float(o.get("linewidth") or 0.0),
            tuple((float(x), float(y)) for x, y in o.get("pts") or ()),
        )
        for kind in (RECT, LINE, CURVE)
        for o in objects.get(kind, [])
    ]
    return PageObjects(
        bbox=(float(page.bbox[0]), float(page.bbox[1]), float(page.bbox[2]), float(page.bbox[3])),
        rotation=int(page.rotation or 0) % 360,
        chars=_plumber_chars(objects.get("char", [])),
        shapes=shapes,
        n_images=len(objects.get("image", [])),
        edges=page.edges,
    )


def _plumber_chars(raw: list[dict[str, Any]]) -> list[Char]:
    """pdfplumber's char dicts as Chars (colours and font styles worked out once each)."""
    colour_of: dict[str, str | None] = {}
    style_of: dict[str, tuple[bool, bool]] = {}
    chars = []
    for ch in raw:
        paint = ch.get("non_stroking_color")
        key = repr(paint)
        if key not in colour_of:
            colour_of[key] = color_to_hex(paint)
        font = ch.get("fontname") or ""
        if font not in style_of:
            style_of[font] = font_style(font)
        bold, italic = style_of[font]
        m = ch.get("matrix") or (1.0, 0.0, 0.0, 1.0)
        chars.append(
            Char(
                ch["x0"],
                ch["x1"],
                ch["top"],
                ch["bottom"],
                ch["text"],
                float(ch.get("size") or 0.0),
                bold,
                font,
                colour_of[key],
                italic,
                bool(ch.get("upright", True)),
                (m[0], m[1], m[2], m[3]),
            )
        )
    return chars
