"""PDF reading: page objects (page.py) to text lines (text.py), ruled tables
(tables.py), tables without rules (borderless.py), boxes and columns (boxes.py,
columns.py); tables joined across pages (join.py); pages to blocks (layout.py);
the reader itself, its errors and limits (reader.py)."""

from planx.extractors.pdf.reader import PdfExtractor

__all__ = ["PdfExtractor"]
