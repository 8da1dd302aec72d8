"""Column roles and table kinds from evidence: each test is a layout real plans use."""

from __future__ import annotations

import pytest

from planx.pipeline.interpret import interpret
from planx.pipeline.interpret.grid import collapse_copied_columns
from planx.pipeline.interpret.profile import (
    TableContext,
    count_header_rows,
    is_imperative,
    is_lead_like,
    read_table,
    year_columns,
)
from planx.pipeline.interpret.table_records import year_label_period
from planx.pipeline.nlp.statuses import fill_to_colour
from tests.layouts import document, heading, paragraph, table

COMMITMENTS = [
    ["What we have committed to", "Led by", "Timescale", "Measure", "Shared Outcome"],
    [
        "Develop a single front door for early help requests across the county",
        "Head of Early Help",
        "March 2020",
        "Fewer repeat referrals within 12 months",
        "Children are safe",
    ],
    [
        "Recruit and retain permanent social workers in every locality team",
        "HR Business Partner",
        "Ongoing",
        "Agency staff below 15% of the workforce",
        "Children are safe",
    ],
    [
        "Introduce quarterly practice weeks with managers observing visits",
        "Principal Social Worker",
        "Q3 2019/20",
        "Audits rated good or better rise each quarter",
        "Good practice",
    ],
]


def test_actions_with_a_measure_column_are_actions_carrying_success_measures():
    reading = read_table(table(COMMITMENTS, header=1))
    assert reading.kind == "actions"
    roles = reading.roles.by_role
    assert (roles["action"], roles["lead"], roles["due"], roles["success_measure"]) == (0, 1, 2, 3)
    assert "measure" not in roles
    assert "success measure" in reading.reason


def test_an_action_column_with_an_unknown_header_is_found_by_its_cells():
    rows = [["Our promise to you", *COMMITMENTS[0][1:3]]] + [r[:3] for r in COMMITMENTS[1:]]
    reading = read_table(table(rows, header=1))
    assert reading.kind == "actions"
    choice = reading.columns[0]
    assert choice.role == "action" and choice.header_score == 0 and choice.content_score > 0.6
    assert "imperative" in choice.why


def test_the_interpreter_keeps_the_success_measure_on_the_action():
    plan = interpret(document(table(COMMITMENTS, header=1)), plan_id="p", sha256="s")
    assert len(plan.actions) == 3 and plan.kpis == []
    assert plan.actions[1].success_measure == "Agency staff below 15% of the workforce"
    assert plan.actions[0].lead_raw == "Head of Early Help"


HEADERLESS_PROFILE = [
    ["", "1) Healthy weight", "", "", "", ""],
    [
        "",
        "",
        "18.0%",
        "In 2018/19, 18.0% of reception children were overweight here.",
        "Survey",
        "",
    ],
    ["", "", "24.4%", "In 2018/19, 24.4% of year 6 children were overweight here.", "", ""],
    ["", "2) Oral health", "", "", "", ""],
    [
        "--",
        "",
        "95.6%",
        "The proportion of 5-year olds free from obvious decay was 95.6%.",
        "Small",
        "",
    ],
]


def test_a_headerless_indicator_table_is_read_from_its_cells():
    # Theme rows: one cell merged across the middle of the table, as a PDF's grid gives them;
    # the arrow column is two grid columns wide, the caveat column too.
    copies = {(r, c): (r, 1) for r in (0, 3) for c in (2, 3, 4)}
    copies |= {(r, 1): (r, 0) for r in (1, 2, 4)} | {(r, 5): (r, 4) for r in (1, 2, 4)}
    t = table(
        HEADERLESS_PROFILE,
        copies=copies,
        spans={(0, 1): 4, (3, 1): 4},
        icons={(1, 0): "#92D050", (2, 0): "#FF0000", (4, 0): "#FFC000"},
    )
    reading = read_table(t, TableContext(fill_to_colour=fill_to_colour))
    assert reading.n_header_rows == 0
    assert reading.kind == "kpis"
    roles = reading.roles
    assert (roles.get("status"), roles.get("actual"), roles.get("measure")) == (0, 2, 3)
    plan = interpret(document(t), plan_id="p", sha256="s", fill_to_colour=fill_to_colour)
    assert [k.actual_raw for k in plan.kpis] == ["18.0%", "24.4%", "95.6%"]
    assert [k.theme for k in plan.kpis] == ["1) Healthy weight"] * 2 + ["2) Oral health"]
    assert plan.kpis[0].status.icon_fill == "#92D050"


