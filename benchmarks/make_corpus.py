"""Generate a large benchmark corpus from the sample plans (benchmarks/corpus/, gitignored).

    .venv/bin/python benchmarks/make_corpus.py --plans 500          # ~10,000 PDF pages
    .venv/bin/python benchmarks/make_corpus.py --plans 60 --out /tmp/corpus --mixed

Each sample plan (samples/_plan_*.py) is drawn with its body repeated 1 to 10
times (longer plans, more pages) by the samples' own PDF renderer, giving a few
dozen distinct documents. The corpus has --plans files, each one of those
documents with its own trailing PDF comment, so that every file has its own
sha256 as distinct plans would (readers ignore bytes after %%EOF). --mixed makes
every tenth file a DOCX or text export instead. corpus.json lists each file
with its page count. Deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SAMPLES = REPO / "samples"
DEFAULT_OUT = HERE / "corpus"
DEFAULT_PLANS = 500
REPEATS = (1, 2, 4, 6, 10)  # body copies per variant; ~20 pages per plan on average


def _use_samples() -> None:
    # The samples' generator modules import each other as top-level modules.
    if str(SAMPLES) not in sys.path:
        sys.path.insert(0, str(SAMPLES))


def _sample_modules():
    _use_samples()
    import _plan_eastmarsh
    import _plan_harrowden
    import _plan_kestrel_bay
    import _plan_northam_vale
    import _plan_wexcombe

    return (_plan_harrowden, _plan_northam_vale, _plan_eastmarsh, _plan_kestrel_bay, _plan_wexcombe)


def variant_document(module, repeats: int):
    """The sample's document with its body drawn `repeats` times, a page break between."""
    from _doc import PageBreak

    doc = module.document()
    blocks = list(doc.blocks)
    for _ in range(repeats - 1):
        blocks += [PageBreak(), *doc.blocks]
    return dataclasses.replace(doc, blocks=tuple(blocks), stem=f"{doc.stem}_x{repeats}")


def render_variants(formats: set[str]) -> list[dict]:
    """Every (sample, repeat) document in the chosen formats: name, bytes, pages."""
    _use_samples()
    from _render_docx import render_docx
    from _render_pdf import render_pdf
    from _render_text import render_text

    variants = []
    for module in _sample_modules():
        for repeats in REPEATS:
            doc = variant_document(module, repeats)
            pdf, info = render_pdf(doc)
            entry = {"stem": doc.stem, "pages": info.pages, "pdf": pdf}
            if "docx" in formats:
                entry["docx"] = render_docx(doc)
            if "txt" in formats:
                entry["txt"] = render_text(doc).encode("utf-8")
            variants.append(entry)
    return variants


def with_marker(data: bytes, fmt: str, marker: str) -> bytes:
    """The same document with bytes that make its hash its own."""
    if fmt == "pdf":
        return data + f"\n% {marker}\n".encode()
    if fmt == "txt":
        return data + f"\n\nCorpus file {marker}\n".encode()
    if fmt == "docx":
        import io

        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, "a") as zf:
            zf.comment = marker.encode()
        return buf.getvalue()
    raise ValueError(fmt)


def make_corpus(out: Path = DEFAULT_OUT, plans: int = DEFAULT_PLANS, mixed: bool = False) -> dict:
    """Write the corpus into `out` (replacing it); returns the manifest."""
    started = time.monotonic()
    formats = {"pdf", "docx", "txt"} if mixed else {"pdf"}
    variants = render_variants(formats)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    files = []
    for i in range(plans):
        variant = variants[i % len(variants)]
        fmt = "pdf"
        if mixed and i % 10 == 9:
            fmt = "docx" if i % 20 == 9 else "txt"
        name = f"plan_{i:05d}_{variant['stem']}.{fmt}"
        (out / name).write_bytes(with_marker(variant[fmt], fmt, f"planx-bench {i}"))
        files.append(
            {"file": name, "format": fmt, "pages": variant["pages"] if fmt == "pdf" else 0}
        )
    manifest = {
        "plans": plans,
        "pdf_files": sum(1 for f in files if f["format"] == "pdf"),
        "pdf_pages": sum(f["pages"] for f in files),
        "distinct_documents": len(variants),
        "files": files,
    }
    (out / "corpus.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    manifest["seconds"] = round(time.monotonic() - started, 1)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=DEFAULT_PLANS, help="files to write")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder (replaced)")
    parser.add_argument("--mixed", action="store_true", help="every tenth file DOCX or text")
    args = parser.parse_args()
    manifest = make_corpus(args.out, args.plans, args.mixed)
    print(
        f"wrote {args.plans} files ({manifest['pdf_files']} PDFs, {manifest['pdf_pages']:,} PDF "
        f"pages, from {manifest['distinct_documents']} distinct documents) to {args.out} "
        f"in {manifest['seconds']} s"
    )


if __name__ == "__main__":
    main()
