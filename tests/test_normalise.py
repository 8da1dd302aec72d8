"""The layout-normalising pass every reader's document goes through: continued tables
joined, headers repeated inside a table dropped, tables renumbered."""

from __future__ import annotations

from pathlib import Path

from planx.extractors import extract
from planx.extractors.normalise import normalise_layout
from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table

HEADER = ["Ref", "Action", "Lead"]


def _table(rows: list[list[str]], n_header: int = 1, index: int = 0, merges=()) -> Table:
    """A dense grid from texts; `merges` lists (row, col, row_span) origins spanning down."""
    grid = [[Cell(text=t, row=r, col=c) for c, t in enumerate(row)] for r, row in enumerate(rows)]
    for r, c, span in merges:
        grid[r][c] = Cell(text=rows[r][c], row=r, col=c, row_span=span)
        for rr in range(r + 1, r + span):
            grid[rr][c] = Cell(text=rows[r][c], row=rr, col=c, merged_from=(r, c))
    return Table(rows=tuple(tuple(row) for row in grid), n_header_rows=n_header, index=index)


def _doc(*items: Table | str) -> LayoutDocument:
    blocks = []
    for item in items:
        if isinstance(item, Table):
            prov = LayoutProvenance(source="t", table_index=item.index)
            blocks.append(Block(kind="table", table=item, prov=prov))
        else:
            blocks.append(Block(kind="paragraph", text=item, prov=LayoutProvenance(source="t")))
    return LayoutDocument(source="t", format="docx", blocks=tuple(blocks))


def test_table_repeating_the_header_right_after_another_continues_it() -> None:
    first = _table([HEADER, ["1.1", "Audit", "Head of Service"]], index=0)
    second = _table(
        [HEADER, ["1.2", "Train", "Principal Social Worker"], ["", "and review", ""]],
        index=1,
        merges=[(1, 0, 2)],
    )
    third = _table([["Measure", "Target"], ["Visits", "90%"]], index=2)
    out = normalise_layout(_doc(first, second, "After the tables.", third))
    assert [b.kind for b in out.blocks] == ["table", "paragraph", "table"]
    joined = out.tables[0]
    assert joined.texts() == [
        HEADER,
        ["1.1", "Audit", "Head of Service"],
        ["1.2", "Train", "Principal Social Worker"],
        ["1.2", "and review", ""],
    ]
    assert joined.rows[2][0].row_span == 2 and joined.rows[3][0].merged_from == (2, 0)
    assert all(cell.row == r for r, row in enumerate(joined.rows) for cell in row)
    assert [t.index for t in out.tables] == [0, 1]
    assert [b.prov.table_index for b in out.blocks if b.table] == [0, 1]


def test_tables_apart_or_with_other_columns_stay_apart() -> None:
    first = _table([HEADER, ["1.1", "Audit", "Head of Service"]], index=0)
    again = _table([HEADER, ["2.1", "Train", "Head of Service"]], index=1)
    wider = _table([[*HEADER, "Due"], ["2.1", "Train", "Head of Service", "May"]], index=1)
    no_header = _table([["2.1", "Train", "Head of Service"]], n_header=0, index=1)
    for doc in (
        _doc(first, "Theme 2", again),  # a heading or paragraph between them
        _doc(first, wider),
        _doc(first, no_header),  # nothing repeated: no evidence it is the same table
    ):
        assert len(normalise_layout(doc).tables) == 2


def test_header_repeated_inside_a_table_is_dropped() -> None:
    table = _table(
        [
            HEADER,
            ["1.1", "Audit", "Head of Service"],
            ["ref", " Action ", "LEAD"],  # the same labels, spaced and cased differently
            ["1.2", "Train", "Principal Social Worker"],
        ]
    )
    out = normalise_layout(_doc(table)).tables[0]
    assert out.texts() == [
        HEADER,
        ["1.1", "Audit", "Head of Service"],
        ["1.2", "Train", "Principal Social Worker"],
    ]
    assert out.n_header_rows == 1


def test_a_header_band_crossed_by_a_merged_cell_is_kept() -> None:
    rows = [HEADER, ["Ref", "Audit", "Head of Service"], HEADER, ["1.2", "Train", "Lead"]]
    table = _table(rows, merges=[(1, 0, 2)])  # "Ref" in row 1 runs down into row 2
    assert normalise_layout(_doc(table)).tables[0].n_rows == 4
    only_headers = _table([HEADER, HEADER, HEADER])
    assert normalise_layout(_doc(only_headers)).tables[0].n_rows == 3


def test_tables_split_in_a_word_export_read_like_the_pdf(shared_dir: Path) -> None:
    rendered = shared_dir / "rendered"
    stem = "plan_2017-18_wellbeing_safeguarding"
    pdf, docx = extract(rendered / f"{stem}.pdf"), extract(rendered / f"{stem}.docx")
    assert [(t.n_rows, t.n_cols) for t in docx.tables] == [(t.n_rows, t.n_cols) for t in pdf.tables]
    assert len(docx.tables) == 1
