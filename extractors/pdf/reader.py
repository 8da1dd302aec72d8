"""PDF reader: pages to the layout model, one page at a time.

Each page's objects (characters, rects, lines, curves) are read once, by PDFium
(`pdfium_page`, the default engine) or by pdfplumber (`pdf_engine="pdfplumber"`,
and the fallback, with a warning, for a file PDFium cannot open or whose fonts it
cannot map to text); its tables are found with pdfplumber's TableFinder, its glyphs
bucketed into table cells or free text lines, then the page is let go so memory
does not grow with the page count. Across pages the
reader drops running headers and footers, joins tables that continue on the
next page and places every table where it sits between the text.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from planx.extractors.base import ExtractionError, ExtractSettings
from planx.extractors.pdf.layout import pages_to_blocks
from planx.extractors.pdf.objects import from_pdfplumber
from planx.extractors.pdf.page import PageContent, carried_columns, read_page
from planx.extractors.pdf.pdfium_page import PdfiumPages, UnusableFont
from planx.schemas.layout import LayoutDocument

__all__ = ["PdfExtractor"]

METADATA_KEYS = ("Title", "Author", "Subject", "Creator", "Producer", "CreationDate", "ModDate")
NO_TEXT_MESSAGE = "no text layer (scanned image?); run OCR first"
NO_TEXT_NO_IMAGE_MESSAGE = (
    "no text found (blank, outlined or damaged pages); run OCR if it is a scan"
)
ENCRYPTED_MESSAGE = "PDF is password-protected; save an unprotected copy"
FALLBACK_NOTE = "read with pdfplumber (slower)"


class PdfExtractor:
    suffixes = (".pdf",)
    format = "pdf"

    def extract(self, path: Path, settings: ExtractSettings | None = None) -> LayoutDocument:
        settings = ExtractSettings.resolve(settings)
        path = Path(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ExtractionError("unreadable", f"cannot open file: {exc.strerror}") from None
        if size == 0:
            raise ExtractionError("empty", "empty file (0 bytes)")
        contents: list[PageContent] | None = None
        engine_notes: list[str] = []
        if settings.pdf_engine == "pdfium":
            contents, engine_notes, n_pages, metadata = _read_with_pdfium(path, settings.max_pages)
        if contents is None:
            contents, warnings, n_pages, metadata = _read_with_pdfplumber(path, settings.max_pages)
        else:
            warnings, engine_notes = engine_notes, []
        if not contents:
            raise ExtractionError("corrupt", f"PDF is damaged or truncated: {warnings[0]}")
        warnings = engine_notes + warnings
        n_chars = sum(p.n_chars for p in contents)
        if n_chars == 0:
            if any(p.n_images for p in contents):
                raise ExtractionError("no_text_layer", NO_TEXT_MESSAGE)
            raise ExtractionError("no_text_layer", NO_TEXT_NO_IMAGE_MESSAGE)
        blank = [p.number for p in contents if p.n_chars == 0 and p.n_images > 0]
        if blank:
            warnings.append(f"{_pages_phrase(blank)} no text layer (scanned image?); run OCR first")
        original = [list(p.lines) for p in contents]
        blocks = pages_to_blocks(
            contents,
            path.name,
            drop_running=settings.drop_running_text,
            max_cell_chars=settings.max_cell_chars,
        )
        if not blocks and settings.drop_running_text:
            # Everything looked like running text (a one-line-per-page document): keep it.
            for page, lines in zip(contents, original, strict=True):
                page.lines = lines
            blocks = pages_to_blocks(
                contents, path.name, drop_running=False, max_cell_chars=settings.max_cell_chars
            )
        return LayoutDocument(
            source=path.name,
            format=self.format,
            blocks=tuple(blocks),
            pages=n_pages,
            metadata=metadata,
            warnings=tuple(warnings),
        )


def _check_pages(n_pages: int, max_pages: int) -> None:
    """The errors for a document with no pages or too many."""
    if n_pages == 0:
        raise ExtractionError("empty", "PDF has no pages")
    if n_pages > max_pages:
        raise ExtractionError(
            "too_large", f"PDF has {n_pages:,} pages, over the {max_pages:,}-page limit"
        )


# The pages read (None: read the file with pdfplumber instead), the warnings (or why
# pdfplumber must read it), the page count and the metadata.
ReadResult = tuple[list[PageContent] | None, list[str], int, dict[str, str]]


def _read_with_pdfium(path: Path, max_pages: int) -> ReadResult:
    """The pages read through PDFium; no pages (None) and the reason, as a warning, when
    pdfplumber must read the file instead."""
    try:
        pages = PdfiumPages(path)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError("encrypted", ENCRYPTED_MESSAGE) from None
        return None, [f"{FALLBACK_NOTE}: PDFium could not open it ({_reason(exc)})"], 0, {}
    try:
        n_pages = len(pages)
        _check_pages(n_pages, max_pages)
        contents: list[PageContent] = []
        warnings: list[str] = []
        carried: list[float] | None = None
        for index in range(n_pages):
            try:
                with _collector_paused():
                    objects = pages.page(index)
                    contents.append(read_page(objects, index + 1, carried))
            except UnusableFont as exc:
                note = f"{FALLBACK_NOTE}: a font on page {index + 1} maps to no text ({exc})"
                return None, [note], n_pages, {}
            except pdfium.PdfiumError as exc:
                carried = None
                warnings.append(f"page {index + 1} could not be read: {_reason(exc)}")
                continue
            carried = carried_columns(contents[-1])
        return contents, warnings, n_pages, _metadata(pages.metadata())
    finally:
        pages.close()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while one page is read: a page makes thousands of small
    objects (a record per character, line and fragment; reference counting frees them, as
    they form no cycles), and every 700 of them would set off a collection that walks the
    young objects (and, now and then, every object of the process). Back on, as it was,
    once the page is read: one collection then sees the page's objects once."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _read_with_pdfplumber(path: Path, max_pages: int) -> ReadResult:
    """The pages read through pdfplumber (pdfminer)."""
    with _quiet_pdf_libraries():
        try:
            pdf = pdfplumber.open(path)
        except Exception as exc:  # pdfminer raises many types for a bad file
            raise _open_error(exc) from None
        try:
            try:
                n_pages = len(pdf.pages)
            except Exception as exc:
                raise _open_error(exc) from None
            _check_pages(n_pages, max_pages)
            contents, warnings = _read_pages(pdf)
            return contents, warnings, n_pages, _metadata(pdf.metadata)
        finally:
            _close(pdf)


@contextmanager
def _quiet_pdf_libraries() -> Iterator[None]:
    """pdfminer logs every oddity of a damaged file as a warning; the reader reports
    what matters itself (a warning per unreadable page, or one error)."""
    loggers = [logging.getLogger(name) for name in ("pdfminer", "pdfplumber")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def _close(pdf: Any) -> None:
    """Close the file even when pdfplumber cannot list the pages it would close."""
    try:
        pdf.close()
    except Exception:
        stream = getattr(pdf, "stream", None)
        if stream is not None and not getattr(pdf, "stream_is_external", False):
            stream.close()


def _read_pages(pdf: Any) -> tuple[list[PageContent], list[str]]:
    """Every readable page; a damaged page becomes a warning, not a failure."""
    contents: list[PageContent] = []
    warnings: list[str] = []
    carried: list[float] | None = None
    for page in pdf.pages:
        try:
            contents.append(read_page(from_pdfplumber(page), page.page_number, carried))
            carried = carried_columns(contents[-1])
        except Exception as exc:
            if not _from_pdf_library(exc):
                raise
            carried = None
            warnings.append(f"page {page.page_number} could not be read: {_reason(exc)}")
        finally:
            page.close()  # drops the parsed objects and layout: memory stays flat
    return contents, warnings


def _open_error(exc: BaseException) -> ExtractionError:
    """The one-line error for a PDF that cannot be opened."""
    inner = _unwrap(exc)
    if isinstance(inner, PDFPasswordIncorrect | PDFEncryptionError):
        return ExtractionError("encrypted", ENCRYPTED_MESSAGE)
    return ExtractionError("corrupt", f"PDF is damaged or truncated: {_reason(exc)}")


def _unwrap(exc: BaseException) -> BaseException:
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        return exc.args[0]
    return exc


def _reason(exc: BaseException) -> str:
    inner = _unwrap(exc)
    text = str(inner).strip().splitlines()[0] if str(inner).strip() else ""
    text = re.sub(r"\s+", " ", text)[:100]
    return text or type(inner).__name__


def _from_pdf_library(exc: BaseException) -> bool:
    """True when the error was raised inside pdfminer/pdfplumber (bad input), not in our code."""
    if isinstance(exc, PdfminerException):
        return True
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    if last is None:
        return False
    parts = Path(last).parts
    return "pdfminer" in parts or "pdfplumber" in parts or last.startswith(os.sep + "<")


def _metadata(raw: dict[str, Any]) -> dict[str, str]:
    out = {}
    for key in METADATA_KEYS:
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            out[key.lower()] = value.strip()[:300]
    return out


def _pages_phrase(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    shown = ", ".join(str(n) for n in numbers[:10]) + (", ..." if len(numbers) > 10 else "")
    return f"pages {shown} have"
