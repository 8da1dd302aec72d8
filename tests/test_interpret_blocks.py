"""Actions that are not table rows: label:value blocks and numbered paragraphs under
headings, read from small hand-built layout models."""

from __future__ import annotations

import pytest

from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.blocks import MIN_ACTIONS, blocks_to_actions
from planx.pipeline.interpret.labels import load_field_labels
from planx.schemas.layout import Block, Cell, LayoutDocument, LayoutProvenance, Table


def para(text: str, kind: str = "paragraph", page: int | None = 1, label: str | None = None):
    return Block(
        kind=kind, text=text, list_label=label, prov=LayoutProvenance(source="x.pdf", page=page)
    )


def heading(text: str) -> Block:
    return para(text, kind="heading")


def item(text: str, label: str = "•") -> Block:
    return para(text, kind="list_item", label=label)


def doc(*blocks: Block) -> LayoutDocument:
    return LayoutDocument(source="x.pdf", format="pdf", blocks=tuple(blocks), pages=3)


# --- labels ---------------------------------------------------------------------------------------


def test_field_labels_file_loads_and_names_roles():
    labels = load_field_labels()
    assert {"action", "lead", "due", "status", "progress", "actual", "target", "floor"} <= set(
        labels.roles
    )
    assert labels.role_of("Lead officer(s)") == "lead"
    assert labels.role_of("Leads") == "lead"
    assert labels.role_of("Last quarter") == "previous"
    assert labels.role_of("Colour") is None


def test_labels_need_a_colon():
    labels = load_field_labels()
    assert [v.role for v in labels.find("Our target is 90% by March")] == [None]
    found = labels.find(
        "Action: Recruit foster carers Lead officer: Head of Fostering By: May 2020"
    )
    assert [(v.role, v.value) for v in found] == [
        ("action", "Recruit foster carers"),
        ("lead", "Head of Fostering"),
        ("due", "May 2020"),
    ]


# --- label:value blocks -----------------------------------------------------------------------------


def test_consecutive_label_paragraphs_make_one_action_each():
    blocks = [heading("Priority: the front door")]
    for n, (what, who, when, rag) in enumerate(
        [
            ("Set up a single front door", "Head of MASH", "March 2020", "Green"),
            ("Publish thresholds", "Partnership Manager", "June 2020", "Amber"),
            ("Audit referrals monthly", "QA Manager", "Ongoing", "Red"),
        ]
    ):
        blocks += [
            para(f"Action: {what}"),
            para(f"Lead officer: {who}"),
            para(f"By: {when}"),
            para(f"Status: {rag}"),
        ]
        if n == 0:
            blocks.append(para("Update: Launched in January with the police."))
    actions = blocks_to_actions(doc(*blocks))
    assert [(a.text, a.lead_raw, a.due.raw, a.status.raw) for a in actions] == [
        ("Set up a single front door", "Head of MASH", "March 2020", "Green"),
        ("Publish thresholds", "Partnership Manager", "June 2020", "Amber"),
        ("Audit referrals monthly", "QA Manager", "Ongoing", "Red"),
    ]
    assert actions[0].progress == "Launched in January with the police."
    assert all(a.theme == "Priority: the front door" for a in actions)
    assert actions[0].flags == ["from_paragraphs"] and actions[0].provenance.page == 1


def test_a_numbered_action_label_gives_the_ref():
    blocks = []
    for n in (1, 2, 3):
        blocks += [para(f"Action {n}: Do thing {n}"), para("Responsible officer: Director")]
        blocks.append(para(f"Timescale: Q{n} 2020/21"))
    actions = blocks_to_actions(doc(*blocks))
    assert [(a.ref, a.text, a.due.raw) for a in actions] == [
        ("1", "Do thing 1", "Q1 2020/21"),
        ("2", "Do thing 2", "Q2 2020/21"),
        ("3", "Do thing 3", "Q3 2020/21"),
    ]


# --- numbered paragraphs ------------------------------------------------------------------------------


