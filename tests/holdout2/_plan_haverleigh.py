"""Holdout-2 layout H: one table per theme, each nested in a 1-cell layout table (DOCX).

Quirks: in the DOCX every theme's table sits inside a borderless one-cell outer
table whose first paragraph is the theme title (the PDF shows the title as a
heading over a plain table); each inner table has a repeated header row
("Ref | What we will do | Lead | Timescale | RAG | Progress at September 2019")
and a "Lead" column merged down over consecutive actions with the same lead;
leads are written "DCS (Mira Okafor)", "Tom Hadley – Head of Service",
"AD Early Help/AD Safeguarding", "HoS CIC/Designated Nurse", "Partnership Board",
with the abbreviations defined in one sentence ("Abbreviations: AD – Assistant
Director; ...") and expanded inside a lead; timescales are "Apr-19", "2019 Q1"
(calendar quarters, as the plan says), "Ongoing / Sept 2019", "Autumn term
2019", "Summer term 2019", "By end Q4" (the plan's own year), full dates,
"Ongoing"; the RAG cell is a bare fill with no key (common reading), one left
blank. Shipped as DOCX and PDF.
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Grid, Heading, Para, TableBlock, cell, header_row
from _truth import Action, Plan, Theme

BLUE, GREEN, AMBER, RED = "#0070C0", "#00B050", "#FFC000", "#FF0000"
FILLS = {"blue": BLUE, "green": GREEN, "amber": AMBER, "red": RED, "": None}
GLOSSARY = (
    ("AD", "Assistant Director"),
    ("CIC", "Children in Care"),
    ("DCS", "Director of Children's Services"),
    ("HoS", "Head of Service"),
    ("IRO", "Independent Reviewing Officer"),
)
PLAN_YEAR = 2019  # "By end Q4" means the end of Q4 of the plan's (calendar) year
QUARTERS = "calendar"


def H(ref: str, text: str, lead: str, timescale: str, rag: str, progress: str = "") -> Action:
    return Action(
        ref=ref,
        text=text,
        lead=tuple(lead.split("/")),
        lead_sep="/",
        due=timescale,
        fill=FILLS[rag],
        progress=progress,
    )


EH_ADS = "AD Early Help/AD Safeguarding"
TOM = "Tom Hadley – Head of Service"
DCS = "DCS (Mira Okafor)"

THEMES = (
    Theme(
        "Theme 1: Early help and the front door",
        items=(
            H(
                "1a",
                "Open an early help hub in each of the three localities.",
                EH_ADS,
                "Apr-19",
                "blue",
                "All three hubs open since April.",
            ),
            H(
                "1b",
                "Bring the early help triage team into the front door so that every contact gets a "
                "single response.",
                EH_ADS,
                "2019 Q2",
                "blue",
                "Triage team based in the front door since June.",
            ),
            H(
                "1c",
                "Agree a shared early help assessment with schools, health visitors and the police.",
                TOM,
                "Autumn term 2019",
                "amber",
                "Agreed with schools; health visitors have not yet signed up.",
            ),
            H(
                "1d",
                "Train 200 staff in partner agencies to lead early help assessments.",
                TOM,
                "By end Q4",
                "green",
                "96 staff trained so far.",
            ),
            H(
                "1e",
                "Publish the early help offer on the council's website and in every school.",
                "Partnership Board",
                "Summer term 2019",
                "blue",
                "Published in June 2019.",
            ),
        ),
    ),
    Theme(
        "Theme 2: Protecting children",
        items=(
            H(
                "2a",
                "Reduce caseloads so that no social worker holds more than 20 children.",
                DCS,
                "2019 Q4",
                "red",
                "Average caseload is 21; seven social workers hold more than 24 children.",
            ),
            H(
                "2b",
                "Recruit 12 permanent social workers and bring agency staff below 15% of the "
                "workforce.",
                DCS,
                "Ongoing / Sept 2019",
                "amber",
                "Nine recruited; the agency rate is 19%.",
            ),
            H(
                "2c",
                "Introduce a tracker so that no child protection plan lasts more than 18 months "
                "without a senior manager's review.",
                "HoS Safeguarding",
                "Jul-19",
                "blue",
                "Tracker in use since July.",
            ),
            H(
                "2d",
                "Make sure that the police and health take part in every strategy discussion.",
                "HoS Safeguarding",
                "30/06/2019",
                "green",
                "The police and health took part in 97% of strategy discussions in August.",
            ),
            H(
                "2e",
                "Review the format of child protection conferences so that parents and children take "
                "a full part.",
                "IRO Manager",
                "By end Q4",
                "",
                "The review begins in October.",
            ),
            H(
                "2f",
                "Audit the quality of child protection plans every quarter.",
                "Quality Assurance Team",
                "Ongoing",
                "green",
                "Audits completed in March, June and September.",
            ),
        ),
    ),
    Theme(
        "Theme 3: Children in care and care leavers",
        items=(
            H(
                "3a",
                "Hold a permanence panel each month for children who have been in care for four "
                "months.",
                "HoS CIC",
                "2019 Q1",
                "blue",
                "The panel has met every month since February.",
            ),
            H(
                "3b",
                "Increase the number of the council's own foster carers by 15 households.",
                "HoS CIC",
                "Dec 2019",
                "red",
                "Five households approved.",
            ),
            H(
                "3c",
                "Make sure that every child in care has a health assessment on time.",
                "HoS CIC/Designated Nurse",
                "2019 Q3",
                "amber",
                "82% of health assessments were on time in August.",
            ),
            H(
                "3d",
                "Give every care leaver a personal adviser from the age of 16.",
                "Leaving Care Manager",
                "Apr-19",
                "blue",
                "Every eligible young person has had an adviser since April.",
            ),
            H(
                "3e",
                "Open supported accommodation for eight care leavers.",
                "Leaving Care Manager",
                "Nov-19",
                "green",
                "Provider chosen; the service opens in November.",
            ),
        ),
    ),
    Theme(
        "Theme 4: Workforce and leadership",
        items=(
            H(
                "4a",
                "Agree a workforce strategy with a career pathway for social workers.",
                "AD Safeguarding",
                "2019 Q2",
                "blue",
                "Strategy approved in May.",
            ),
            H(
                "4b",
                "Hold a practice conference for all staff twice a year.",
                "AD Safeguarding",
                "Ongoing / Oct 2019",
                "green",
                "The first conference was held in April.",
            ),
            H(
                "4c",
                "Report performance to the Improvement Board every month with a single scorecard.",
                "Jo Pemberton – Performance Manager",
                "May-19",
                "blue",
                "Scorecard in use since May.",
            ),
            H(
                "4d",
                "Complete a self-evaluation and share it with partners.",
                DCS,
                "By end Q4",
                "amber",
                "A first draft was written in September.",
            ),
            H(
                "4e",
                "Give elected members an induction on their role as corporate parents.",
                "Corporate Parenting Board",
                "Autumn term 2019",
                "green",
                "Two sessions held.",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="haverleigh_2019_improvement_plan",
    authority="Haverleigh",
    title="Children's Services Improvement Plan 2019",
    period="2019",
    period_start=dt.date(2019, 1, 1),
    period_end=dt.date(2019, 12, 31),
    version="",
    date=dt.date(2019, 9, 30),
    formats=("docx", "pdf"),
    glossary=GLOSSARY,
    themes=THEMES,
    notes=(
        "DOCX: each theme's table is nested in a one-cell layout table whose first paragraph is the "
        "theme title; the PDF shows the same tables flat, under headings.",
        "The Lead cell is merged down over consecutive actions with the same lead; each of those "
        "actions has that lead.",
        "Abbreviations are defined in one sentence and expanded wherever they occur in a lead "
        "('AD Early Help' -> 'Assistant Director Early Help', 'DCS (Mira Okafor)' -> 'Director of "
        "Children's Services (Mira Okafor)'); '/' separates leads; 'Name – Role' is one lead.",
        "Quarters are calendar quarters, as the plan says ('2019 Q1' is due 2019-03-31); 'By end Q4' "
        "is the end of Q4 of the plan's year (2019-12-31); 'Ongoing / Sept 2019' is due 2019-09-30; "
        "'Autumn term 2019' is September-December (due 2019-12-31), 'Summer term 2019' April-July "
        "(due 2019-07-31).",
        "RAG is a bare fill with no key: common reading; 2e is not rated (status null, unknown).",
        "page is the PDF page of the action's first line.",
    ),
)

INNER_HEADER = ("Ref", "What we will do", "Lead", "Timescale", "RAG", "Progress at September 2019")


def theme_grid(t: int, theme: Theme, start: int) -> tuple[Grid, int]:
    rows: list = [header_row(*INNER_HEADER)]
    keys: list[str | None] = [None]
    items = list(theme.items)
    i = start
    for j, a in enumerate(items):
        if j and items[j - 1].lead_raw == a.lead_raw:
            lead_cell = None  # covered by the merged lead above
        else:
            span = 1
            while j + span < len(items) and items[j + span].lead_raw == a.lead_raw:
                span += 1
            lead_cell = cell(a.lead_raw, rowspan=span)
        rows.append(
            (
                cell(a.ref, bold=True),
                cell(a.text),
                lead_cell,
                cell(a.due),
                cell(fill=a.fill),
                cell(a.progress),
            )
        )
        keys.append(f"action:{i}")
        i += 1
    grid = Grid(
        name=f"theme_{t}",
        rows=tuple(rows),
        col_widths=(0.05, 0.34, 0.16, 0.12, 0.05, 0.28),
        repeat_header=True,
        font_size=8.5,
        row_keys=tuple(keys),
    )
    return grid, i


def theme_grids() -> list[Grid]:
    grids, index = [], 0
    for t, theme in enumerate(THEMES, 1):
        grid, index = theme_grid(t, theme, index)
        grids.append(grid)
    return grids


def nested_titles() -> dict[str, str]:
    """Grid name -> the title written in its DOCX layout cell."""
    return {g.name: theme.title for g, theme in zip(theme_grids(), THEMES, strict=True)}


GLOSSARY_SENTENCE = "Abbreviations: " + "; ".join(f"{a} – {m}" for a, m in GLOSSARY) + "."


def document(*, headings: bool = True) -> Document:
    """The plan; ``headings=False`` leaves the theme titles to the DOCX layout cells."""
    blocks: list = [
        Para("Haverleigh Council", "title"),
        Para("Children's Services Improvement Plan 2019", "subtitle"),
        Para("Update for the Improvement Board – position at 30 September 2019"),
        Para(
            "The plan runs from January to December 2019. Timescales given as quarters are calendar "
            "quarters (Q1 is January to March). The RAG cell is coloured to show progress."
        ),
        Para(GLOSSARY_SENTENCE),
    ]
    for grid, theme in zip(theme_grids(), THEMES, strict=True):
        if headings:
            blocks.append(Heading(theme.title, level=2))
        blocks.append(TableBlock(grid))
    blocks.append(Para("The Improvement Board will review this plan again in December 2019."))
    return Document(
        stem=PLAN.stem,
        title="Haverleigh Council – Children's Services Improvement Plan 2019",
        author="Haverleigh Council",
        subject="Improvement plan",
        landscape=True,
        header="Haverleigh Council – Children's Services Improvement Plan 2019",
        footer="Position at 30 September 2019",
        created=dt.datetime(2019, 9, 30, 17, 0, 0),
        blocks=tuple(blocks),
    )
