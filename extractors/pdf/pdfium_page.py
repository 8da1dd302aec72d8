"""One page's characters and vector shapes read through PDFium (pypdfium2's raw API).

PDFium parses a page many times faster than pdfminer. This module asks it for what
the reader needs and hands it over in pdfplumber's frame (`objects`), measured as
pdfminer measures it, so the stages after it run unchanged:

- a character's box runs from its origin along the baseline by its advance width,
  and across it from the font's descent by the font size, through the text's matrix;
- a path is split into subpaths, each a line (two points), a rect (four axis-aligned
  sides, closed) or a curve, as pdfminer classes them;
- coordinates are turned by /Rotate and flipped so y grows down from the page's top;
- the objects of a form XObject are read in its place, through its matrix.

What the page does not show is left out: a character whose centre lies outside its
clip path's box is dropped, and so is a shape wholly outside it (see `_clipped`).
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from itertools import compress, repeat
from operator import add
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from planx.extractors.pdf.objects import (
    CURVE,
    LINE,
    RECT,
    Char,
    PageObjects,
    Point,
    Shape,
    font_style,
    shape_edges,
)
from planx.extractors.pdf.tables import WHITE

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, top, x1, bottom in the frame
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SAME = 1e-3  # points: coordinates closer than this are equal (PDFium computes in floats)
MAP_ERROR_SHARE = 0.05  # share of a page's characters with no Unicode that flags the file
MIN_MAP_ERRORS = 20  # ... and at least this many of them
CLIP_SLACK = 1.0  # points a character's centre may lie outside its clip box

# PDFium must not be called from two threads at once, even for different documents (see
# pypdfium2's "Incompatibility with Threading"); Dask runs files in worker threads.
PDFIUM_LOCK = threading.RLock()


def _untyped(function: Any, restype: Any) -> Any:
    """A PDFium function called without argument types: a call per character of a page is
    made thousands of times, and ctypes passes a Python int (an index) as a C int and a
    ready-made pointer object (`c_void_p`, `byref`) as is, with no per-call conversion of
    each argument through a declared type (the declared types cost more than the call)."""
    address = ctypes.cast(function, ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype)(address)


_INT = ctypes.c_int
# FPDFText_GetTextObject answering the object's address: a cheap key per character.
_text_object_address = _untyped(pdfium_c.FPDFText_GetTextObject, ctypes.c_void_p)
_char_unicode = _untyped(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint)
_char_origin = _untyped(pdfium_c.FPDFText_GetCharOrigin, _INT)
_char_generated = _untyped(pdfium_c.FPDFText_IsGenerated, _INT)
_char_map_error = _untyped(pdfium_c.FPDFText_HasUnicodeMapError, _INT)


# The only characters PDFium generates (FPDFText_IsGenerated): a space, CR and LF at
# gaps and line ends; others need not be asked about (a call per character is dear).
_MADE_UP_CODES = frozenset((0x20, 0x0D, 0x0A))
# A character code's text, kept across pages (a document uses a few hundred codes).
_TEXT_OF_CODE: dict[int, str] = {}


class UnusableFont(Exception):
    """A page's text comes from a font whose character codes map to no text."""


