"""Statuses: colours from text or fill, meanings through the plan's own legend."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planx.pipeline.nlp.stage import build_nlp, tag_plans
from planx.pipeline.nlp.statuses import fill_to_colour, label_to_meaning, legend_with_meanings
from planx.schemas.records import Action, LegendEntry, Plan, RecordProvenance, Status, StatusLegend

CASES = json.loads((Path(__file__).parent / "data" / "nlp_cases.json").read_text(encoding="utf-8"))
PROV = RecordProvenance(source="test.txt")

# Legends worded as the seed plans word them (meanings left "unknown", as the interpreter hands them).
LEGENDS = {
    "none": StatusLegend(),
    "brag_amber_ontrack": StatusLegend(
        entries=[
            LegendEntry(
                colour="red", label="Tasks and or outcomes have not been met or timescale slipped"
            ),
            LegendEntry(
                colour="amber",
                label="Tasks and outcomes are on track, milestones met but full action(s) not completed",
            ),
            LegendEntry(
                colour="green", label="Tasks and outcomes are completed or performance is on target"
            ),
            LegendEntry(colour="blue", label="Completed"),
        ]
    ),
    "brag_prose": StatusLegend(
        entries=[
            LegendEntry(colour="red", label="fully stuck"),
            LegendEntry(colour="amber", label="more work needed or resolvable issue in sight"),
            LegendEntry(colour="green", label="in progress, no barriers to continuing"),
            LegendEntry(colour="blue", label="fully completed"),
        ]
    ),
    "criteria": StatusLegend(
        entries=[
            LegendEntry(
                colour="red", label="To RAG a project red TWO or MORE criteria must not be in place"
            ),
            LegendEntry(
                colour="amber", label="To RAG a project amber ONE criteria must not be in place"
            ),
            LegendEntry(
                colour="green", label="To RAG a project green ALL criteria must be in place"
            ),
        ],
        criteria=[
            "Clear Scope (Critical requirement)",
            "Clear Resource Requirements",
            "Resource allocated",
        ],
    ),
}


def cases(kind: str) -> list[dict]:
    return [c for c in CASES if c["kind"] == kind]


@pytest.fixture(scope="module")
def tagged_statuses():
    """All status cases, one plan per legend, through one tag_plans call."""
    by_legend: dict[str, list[dict]] = {}
    for case in cases("status"):
        by_legend.setdefault(case["legend"], []).append(case)
    plans = [
        Plan(
            plan_id=name,
            source="t",
            sha256="0",
            format="txt",
            legend=LEGENDS[name],
            actions=[
                Action(text="a", status=Status(raw=c["text"], fill=c["fill"]), provenance=PROV)
                for c in group
            ],
        )
        for name, group in by_legend.items()
    ]
    out = {}
    for plan, group in zip(tag_plans(plans, build_nlp()), by_legend.values(), strict=True):
        for case, action in zip(group, plan.actions, strict=True):
            out[(case["legend"], case["text"], case["fill"])] = action
    return out


@pytest.mark.parametrize(
    "case", cases("status"), ids=lambda c: f"{c['legend']}:{c['text']!r}:{c['fill']}"
)
def test_status_cases(case, tagged_statuses):
    action = tagged_statuses[(case["legend"], case["text"], case["fill"])]
    s, want = action.status, case["expect"]
    assert (s.colour, s.meaning, s.source, s.meaning_basis) == (
        want["colour"],
        want["meaning"],
        want["source"],
        want["meaning_basis"],
    )
    assert (s.raw, s.fill) == (case["text"], case["fill"])
    assert [f for f in action.flags if f in ("mixed_status", "status_text_fill_disagree")] == want[
        "flags"
    ]


@pytest.mark.parametrize("case", cases("legend_label"), ids=lambda c: repr(c["text"][:40]))
def test_legend_label_cases(case):
    assert label_to_meaning(case["text"]) == case["expect"]


@pytest.mark.parametrize("case", cases("fill"), ids=lambda c: c["text"])
def test_fill_cases(case):
    assert fill_to_colour(case["text"]) == case["expect"]


def test_legend_fills_win_over_the_standard_palette():
    # A plan whose key shows amber as orange and green as a teal: fills are read against it.
    legend = StatusLegend(
        entries=[
            LegendEntry(colour="amber", label="at risk", fill="#F79646"),
            LegendEntry(colour="green", label="on track", fill="#4BACC6"),
        ]
    )
    assert fill_to_colour("#4BACC6") == "blue"
    assert fill_to_colour("#4BACC6", legend) == "green"
    assert fill_to_colour("#F79646", legend) == "amber"


def test_plan_legend_meanings_are_filled_in():
    legend = legend_with_meanings(LEGENDS["brag_prose"])
    assert {e.colour: e.meaning for e in legend.entries} == {
        "red": "off_track",
        "amber": "at_risk",
        "green": "on_track",
        "blue": "complete",
    }
    assert all(e.meaning == "unknown" for e in LEGENDS["brag_prose"].entries)  # input untouched


def test_the_same_colour_means_what_each_plan_says(tagged_statuses):
    amber_a = tagged_statuses[("brag_amber_ontrack", "AMBER", None)].status
    amber_b = tagged_statuses[("brag_prose", "amber", None)].status
    assert (amber_a.colour, amber_b.colour) == ("amber", "amber")
    assert (amber_a.meaning, amber_b.meaning) == ("on_track", "at_risk")


def test_tagged_plan_carries_its_legend_meanings():
    plan = Plan(
        plan_id="x",
        source="t",
        sha256="0",
        format="txt",
        legend=LEGENDS["criteria"],
        actions=[Action(text="a", status=Status(raw="A"), provenance=PROV)],
    )
    out = tag_plans([plan], build_nlp())[0]
    assert [e.meaning for e in out.legend.entries] == ["off_track", "at_risk", "on_track"]
    assert out.legend.criteria == LEGENDS["criteria"].criteria


def _status_of(legend: StatusLegend, **marks) -> Status:
    plan = Plan(
        plan_id="marks",
        source="t",
        sha256="0",
        format="pdf",
        legend=legend,
        actions=[Action(text="a", status=Status(**marks), provenance=PROV)],
    )
    return tag_plans([plan], build_nlp())[0].actions[0].status


@pytest.mark.parametrize(
    ("marks", "colour", "source"),
    [
        ({"raw": "✓", "text_colour": "#00B050"}, "green", "font"),
        ({"raw": "", "icon_fill": "#FFC000"}, "amber", "icon"),
        ({"raw": "", "icon_fill": "#FFC000", "text_colour": "#00B050"}, "amber", "icon"),
        ({"raw": "", "fill": "#FF0000", "icon_fill": "#FFC000"}, "red", "fill"),
        ({"raw": "Green", "icon_fill": "#FF0000", "text_colour": "#FF0000"}, "green", "text"),
        ({"raw": "", "icon_fill": "#7F7F7F", "text_colour": "#0070C0"}, "blue", "font"),
        ({"raw": "", "text_colour": "#7030A0"}, None, None),  # purple is no status colour
    ],
)
def test_status_colour_from_word_fill_icon_then_font(marks, colour, source):
    status = _status_of(StatusLegend(), **marks)
    assert (status.colour, status.source) == (colour, source)
    assert (status.text_colour, status.icon_fill) == (
        marks.get("text_colour"),
        marks.get("icon_fill"),
    )


def test_icon_and_font_colours_read_through_the_plan_key():
    # The key shows amber as an orange that the common palette would also call amber, and
    # gives amber its own meaning: an icon in that orange takes the key's meaning.
    legend = StatusLegend(
        entries=[
            LegendEntry(colour="amber", label="Progressing as planned", fill="#F79646"),
            LegendEntry(colour="green", label="Achieved", fill="#4BACC6"),
        ]
    )
    icon = _status_of(legend, icon_fill="#F79646")
    assert (icon.colour, icon.meaning, icon.meaning_basis) == ("amber", "on_track", "plan_legend")
    font = _status_of(legend, raw="✓", text_colour="#4BACC6")  # teal: the key's green
    assert (font.colour, font.meaning, font.source) == ("green", "complete", "font")


def test_font_coloured_status_end_to_end(tmp_path):
    import docx
    from docx.shared import RGBColor

    from planx.pipeline.process import process_file

    d = docx.Document()
    t = d.add_table(rows=4, cols=4)
    for c, label in enumerate(["Ref", "Action", "Lead", "RAG"]):
        t.cell(0, c).text = label
    for r, (mark, rgb) in enumerate(
        [("✓", (0x00, 0xB0, 0x50)), ("●", (0xFF, 0xC0, 0x00)), ("●", (0xFF, 0x00, 0x00))], 1
    ):
        t.cell(r, 0).text = f"1.{r}"
        t.cell(r, 1).text = f"Review the case files of team {r} and report to the board."
        t.cell(r, 2).text = "Head of Service"
        t.cell(r, 3).paragraphs[0].add_run(mark).font.color.rgb = RGBColor(*rgb)
    path = tmp_path / "marks.docx"
    d.save(path)
    plan = process_file(path).plan
    assert plan is not None
    got = [(a.status.colour, a.status.source, a.status.text_colour) for a in plan.actions]
    assert got == [
        ("green", "font", "#00B050"),
        ("amber", "font", "#FFC000"),
        ("red", "font", "#FF0000"),
    ]


def test_icon_status_end_to_end(tmp_path):
    from reportlab.lib.colors import Color, black
    from reportlab.pdfgen import canvas

    from planx.pipeline.process import process_file

    path = tmp_path / "dots.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    xs, ys = [50, 90, 380, 490, 545], [780, 755, 720, 685, 650]
    for x in xs:
        c.line(x, ys[-1], x, ys[0])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.setFont("Helvetica-Bold", 9)
    for x, label in zip(xs, ["Ref", "Action", "Lead", "RAG"], strict=False):
        c.drawString(x + 4, ys[0] - 16, label)
    c.setFont("Helvetica", 9)
    dots = [(0.0, 0.69, 0.31), (1.0, 0.75, 0.0), (1.0, 0.0, 0.0)]
    for r, rgb in enumerate(dots, 1):
        top = ys[r]
        c.setFillColor(black)
        c.drawString(xs[0] + 4, top - 20, f"1.{r}")
        c.drawString(xs[1] + 4, top - 20, f"Review the case files of team {r} each month.")
        c.drawString(xs[2] + 4, top - 20, "Head of Service")
        c.setFillColor(Color(*rgb))
        c.circle((xs[3] + xs[4]) / 2, top - 17, 6, stroke=0, fill=1)
    c.showPage()
    c.save()
    plan = process_file(path).plan
    assert plan is not None
    got = [(a.status.colour, a.status.source, a.status.meaning) for a in plan.actions]
    assert got == [
        ("green", "icon", "on_track"),
        ("amber", "icon", "at_risk"),
        ("red", "icon", "off_track"),
    ]


def _key_block(text: str, runs: tuple[tuple[str, str], ...]):
    from planx.schemas.layout import Block, LayoutDocument
    from planx.schemas.layout import LayoutProvenance as LayoutProv

    block = Block(kind="paragraph", text=text, prov=LayoutProv(source="t"), colour_runs=runs)
    return LayoutDocument(source="t", format="docx", blocks=(block,))


def test_key_of_coloured_marks_is_the_plan_legend():
    from planx.pipeline.interpret.front_matter import find_legend

    doc = _key_block(
        "Key: ✓ Achieved ● Progressing ● Not progressing ○ Not yet started",
        (("✓", "#00B050"), ("●", "#FFC000"), ("●", "#FF0000")),
    )
    legend = find_legend(doc, fill_to_colour=fill_to_colour)
    assert [(e.colour, e.label, e.fill) for e in legend.entries] == [
        ("red", "Not progressing", "#FF0000"),
        ("amber", "Progressing", "#FFC000"),
        ("green", "Achieved", "#00B050"),
    ]
    assert [(m.mark, m.label) for m in legend.marks] == [("○", "Not yet started")]


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        # bullets in black are a list, not a key
        ("• Visits made • Plans agreed", ()),
        # one coloured mark is not a key
        ("Status: ● on track since May", (("●", "#00B050"),)),
        # coloured words, not marks
        ("Green: achieved. Red: late.", (("Green", "#00B050"), ("Red", "#FF0000"))),
    ],
)
def test_marks_that_are_not_a_key(text, runs):
    from planx.pipeline.interpret.front_matter import legend_from_symbols

    assert legend_from_symbols(_key_block(text, runs).blocks[0], fill_to_colour) == ([], {})


def test_marks_read_through_the_key():
    from planx.schemas.records import LegendMark

    legend = StatusLegend(
        entries=[
            LegendEntry(colour="amber", label="Progressing", fill="#FFC000"),
            LegendEntry(colour="green", label="Achieved", fill="#00B050"),
        ],
        marks=[LegendMark(mark="○", label="Not yet started")],
    )
    amber = _status_of(legend, raw="●", text_colour="#FFC000")
    assert (amber.colour, amber.meaning, amber.meaning_basis) == (
        "amber",
        "on_track",
        "plan_legend",
    )
    plain = _status_of(legend, raw="○")
    assert (plain.colour, plain.meaning, plain.meaning_basis) == (
        None,
        "not_started",
        "plan_legend",
    )
    other = _status_of(legend, raw="○ see note")  # a mark with words is not the mark alone
    assert other.meaning == "unknown"


def test_key_of_marks_end_to_end(tmp_path):
    import docx
    from docx.shared import RGBColor

    from planx.pipeline.process import process_file

    d = docx.Document()
    key = d.add_paragraph("Key: ")
    marks = [("✓", (0x00, 0xB0, 0x50), "Done"), ("●", (0xFF, 0xC0, 0x00), "Progressing")]
    for mark, rgb, label in [*marks, ("●", (0xFF, 0x00, 0x00), "Not progressing")]:
        key.add_run(mark).font.color.rgb = RGBColor(*rgb)
        key.add_run(f" {label}   ")
    key.add_run("○ Not yet started")
    t = d.add_table(rows=5, cols=4)
    for c, label in enumerate(["Ref", "Action", "Lead", "RAG"]):
        t.cell(0, c).text = label
    cells = [("✓", (0x00, 0xB0, 0x50)), ("●", (0xFF, 0xC0, 0x00)), ("●", (0xFF, 0, 0)), ("○", None)]
    for r, (mark, rgb) in enumerate(cells, 1):
        t.cell(r, 0).text = f"1.{r}"
        t.cell(r, 1).text = f"Review the case files of team {r} and report to the board."
        t.cell(r, 2).text = "Head of Service"
        run = t.cell(r, 3).paragraphs[0].add_run(mark)
        if rgb:
            run.font.color.rgb = RGBColor(*rgb)
    path = tmp_path / "key.docx"
    d.save(path)
    plan = process_file(path).plan
    assert plan is not None
    assert [(a.status.colour, a.status.meaning) for a in plan.actions] == [
        ("green", "complete"),
        ("amber", "on_track"),
        ("red", "off_track"),
        (None, "not_started"),
    ]
