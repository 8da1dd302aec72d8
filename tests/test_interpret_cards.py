"""KPI cards read from small hand-built layout models: cards as paragraphs (a PDF drawn
from slides) and as small tables (a word processor's boxes), with the label words reports
use (Actual / Latest / Current, Target / Goal, Floor / Tolerance / Minimum, Previous /
Last quarter / Prior)."""

from __future__ import annotations

import pytest

from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.cards import badge_parts, cards_to_kpis, direction_key, with_card_kpis
from planx.pipeline.nlp.stage import build_nlp, tag_plans
from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table
from planx.schemas.records import KPI, RecordProvenance


def block(text: str, kind: str = "paragraph", page: int = 2, bold: bool = False) -> Block:
    return Block(kind=kind, text=text, bold=bold, prov=LayoutProvenance(source="r.pdf", page=page))


def heading(text: str, page: int = 2) -> Block:
    return block(text, kind="heading", page=page)


def table(rows: list[list[tuple[str, str | None]]], index: int = 0, header: int = 0) -> Block:
    """A table from rows of (text, fill); a None cell copies the one to its left (a merge)."""
    out = []
    for r, row in enumerate(rows):
        cells = []
        for c, spec in enumerate(row):
            if spec is None:
                origin = cells[c - 1]
                cells.append(
                    Cell(origin.text, r, c, fill=origin.fill, page=3, merged_from=(r, c - 1))
                )
            else:
                cells.append(Cell(spec[0], r, c, fill=spec[1], page=3))
        out.append(tuple(cells))
    t = Table(rows=tuple(out), n_header_rows=header, index=index, source="r.docx", pages=(3,))
    return Block(kind="table", table=t, prov=LayoutProvenance(source="r.docx", page=3))


def doc(*blocks: Block) -> LayoutDocument:
    return LayoutDocument(source="r.pdf", format="pdf", blocks=tuple(blocks), pages=4)


def paragraph_card(title: str, badge: str, strip: str) -> list[Block]:
    """A card as a PDF reader gives it: title, badge, chart text, strip."""
    return [
        heading(title),
        heading(badge),
        block("Quarterly trend"),
        block("88% 90% 92%"),
        block("Q4 18/19 Q1 19/20 Q2 19/20"),
        block(strip),
    ]


# --- badges --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, parts",
    [
        ("GREEN ↑", ("GREEN", "↑")),
        ("AMBER", ("AMBER", "")),
        ("G", ("G", "")),
        ("On track ▲", ("On track", "▲")),
        ("Amber - improving", ("Amber", "improving")),
        ("↓ RED", ("RED", "↓")),
        ("Green spaces in the borough", None),
        ("Red 45%", None),
        ("Quarterly trend", None),
    ],
)
def test_badge_is_a_rating_with_at_most_a_direction_beside_it(text, parts):
    assert badge_parts(text) == parts


# --- cards as paragraphs ----------------------------------------------------------------------------------


def test_a_card_read_from_paragraphs():
    kpis = cards_to_kpis(
        doc(
            heading("Early help"),
            *paragraph_card(
                "EH01 Early help assessments within 45 days",
                "GREEN ↑",
                "Latest: 92% | Target: 90%, Floor: 85% | Previous: 88% (Amber)",
            ),
        )
    )
    assert len(kpis) == 1
    k = kpis[0]
    assert (k.ref, k.measure, k.theme) == (
        "EH01",
        "Early help assessments within 45 days",
        "Early help",
    )
    assert (k.status.raw, k.direction_raw) == ("GREEN", "↑")
    assert (k.actual_raw, k.target_raw, k.floor_raw, k.previous_raw) == (
        "92%",
        "90%",
        "85%",
        "88% (Amber)",
    )
    assert k.flags == ["from_card"] and k.provenance.page == 2


@pytest.mark.parametrize(
    "actual, target, floor, previous",
    [
        ("Actual", "Target", "Floor", "Previous"),
        ("Latest", "Goal", "Tolerance", "Last quarter"),
        ("Current", "Target", "Minimum", "Prior"),
        ("Current performance", "Annual target", "Lower threshold", "Previous quarter"),
    ],
)
def test_strip_label_words(actual, target, floor, previous):
    strip = f"{actual}: 45 | {target}: 50, {floor}: 40 | {previous}: 47"
    (k,) = cards_to_kpis(doc(*paragraph_card("Average caseload per worker", "AMBER", strip)))
    assert (k.actual_raw, k.target_raw, k.floor_raw, k.previous_raw) == ("45", "50", "40", "47")


