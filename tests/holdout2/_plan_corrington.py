"""Holdout-2 layout E: status as the FONT colour of a symbol, theme in the right-most column.

Quirks: the "RAG" column is narrow and holds only a symbol ("✓", "●", "○") whose
FONT colour is the rating (no cell fill anywhere); the key above the table is a
line of coloured symbols with the plan's own words, in which green (✓) means
achieved, amber (●) means progressing (on track) and red (●) means not
progressing, and a grey ○ means not yet started (no RAG colour); one action is
not rated; the improvement priority (the theme) is the LAST column, merged down
over its actions; owners are role titles, two joined by " & ", one title
containing "and"; dates are month names, "Dec-19", full dates, a quarter,
"Ongoing" and "Quarterly". Shipped as DOCX and HTML (both keep font colours).
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Grid, Heading, Para, TableBlock, cell, header_row
from _render_extra import coloured
from _truth import Action, LegendEntry, Plan, Theme

GREEN, AMBER, RED, GREY = "#00B050", "#FFC000", "#FF0000", "#808080"
# symbol code -> (symbol, font colour, RAG colour or None, meaning)
SYMBOLS = {
    "achieved": ("✓", GREEN, "green", "complete"),
    "progressing": ("●", AMBER, "amber", "on_track"),
    "stuck": ("●", RED, "red", "off_track"),
    "not_started": ("○", GREY, None, "not_started"),
}
KEY_WORDS = {
    "achieved": "Achieved",
    "progressing": "Progressing",
    "stuck": "Not progressing",
    "not_started": "Not yet started",
}
LEGEND = tuple(
    LegendEntry(colour, KEY_WORDS[code], meaning)
    for code, (_, _, colour, meaning) in SYMBOLS.items()
    if colour
)

# ref -> symbol code; the expected builder reads the rating from here (a font colour).
FONT_STATUS: dict[str, str] = {}


def A(ref: str, text: str, owner: str, due: str, rag: str, update: str = "") -> Action:
    """``rag`` is a SYMBOLS code, or "" for a row that is not rated."""
    if rag:
        FONT_STATUS[ref] = rag
    return Action(
        ref=ref,
        text=text,
        lead=tuple(owner.split(" & ")),
        lead_sep=" & ",
        due=due,
        status_text=SYMBOLS[rag][0] if rag else "",
        progress=update,
    )


THEMES = (
    Theme(
        "Children get the right help at the right time",
        items=(
            A(
                "1.1",
                "Set up a single front door that brings the MASH and the early help triage team "
                "together.",
                "Head of Early Help & Head of MASH",
                "July 2019",
                "achieved",
                "Single front door live since 8 July 2019.",
            ),
            A(
                "1.2",
                "Publish a revised threshold document with the safeguarding partnership and train 400 "
                "partner staff in using it.",
                "Safeguarding Partnership Business Manager",
                "31 October 2019",
                "progressing",
                "Document published in September; 260 partner staff trained so far.",
            ),
            A(
                "1.3",
                "Audit 25 contacts a month to test the consistency of threshold decisions.",
                "Quality Assurance Manager",
                "Ongoing",
                "progressing",
                "Five monthly audits completed; 92% of decisions judged appropriate.",
            ),
            A(
                "1.4",
                "Record early help assessments on the case recording system so that step-up and "
                "step-down can be tracked.",
                "Head of Early Help",
                "Dec-19",
                "stuck",
                "System build delayed by the supplier; a new go-live date is not yet agreed.",
            ),
            A(
                "1.5",
                "Agree a joint protocol with schools for children missing education.",
                "Head of Inclusion",
                "Q4 2019/20",
                "not_started",
            ),
        ),
    ),
    Theme(
        "Social work practice is consistently good",
        items=(
            A(
                "2.1",
                "Adopt a single practice model and train every social worker and team manager in it.",
                "Principal Social Worker",
                "March 2020",
                "progressing",
                "Four of six cohorts trained.",
            ),
            A(
                "2.2",
                "Reduce average caseloads in the assessment teams to 18 children or fewer.",
                "Head of Assessment & Head of Workforce",
                "Jan 2020",
                "stuck",
                "Average caseload was 22 in October; three posts remain vacant.",
            ),
            A(
                "2.3",
                "Launch a supervision policy with a recording template that shows management "
                "direction.",
                "Principal Social Worker",
                "June 2019",
                "achieved",
                "Policy launched on 3 June 2019.",
            ),
            A(
                "2.4",
                "Make sure every initial child protection conference is held within 15 working days "
                "of the strategy discussion.",
                "Safeguarding and Review Service Manager",
                "30/11/2019",
                "progressing",
                "Timeliness was 84% in October against a target of 90%.",
            ),
            A(
                "2.5",
                "Run practice weeks in which senior managers observe practice and give feedback.",
                "Director of Children's Services",
                "Ongoing",
                "progressing",
                "Practice weeks held in June, July, September and October.",
            ),
            A(
                "2.6",
                "Write a domestic abuse practice guide with the police and health partners.",
                "Head of Assessment",
                "Sept 2019",
                "achieved",
                "Guide published on 30 September 2019.",
            ),
        ),
    ),
    Theme(
        "Children in care and care leavers thrive",
        items=(
            A(
                "3.1",
                "Open a second children's home for young people with complex needs.",
                "Head of Children in Care",
                "Mar-20",
                "progressing",
                "Registration application submitted to Ofsted in October.",
            ),
            A(
                "3.2",
                "Recruit 20 new foster carers through a campaign aimed at carers for teenagers and "
                "brothers and sisters.",
                "Fostering Service Manager",
                "March 2020",
                "stuck",
                "Six households approved; enquiries are well below target.",
            ),
            A(
                "3.3",
                "Make sure every child in care has an up-to-date health assessment.",
                "Head of Children in Care & Designated Nurse",
                "Q3 2019/20",
                "progressing",
                "Timeliness improved from 71% to 86% since April.",
            ),
            A(
                "3.4",
                "Offer every care leaver a named personal adviser from the age of 16.",
                "Leaving Care Manager",
                "August 2019",
                "achieved",
                "All 142 eligible young people had an adviser by August.",
            ),
            A(
                "3.5",
                "Introduce a council tax exemption for care leavers up to the age of 25.",
                "Head of Revenues",
                "April 2020",
                "not_started",
            ),
        ),
    ),
    Theme(
        "Leaders know their services well",
        items=(
            A(
                "4.1",
                "Publish a monthly performance report with a target for every team.",
                "Performance Manager",
                "May 2019",
                "achieved",
                "Report published every month since May.",
            ),
            A(
                "4.2",
                "Complete a self-assessment and share it with the Improvement Board and partners.",
                "Director of Children's Services",
                "December 2019",
                "progressing",
                "Draft discussed by the Improvement Board in October.",
            ),
            A(
                "4.3",
                "Set up a quality assurance framework in which every manager audits two cases a "
                "month.",
                "Quality Assurance Manager",
                "30 September 2019",
                "stuck",
                "Only 61% of audits were completed in September.",
            ),
            A(
                "4.4",
                "Hold meetings between elected members and frontline staff every quarter.",
                "Lead Member for Children",
                "Quarterly",
                "",
                "The first meeting is planned for January 2020.",
            ),
            A(
                "4.5",
                "Commission a peer review of the front door from another council.",
                "Assistant Director Social Care",
                "Feb 2020",
                "not_started",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="corrington_2019-20_improvement_plan_update",
    authority="Corrington",
    title="Children's Services Improvement Plan 2019-20",
    period="2019-20",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2020, 3, 31),
    version="Update 3",
    date=dt.date(2019, 11, 15),
    formats=("docx", "html"),
    legend=LEGEND,
    themes=THEMES,
    notes=(
        "The RAG column holds only a symbol; its FONT colour is the rating (no cell has a fill).",
        "Key (a line of coloured symbols): green ✓ Achieved = complete, amber ● Progressing = "
        "on_track, red ● Not progressing = off_track, grey ○ Not yet started = not_started with "
        "no RAG colour (status null).",
        "4.4 has no symbol: status null, meaning unknown.",
        "The theme is the right-most column ('Improvement priority'), merged down over its rows.",
        "' & ' separates two owners; 'Safeguarding and Review Service Manager' is one title.",
        "'Quarterly' and 'Ongoing' give no date.",
        "No PDF is shipped, so page is null.",
    ),
)


def _rag_cell(a: Action):
    code = FONT_STATUS.get(a.ref)
    if not code:
        return cell()
    symbol, colour, _, _ = SYMBOLS[code]
    return cell(coloured(colour, symbol))


def plan_grid() -> Grid:
    rows = [
        header_row("No.", "Action", "Owner", "Target date", "RAG", "Update", "Improvement priority")
    ]
    keys: list[str | None] = [None]
    i = 0
    for theme in THEMES:
        for j, a in enumerate(theme.items):
            rows.append(
                (
                    cell(a.ref),
                    cell(a.text),
                    cell(a.lead_raw),
                    cell(a.due),
                    _rag_cell(a),
                    cell(a.progress),
                    cell(theme.title, rowspan=len(theme.items), bold=True) if j == 0 else None,
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="plan",
        rows=tuple(rows),
        col_widths=(0.05, 0.31, 0.14, 0.09, 0.04, 0.23, 0.14),
        repeat_header=True,
        font_size=8.5,
        row_keys=tuple(keys),
    )


def key_line() -> str:
    parts = []
    for code, (symbol, colour, _, _) in SYMBOLS.items():
        parts.append(f"{coloured(colour, symbol)} {KEY_WORDS[code]}")
    return "Key: " + "     ".join(parts)


def document() -> Document:
    blocks = (
        Para("Corrington Borough Council", "title"),
        Para("Children's Services Improvement Plan 2019-20", "subtitle"),
        Para("Update 3 – position at 15 November 2019"),
        Para(
            "This update reports progress on each action in the improvement plan agreed after the "
            "inspection of children's services. Owners update their actions before each meeting of "
            "the Improvement Board. The symbol in the RAG column shows how each action is going."
        ),
        Heading("Progress against the plan"),
        Para(key_line()),
        TableBlock(plan_grid()),
        Para(
            "The next update will be presented to the Improvement Board in February 2020, with a "
            "refreshed plan for 2020-21."
        ),
    )
    return Document(
        stem=PLAN.stem,
        title="Corrington Borough Council – Children's Services Improvement Plan 2019-20: Update 3",
        author="Corrington Borough Council",
        subject="Improvement plan update",
        landscape=True,
        header="Corrington Borough Council – Improvement Plan Update 3",
        footer="Update 3 – 15 November 2019",
        created=dt.datetime(2019, 11, 15, 10, 0, 0),
        blocks=blocks,
    )


def status_override(action: Action) -> tuple[str | None, str, str | None] | None:
    """(colour, meaning, source) for a rating shown by font colour; None if not one."""
    code = FONT_STATUS.get(action.ref)
    if not code:
        return None
    _, _, colour, meaning = SYMBOLS[code]
    return colour, meaning, "font"