def test_priorities_with_rationale_columns_are_not_actions():
    rows = [
        ["Priority area", "Local data findings", "Consultation findings"],
        [
            "1. Focus on reducing harm among older residents living alone",
            "Rates rose by a third since 2014 across the county",
            "Residents asked for more outreach",
        ],
        [
            "2. Improve support for families bereaved by sudden deaths",
            "Few families were referred to any support last year",
            "Families described long waits",
        ],
        [
            "3. Reduce access to the means of harm in public places",
            "Two sites account for most incidents recorded",
            "-",
        ],
    ]
    reading = read_table(table(rows, header=1))
    assert reading.kind == "other"


def test_a_key_value_front_matter_table_is_not_an_action_table():
    rows = [
        ["Committee:", "Date:"],
        ["Children's Scrutiny Committee", "17/10/2018"],
        ["Subject: Improvement plan update", "Public"],
        ["Report of: Director of Children's Services", "For information"],
    ]
    assert read_table(table(rows, header=1)).kind == "other"


TARGETS = [
    [
        "Indicator No",
        "Indicator",
        "Baseline",
        "Improvement targets",
        "",
        "",
        "Partners (lead shown with a *)",
    ],
    ["", "", "", "08/09", "09/10", "10/11", ""],
    [
        "NI 59",
        "% of initial assessments within 7 working days",
        "64.3% (2006/07)",
        "60.0%",
        "67.8%",
        "74.0%",
        "County Council*",
    ],
    [
        "NI 51",
        "Effectiveness of child and adolescent mental health services",
        "Not available",
        "13",
        "To be set when a new measure is devised",
        "",
        "Health Trust*; County Council",
    ],
    [
        "NI 79",
        "Achievement of a Level 2 qualification by 19 NB relates to academic years",
        "73.4%",
        "76.0%",
        "79.0%",
        "82.0%",
        "Skills Council*",
    ],
]


def test_targets_by_year_give_the_latest_set_target_and_its_year():
    copies = {(0, 4): (0, 3), (0, 5): (0, 3), (3, 5): (3, 4)}
    t = table(TARGETS, copies=copies, fills={(r, c): "#F3F3F3" for r in (0, 1) for c in range(7)})
    reading = read_table(t)
    assert reading.n_header_rows == 2
    assert reading.kind == "kpis"
    assert reading.extra_roles["target_years"] == (3, 4, 5)
    plan = interpret(document(t), plan_id="p", sha256="s")
    got = {k.ref: (k.target_raw, k.target_due.raw if k.target_due else "") for k in plan.kpis}
    assert got == {
        "NI 59": ("74.0%", "2010/11"),
        "NI 51": ("13", "2008/09"),
        "NI 79": ("82.0%", "academic year 2010/11"),
    }


def test_year_columns_without_the_word_target_are_targets_when_the_caption_says_so():
    rows = [
        ["National Indicator", "2009 (2008/09 academic year)", "2010 (2009/10 academic year)"],
        ["NI 73 Achievement at level 4 in English and Maths at Key Stage 2", "81", "82"],
        ["NI 74 Achievement at level 5 in English and Maths at Key Stage 3", "78", "79"],
    ]
    caption = TableContext(caption="Local Area Agreement - statutory targets")
    assert read_table(table(rows, header=1), caption).extra_roles == {"target_years": (1, 2)}
    assert read_table(table(rows, header=1)).extra_roles == {"value_years": (1, 2)}
    plan = interpret(
        document(paragraph("Local Area Agreement - statutory targets"), table(rows, header=1)),
        plan_id="p",
        sha256="s",
    )
    assert [(k.ref, k.measure[:14], k.target_raw) for k in plan.kpis] == [
        ("NI 73", "Achievement at", "82"),
        ("NI 74", "Achievement at", "79"),
    ]
    assert plan.kpis[0].target_due.raw == "academic year 2009/10"


