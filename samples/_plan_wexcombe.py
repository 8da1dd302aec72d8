"""Layout family 5: a spreadsheet-style tracker.

Quirks: status is words on some rows ("On track", "Overdue"), a bare fill on
others, and both on a few; one fill is yellow (amber); "Not started" has no
colour but a meaning; owners are full names, role titles, a board, or two of
them separated by "/" or ";"; start and due dates are real dates in the
spreadsheet and text ("Apr 2019", "Jul-19", "Q3 2019/20", "Ongoing") elsewhere;
the workstream cell is merged down its actions; a portrait front page and a
landscape tracker section.
"""

from __future__ import annotations

import datetime as dt

from _doc import (
    Document,
    Grid,
    GridCell,
    Heading,
    Para,
    SectionBreak,
    TableBlock,
    cell,
    header_row,
)
from _render_xlsx import Sheet
from _truth import Action, LegendEntry, Plan, StatusWord, Theme, date_text

BLUE, GREEN, GREEN2, AMBER, YELLOW, RED, RED2 = (
    "#0070C0",
    "#00B050",
    "#92D050",
    "#FFC000",
    "#FFFF00",
    "#FF0000",
    "#C00000",
)
D = dt.date

WORDS = (
    StatusWord("Complete", "blue", "complete"),
    StatusWord("On track", "green", "on_track"),
    StatusWord("At risk", "amber", "at_risk"),
    StatusWord("Overdue", "red", "off_track"),
    StatusWord("Not started", None, "not_started"),
)
KEY_TEXT = {
    "Complete": ("Action delivered and signed off by the Improvement Board", BLUE),
    "On track": ("Action progressing to plan", GREEN),
    "At risk": ("Some slippage; a recovery plan is in place", AMBER),
    "Overdue": ("Due date has passed and the action is not complete", RED2),
    "Not started": ("Start date not yet reached", None),
}
LEGEND = tuple(
    LegendEntry(w.colour, w.word, w.meaning, KEY_TEXT[w.word][1])
    for w in WORDS
    if w.colour is not None
)


def X(
    ref: str,
    text: str,
    owner: str,
    start: str | dt.date,
    due: str | dt.date,
    status: str = "",
    fill: str | None = None,
    progress: str = "",
) -> Action:
    sep = "; " if "; " in owner else " / " if " / " in owner else "/"
    return Action(
        ref=ref,
        text=text,
        lead=tuple(owner.split(sep)),
        lead_sep=sep,
        start=start,
        due=due,
        status_text=status,
        fill=fill,
        progress=progress,
    )