def test_a_strip_split_over_lines_and_a_badge_after_it():
    blocks = [
        heading("Children seen within timescale"),
        block("Actual: 71%"),
        block("Target: 85%"),
        block("Direction of travel: Worsening"),
        heading("RED"),
        heading("Care leavers in suitable accommodation"),
        block("Actual: 91% Target: 88%"),
        heading("GREEN"),
    ]
    first, second = cards_to_kpis(doc(*blocks))
    assert (first.actual_raw, first.target_raw, first.direction_raw, first.status.raw) == (
        "71%",
        "85%",
        "Worsening",
        "RED",
    )
    assert (second.measure, second.status.raw, second.floor_raw) == (
        "Care leavers in suitable accommodation",
        "GREEN",
        "",
    )


def test_an_arrow_drawn_on_its_own_and_a_rating_in_the_strip():
    blocks = [
        heading("Re-referrals within 12 months"),
        block("▲"),
        block("Latest: 17% | Target: 20% | RAG: Green"),
    ]
    (k,) = cards_to_kpis(doc(*blocks))
    assert (k.direction_raw, k.status.raw) == ("▲", "Green")


def test_a_weak_title_does_not_displace_a_strong_one():
    blocks = [
        heading("Children in care"),
        heading("CC02 Placement stability"),
        block("Three or more placements in the year"),  # a subtitle line, not the title
        block("Latest: 12% | Target: 9%"),
    ]
    (k,) = cards_to_kpis(doc(*blocks))
    assert (k.ref, k.measure, k.theme) == ("CC02", "Placement stability", "Children in care")


@pytest.mark.parametrize(
    "title, ref, measure",
    [
        ("NI 59 Initial assessments within 7 days", "NI 59", "Initial assessments within 7 days"),
        ("PI 12 - Re-referrals", "PI 12", "Re-referrals"),
        ("3. Caseloads", "3", "Caseloads"),
        ("Caseloads of social workers", "", "Caseloads of social workers"),
    ],
)
def test_a_code_opening_the_title_is_the_ref(title, ref, measure):
    (k,) = cards_to_kpis(doc(*paragraph_card(title, "GREEN", "Latest: 1 | Target: 2")))
    assert (k.ref, k.measure) == (ref, measure)


def test_prose_and_single_labels_are_not_cards():
    blocks = [
        heading("Our ambitions"),
        block("Target: every child seen within five days"),
        block("We will report progress to the Board every quarter."),
        heading("Action plan"),
        block("Lead: Head of Service"),
        block("Status: Green"),
    ]
    assert cards_to_kpis(doc(*blocks)) == []


# --- cards as tables -----------------------------------------------------------------------------------


def card_table(index: int, title: str, badge: tuple[str, str | None]) -> Block:
    return table(
        [
            [(title, "#DEEAF6"), None],
            [badge, ("Trend over the last four quarters", None)],
            [("Actual: 7 | Target: 5 | Last quarter: 6", None), None],
        ],
        index=index,
        header=1,
    )


def test_cards_read_from_small_tables_with_a_badge_shown_only_by_its_fill():
    kpis = cards_to_kpis(
        doc(
            heading("Workforce"),
            card_table(0, "WF1 Agency social workers", ("", "#C00000")),
            card_table(1, "WF2 Vacancies", ("GREEN →", "#00B050")),
        )
    )
    assert [(k.ref, k.theme, k.status.raw, k.status.fill, k.direction_raw) for k in kpis] == [
        ("WF1", "Workforce", "", "#C00000", ""),
        ("WF2", "Workforce", "GREEN", "#00B050", "→"),
    ]
    assert [k.provenance.table_index for k in kpis] == [0, 1]
    assert kpis[0].previous_raw == "6"


def test_a_card_table_is_read_once_as_a_card():
    from_table = KPI(
        measure="Trend over the last four quarters",
        provenance=RecordProvenance(source="r.docx", table_index=0),
    )
    elsewhere = KPI(
        measure="Vacancies",
        target_raw="5",
        provenance=RecordProvenance(source="r.docx", table_index=7),
    )
    d = doc(card_table(0, "WF1 Agency social workers", ("RED", "#C00000")))
    kpis = with_card_kpis(d, [from_table, elsewhere])
    assert [k.measure for k in kpis] == ["Vacancies", "Agency social workers"]