def test_a_baseline_beside_a_target_is_not_a_year_series():
    rows = [
        ["Indicator", "Baseline 2017/18", "Target 2018/19"],
        ["% of visits on time", "71%", "90%"],
    ]
    t = table(rows, header=1)
    assert year_columns(list(read_table(t).profiles)) == ()


NUMBERED = [
    ["Action", "Lead", "By when", "RAG"],
    [
        "1. Establish a multi-agency front door with police and health partners",
        "Head of Service",
        "June 2019",
        "G",
    ],
    [
        "2. Review every child in need plan open for more than two years",
        "Service Manager",
        "Sept 2019",
        "A",
    ],
    ["and report the findings to the improvement board", "", "", ""],
    ["3. Launch a practice standards handbook for every team", "PSW", "Dec 2019", "R"],
]


def test_numbered_actions_give_their_refs_and_fragments_join_the_action_above():
    plan = interpret(document(table(NUMBERED, header=1)), plan_id="p", sha256="s")
    assert [a.ref for a in plan.actions] == ["1", "2", "3"]
    assert plan.actions[1].text.endswith(
        "open for more than two years and report the findings to the improvement board"
    )
    assert plan.actions[0].text.startswith("Establish")


def test_a_header_the_cells_contradict_counts_for_less():
    rows = [
        ["Action", "Date"],
        [
            "Publish the revised threshold guidance",
            "The guidance went to every partner agency in June",
        ],
        [
            "Train every team manager in supervision",
            "Most managers have completed the course already",
        ],
        ["Audit twenty case files each month", "Audits continue and findings go to the board"],
    ]
    reading = read_table(table(rows, header=1))
    due = next(c for c in reading.columns if c.col == 1)
    assert due.role != "due"


def test_a_header_over_two_grid_columns_gives_ref_and_text():
    rows = [
        ["Action", "", "Lead"],
        ["1.2.4", "Train unit coordinators to audit case files", "QA Manager"],
        ["1.2.5", "Configure the case system to record supervision", "QA Manager"],
        ["1.2.6", "Launch the new practice framework across teams", "Head of Service"],
    ]
    t = table(rows, header=1, copies={(0, 1): (0, 0)})
    plan = interpret(document(t), plan_id="p", sha256="s")
    assert [(a.ref, a.text[:5]) for a in plan.actions] == [
        ("1.2.4", "Train"),
        ("1.2.5", "Confi"),
        ("1.2.6", "Launc"),
    ]


def test_header_rows_are_counted_from_their_look_and_words():
    t = table(TARGETS, fills={(r, c): "#F3F3F3" for r in (0, 1) for c in range(7)})
    assert count_header_rows(t) == 2
    assert count_header_rows(table(HEADERLESS_PROFILE)) == 0


def test_columns_that_only_repeat_their_neighbour_fold_into_it():
    rows = [
        ["Ref", "", "Partners"],
        ["A1", "", "County Council*"],
        ["A2", "", "Health Trust"],
    ]
    t = table(rows, copies={(1, 1): (1, 0), (2, 1): (2, 0)})
    folded = collapse_copied_columns(t, 1)
    assert folded.n_cols == 2
    assert [c.text for c in folded.rows[1]] == ["A1", "County Council*"]
    assert folded.rows[1][1].merged_from is None


@pytest.mark.parametrize(
    ("label", "measure", "period"),
    [
        ("Targets / 10/11", "", "2010/11"),
        ("2011 (2010/11 academic year) (provisional)", "", "academic year 2010/11"),
        ("Targets / 08/09", "Rate of NEET NB relates to academic years", "academic year 2008/09"),
        ("Target 2019", "", "2019"),
    ],
)
def test_year_labels_become_periods_the_date_reader_reads(label, measure, period):
    assert year_label_period(label, measure) == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Establish a single front door", True),
        ("1. Review all plans", True),
        ("Implementation of the training plan", True),
        ("Report of: Director of Children's Services", False),
        ("The proportion of infants breastfed was 45%", False),
    ],
)
def test_imperative_cells(text, expected):
    assert is_imperative(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Head of Early Help", True),
        ("AD / HoS", True),
        ("Jane Smith", True),
        ("The plan was agreed by the board in March.", False),
        ("March 2020", False),
    ],
)
def test_lead_like_cells(text, expected):
    assert is_lead_like(text) is expected


