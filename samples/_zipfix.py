"""Make an Office zip package byte-stable: fixed entry times and a fixed modified date."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes, modified: dt.datetime) -> bytes:
    """Rewrite every entry with a fixed timestamp; pin docProps/core.xml's dates."""
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = blob.decode("utf-8")
                text = re.sub(
                    r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                    lambda m: f"{m.group(1)}{stamp}{m.group(3)}",
                    text,
                )
                blob = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, blob)
    return out.getvalue()