THEMES = (
    Theme(
        "Front door and early help",
        items=(
            X(
                "WX-01",
                "Move the children's advice and duty service into the MASH, with police and health colleagues "
                "co-located.",
                "Assistant Director Safeguarding",
                D(2019, 4, 1),
                D(2019, 6, 30),
                "Complete",
                progress="Co-location completed on 24 June; joint triage in place.",
            ),
            X(
                "WX-02",
                "Publish a revised threshold document with the Safeguarding Partnership Board.",
                "Safeguarding Partnership Board",
                "Apr 2019",
                "Sep 2019",
                fill=GREEN,
                progress="Document approved in September; partner briefings booked for November.",
            ),
            X(
                "WX-03",
                "Introduce a consultation line for professionals, staffed by senior practitioners.",
                "Sam Okonjo",
                D(2019, 5, 1),
                "Jul-19",
                "Overdue",
                progress="Recruitment to two senior practitioner posts delayed; interim rota in place.",
            ),
            X(
                "WX-04",
                "Roll out the early help assessment to schools and health visitors.",
                "Head of Early Help",
                "Q1 2019/20",
                "Q3 2019/20",
                fill=AMBER,
                progress="54 of 71 schools trained; health visitor training rescheduled to November.",
            ),
            X(
                "WX-05",
                "Evaluate the family support worker pilot in the north locality.",
                "Head of Early Help; Performance and Intelligence Manager",
                "Oct 2019",
                D(2020, 1, 31),
                "Not started",
            ),
        ),
    ),
    Theme(
        "Quality of practice",
        items=(
            X(
                "WX-06",
                "Train all social workers and managers in the new practice framework.",
                "Principal Social Worker",
                D(2019, 4, 1),
                "Mar-20",
                "On track",
                progress="Cohorts 1 to 4 complete (118 staff); cohort 5 starts in November.",
            ),
            X(
                "WX-07",
                "Carry out monthly themed case audits, moderated by the quality assurance team.",
                "Ruth Adeyemi",
                "Apr 2019",
                "Ongoing",
                fill=GREEN2,
                progress="Six audit cycles completed; 61% of cases rated good or better.",
            ),
            X(
                "WX-08",
                "Introduce a supervision audit tool and report compliance to the Practice Improvement Group.",
                "Principal Social Worker",
                D(2019, 6, 1),
                D(2019, 9, 30),
                "Complete",
                BLUE,
                "Tool in use; first report showed 78% of supervision records met the standard.",
            ),
            X(
                "WX-09",
                "Reduce the number of child in need plans open for more than two years.",
                "Head of Service Children in Need",
                "Jul 2019",
                "Dec 2019",
                "At risk",
                AMBER,
                "Reviews completed for 40 of 95 children; capacity in two teams is limited.",
            ),
            X(
                "WX-10",
                "Make sure every child protection conference receives a written report from each agency.",
                "Independent Reviewing Service Manager",
                D(2019, 7, 1),
                D(2019, 10, 31),
                fill=RED,
                progress="Report rates from health and schools remain below 60%.",
            ),
            X(
                "WX-11",
                "Publish a practice guide on working with neglect, including use of the graded care profile.",
                "Priya Raman / Principal Social Worker",
                "Sep 2019",
                "Feb 2020",
                "On track",
                progress="Draft guide written; consultation with team managers in November.",
            ),
        ),
    ),
    Theme(
        "Children in care and care leavers",
        items=(
            X(
                "WX-12",
                "Agree a placement sufficiency action plan with commissioners.",
                "Head of Service Children in Care",
                D(2019, 4, 1),
                D(2019, 7, 31),
                "Complete",
                progress="Plan agreed by the Children's Commissioning Board in July.",
            ),
            X(
                "WX-13",
                "Recruit 25 new foster households through a targeted campaign.",
                "Service Manager Fostering",
                "May 2019",
                D(2020, 3, 31),
                fill=GREEN2,
                progress="11 households approved and 9 assessments under way.",
            ),
            X(
                "WX-14",
                "Make sure every care leaver has an up-to-date pathway plan written with them.",
                "Tom Ellery",
                D(2019, 4, 1),
                "Dec-19",
                "At risk",
                progress="86% of plans up to date; personal adviser vacancies are being covered by agency staff.",
            ),
            X(
                "WX-15",
                "Open two supported lodgings schemes for care leavers aged 18 to 21.",
                "Service Manager Care Leavers",
                "Q2 2019/20",
                "Q4 2019/20",
                fill=YELLOW,
                progress="First scheme has six hosts approved; second scheme provider not yet found.",
            ),
            X(
                "WX-16",
                "Hold a corporate parenting week with councillors and young people.",
                "Corporate Parenting Panel",
                D(2019, 11, 4),
                D(2019, 11, 8),
                "Not started",
                progress="Programme agreed with the Children in Care Council.",
            ),
            X(
                "WX-17",
                "Improve the timeliness of review health assessments with the designated nurse.",
                "Head of Service Children in Care; Designated Nurse for Looked After Children",
                "Apr 2019",
                "Jan 2020",
                "On track",
                progress="Timeliness up from 71% to 84% since April.",
            ),
        ),
    ),
    Theme(
        "Workforce",
        items=(
            X(
                "WX-18",
                "Reduce agency social workers to fewer than 20% of frontline posts.",
                "Director of Children's Services",
                D(2019, 4, 1),
                D(2020, 3, 31),
                fill=AMBER,
                progress="Agency rate 26% in September, down from 33% in April.",
            ),
            X(
                "WX-19",
                "Launch a career pathway for social workers up to consultant practitioner.",
                "HR Business Partner / Principal Social Worker",
                "Jun 2019",
                D(2019, 9, 30),
                "Complete",
                progress="Pathway launched on 16 September; first consultant practitioner posts advertised.",
            ),
            X(
                "WX-20",
                "Provide protected caseloads and a development programme for newly qualified social workers.",
                "Principal Social Worker",
                D(2019, 9, 1),
                "Aug 2020",
                "On track",
                progress="14 newly qualified social workers started in September with caseloads capped at 12.",
            ),
            X(
                "WX-21",
                "Run a workforce health check and publish a 'you said, we did' response.",
                "Workforce Development Manager",
                "Oct 2019",
                "Dec 2019",
                fill=RED2,
                progress="Survey platform not yet procured; survey will not open in October as planned.",
            ),
        ),
    ),
    Theme(
        "Leadership and governance",
        items=(
            X(
                "WX-22",
                "Report progress to the Improvement Board every month, with an exception report for overdue "
                "actions.",
                "Director of Children's Services",
                D(2019, 4, 1),
                "Monthly",
                "On track",
                progress="Reports presented at every Board meeting since April.",
            ),
            X(
                "WX-23",
                "Agree a performance framework with targets for each service and publish a monthly scorecard.",
                "Performance and Intelligence Manager",
                "Apr 2019",
                D(2019, 7, 31),
                "Complete",
                progress="Framework agreed in June; scorecard published monthly since July.",
            ),
            X(
                "WX-24",
                "Complete a self-evaluation ahead of the next inspection and share it with partners.",
                "Assistant Director Safeguarding",
                "Jan 2020",
                "Mar 2020",
                "Not started",
            ),
            X(
                "WX-25",
                "Commission a peer review of the front door from a partner authority.",
                "Director of Children's Services",
                "Q3 2019/20",
                "Q3 2019/20",
                fill=BLUE,
                progress="Peer review held on 1 to 3 October; report received and actions being agreed.",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="wexcombe_2019-20_improvement_tracker",
    authority="Wexcombe",
    title="Children's Services Improvement Tracker 2019/20",
    period="2019/20",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2020, 3, 31),
    version="Tracker v7",
    date=dt.date(2019, 10, 15),
    formats=("pdf", "docx", "xlsx"),
    legend=LEGEND,
    status_words=WORDS,
    themes=THEMES,
    notes=(
        "Status words are read through the status key; 'Not started' has no colour but the meaning "
        "not_started. A yellow fill is amber.",
        "Dates shown dd/mm/yyyy are real dates in the XLSX (number format DD/MM/YYYY) and text elsewhere.",
        "Owners separated by '/', ' / ' or '; ' are separate leads; names and role titles stay as written.",
        "page is the PDF page of the action's first line.",
    ),
)


def key_grid() -> Grid:
    rows = [header_row("Status", "Meaning")]
    for w in WORDS:
        meaning, fill = KEY_TEXT[w.word]
        rows.append((cell(w.word, fill=fill, bold=True), cell(meaning)))
    return Grid(
        name="status_key", rows=tuple(rows), col_widths=(0.25, 0.75), font_size=9, xlsx_sheet="Key"
    )


def _date_cell(value: str | dt.date) -> GridCell:
    return cell(date_text(value), value=value if isinstance(value, dt.date) else None)


def tracker_grid() -> Grid:
    rows = [
        header_row(
            "ID", "Workstream", "Action", "Owner", "Start", "Due", "Status", "Progress update"
        )
    ]
    keys: list[str | None] = [None]
    i = 0
    for theme in THEMES:
        for j, a in enumerate(theme.items):
            rows.append(
                (
                    cell(a.ref),
                    cell(theme.title, rowspan=len(theme.items), bold=True) if j == 0 else None,
                    cell(a.text),
                    cell(a.lead_raw),
                    _date_cell(a.start),
                    _date_cell(a.due),
                    cell(a.status_text, fill=a.fill),
                    cell(a.progress),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="tracker",
        rows=tuple(rows),
        col_widths=(0.06, 0.1, 0.25, 0.14, 0.08, 0.08, 0.08, 0.21),
        repeat_header=True,
        font_size=8,
        row_keys=tuple(keys),
        xlsx_sheet="Tracker",
    )


TITLE_LINES = (
    "Wexcombe Council – Children's Services Improvement Tracker 2019/20",
    "Position at 15 October 2019 (Tracker v7)",
)


def xlsx_sheets() -> list[Sheet]:
    return [
        Sheet("Tracker", TITLE_LINES, tracker_grid()),
        Sheet("Key", ("Status key",), key_grid(), total_width=100),
    ]


def document() -> Document:
    blocks = (
        Para("Wexcombe Council", "title"),
        Para("Children's Services Improvement Tracker 2019/20", "subtitle"),
        Para("Position at 15 October 2019 – Tracker v7"),
        Heading("About this tracker"),
        Para(
            "The tracker lists every action in the improvement plan agreed after the focused visit in "
            "February 2019. Action owners update their rows before each monthly Improvement Board, and the "
            "programme office checks the evidence for any action marked complete."
        ),
        Para(
            "The Status column uses the key below. Some rows are shown by colour only, where the owner "
            "updated the tracker before the key's wording was agreed."
        ),
        Heading("Status key", 2),
        TableBlock(key_grid()),
        SectionBreak(landscape=True),
        Heading("Improvement tracker"),
        TableBlock(tracker_grid()),
    )
    return Document(
        stem=PLAN.stem,
        title="Wexcombe Council – Children's Services Improvement Tracker 2019/20",
        author="Wexcombe Council Improvement Programme Office",
        subject="Improvement tracker",
        landscape=False,
        header="Wexcombe Council – Improvement Tracker 2019/20",
        footer="OFFICIAL – position at 15 October 2019",
        created=dt.datetime(2019, 10, 15, 8, 45, 0),
        blocks=blocks,
    )