NUMBERED = [
    para("The inspection made three recommendations:"),
    item("Improve decisions at the front door.", "1."),
    item("Make plans specific.", "2."),
    item("Reduce caseloads.", "3."),
    heading("1. Help at the front door"),
    para("1.1 Screen every contact once. (Lead: Head of MASH; by Sept 2019; Status: Amber)"),
    para("Update: Joint screening started in August."),
    para("1.2 Publish response times. (Leads: Partnership Manager and Head of MASH; ongoing)"),
    item("Leadership and workforce", "2."),
    para("2.1 Make sure every plan has:"),
    item("outcomes agreed with the family", "-"),
    item("a contingency", "-"),
    para("(Lead: Principal Social Worker; Jun 2019 – Dec 2019; Status: Green)"),
    para("2.2 Hold a practice conference. Lead: PSW. By: March 2020."),
    para("The Board will agree a new plan next year."),
]


def test_numbered_paragraphs_with_bracketed_facts():
    actions = blocks_to_actions(doc(*NUMBERED))
    assert [a.ref for a in actions] == ["1.1", "1.2", "2.1", "2.2"]
    first, second, third, fourth = actions
    assert (first.text, first.lead_raw, first.due.raw, first.status.raw) == (
        "Screen every contact once.",
        "Head of MASH",
        "by Sept 2019",
        "Amber",
    )
    assert first.progress == "Joint screening started in August."
    # An unlabelled timescale is the due date; a plural label keeps its "and" for the NLP.
    assert (second.lead_raw, second.due.raw, second.status.raw) == (
        "Partnership Manager and Head of MASH",
        "ongoing",
        "",
    )
    # Bullets right after the opening line are its text; the facts follow them.
    assert third.text == "Make sure every plan has: outcomes agreed with the family a contingency"
    assert (third.lead_raw, third.due.raw) == ("Principal Social Worker", "Jun 2019 – Dec 2019")
    # Inline labels after the text; prose after an action is not its progress.
    assert (fourth.text, fourth.lead_raw, fourth.due.raw) == (
        "Hold a practice conference.",
        "PSW",
        "March 2020",
    )
    assert fourth.progress == ""


def test_theme_is_the_heading_carrying_the_refs_first_number():
    actions = blocks_to_actions(doc(*NUMBERED))
    assert [a.theme for a in actions] == [
        "1. Help at the front door",
        "1. Help at the front door",
        "2. Leadership and workforce",  # a numbered list item keeps its number as written
        "2. Leadership and workforce",
    ]


def test_numbered_list_without_fields_is_not_actions():
    blocks = [item(f"Recommendation number {n} for the council.", f"{n}.") for n in range(1, 6)]
    blocks += [para(f"{n}.1 Improve something important for children.") for n in range(1, 6)]
    assert blocks_to_actions(doc(*blocks)) == []


def test_numbered_paragraphs_with_label_lines_after_them():
    blocks = [heading("Our priorities")]
    for n in range(1, MIN_ACTIONS + 1):
        blocks += [
            para(f"{n}. Establish workstream {n} with partners across the county."),
            para("Lead officer: Assistant Director"),
            para(f"By: March 202{n}"),
        ]
    actions = blocks_to_actions(doc(*blocks))
    assert [(a.ref, a.lead_raw, a.due.raw, a.theme) for a in actions] == [
        (str(n), "Assistant Director", f"March 202{n}", "Our priorities")
        for n in range(1, MIN_ACTIONS + 1)
    ]


def test_too_few_paragraph_actions_are_prose():
    blocks = [para("1.1 Review the policy. (Lead: Director; by May 2020)")] * (MIN_ACTIONS - 1)
    assert blocks_to_actions(doc(*blocks)) == []


# --- in interpret() -----------------------------------------------------------------------------------


def _action_table() -> Block:
    texts = [["Ref", "Action", "Lead", "Due"], ["1", "Do a thing", "Director", "May 2020"]]
    rows = tuple(
        tuple(Cell(text=t, row=r, col=c, page=1) for c, t in enumerate(row))
        for r, row in enumerate(texts)
    )
    table = Table(rows=rows, n_header_rows=1, source="x.pdf", pages=(1,))
    return Block(kind="table", table=table, prov=LayoutProvenance(source="x.pdf", page=1))


@pytest.mark.parametrize("with_table", [False, True])
def test_interpret_reads_paragraph_actions_only_without_an_action_table(with_table):
    blocks = [*NUMBERED, _action_table()] if with_table else NUMBERED
    plan = interpret(doc(*blocks), plan_id="p", sha256="s")
    refs = [a.ref for a in plan.actions]
    assert refs == (["1"] if with_table else ["1.1", "1.2", "2.1", "2.2"])
    assert all(a.id.startswith("p-A") for a in plan.actions)
