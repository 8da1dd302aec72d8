"""What every extractor shares: its settings, its error type and its interface."""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, TypeVar

from planx.schemas.layout import LayoutDocument
from planx.schemas.settings import resolve_settings

ErrorKind = Literal[
    "encrypted",
    "no_text_layer",
    "corrupt",
    "empty",
    "unsupported",
    "too_large",
    "timeout",
    "unreadable",
]

T = TypeVar("T")

DEFAULT_MAX_PAGES = 2000
DEFAULT_MAX_UNZIPPED_BYTES = 200 * 1024 * 1024  # DOCX/XLSX members, summed
DEFAULT_MAX_CELL_CHARS = 20_000
DEFAULT_MAX_FILE_BYTES = 500 * 1024 * 1024
PDF_ENGINES = ("pdfium", "pdfplumber")  # what parses a PDF's pages; the first is the default


class ExtractionError(Exception):
    """A file that cannot be read, with a one-line reason a user can act on."""

    def __init__(self, kind: ErrorKind, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class ExtractSettings:
    """Limits and switches for extraction. Pass None, a dict or an instance to `resolve`."""

    max_pages: int = DEFAULT_MAX_PAGES
    max_unzipped_bytes: int = DEFAULT_MAX_UNZIPPED_BYTES
    max_cell_chars: int = DEFAULT_MAX_CELL_CHARS
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    drop_running_text: bool = True  # page headers/footers, page numbers
    pdf_engine: str = PDF_ENGINES[0]  # "pdfium" (fast) or "pdfplumber" (the reference)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
                raise ValueError(f"Extract setting '{f.name}' must be positive, got {value}")
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(
                f"Extract setting 'pdf_engine' must be one of {', '.join(PDF_ENGINES)}, "
                f"got {self.pdf_engine!r}"
            )

    @classmethod
    def resolve(cls, settings: ExtractSettings | dict[str, Any] | None) -> ExtractSettings:
        return resolve_settings(cls, settings, "extract")


class Extractor(Protocol):
    suffixes: ClassVar[tuple[str, ...]]
    format: ClassVar[str]

    def extract(self, path: Path, settings: ExtractSettings) -> LayoutDocument: ...
