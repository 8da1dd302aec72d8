"""Holdout layout C: a wide eleven-column tracker (XLSX, and a PDF of it).

Quirks: extra columns around the action (recommendation, Ofsted paragraph,
success measure, start, evidence link); refs are plain numbers, typed as numbers
in the spreadsheet; the recommendation is written on the first row of its group
only and left blank (not merged) below; the BRAG column holds status words
("Completed", "In progress", "Not yet started", "Delayed") on a fill, or only the
word, or only the fill; the BRAG key is a separate sheet (a table after the
tracker in the PDF) whose meanings are its own: AMBER means "not yet started";
start and deadline are real dates in the XLSX and text elsewhere, with "Ongoing",
"Sept 2020", "Mar-21" and quarters among them; the PDF is landscape and the
tracker runs over three or more pages with no repeated header.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from _doc import Document, Grid, GridCell, Heading, Para, TableBlock, cell, header_row
from _render_xlsx import Sheet
from _truth import Action, LegendEntry, Plan, StatusWord, Theme, date_text

BLUE, GREEN, AMBER, RED = "#0070C0", "#00B050", "#FFC000", "#FF0000"
D = dt.date

WORDS = (
    StatusWord("Completed", "blue", "complete"),
    StatusWord("In progress", "green", "on_track"),
    StatusWord("Not yet started", "amber", "not_started"),
    StatusWord("Delayed", "red", "off_track"),
)
FILL_OF = {"blue": BLUE, "green": GREEN, "amber": AMBER, "red": RED}
KEY_TEXT = {
    "Completed": "Completed and signed off by the Improvement Board",
    "In progress": "Under way and on schedule to meet the deadline",
    "Not yet started": "Work has not begun because its start date has not been reached",
    "Delayed": "Behind schedule or past its deadline; the Improvement Board agrees a recovery plan",
}
LEGEND = tuple(LegendEntry(w.colour, KEY_TEXT[w.word], w.meaning, FILL_OF[w.colour]) for w in WORDS)
WORD_COLOUR = {w.word: w.colour for w in WORDS}


@dataclass(frozen=True)
class TrackerExtras:
    """Tracker columns the Action truth has no field for."""

    ofsted_ref: str
    measure: str


# Filled as the THEMES below are built: ref -> its extra columns.
EXTRA: dict[str, TrackerExtras] = {}


def R(
    n: int,
    para: str,
    text: str,
    measure: str,
    manager: str,
    start: str | dt.date,
    deadline: str | dt.date,
    brag: str,
    update: str = "",
    link: str = "",
) -> Action:
    """``brag`` is a status word (word on its fill), "word:<word>" (word, no fill) or
    "fill:<colour>" (a bare fill)."""
    if brag.startswith("fill:"):
        status_text, fill = "", FILL_OF[brag[5:]]
    elif brag.startswith("word:"):
        status_text, fill = brag[5:], None
    else:
        status_text, fill = brag, FILL_OF[WORD_COLOUR[brag]]
    ref = str(n)
    EXTRA[ref] = TrackerExtras(para, measure)
    return Action(
        ref=ref,
        text=text,
        lead=tuple(manager.split(" / ")),
        lead_sep=" / ",
        start=start,
        due=deadline,
        status_text=status_text,
        fill=fill,
        progress=update,
        evidence=(link,) if link else (),
    )


EVIDENCE = "https://intranet.ravensholt.example/improvement/evidence/"

THEMES = (
    Theme(
        "1. Improve the quality of assessments so that they consistently analyse risk and include the "
        "voice of the child.",
        items=(
            R(
                1,
                "Para 41",
                "Launch a single assessment template that prompts analysis of history, risk and the child's "
                "lived experience.",
                "Audits show 70% of assessments good or better",
                "Head of Assessment and Intervention",
                D(2019, 4, 1),
                D(2019, 7, 31),
                "Completed",
                "Template live on the case recording system since 15 July 2019.",
                EVIDENCE + "r1-01",
            ),
            R(
                2,
                "Para 41",
                "Deliver assessment and analysis training to all social workers in the assessment teams.",
                "All 48 social workers in the assessment teams trained",
                "Principal Social Worker",
                D(2019, 5, 1),
                D(2019, 10, 31),
                "word:Completed",
                "Final cohort trained on 24 October 2019.",
                EVIDENCE + "r1-02",
            ),
            R(
                3,
                "Para 42",
                "Introduce direct work tools for gathering children's wishes and feelings, with a toolkit "
                "for each age group.",
                "Children's views recorded in 90% of audited assessments",
                "Principal Social Worker",
                "Sep 2019",
                "Mar-20",
                "In progress",
                "Toolkits for under-fives and primary-age children published; teenage toolkit in draft.",
            ),
            R(
                4,
                "Para 42",
                "Audit 20 assessments each month and feed the findings back to each social worker within "
                "two weeks.",
                "Monthly audit report to the Improvement Board",
                "Quality Assurance Manager",
                D(2019, 6, 1),
                "Ongoing",
                "fill:green",
                "Seven monthly audits completed; feedback given within two weeks in 85% of cases.",
                EVIDENCE + "r1-04",
            ),
            R(
                5,
                "Para 43",
                "Review assessment timeliness weekly at the performance clinic and act on any team below "
                "85%.",
                "85% of assessments completed within 45 working days",
                "Head of Assessment and Intervention / Performance Manager",
                D(2019, 4, 1),
                D(2019, 12, 31),
                "Delayed",
                "Timeliness was 79% in December; two teams carry social worker vacancies.",
            ),
        ),
    ),
    Theme(
        "2. Strengthen management oversight and supervision so that children's plans progress without "
        "drift.",
        items=(
            R(
                6,
                "Para 44",
                "Revise the supervision policy and recording template so that decisions and actions are "
                "clearly recorded.",
                "Policy approved and template in use",
                "Principal Social Worker",
                D(2019, 4, 1),
                D(2019, 6, 30),
                "Completed",
                "Policy approved on 18 June 2019; template in use since 1 July.",
                EVIDENCE + "r2-06",
            ),
            R(
                7,
                "Para 44",
                "Train all team managers in reflective supervision through a four-day programme.",
                "All 22 team managers complete the programme",
                "Workforce Development Manager",
                D(2019, 9, 1),
                D(2020, 3, 31),
                "In progress",
                "Two of three cohorts complete; the last cohort starts in February.",
            ),
            R(
                8,
                "Para 45",
                "Set up a monthly drift and delay panel to review children whose plans are not "
                "progressing.",
                "No child's plan without progress for more than three months",
                "Head of Child Protection",
                D(2019, 7, 1),
                D(2019, 9, 30),
                "fill:blue",
                "Panel has met monthly since July and has reviewed 64 children.",
                EVIDENCE + "r2-08",
            ),
            R(
                9,
                "Para 45",
                "Produce a weekly exception report of children without a recorded supervision in the last "
                "eight weeks.",
                "Exception report used by every team manager",
                "Performance Manager",
                "Q3 2019/20",
                "Q4 2019/20",
                "Delayed",
                "Report specified; development delayed by the case recording system upgrade.",
            ),
            R(
                10,
                "Para 45",
                "Audit compliance with the supervision policy each quarter and report the results to the "
                "Practice Improvement Group.",
                "90% of supervision records meet the standard",
                "Quality Assurance Manager",
                D(2020, 4, 1),
                "Jun-20",
                "Not yet started",
            ),
        ),
    ),
    Theme(
        "3. Make sure that children in care have permanence plans agreed without delay.",
        items=(
            R(
                11,
                "Para 48",
                "Track every child's permanence plan from the second review through a monthly permanence "
                "panel.",
                "Permanence plan agreed for every child by the second review",
                "Head of Children in Care",
                D(2019, 4, 1),
                D(2019, 9, 30),
                "Completed",
                "Panel in place since May; 96% of children had a plan by their second review in December.",
                EVIDENCE + "r3-11",
            ),
            R(
                12,
                "Para 48",
                "Increase the number of special guardianship orders by offering a support package to "
                "connected carers.",
                "Special guardianship orders up by a quarter on 2018/19",
                "Head of Children in Care",
                D(2019, 6, 1),
                D(2020, 3, 31),
                "word:In progress",
                "Support package agreed in September; 14 orders granted so far this year.",
            ),
            R(
                13,
                "Para 49",
                "Complete later-life letters and life-story work for every child with a plan for adoption.",
                "Every adopted child has a later-life letter at placement",
                "Adoption Team Manager",
                D(2019, 10, 1),
                "Sept 2020",
                "In progress",
                "Backlog reduced from 31 to 12 letters.",
            ),
            R(
                14,
                "Para 49",
                "Review all children placed with parents under a care order and apply to discharge orders "
                "where appropriate.",
                "Every placement with parents reviewed",
                "Head of Children in Care",
                D(2019, 11, 1),
                D(2020, 2, 29),
                "Delayed",
                "Reviews complete for 9 of 26 children; legal capacity is limited until March.",
            ),
            R(
                15,
                "Para 50",
                "Recruit 15 new foster carers for teenagers through a targeted campaign.",
                "15 households approved for teenagers",
                "Fostering Service Manager",
                D(2020, 2, 1),
                D(2020, 12, 31),
                "fill:amber",
            ),
            R(
                16,
                "Para 50",
                "Agree a joint protocol with the local family court on the timeliness of care proceedings.",
                "Care proceedings completed within 26 weeks on average",
                "Legal Services Manager / Head of Children in Care",
                D(2019, 5, 1),
                D(2019, 8, 31),
                "Completed",
                "Protocol signed by the Designated Family Judge on 29 August 2019.",
                EVIDENCE + "r3-16",
            ),
        ),
    ),
    Theme(
        "4. Improve the help given to care leavers to find suitable accommodation, education and work.",
        items=(
            R(
                17,
                "Para 52",
                "Open a staying-close scheme for young people leaving residential care.",
                "Six young people supported by the scheme",
                "Leaving Care Service Manager",
                D(2019, 9, 1),
                D(2020, 9, 30),
                "In progress",
                "Provider appointed in December; the first two flats open in April.",
            ),
            R(
                18,
                "Para 52",
                "Offer every care leaver aged 18 to 21 a pathway plan review with their personal adviser "
                "every six months.",
                "95% of pathway plans reviewed on time",
                "Leaving Care Service Manager",
                D(2019, 4, 1),
                "Ongoing",
                "In progress",
                "91% of pathway plans were up to date in December.",
            ),
            R(
                19,
                "Para 53",
                "Create 10 apprenticeships for care leavers within the council and its partners.",
                "10 care leavers start an apprenticeship",
                "Head of Employment and Skills",
                D(2019, 9, 1),
                D(2020, 8, 31),
                "word:Delayed",
                "Four apprenticeships created; partner places not yet confirmed.",
            ),
            R(
                20,
                "Para 53",
                "Agree a council tax exemption for care leavers living in the borough up to the age of 25.",
                "Exemption in place from April 2020",
                "Assistant Director Resources",
                D(2019, 6, 1),
                D(2019, 11, 30),
                "Completed",
                "Approved by Cabinet on 20 November 2019.",
                EVIDENCE + "r4-20",
            ),
            R(
                21,
                "Para 54",
                "Publish a refreshed local offer for care leavers with the Children in Care Council.",
                "Local offer published and shared with every care leaver",
                "Participation Manager",
                D(2020, 4, 1),
                "Jul-20",
                "Not yet started",
            ),
        ),
    ),
    Theme(
        "5. Make sure that leaders understand the quality of practice accurately through performance "
        "and audit information.",
        items=(
            R(
                22,
                "Para 56",
                "Introduce a monthly performance scorecard for the Improvement Board, with a target agreed "
                "for each measure.",
                "Scorecard presented at every Board meeting",
                "Performance Manager",
                D(2019, 4, 1),
                D(2019, 5, 31),
                "Completed",
                "Scorecard presented monthly since May 2019.",
                EVIDENCE + "r5-22",
            ),
            R(
                23,
                "Para 56",
                "Complete an annual self-evaluation and share it with partners and the Improvement Board.",
                "Self-evaluation agreed by the Board",
                "Assistant Director Children's Social Care",
                D(2019, 11, 1),
                D(2020, 1, 31),
                "In progress",
                "Draft presented to the Board on 22 January; final version due in February.",
            ),
            R(
                24,
                "Para 57",
                "Run practice learning days twice a year in which senior leaders audit cases alongside "
                "social workers.",
                "Every senior leader takes part in two learning days a year",
                "Director of Children's Services",
                D(2019, 10, 1),
                "Mar-21",
                "fill:green",
                "First learning day held on 14 November 2019 with 31 managers.",
            ),
            R(
                25,
                "Para 57",
                "Commission an independent review of the quality assurance framework.",
                "Review report and action plan agreed",
                "Assistant Director Children's Social Care",
                D(2020, 3, 1),
                D(2020, 6, 30),
                "Not yet started",
            ),
            R(
                26,
                "Para 58",
                "Publish a quarterly learning bulletin drawing on audits, complaints and case reviews.",
                "Bulletin read by 75% of staff",
                "Quality Assurance Manager",
                "Q2 2019/20",
                "Q4 2020/21",
                "Delayed",
                "First bulletin published in September; the December issue was not produced.",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="ravensholt_2019-21_ofsted_tracker",
    authority="Ravensholt",
    title="Ofsted Improvement Plan 2019-21: Action Tracker",
    period="2019-21",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2021, 3, 31),
    version="Issue 9",
    date=dt.date(2020, 1, 31),
    formats=("pdf", "xlsx"),
    legend=LEGEND,
    status_words=WORDS,
    themes=THEMES,
    notes=(
        "The theme is the recommendation, written on the first row of its group only; later rows "
        "leave it blank and it is carried down.",
        "The BRAG key (its own sheet in the XLSX, a table after the tracker in the PDF) gives AMBER "
        "the meaning 'not yet started' (not_started), not at_risk.",
        "Status words are read through the key; a bare fill is read as its colour through the key.",
        "Refs are the 'No.' column (numbers in the XLSX); 'Ofsted ref' is the inspection paragraph.",
        "'Success measure' is neither action text nor progress; 'Evidence link' is kept in evidence.",
        "Dates shown dd/mm/yyyy are real dates in the XLSX and text in the PDF.",
        "page is the PDF page of the action's first line.",
    ),
)


def _date_cell(value: str | dt.date) -> GridCell:
    return cell(date_text(value), value=value if isinstance(value, dt.date) else None)


def tracker_grid() -> Grid:
    rows = [
        header_row(
            "No.",
            "Recommendation",
            "Ofsted ref",
            "Action",
            "Success measure",
            "Responsible manager",
            "Start",
            "Deadline",
            "BRAG",
            "Latest update",
            "Evidence link",
        )
    ]
    keys: list[str | None] = [None]
    i = 0
    for theme in THEMES:
        for j, a in enumerate(theme.items):
            extra = EXTRA[a.ref]
            rows.append(
                (
                    cell(a.ref, value=int(a.ref)),
                    cell(theme.title) if j == 0 else cell(),
                    cell(extra.ofsted_ref),
                    cell(a.text),
                    cell(extra.measure),
                    cell(a.lead_raw),
                    _date_cell(a.start),
                    _date_cell(a.due),
                    cell(a.status_text, fill=a.fill),
                    cell(a.progress),
                    cell(*a.evidence),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="tracker",
        rows=tuple(rows),
        col_widths=(0.035, 0.12, 0.05, 0.16, 0.115, 0.09, 0.065, 0.065, 0.065, 0.15, 0.085),
        repeat_header=False,
        font_size=7.5,
        row_keys=tuple(keys),
        xlsx_sheet="Action tracker",
    )


def key_grid() -> Grid:
    rows = [header_row("BRAG", "Status", "What it means")]
    for w in WORDS:
        rows.append(
            (
                cell(w.colour.capitalize(), fill=FILL_OF[w.colour], bold=True),
                cell(w.word),
                cell(KEY_TEXT[w.word]),
            )
        )
    return Grid(
        name="brag_key",
        rows=tuple(rows),
        col_widths=(0.12, 0.2, 0.68),
        font_size=9,
        xlsx_sheet="Key",
    )


TITLE_LINES = (
    "Ravensholt Metropolitan Borough Council – Ofsted Improvement Plan 2019-21: Action Tracker",
    "Position at 31 January 2020 – Issue 9",
)


def xlsx_sheets() -> list[Sheet]:
    return [
        Sheet("Action tracker", TITLE_LINES, tracker_grid(), total_width=220),
        Sheet("Key", ("BRAG key",), key_grid(), total_width=110),
    ]


def document() -> Document:
    blocks = (
        Para("Ravensholt Metropolitan Borough Council", "title"),
        Para("Ofsted Improvement Plan 2019-21: Action Tracker", "subtitle"),
        Para("Position at 31 January 2020 – Issue 9"),
        Para(
            "The tracker records every action agreed in response to the five recommendations of the "
            "inspection of children's services. Responsible managers update their rows before each "
            "Improvement Board; the BRAG key is at the end of this document."
        ),
        Heading("Action tracker"),
        TableBlock(tracker_grid()),
        Heading("BRAG key"),
        TableBlock(key_grid()),
    )
    return Document(
        stem=PLAN.stem,
        title="Ravensholt MBC – Ofsted Improvement Plan 2019-21: Action Tracker",
        author="Ravensholt Metropolitan Borough Council",
        subject="Improvement tracker",
        landscape=True,
        header="Ravensholt MBC – Ofsted Improvement Plan Action Tracker",
        footer="Issue 9 – 31 January 2020",
        created=dt.datetime(2020, 1, 31, 16, 0, 0),
        blocks=blocks,
    )
