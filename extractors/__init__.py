"""Readers, one per format, that turn a file into a `LayoutDocument`.

`extract(path)` picks the reader from the file's content first (magic bytes)
and its suffix second, so a PDF saved as ".docx" is still read as a PDF (with a
warning), and an unknown or unreadable file raises `ExtractionError` with a
one-line reason instead of a traceback. Every reader's document then goes
through one layout-normalising pass (`extractors.normalise`).
"""

from __future__ import annotations

import importlib
import zipfile
from pathlib import Path
from typing import Any

from planx.extractors.base import ExtractionError, Extractor, ExtractSettings
from planx.extractors.normalise import normalise_layout
from planx.schemas.layout import LayoutDocument

__all__ = [
    "READERS",
    "ExtractSettings",
    "ExtractionError",
    "Extractor",
    "extract",
    "reader_for",
    "sniff_format",
    "SUPPORTED_SUFFIXES",
]


# Each format's reader is imported when a file of that format comes, so a run over PDFs
# never loads openpyxl or python-docx (start-up of a small run is mostly imports).
READERS: dict[str, str] = {
    "pdf": "planx.extractors.pdf:PdfExtractor",
    "docx": "planx.extractors.docx:DocxExtractor",
    "text": "planx.extractors.text:TextExtractor",
    "xlsx": "planx.extractors.xlsx:XlsxExtractor",
    "html": "planx.extractors.html:HtmlExtractor",
}


def reader_for(fmt: str) -> Extractor:
    """A reader of one format (a key of READERS)."""
    module, _, name = READERS[fmt].partition(":")
    reader: Extractor = getattr(importlib.import_module(module), name)()
    return reader


SUFFIX_FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "text",
    ".md": "text",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".html": "html",
    ".htm": "html",
}
SUPPORTED_SUFFIXES = tuple(SUFFIX_FORMATS)


def sniff_format(path: Path) -> str | None:
    """The format the bytes say, or None when they say nothing we know."""
    with open(path, "rb") as fh:
        head = fh.read(2048)
    if not head.strip():
        return None
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if head.startswith(b"\xd0\xcf\x11\xe0"):  # OLE2: legacy .doc/.xls or an encrypted OOXML
        return "ole2"
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<table" in lowered:
        return "html"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the 2048-byte boundary is still text.
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return None
    return "text"


def extract(
    path: str | Path, settings: ExtractSettings | dict[str, Any] | None = None
) -> LayoutDocument:
    """Read one file into the layout model, or raise `ExtractionError`."""
    path = Path(path)
    settings = ExtractSettings.resolve(settings)
    if not path.is_file():
        raise ExtractionError("unreadable", f"not a file: {path}")
    size = path.stat().st_size
    if size == 0:
        raise ExtractionError("empty", "empty file (0 bytes)")
    if size > settings.max_file_bytes:
        raise ExtractionError(
            "too_large", f"file is {size:,} bytes, over the {settings.max_file_bytes:,}-byte limit"
        )
    by_suffix = SUFFIX_FORMATS.get(path.suffix.lower())
    by_content = sniff_format(path)
    warning = None
    if by_content == "ole2":
        if by_suffix in ("docx", "xlsx"):
            raise ExtractionError(
                "encrypted",
                f"{path.suffix} file is password-protected (or a legacy Office file); save an unprotected copy",
            )
        raise ExtractionError(
            "unsupported", "legacy Office (.doc/.xls) file; save it as .docx or .xlsx"
        )
    if by_content is None:
        with open(path, "rb") as fh:
            if not fh.read(4096).strip() and size <= 4096:
                raise ExtractionError("empty", "empty file (only blank space)")
        if by_suffix in ("docx", "xlsx"):
            raise ExtractionError(
                "corrupt", f"not a valid {path.suffix} file (it is not a zip package)"
            )
        if by_suffix == "pdf":
            raise ExtractionError("corrupt", "not a valid PDF (no %PDF header)")
        if by_suffix is None:
            raise ExtractionError(
                "unsupported", f"unsupported file type '{path.suffix or '(none)'}'"
            )
        raise ExtractionError("corrupt", f"cannot read this file as {by_suffix}")
    if by_suffix in ("docx", "xlsx", "pdf") and by_content in ("text", "html"):
        raise ExtractionError("corrupt", f"not a valid {path.suffix} file: it holds plain text")
    fmt = by_content
    if by_suffix is None and by_content == "text":
        raise ExtractionError(
            "unsupported",
            f"unsupported file type '{path.suffix or '(none)'}'; plans are read from {', '.join(SUPPORTED_SUFFIXES)}",
        )
    if by_suffix == "html" and by_content == "text":
        fmt = "html"
    elif by_suffix == "text" and by_content == "html":
        fmt = "text"  # a text export may carry HTML fragments in cells
    elif by_suffix is not None and by_content != by_suffix:
        warning = (
            f"file named {path.suffix} is really {by_content.upper()}; read as {by_content.upper()}"
        )
    extractor = reader_for(fmt)
    doc = normalise_layout(extractor.extract(path, settings))
    if warning:
        doc = LayoutDocument(
            source=doc.source,
            format=doc.format,
            blocks=doc.blocks,
            pages=doc.pages,
            metadata=doc.metadata,
            warnings=(warning, *doc.warnings),
        )
    return doc
