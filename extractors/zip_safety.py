"""Safety checks on Office packages (DOCX, XLSX) before a parser opens them: zip bombs,
entity declarations, missing parts."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from planx.extractors.base import ExtractionError, ExtractSettings

_XML_SUFFIXES = (".xml", ".rels", ".vml")
_ENTITY = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ENTITY_UTF16 = re.compile(
    rb"<\x00!\x00(?:D\x00O\x00C\x00T\x00Y\x00P\x00E|E\x00N\x00T\x00I\x00T\x00Y)", re.IGNORECASE
)


def check_package(path: Path, settings: ExtractSettings, *, label: str, required: str) -> None:
    """Refuse an Office package before a parser touches it: not a zip, missing
    its main part, expanding past the size limit (a zip bomb), or carrying XML
    DOCTYPE/ENTITY declarations (entity-expansion attacks)."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if required not in names:
                raise ExtractionError(
                    "corrupt", f"not a valid {label} file (no {required} in the package)"
                )
            total = sum(i.file_size for i in infos)
            if total > settings.max_unzipped_bytes:
                raise ExtractionError(
                    "too_large",
                    f"{label} expands to {_mb(total)} MB, over the "
                    f"{_mb(settings.max_unzipped_bytes)} MB limit: possible zip bomb",
                )
            for info in infos:
                if info.filename.lower().endswith(_XML_SUFFIXES) and _has_entity_declaration(
                    zf, info
                ):
                    raise ExtractionError(
                        "unreadable", f"XML entity declarations are not allowed ({info.filename})"
                    )
    except ExtractionError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        zlib.error,  # a member whose compressed bytes are damaged
    ) as exc:
        raise ExtractionError(
            "corrupt", f"not a valid {label} file (broken zip package: {exc})"
        ) from None


def _mb(n: int) -> str:
    mb = n / 1_048_576
    return f"{mb:,.0f}" if mb >= 10 else f"{mb:.2g}"


def _has_entity_declaration(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    # Streamed, with an overlap so a marker split across chunks is still seen.
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            window = tail + chunk
            if _ENTITY.search(window) or _ENTITY_UTF16.search(window):
                return True
            tail = window[-32:]
    return False


def has_xml_entity_declaration(data: bytes) -> bool:
    """True when raw markup declares entities (HTML may keep a plain <!DOCTYPE html>)."""
    return bool(re.search(rb"<!ENTITY|<!DOCTYPE[^>\[]*\[", data, re.IGNORECASE)) or bool(
        re.search(rb"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y", data, re.IGNORECASE)
    )
