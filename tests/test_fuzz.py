"""Fuzz the readers and the interpreter with mutated copies of the committed samples.

A reader may refuse a file only with its typed `ExtractionError`; the interpreter must read
whatever layout a reader gives. Any other exception is a bug (Hypothesis shrinks the input
that raised it and keeps it in .hypothesis/ to replay).

`make test` runs a short, fixed round (PLANX_FUZZ_EXAMPLES examples per reader, derandomized
so the suite is repeatable); `make fuzz` runs a long random one:

    PLANX_FUZZ_EXAMPLES=2000 PLANX_FUZZ_RANDOM=1 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import zipfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planx.extractors import ExtractionError, ExtractSettings, extract
from planx.pipeline.interpret import interpret
from planx.pipeline.nlp.statuses import fill_to_colour
from planx.schemas.layout import Block, Cell, LayoutDocument, Table

PLANS = Path(__file__).resolve().parents[1] / "samples" / "plans"
EXAMPLES = int(os.environ.get("PLANX_FUZZ_EXAMPLES", "8"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("PLANX_FUZZ_RANDOM"),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
# Small limits keep a mutated size field from asking for gigabytes (the limits are the
# reader's defence, and are tested in test_batch.py).
LIMITS = ExtractSettings(max_pages=50)
SUFFIXES = {"text": ".txt", "html": ".html", "xlsx": ".xlsx", "docx": ".docx"}
# Bytes that mean something to one of the formats: separators, markup, XML, zip, encodings.
TOKENS = [
    b"\t", b"\n", b"\r", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<", b">", b"&", b"&#0;",
    b"&#x110000;", b"<table>", b"</table>", b"<tr>", b"<td colspan=\"0\">", b"<td rowspan=\"99999\">",
    b"<th>", b"<br>", b"<w:tc>", b"<w:gridSpan w:val=\"-1\"/>", b"<w:vMerge/>",
    b"<w:shd w:fill=\"zz\"/>", b"<c r=\"XFD1048576\">", b"<mergeCell ref=\"A1:A0\"/>",
    b" | ", b"Red", b"31/02/2020", b"Q5 2019", b"9999999999999999999", b"%", b"\xe2\x80\x8b",
]  # fmt: skip


@cache
def seeds(fmt: str) -> tuple[tuple[str, bytes], ...]:
    """The committed samples a reader reads, as (name, bytes)."""
    suffix = SUFFIXES[fmt]
    return tuple((p.name, p.read_bytes()) for p in sorted(PLANS.glob(f"*{suffix}")))


# --------------------------------------------------------------------------- mutations


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with a few random edits: bits flipped, spans cut, repeated or swapped, bytes
    or format tokens inserted, or the end cut off."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        n = len(out)
        at = draw(st.integers(0, max(n - 1, 0)))
        span = draw(st.integers(1, 64))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "insert", "token", "truncate"]))
        if kind == "flip" and n:
            out[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del out[at : at + span]
        elif kind == "repeat":
            out[at:at] = out[at : at + span] * draw(st.integers(1, 4))
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif kind == "token":
            out[at:at] = draw(st.sampled_from(TOKENS))
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


@st.composite
def mutated_package(draw: st.DrawFn, data: bytes) -> bytes:
    """A zip package (docx, xlsx) with one XML part mutated, or, now and then, the zip itself."""
    if draw(st.integers(0, 9)) == 0:
        return draw(mutated_bytes(data))
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        members = [(info, zin.read(info.filename)) for info in zin.infolist()]
    parts = [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]
    target = draw(st.sampled_from(parts))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for i, (info, body) in enumerate(members):
            zout.writestr(info, draw(mutated_bytes(body)) if i == target else body)
    return buf.getvalue()


def read_and_interpret(name: str, data: bytes) -> None:
    """What the batch does with one file, up to the records: only ExtractionError may escape."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            doc = extract(path, LIMITS)
        except ExtractionError:
            return
    interpret(doc, plan_id="fuzz", sha256="0" * 64, fill_to_colour=fill_to_colour)


def _input(fmt: str):
    mutate = mutated_package if fmt in ("docx", "xlsx") else mutated_bytes
    return st.sampled_from(seeds(fmt)).flatmap(
        lambda seed: st.tuples(st.just(seed[0]), mutate(seed[1]))
    )


@pytest.mark.parametrize("fmt", sorted(SUFFIXES))
def test_readers_raise_only_extraction_errors(fmt: str):
    assert seeds(fmt), f"no committed {fmt} sample to fuzz"

    @FUZZ
    @given(_input(fmt))
    def run(named: tuple[str, bytes]) -> None:
        read_and_interpret(*named)

    run()


# --------------------------------------------------------------------------- the interpreter


@cache
def sample_layouts() -> tuple[LayoutDocument, ...]:
    return tuple(extract(PLANS / name) for fmt in SUFFIXES for name, _ in seeds(fmt))