class _TextStyle(NamedTuple):
    """What every character of one text object shares."""

    shown: tuple[float, float, float, float]  # the text's matrix on the displayed page
    matrix: tuple[float, float, float, float]  # the text's matrix in PDF user space
    size: float  # the font size (Tf)
    font: Any  # FPDF_FONT
    font_key: int  # its address
    name: str
    bold: bool
    italic: bool
    colour: str | None
    descent: float  # share of the size, negative below the baseline
    upright: bool
    clip: Box | None
    map_error: bool
    offsets: dict[int, Box | None]  # code -> box about the origin; shared by like objects


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m then n (PDF's row-vector convention)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def page_frame(mediabox: Box, rotation: int) -> tuple[Matrix, Box]:
    """The map from PDF user space to pdfplumber's frame, and the page's box in it.

    pdfminer turns the page by /Rotate and moves the media box's corner to the origin;
    pdfplumber flips y and adds the media box's corner back (see pdfplumber's Page).
    """
    x0, x1 = sorted((mediabox[0], mediabox[2]))
    y0, y1 = sorted((mediabox[1], mediabox[3]))
    turns = {
        90: (0.0, -1.0, 1.0, 0.0, -y0, x1),
        180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
        270: (0.0, 1.0, -1.0, 0.0, y1, -x0),
    }
    ctm = turns.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    nx0, ny0, nx1, ny1 = (y0, x0, y1, x1) if rotation in (90, 270) else (x0, y0, x1, y1)
    height = ny1 - ny0
    bbox = (nx0, -ny0, nx1, height - ny0)  # pdfplumber's box of the page
    flip = (1.0, 0.0, 0.0, -1.0, bbox[0], height + bbox[1])  # y down from the top
    return mul(ctm, flip), bbox


def _apply(m: Matrix, x: float, y: float) -> Point:
    """A point through a matrix."""
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _hex(r: int, g: int, b: int) -> str | None:
    """An RGB colour (0..255) as "#RRGGBB"; None for white, as `color_to_hex` reads it."""
    if min(r, g, b) >= WHITE * 255:
        return None
    return f"#{r:02X}{g:02X}{b:02X}"


class _Colour:
    """Reusable out-parameters for a colour query."""

    def __init__(self) -> None:
        self.r, self.g, self.b, self.a = (ctypes.c_uint() for _ in range(4))

    def of(self, query: Any, obj: Any) -> str | None:
        """The object's colour through `query` (fill or stroke); None when it has none."""
        if not query(obj, self.r, self.g, self.b, self.a):
            return None
        return _hex(self.r.value, self.g.value, self.b.value)


class PdfiumPages:
    """A PDF opened with PDFium, read one page at a time."""

    def __init__(self, path: Path):
        with PDFIUM_LOCK:
            self._doc = pdfium.PdfDocument(str(path))  # raises PdfiumError
        self._colour = _Colour()
        self._fonts: dict[int, tuple[str, float]] = {}  # font address -> name, descent
        self._widths: dict[tuple[int, int], float] = {}  # (font, code point) -> width at 1pt
        self._offsets: dict[tuple, dict[int, Box | None]] = {}  # by font, size and matrix

    def __len__(self) -> int:
        with PDFIUM_LOCK:
            return len(self._doc)

    def close(self) -> None:
        """Let the document go."""
        with PDFIUM_LOCK:
            self._doc.close()

    def metadata(self) -> dict[str, str]:
        """The document's information dictionary."""
        with PDFIUM_LOCK:
            return dict(self._doc.get_metadata_dict(skip_empty=True))

    def page(self, index: int) -> PageObjects:
        """The objects of page `index` (0-based)."""
        with PDFIUM_LOCK:
            return self._read_page(index)

    def _read_page(self, index: int) -> PageObjects:
        """The objects of page `index`, read while this thread holds PDFium."""
        page = self._doc[index]
        try:
            rotation = page.get_rotation() % 360
            to_frame, bbox = page_frame(tuple(page.get_mediabox()), rotation)  # type: ignore[arg-type]
            shapes: list[Shape] = []
            texts: dict[int, _TextObject] = {}
            images = self._walk(page.raw, to_frame, shapes, texts)
            textpage = pdfium_c.FPDFText_LoadPage(page.raw)
            try:
                chars = self._chars(textpage, to_frame, texts)
            finally:
                pdfium_c.FPDFText_ClosePage(textpage)
            chars.extend(self._blank_objects(texts, to_frame))
        finally:
            page.close()
        return PageObjects(bbox, rotation, chars, shapes, images, shape_edges(shapes))

    # ---------------------------------------------------------------- characters

    def _chars(self, textpage: Any, to_frame: Matrix, texts: dict[int, _TextObject]) -> list[Char]:
        """The page's characters, in content order; raises UnusableFont when many have
        codes that map to no Unicode. The text objects met are marked in `texts`."""
        scan = self._scan(textpage, to_frame, texts)
        chars = self._placed(textpage, scan, to_frame)
        if scan.errors >= MIN_MAP_ERRORS and scan.errors > MAP_ERROR_SHARE * len(chars):
            raise UnusableFont(f"{scan.errors} characters have no Unicode mapping")
        return chars

    def _scan(self, textpage: Any, to_frame: Matrix, texts: dict[int, _TextObject]) -> _Scan:
        """What PDFium says of each character, asked character by character: the loop
        does nothing but ask (boxes are worked out for the whole page in `_placed`)."""
        page = ctypes.c_void_p(ctypes.cast(textpage, ctypes.c_void_p).value)  # see `_untyped`
        get_unicode, object_address, get_origin = _char_unicode, _text_object_address, _char_origin
        is_generated, has_map_error = _char_generated, _char_map_error
        ox, oy = ctypes.c_double(), ctypes.c_double()
        ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
        scan = _Scan()
        codes, xs, ys, index, runs = scan.codes, scan.xs, scan.ys, scan.index, scan.runs
        styles: dict[int, _TextStyle | None] = {}
        # A page's characters come a text object at a time: its style is looked up once
        # per object, not per character (pages have thousands).
        last_addr = 0
        s: _TextStyle | None = None
        map_error = False
        errors = 0
        made_up = _MADE_UP_CODES
        for i in range(pdfium_c.FPDFText_CountChars(textpage)):
            code = get_unicode(page, i)
            addr = object_address(page, i)
            if not addr or (code in made_up and is_generated(page, i)):
                # A space or line break PDFium made up at a gap: the reader finds word
                # gaps itself (the spaces a text draws are kept, see _blank_objects).
                continue
            if addr != last_addr:
                last_addr = addr
                if addr not in styles:
                    styles[addr] = self._style(textpage, i, addr, to_frame, texts.get(addr))
                s = styles[addr]
                if s is not None:
                    map_error = s.map_error
                    runs.append((len(codes), s))
            if s is None:
                continue
            if map_error and has_map_error(page, i):
                errors += 1
            get_origin(page, i, ox_ref, oy_ref)
            codes.append(code)
            xs.append(ox.value)
            ys.append(oy.value)
            index.append(i)
        scan.errors = errors
        return scan

    def _placed(self, textpage: Any, scan: _Scan, to_frame: Matrix) -> list[Char]:
        """The scanned characters as Chars: each box is its origin in the frame plus its
        code's box about the origin, worked out for the whole page in array arithmetic
        (the same float operations, in the same order, as one character at a time)."""
        codes = scan.codes
        if not codes:
            return []
        box, loose = self._boxes_about_origins(scan, to_frame)
        x, y = np.array(scan.xs, dtype=np.float64), np.array(scan.ys, dtype=np.float64)
        m0, m1, m2, m3, m4, m5 = to_frame
        fx, fy = m0 * x + m2 * y + m4, m1 * x + m3 * y + m5
        x0, top, x1, bottom = fx + box[:, 0], fy + box[:, 1], fx + box[:, 2], fy + box[:, 3]
        for k in loose:  # no width known for the code: PDFium's own box for the glyph
            x0[k], x1[k], top[k], bottom[k] = _frame_box(
                to_frame, *_loose_box(textpage, scan.index[k])
            )
        text_of = _TEXT_OF_CODE
        for code in set(codes).difference(text_of):
            # PDFium's 2 is a hyphen it found at a line end; no text outside Unicode.
            text_of[code] = "-" if code == 2 else chr(code) if 0 < code < 0x110000 else ""
        shared: list[tuple] = []
        clipped: list[tuple[int, int, Box]] = []
        for start, end, s in scan.spans():
            shared.extend(
                repeat((s.bold, s.name, s.colour, s.italic, s.upright, s.shown), end - start)
            )
            if s.clip is not None:
                clipped.append((start, end, s.clip))
        fields = zip(
            x0.tolist(), x1.tolist(), top.tolist(), bottom.tolist(),
            map(text_of.__getitem__, codes), (bottom - top).tolist(), strict=True,
        )  # fmt: skip
        # A Char from its fields' tuple: NamedTuple's constructors add a call.
        chars = list(map(tuple.__new__, repeat(Char), map(add, fields, shared)))
        if not clipped:
            return chars
        return list(compress(chars, _in_clips(x0, top, x1, bottom, clipped).tolist()))

    def _boxes_about_origins(self, scan: _Scan, to_frame: Matrix) -> tuple[np.ndarray, list[int]]:
        """Each scanned character's box about its origin (x0, top, x1, bottom; zeros where
        the font gives no width), gathered from a table of the page's distinct pairs of
        style and code; and where those without a width are."""
        tables: dict[int, tuple[int, dict[int, Box | None]]] = {}  # by id: one per style kind
        run_ids: list[int] = []
        lengths: list[int] = []
        for start, end, s in scan.spans():
            offsets = s.offsets
            for code in set(scan.codes[start:end]).difference(offsets):
                offsets[code] = self._box_about_origin(s, code, to_frame)
            run_ids.append(tables.setdefault(id(offsets), (len(tables), offsets))[0])
            lengths.append(end - start)
        by_number = [offsets for _, offsets in tables.values()]
        codes = np.array(scan.codes, dtype=np.int64)  # Unicode values: under 2**32
        keys = (np.repeat(np.array(run_ids, dtype=np.int64), lengths) << 32) | codes
        distinct, where = np.unique(keys, return_inverse=True)
        rows = [by_number[k >> 32][k & 0xFFFFFFFF] for k in distinct.tolist()]
        table = np.array([row or (0.0, 0.0, 0.0, 0.0) for row in rows], dtype=np.float64)
        if all(rows):
            return table[where], []
        without = np.array([row is None for row in rows])
        return table[where], np.flatnonzero(without[where]).tolist()

    def _box_about_origin(self, style: _TextStyle, code: int, to_frame: Matrix) -> Box | None:
        """A character's box in the frame less its origin (x0, top, x1, bottom), as
        pdfminer measures it: the advance along the baseline by the font's descent-to-
        ascent band; None when the font gives no width for the code."""
        width = self._width(style.font, style.font_key, code) * style.size
        if not width:
            return None
        a, b, c, d = style.matrix
        lo = style.descent * style.size
        hi = lo + style.size
        corners = [(c * lo, d * lo), (c * hi, d * hi)]
        corners += [(a * width + cx, b * width + cy) for cx, cy in corners]
        m0, m1, m2, m3 = to_frame[:4]
        xs = [m0 * x + m2 * y for x, y in corners]
        ys = [m1 * x + m3 * y for x, y in corners]
        return (min(xs), min(ys), max(xs), max(ys))

    def _style(
        self, textpage: Any, i: int, addr: int, to_frame: Matrix, met: _TextObject | None
    ) -> _TextStyle | None:
        """What all characters of one text object share: matrix, size, font, colour."""
        if met is not None:
            met.seen = True
        obj = ctypes.cast(addr, pdfium_c.FPDF_PAGEOBJECT)
        font = pdfium_c.FPDFTextObj_GetFont(obj)
        if not font:
            return None
        fm = pdfium_c.FS_MATRIX()
        pdfium_c.FPDFText_GetMatrix(textpage, i, fm)
        a, b, c, d = fm.a, fm.b, fm.c, fm.d
        # pdfminer reports the text's matrix on the displayed page (y up): the frame
        # turns the page and flips y, so flip back.
        fa, fb, fc, fd = to_frame[0], -to_frame[1], to_frame[2], -to_frame[3]
        shown = (a * fa + b * fc, a * fb + b * fd, c * fa + d * fc, c * fb + d * fd)
        key = ctypes.cast(font, ctypes.c_void_p).value or 0
        if key not in self._fonts:
            self._fonts[key] = (_font_name(font), _descent(font))
        name, descent = self._fonts[key]
        bold, italic = font_style(name)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        return _TextStyle(
            shown=shown,
            matrix=(a, b, c, d),
            size=size,
            font=font,
            font_key=key,
            name=name,
            bold=bold,
            italic=italic,
            colour=self._colour.of(pdfium_c.FPDFPageObj_GetFillColor, obj),
            descent=descent,
            upright=shown[0] * shown[3] > 0 and shown[1] * shown[2] <= 0,
            clip=met.clip if met is not None else None,
            map_error=bool(pdfium_c.FPDFText_HasUnicodeMapError(textpage, i)),
            offsets=self._offsets.setdefault((key, size, descent, (a, b, c, d), to_frame), {}),
        )

    def _blank_objects(self, texts: dict[int, _TextObject], to_frame: Matrix) -> list[Char]:
        """A space for each text object PDFium's text page leaves out because it draws
        nothing visible (a run of spaces in its own font, as Word writes them); pdfminer
        reports those spaces and they part words that are set close together."""
        out = []
        for met in texts.values():
            if met.seen or met.clip_hides:
                continue
            obj = met.obj
            font = pdfium_c.FPDFTextObj_GetFont(obj)
            size = ctypes.c_float()
            if not font or not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
                continue
            key = ctypes.cast(font, ctypes.c_void_p).value or 0
            width = self._width(font, key, 32) * size.value
            if not width or not _draws_nothing(obj):
                continue
            if key not in self._fonts:
                self._fonts[key] = (_font_name(font), _descent(font))
            name, descent = self._fonts[key]
            lo = descent * size.value
            m = met.matrix
            corners = [_apply(m, x, y) for x in (0.0, width) for y in (lo, lo + size.value)]
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            shown = (m[0], -m[1], m[2], -m[3])
            upright = shown[0] * shown[3] > 0 and shown[1] * shown[2] <= 0
            bold, italic = font_style(name)
            colour = self._colour.of(pdfium_c.FPDFPageObj_GetFillColor, obj)
            x0, top, x1, bottom = min(xs), min(ys), max(xs), max(ys)
            out.append(
                Char(
                    x0,
                    x1,
                    top,
                    bottom,
                    " ",
                    bottom - top,
                    bold,
                    name,
                    colour,
                    italic,
                    upright,
                    shown,
                )  # fmt: skip
            )
        return out

    def _width(self, font: Any, font_key: int, code: int) -> float:
        """The advance width of a character at font size 1 (0 when the font has none)."""
        key = (font_key, code)
        w = self._widths.get(key)
        if w is None:
            out = ctypes.c_float()
            ok = 0 < code < 0x10000 and pdfium_c.FPDFFont_GetGlyphWidth(font, code, 1.0, out)
            w = self._widths[key] = out.value if ok and out.value > 0 else 0.0
        return w

    # ---------------------------------------------------------------- shapes

    def _walk(
        self, page: Any, to_frame: Matrix, shapes: list[Shape], texts: dict[int, _TextObject]
    ) -> int:
        """Every path on the page (inside forms too) into `shapes`, every text object into
        `texts` (by address); the number of images."""
        images = 0
        for obj, kind, matrix in _objects(page, to_frame):
            if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
                images += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                shapes.extend(self._path(obj, matrix))
            elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                addr = ctypes.cast(obj, ctypes.c_void_p).value or 0
                texts[addr] = _TextObject(obj, matrix, _clip_box(obj, matrix))
        return images

    def _path(self, obj: Any, matrix: Matrix) -> list[Shape]:
        """A painted path's subpaths as shapes, cut to its clip path's box."""
        fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        fill, strokes = fill_mode.value != 0, bool(stroke.value)
        if not (fill or strokes):
            return []
        width = ctypes.c_float()
        pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width)
        fill_colour = self._colour.of(pdfium_c.FPDFPageObj_GetFillColor, obj)
        stroke_colour = self._colour.of(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
        clip = _clip_box(obj, matrix)
        out = []
        for ops, pts in _subpaths(obj, matrix):
            shape = _classify(ops, pts)
            if shape is not None and clip is not None:
                shape = _clipped(shape, clip)
            if shape is None:
                continue
            kind, (x0, top, x1, bottom), points = shape
            out.append(
                Shape(
                    kind,
                    x0,
                    top,
                    x1,
                    bottom,
                    fill,
                    fill_colour,
                    strokes,
                    stroke_colour,
                    width.value,
                    points,
                )  # fmt: skip
            )
        return out


Classified = tuple[str, Box, tuple[Point, ...]]


class _TextObject:
    """A text object met walking the page: its map to the frame, its clip box, and
    whether PDFium's text page reported characters of it."""

    __slots__ = ("clip", "matrix", "obj", "seen")

    def __init__(self, obj: Any, matrix: Matrix, clip: Box | None):
        self.obj, self.matrix, self.clip, self.seen = obj, matrix, clip, False

    @property
    def clip_hides(self) -> bool:
        """Whether the clip box leaves the object's origin out of sight."""
        if self.clip is None:
            return False
        x, y = self.matrix[4], self.matrix[5]
        return not _centre_in((x, y, x, y), self.clip)


class _Scan:
    """A page's characters as PDFium reports them, one list entry per character kept:
    its code, origin (user space) and index on the text page; the runs of characters
    that share a text object's style (where each starts, and the style)."""

    __slots__ = ("codes", "errors", "index", "runs", "xs", "ys")

    def __init__(self) -> None:
        self.codes: list[int] = []
        self.xs: list[float] = []
        self.ys: list[float] = []
        self.index: list[int] = []
        self.runs: list[tuple[int, _TextStyle]] = []
        self.errors = 0  # characters whose code maps to no Unicode

    def spans(self) -> Iterator[tuple[int, int, _TextStyle]]:
        """Each run of characters of one style: start, end (indexes of the lists), style."""
        ends = [start for start, _ in self.runs[1:]] + [len(self.codes)]
        for (start, style), end in zip(self.runs, ends, strict=True):
            yield start, end, style


def _in_clips(
    x0: np.ndarray, top: np.ndarray, x1: np.ndarray, bottom: np.ndarray,
    clipped: list[tuple[int, int, Box]],
) -> np.ndarray:  # fmt: skip
    """Which characters show: those whose centre lies in (or just by) their text object's
    clip box (`clipped`: runs of characters, start to end, and their clip box), as
    `_centre_in` decides one at a time."""
    cx, cy = (x0 + x1) / 2, (top + bottom) / 2
    keep = np.ones(len(x0), dtype=bool)
    for start, end, clip in clipped:
        xs, ys = cx[start:end], cy[start:end]
        keep[start:end] = (
            (clip[0] - CLIP_SLACK <= xs)
            & (xs <= clip[2] + CLIP_SLACK)
            & (clip[1] - CLIP_SLACK <= ys)
            & (ys <= clip[3] + CLIP_SLACK)
        )
    return keep


def _draws_nothing(obj: Any) -> bool:
    """Whether a text object's box is empty (its glyphs are blanks)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
        return False
    return abs(right.value - left.value) < SAME


def _clipped(shape: Classified, clip: Box) -> Classified | None:
    """A shape its clip path lets show: None when wholly outside it, else the shape whole.
    Not cut to the clip: a cell's shading is drawn past the rule and clipped to the
    cell, and cut it would put a second edge beside each rule (pdfminer, which the table
    rules are tuned on, keeps shapes whole); a curve cut would gain straight sides."""
    return shape if _intersect(shape[1], clip) is not None else None


def matrix_of_parent(matrix: Matrix, obj: Any) -> Matrix:
    """The map of the space an object's clip path is in: its parent's, i.e. the object's
    full map without its own matrix."""
    own = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, own):
        return matrix
    inv = _invert((own.a, own.b, own.c, own.d, own.e, own.f))
    return mul(inv, matrix) if inv is not None else matrix


def _invert(m: Matrix) -> Matrix | None:
    """The inverse of a matrix; None when it has none."""
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


# The objects whose place the reader reads (an image is only counted).
_PLACED_KINDS = frozenset((pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT))


def _objects(page: Any, to_frame: Matrix) -> Iterator[tuple[Any, int, Matrix]]:
    """Every page object in content order, with its kind and the map from its own space
    to the frame (IDENTITY for an object whose place is not read: an image, a shading);
    the objects of a form XObject in its place."""
    get = pdfium_c.FPDFPage_GetObject
    for i in range(pdfium_c.FPDFPage_CountObjects(page)):
        yield from _with_children(get(page, i), to_frame)


def _with_children(obj: Any, parent: Matrix) -> Iterator[tuple[Any, int, Matrix]]:
    """An object with its kind and map to the frame, or a form's objects with theirs."""
    kind = pdfium_c.FPDFPageObj_GetType(obj)
    if kind == pdfium_c.FPDF_PAGEOBJ_FORM:
        matrix = mul(_own_matrix(obj), parent)
        for j in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
            yield from _with_children(pdfium_c.FPDFFormObj_GetObject(obj, j), matrix)
    elif kind in _PLACED_KINDS:
        yield obj, kind, mul(_own_matrix(obj), parent)
    else:
        yield obj, kind, IDENTITY  # a page may hold thousands of images: no map asked


def _own_matrix(obj: Any) -> Matrix:
    """An object's own matrix (IDENTITY when PDFium gives none)."""
    m = pdfium_c.FS_MATRIX()
    return (m.a, m.b, m.c, m.d, m.e, m.f) if pdfium_c.FPDFPageObj_GetMatrix(obj, m) else IDENTITY


def _subpaths(obj: Any, matrix: Matrix) -> list[tuple[str, list[Point]]]:
    """The path's subpaths as pdfminer spells them ("m", "l", "c", "h") with their end
    points in the frame."""
    out: list[tuple[str, list[Point]]] = []
    ops: list[str] = []
    pts: list[Point] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    bezier = 0
    for j in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, j)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        point = _apply(matrix, x.value, y.value)
        if kind == pdfium_c.FPDF_SEGMENT_MOVETO or not ops:
            if ops:
                out.append(("".join(ops), pts))
            ops, pts, bezier = ["m"], [point], 0
        elif kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3:
                continue  # control points: pdfminer keeps the end point only
            ops.append("c")
            pts.append(point)
        else:
            ops.append("l")
            pts.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            ops.append("h")
            pts.append(pts[0])
    if ops:
        out.append(("".join(ops), pts))
    return out