def test_a_card_for_a_measure_a_kpi_table_lists_fills_that_row():
    listed = KPI(
        ref="WF1",
        measure="Agency social workers",
        target_raw="5",
        provenance=RecordProvenance(source="r.docx", table_index=9),
    )
    d = doc(card_table(0, "WF1 Agency social workers", ("RED", "#C00000")))
    (k,) = with_card_kpis(d, [listed])
    assert (k.target_raw, k.actual_raw, k.previous_raw, k.status.raw) == ("5", "7", "6", "RED")
    assert k.provenance.table_index == 9


# --- the report's key to its arrows ------------------------------------------------------------------


def test_direction_key_from_key_lines_and_key_tables():
    lines = doc(
        block("↑ Performance has improved", kind="list_item"),
        block("↓ Performance has declined", kind="list_item"),
    )
    assert direction_key(lines) == {
        "↑": "Performance has improved",
        "↓": "Performance has declined",
    }
    inline = doc(block("▲ better than last quarter ▼ worse than last quarter ► no change"))
    assert direction_key(inline) == {
        "▲": "better than last quarter",
        "▼": "worse than last quarter",
        "►": "no change",
    }
    key_table = doc(table([[("↑", None), ("Improved", None)], [("↓", None), ("Declined", None)]]))
    assert direction_key(key_table) == {"↑": "Improved", "↓": "Declined"}
    assert direction_key(doc(block("↑ Improved"))) == {}  # one arrow is no key
    assert (
        direction_key(doc(*paragraph_card("A measure", "GREEN ↑", "Latest: 1 | Target: 2"))) == {}
    )


# --- end to end --------------------------------------------------------------------------------------------


def test_cards_through_interpret_and_the_nlp_stage():
    d = doc(
        heading("Performance summary", page=1),
        table(
            [
                [("Rating", None), ("Meaning", None)],
                [("GREEN", "#00B050"), ("Target met", None)],
                [("AMBER", "#FFC000"), ("Below target, floor met", None)],
                [("RED", "#C00000"), ("Below the floor", None)],
            ],
            index=0,
            header=1,
        ),
        block("↑ Improved since last quarter", kind="list_item", page=1),
        block("↓ Declined since last quarter", kind="list_item", page=1),
        heading("Children in care"),
        *paragraph_card(
            "CC1 Placement stability", "AMBER ↓", "Actual: 12% | Target: 9%, Floor: 14%"
        ),
        *paragraph_card("CC2 Health assessments", "GREEN ↑", "Actual: 93% | Target: 90%"),
    )
    plan = interpret(d, plan_id="p", sha256="s")
    assert [k.id for k in plan.kpis] == ["p-K0001", "p-K0002"]
    (first, second) = tag_plans([plan], build_nlp())[0].kpis
    assert (first.status.colour, first.status.meaning, first.status.meaning_basis) == (
        "amber",
        "at_risk",
        "plan_legend",
    )
    assert (first.direction, first.actual_value, first.floor_value) == ("worsening", 12, 14)
    assert (second.status.meaning, second.direction, second.floor_value) == (
        "on_track",
        "improving",
        None,
    )


def test_a_badge_on_the_titles_line_and_a_badge_above_the_title():
    level = [
        heading("Re-referrals within 12 months GREEN ↑"),
        block("Latest: 17% | Target: 20%"),
    ]
    (k,) = cards_to_kpis(doc(*level))
    assert (k.measure, k.status.raw, k.direction_raw) == (
        "Re-referrals within 12 months",
        "GREEN",
        "↑",
    )
    above = []
    for title, badge in (("Caseloads", "AMBER"), ("Vacancies", "RED"), ("Agency staff", "GREEN")):
        above += [
            heading(badge),
            heading(title),
            block("Quarterly trend"),
            block("Actual: 1 | Target: 2"),
        ]
    assert [(k.measure, k.status.raw) for k in cards_to_kpis(doc(*above))] == [
        ("Caseloads", "AMBER"),
        ("Vacancies", "RED"),
        ("Agency staff", "GREEN"),
    ]


def test_a_key_that_looks_like_a_badge_does_not_swallow_the_cards_after_it():
    blocks = [
        heading("Key"),
        block("GREEN"),
        block("Target met"),
        heading("Early help"),
        *paragraph_card("EH01 Assessments on time", "GREEN", "Latest: 92% | Target: 90%"),
    ]
    (k,) = cards_to_kpis(doc(*blocks))
    assert (k.ref, k.theme, k.status.raw) == ("EH01", "Early help", "GREEN")