def test_a_key_heading_does_not_end_the_theme_above_it():
    rag_key = table(
        [["Colour", "Meaning"], ["Green", "On track"], ["Amber", "At risk"], ["Red", "Off track"]],
        header=1,
    )
    actions = table(NUMBERED[:3], header=1, index=1)
    doc = document(heading("Theme 2: Early help", 1), heading("RAG key", 1), rag_key, actions)
    plan = interpret(doc, plan_id="p", sha256="s")
    assert {a.theme for a in plan.actions} == {"Theme 2: Early help"}


ACHIEVED = [
    ["Strategy priority", "Local action", "Impact / outputs"],
    [
        "Reduce risk in high-risk groups",
        "Trust prevention plan created",
        "Board scrutiny of deaths increased",
    ],
    ["", "Training needs analysis implemented", "850 people attended 54 events"],
]


@pytest.mark.parametrize(
    ("heading_text", "meaning"),
    [
        ("What we have already achieved", "complete"),
        ("Areas of achievement", "complete"),
        ("Actions to be completed this year", "unknown"),
        ("What we want to achieve", "unknown"),
    ],
)
def test_a_section_of_achievements_marks_its_actions_complete(heading_text, meaning):
    doc = document(heading(heading_text, 2), table(ACHIEVED, header=1))
    plan = interpret(doc, plan_id="p", sha256="s")
    assert len(plan.actions) == 2
    assert {a.status.meaning for a in plan.actions} == {meaning}
    assert plan.actions[1].theme == "Reduce risk in high-risk groups"


def test_the_column_evidence_file_loads_and_covers_every_role():
    from planx.pipeline.interpret.columns import COLUMN_EVIDENCE, ROLE_SYNONYMS

    assert set(COLUMN_EVIDENCE) >= {
        "roles",
        "imperative_verbs",
        "nominal_actions",
        "lead_words",
        "measure_phrases",
    }
    for role in ("action", "measure", "lead", "due", "status", "actual", "floor", "previous"):
        assert ROLE_SYNONYMS[role], role
    for words in ROLE_SYNONYMS.values():
        assert all(w == w.lower() and w.strip() == w for w in words)
    assert "establish" in COLUMN_EVIDENCE["imperative_verbs"]
    assert all(v == v.lower() for v in COLUMN_EVIDENCE["imperative_verbs"])


def test_a_grid_of_what_who_when_cards_gives_one_action_per_card():
    rows = [
        ["What: Provide training for GP practices on", "What: Ask every patient about smoking at"],
        ["referral to local services", "pre-assessment clinics"],
        ["Who: Public Health", "Who: Hospital Trust"],
        ["When: Ongoing", "When: Short term (by March 2020)"],
        [
            "What: Redesign the cessation service model",
            "What: Work with pharmacies on a shared offer",
        ],
        ["Who: Public Health", "Who: Pharmacy Committee"],
        ["When: Long term (by March 2022)", "When: Short term (by March 2020)"],
    ]
    doc = document(heading("Example actions", 2), table(rows))
    plan = interpret(doc, plan_id="p", sha256="s")
    got = [(a.text[:20], a.lead_raw, a.due.raw if a.due else "") for a in plan.actions]
    assert got == [
        ("Provide training for", "Public Health", "Ongoing"),
        ("Redesign the cessati", "Public Health", "Long term (by March 2022)"),
        ("Ask every patient ab", "Hospital Trust", "Short term (by March 2020)"),
        ("Work with pharmacies", "Pharmacy Committee", "Short term (by March 2020)"),
    ]
    assert plan.actions[0].text.endswith("on referral to local services")
    assert plan.actions[0].provenance.table_index == 0


def test_a_one_cell_table_over_a_table_is_its_heading():
    box = table([["Theme 2: Protecting children"]])
    actions = table(NUMBERED[:3], header=1, index=1)
    plan = interpret(document(box, actions), plan_id="p", sha256="s")
    assert {a.theme for a in plan.actions} == {"Theme 2: Protecting children"}