TEXTS = st.one_of(
    st.sampled_from(["", " ", "Red", "G", "Amber", "Complete", "Action", "Lead", "Due", "Target"]),
    st.sampled_from(["Mar-19", "31/02/2020", "Q3", "Ongoing", "90%", "1.2.3", "→", "↑", "TBC"]),
    st.text(max_size=40),
)
FILLS = st.one_of(
    st.none(), st.sampled_from(["#FF0000", "#FFC000", "#00B050", "#0070C0", "#000000"])
)


@st.composite
def mutated_table(draw: st.DrawFn, table: Table) -> Table:
    """A table still dense (every row as wide as the others), with rows dropped, repeated or
    shuffled, columns dropped, cells rewritten or recoloured, and any number of header rows."""
    rows = [list(r) for r in table.rows]
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["drop_row", "repeat_row", "drop_col", "text", "fill", "swap"]))
        if not rows or not rows[0]:
            break
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[0]) - 1))
        if kind == "drop_row":
            del rows[r]
        elif kind == "repeat_row":
            rows.insert(r, list(rows[r]))
        elif kind == "drop_col" and len(rows[0]) > 1:
            rows = [row[:c] + row[c + 1 :] for row in rows]
        elif kind == "text":
            rows[r][c] = dataclasses.replace(rows[r][c], text=draw(TEXTS))
        elif kind == "fill":
            rows[r][c] = dataclasses.replace(rows[r][c], fill=draw(FILLS), bold=draw(st.booleans()))
        elif kind == "swap":
            r2 = draw(st.integers(0, len(rows) - 1))
            rows[r], rows[r2] = rows[r2], rows[r]
    # Re-number the cells and point merges only at cells that still exist above or left.
    dense = tuple(
        tuple(
            dataclasses.replace(cell, row=i, col=j, merged_from=_merge(cell, i, j))
            for j, cell in enumerate(row)
        )
        for i, row in enumerate(rows)
    )
    headers = draw(st.integers(0, min(3, len(dense))))
    return dataclasses.replace(table, rows=dense, n_header_rows=headers)


def _merge(cell: Cell, row: int, col: int) -> tuple[int, int] | None:
    if cell.merged_from is None:
        return None
    r, c = cell.merged_from
    return (min(r, row), min(c, col))


@st.composite
def mutated_layout(draw: st.DrawFn) -> LayoutDocument:
    """A sample's layout with blocks dropped, repeated or rewritten, and its tables mutated."""
    doc = draw(st.sampled_from(sample_layouts()))
    blocks = []
    for block in doc.blocks:
        kind = draw(st.sampled_from(["keep", "keep", "keep", "drop", "repeat", "text"]))
        if kind == "drop":
            continue
        if block.table is not None and draw(st.booleans()):
            block = dataclasses.replace(block, table=draw(mutated_table(block.table)))
        elif kind == "text" and block.table is None:
            block = dataclasses.replace(block, text=draw(TEXTS))
        blocks.append(block)
        if kind == "repeat":
            blocks.append(block)
    if draw(st.booleans()):
        blocks.append(Block(kind="heading", text=draw(TEXTS), level=draw(st.integers(1, 4))))
    return dataclasses.replace(doc, blocks=tuple(blocks))


@FUZZ
@given(mutated_layout())
def test_interpreter_reads_any_dense_layout(doc: LayoutDocument):
    plan = interpret(doc, plan_id="fuzz", sha256="0" * 64, fill_to_colour=fill_to_colour)
    ids = [a.id for a in plan.actions] + [k.id for k in plan.kpis]
    assert len(ids) == len(set(ids))


# --------------------------------------------------------------------------- what fuzzing found


def _damage_member(package: bytes, member: str) -> bytes:
    """The package with `member`'s deflate stream made invalid (its first block type set to
    the reserved value), headers and sizes left as they were."""
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        info = zf.getinfo(member)
    out = bytearray(package)
    start = info.header_offset
    name_len = int.from_bytes(out[start + 26 : start + 28], "little")
    extra_len = int.from_bytes(out[start + 28 : start + 30], "little")
    out[start + 30 + name_len + extra_len] |= 0b110
    return bytes(out)


@pytest.mark.parametrize(
    ("name", "member"),
    [
        ("wexcombe_2019-20_improvement_tracker.xlsx", "xl/worksheets/sheet1.xml"),
        ("wexcombe_2019-20_improvement_tracker.docx", "word/document.xml"),
    ],
)
def test_a_damaged_compressed_part_is_a_typed_error(name: str, member: str, tmp_path: Path):
    path = tmp_path / name
    path.write_bytes(_damage_member((PLANS / name).read_bytes(), member))
    with pytest.raises(ExtractionError) as caught:
        extract(path)
    assert caught.value.kind == "corrupt"


def test_make_fuzz_runs_these_tests_at_length():
    makefile = (PLANS.parents[1] / "Makefile").read_text(encoding="utf-8")
    target = makefile[makefile.index("\nfuzz:") :].split("\n\n")[0]
    assert "tests/test_fuzz.py" in target and "PLANX_FUZZ_EXAMPLES=" in target