def _close(a: float, b: float) -> bool:
    """Two coordinates PDFium's float arithmetic may have made differ."""
    return abs(a - b) <= SAME


def _classify(ops: str, pts: list[Point]) -> Classified | None:
    """pdfminer's reading of one subpath: a line, a rect or a curve, with its box."""
    if len(pts) < 2:
        return None
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    box = (min(xs), min(ys), max(xs), max(ys))
    if ops in ("ml", "mlh"):
        (ax, ay), (bx, by) = pts[0], pts[1]
        # Snap near-equal coordinates so a flat line is flat (an edge needs equality).
        by = ay if _close(ay, by) else by
        bx = ax if _close(ax, bx) else bx
        return LINE, (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)), ((ax, ay), (bx, by))
    # "re" and "m l l l h" end where they began (PDFium spells a closing line to the
    # start as a line with the close flag).
    if ops in ("mllllh", "mlllh", "mllll") and _is_rect(pts[:5]):
        return RECT, box, tuple(pts[:4])
    snapped: list[Point] = []
    for p in pts:
        if snapped and _close(p[0], snapped[-1][0]):
            p = (snapped[-1][0], p[1])
        if snapped and _close(p[1], snapped[-1][1]):
            p = (p[0], snapped[-1][1])
        snapped.append(p)
    return CURVE, box, tuple(snapped)


