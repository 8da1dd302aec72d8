"""Placeholder until the pdf reader lands: refuses every file with a clear message."""

from __future__ import annotations

from pathlib import Path

from extractors.base import ExtractionError, ExtractSettings
from schemas.layout import LayoutDocument


class PdfExtractor:
    suffixes = ()
    format = "pdf"

    def extract(self, path: Path, settings: ExtractSettings) -> LayoutDocument:
        raise ExtractionError("unsupported", "pdf reading is not available yet")