def test_a_key_of_status_words_on_coloured_fills_gives_the_plan_its_legend():
    key = table(
        [
            ["Status", "Meaning"],
            ["Complete", "Delivered and signed off"],
            ["On track", "Progressing to plan"],
            ["Overdue", "Due date has passed"],
        ],
        header=1,
        fills={(1, 0): "#0070C0", (2, 0): "#00B050", (3, 0): "#C00000"},
    )
    plan = interpret(document(key), plan_id="p", sha256="s", fill_to_colour=fill_to_colour)
    entries = {e.colour: e.label.split(":")[0] for e in plan.legend.entries}
    assert entries == {"blue": "Complete", "green": "On track", "red": "Overdue"}


SCORECARD = [
    ["Ref", "Indicator", "Target", "Floor", "Latest", "Previous", "DoT", "RAG"],
    [
        "EH1",
        "% of early help assessments completed within 45 days",
        "90%",
        "80%",
        "84%",
        "79%",
        "↑",
        "Amber",
    ],
    [
        "CP2",
        "% of child protection plans lasting two years or more",
        "2%",
        "5%",
        "1.5%",
        "2.4%",
        "↓",
        "Green",
    ],
    [
        "CIC3",
        "Number of children in care with three or more moves",
        "10",
        "15",
        "18",
        "16",
        "↑",
        "Red",
    ],
]


def test_a_scorecard_table_gives_each_kpi_its_performance():
    from planx.pipeline.nlp.stage import build_nlp, tag_plans

    reading = read_table(table(SCORECARD, header=1))
    assert reading.kind == "kpis"
    roles = reading.roles.by_role
    assert (roles["target"], roles["floor"], roles["actual"], roles["previous"]) == (2, 3, 4, 5)
    assert (roles["direction"], roles["status"], roles["ref"]) == (6, 7, 0)
    plan = interpret(document(table(SCORECARD, header=1)), plan_id="p", sha256="s")
    [tagged] = tag_plans([plan], build_nlp())
    got = [
        (k.ref, k.actual_value, k.floor_value, k.target_value, k.previous_raw, k.status.colour)
        for k in tagged.kpis
    ]
    assert got == [
        ("EH1", 84.0, 80.0, 90.0, "79%", "amber"),
        ("CP2", 1.5, 5.0, 2.0, "2.4%", "green"),
        ("CIC3", 18.0, 15.0, 10.0, "16", "red"),
    ]
    assert [k.direction_raw for k in tagged.kpis] == ["↑", "↓", "↑"]


def test_a_styled_header_may_have_long_labels():
    rows = [
        [
            "What we will do to make sure every child is seen by a worker who knows them",
            "Who will lead this work",
            "When it will be done by",
        ],
        [
            "Establish a single point of contact for every family we support",
            "Head of Early Help",
            "June 2020",
        ],
        [
            "Review every plan that has been open for more than two years",
            "Service Manager",
            "March 2021",
        ],
        ["Introduce monthly practice weeks for every team", "Principal Social Worker", "Ongoing"],
    ]
    t = table(rows, fills={(0, c): "#1F4E79" for c in range(3)})
    assert count_header_rows(t) == 1
    assert read_table(t).kind == "actions"


def test_placeholders_say_nothing_of_a_columns_type():
    rows = [
        ["", "1) Healthy weight", "", ""],
        [
            "--",
            "600 to 700 women",
            "It was estimated that between 600 and 700 women were affected.",
            "",
        ],
        ["", "69.3%", "In 2018/19, 69.3% of children had a good level of development here.", ""],
        ["", "--", "The crude rate of admissions did not differ from the national rate.", ""],
        [
            "",
            "6.9 per 1,000",
            "In 2017, the rate of teenage conceptions was 6.9 per 1,000 here.",
            "",
        ],
    ]
    copies = {(0, c): (0, 1) for c in (2, 3)}
    t = table(rows, copies=copies, spans={(0, 1): 3})
    assert read_table(t).roles.get("actual") == 1