def _is_rect(ring: list[Point]) -> bool:
    """Five points that go round an axis-aligned rectangle back to the start."""
    if len(ring) < 5:
        return False
    (x0, y0), (x1, y1), (x2, y2), (x3, y3), (x4, y4) = ring
    closed = _close(x0, x4) and _close(y0, y4)
    across_first = _close(x0, x1) and _close(y1, y2) and _close(x2, x3) and _close(y3, y0)
    along_first = _close(y0, y1) and _close(x1, x2) and _close(y2, y3) and _close(x3, x0)
    return closed and (across_first or along_first)


def _loose_box(textpage: Any, i: int) -> Box:
    """PDFium's own box of a glyph in user space (x0, y0, x1, y1)."""
    loose = pdfium_c.FS_RECTF()
    pdfium_c.FPDFText_GetLooseCharBox(textpage, i, loose)
    return (loose.left, loose.bottom, loose.right, loose.top)


def _frame_box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> Box:
    """A user-space box in the frame, as x0, x1, top, bottom."""
    ax, ay = _apply(m, x0, y0)
    bx, by = _apply(m, x1, y1)
    return min(ax, bx), max(ax, bx), min(ay, by), max(ay, by)


def _clip_box(obj: Any, matrix: Matrix) -> Box | None:
    """The box (x0, top, x1, bottom, in the frame) of the object's clip path; None when it
    has none. `matrix`: the object's map to the frame (its clip path is in its parent's
    space, whose map is worked out only for an object that has a clip path: most have none)."""
    clip = pdfium_c.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    matrix = matrix_of_parent(matrix, obj)
    box: Box | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for p in range(pdfium_c.FPDFClipPath_CountPaths(clip)):
        points = []
        for s in range(pdfium_c.FPDFClipPath_CountPathSegments(clip, p)):
            seg = pdfium_c.FPDFClipPath_GetPathSegment(clip, p, s)
            if seg and pdfium_c.FPDFPathSegment_GetPoint(seg, x, y):
                points.append(_apply(matrix, x.value, y.value))
        if not points:
            continue
        xs, ys = [q[0] for q in points], [q[1] for q in points]
        this = (min(xs), min(ys), max(xs), max(ys))
        box = this if box is None else _intersect(box, this) or (0.0, 0.0, 0.0, 0.0)
    return box


def _intersect(a: Box, b: Box) -> Box | None:
    """Where two boxes overlap; None when they do not."""
    x0, top, x1, bottom = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    if x0 > x1 + SAME or top > bottom + SAME:
        return None
    return (x0, top, max(x0, x1), max(top, bottom))


def _centre_in(box: Box, clip: Box) -> bool:
    """Whether a box's centre lies in (or just by) a clip box; both x0, top, x1, bottom."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return (
        clip[0] - CLIP_SLACK <= cx <= clip[2] + CLIP_SLACK
        and clip[1] - CLIP_SLACK <= cy <= clip[3] + CLIP_SLACK
    )


def _font_name(font: Any) -> str:
    """The font's base name ("ABCDEF+Arial-BoldMT", as pdfminer reports it)."""
    buf = ctypes.create_string_buffer(256)
    n = pdfium_c.FPDFFont_GetBaseFontName(font, buf, 256)
    return buf.value.decode("utf-8", "replace") if n else ""


def _descent(font: Any) -> float:
    """The font's descent as a share of its size (negative: below the baseline)."""
    out = ctypes.c_float()
    if pdfium_c.FPDFFont_GetDescent(font, 1.0, out):
        return float(out.value)
    return 0.0
