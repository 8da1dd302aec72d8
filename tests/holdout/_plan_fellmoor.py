"""Holdout layout A: a priority / what we will do / who / by when / RAG / update grid.

Quirks: header words the samples never use ("What we will do", "Who", "By when",
"Update on progress"); the priority cell is merged down over its actions; each
action's ref ("P1.1") is a bold first paragraph inside the action cell; leads are
abbreviations ("AD CSC", "HoS LAC") joined by " / " or ", " and defined in a
glossary table AFTER the plan table ("KD" is never defined); due dates written
"31.3.19", "Q2 2018/19", "Spring 2019", "end of June 2019", "ongoing"; the RAG key
is a bullet list in which green means achieved and amber means on course (no
blue); RAG is a letter or a colour word on a fill, or a bare fill, or blank;
landscape throughout, the header repeated on each page.
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Grid, Heading, ListBlock, Para, TableBlock, bullets, cell, header_row
from _truth import Action, LegendEntry, Plan, Theme

RED, AMBER, GREEN = "#FF0000", "#FFC000", "#00B050"
FILLS = {"red": RED, "amber": AMBER, "green": GREEN}

GLOSSARY = (
    ("AD CSC", "Assistant Director Children's Social Care"),
    ("DCS", "Director of Children's Services"),
    ("HoS CP", "Head of Service Child Protection"),
    ("HoS LAC", "Head of Service Looked After Children"),
    ("HoS EH", "Head of Service Early Help"),
    ("PSW", "Principal Social Worker"),
    ("PIM", "Performance and Information Manager"),
    ("WDM", "Workforce Development Manager"),
    ("FSCP", "Fellmoor Safeguarding Children Partnership"),
    ("IRO", "Independent Reviewing Officer"),
)
# Terms that are not leads but sit in the same glossary, as real glossaries mix them.
OTHER_TERMS = (
    ("LADO", "Local Authority Designated Officer"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("PLO", "Public Law Outline"),
    ("RAG", "Red, Amber, Green rating"),
)

LEGEND = (
    LegendEntry(
        "green", "Achieved: the action is complete and its impact has been checked", "complete"
    ),
    LegendEntry("amber", "In progress and on course to be achieved by the date shown", "on_track"),
    LegendEntry(
        "red", "Not on course: the date will be missed without further action", "off_track"
    ),
)


def P(
    ref: str,
    text: str,
    who: str,
    when: str,
    rag: str,
    update: str = "",
    items: tuple[str, ...] = (),
) -> Action:
    """``rag`` is "G"/"A"/"R" or a colour word (text on its fill), "fill:green" (a bare
    fill) or "" (not rated)."""
    sep = " / " if " / " in who else ", " if ", " in who else "/"
    if rag.startswith("fill:"):
        status_text, fill = "", FILLS[rag[5:]]
    elif rag:
        colour = {"G": "green", "A": "amber", "R": "red"}.get(rag, rag.lower())
        status_text, fill = rag, FILLS[colour]
    else:
        status_text, fill = "", None
    return Action(
        ref=ref,
        text=text,
        bullets=items,
        lead=tuple(who.split(sep)),
        lead_sep=sep,
        due=when,
        status_text=status_text,
        fill=fill,
        progress=update,
    )


THEMES = (
    Theme(
        "Priority 1: Children get the right help at the right time",
        items=(
            P(
                "P1.1",
                "Review the MASH so that every contact has a decision by a qualified social worker within "
                "one working day.",
                "HoS CP",
                "30.11.18",
                "A",
                "Review completed in August; the new duty rota starts in October. Timeliness was 81% in "
                "August.",
            ),
            P(
                "P1.2",
                "Relaunch the threshold guidance with partners through a series of locality briefings.",
                "FSCP",
                "Q2 2018/19",
                "fill:green",
                "Seven briefings held, attended by 240 staff from schools, health and the police.",
            ),
            P(
                "P1.3",
                "Set up an early help hub in each of the three localities, with a single request-for-support "
                "form.",
                "HoS EH",
                "Spring 2019",
                "Amber",
                "Hub sites agreed in two localities; the third is waiting for a building lease.",
            ),
            P(
                "P1.4",
                "Make sure that strategy discussions include the police, health and education in every case.",
                "HoS CP / FSCP",
                "end of June 2019",
                "R",
                "Health attendance at strategy discussions is 46%; escalated to the Partnership in "
                "September.",
            ),
            P(
                "P1.5",
                "Audit repeat referrals each quarter and report the learning to the FSCP.",
                "PIM",
                "ongoing",
                "G",
                "First audit reported in July; the next is due in October.",
            ),
        ),
    ),
    Theme(
        "Priority 2: Good quality social work for every child",
        items=(
            P(
                "P2.1",
                "Introduce practice standards for assessments, plans and visits, and brief every team on "
                "them.",
                "PSW",
                "31.7.18",
                "G",
                "Standards launched at the July practice conference and published on the intranet.",
            ),
            P(
                "P2.2",
                "Train all social workers in a strengths-based model of practice, starting with the child "
                "protection teams.",
                "PSW / WDM",
                "31.3.19",
                "A",
                "Four of nine teams trained; dates for the remaining teams are booked.",
            ),
            P(
                "P2.3",
                "Carry out monthly case audits, with every audit moderated by a second manager and shared "
                "with the social worker.",
                "Quality Assurance Manager",
                "Monthly",
                "fill:green",
                "Audits completed every month since April; 58% of cases rated good or better.",
            ),
            P(
                "P2.4",
                "Improve the timeliness of initial child protection conferences to at least 85% within 15 "
                "working days.",
                "HoS CP",
                "December 2018",
                "fill:red",
                "Timeliness fell to 68% in August because two conference chair posts are vacant.",
            ),
            P(
                "P2.5",
                "Make sure every child in need plan is reviewed at least every three months, with the "
                "child's views recorded.",
                "AD CSC",
                "Q3 2018/19",
                "A",
                "Review dates are now tracked weekly; 74% of plans were reviewed on time in August.",
            ),
            P(
                "P2.6",
                "Strengthen management oversight of casework through:",
                "HoS CP, HoS LAC",
                "Sept 18",
                "Green",
                "All three elements in place since September.",
                items=(
                    "weekly case discussions between team managers and social workers",
                    "a record of every management decision on the child's file",
                    "a monthly report of cases without a recorded supervision",
                ),
            ),
        ),
    ),
    Theme(
        "Priority 3: Children in care and care leavers have stable homes and good support",
        items=(
            P(
                "P3.1",
                "Refresh the sufficiency strategy and agree it with the Corporate Parenting Board.",
                "HoS LAC",
                "30.9.18",
                "G",
                "Strategy agreed by the Corporate Parenting Board on 12 September.",
            ),
            P(
                "P3.2",
                "Recruit 20 additional foster carers through a campaign focused on teenagers.",
                "HoS LAC",
                "31.3.19",
                "A",
                "Nine households approved so far; a second campaign launches in October.",
            ),
            P(
                "P3.3",
                "Hold a permanence planning meeting for every child by their second review.",
                "IRO",
                "Q4 2018/19",
                "fill:amber",
                "Meetings held for 70% of children reaching their second review since June.",
            ),
            P(
                "P3.4",
                "Offer every care leaver a personal adviser up to the age of 25 and publish the local offer.",
                "HoS LAC / KD",
                "Aug 2018",
                "G",
                "Local offer published in August; take-up by 21 to 25 year olds is being monitored.",
            ),
            P(
                "P3.5",
                "Improve the timeliness of initial health assessments for children entering care.",
                "HoS LAC",
                "end of March 2019",
                "Red",
                "Only 39% completed within 20 working days; the health provider has a recovery plan.",
            ),
        ),
    ),
    Theme(
        "Priority 4: A skilled, stable workforce that is well led",
        items=(
            P(
                "P4.1",
                "Reduce the use of agency social workers to below 15% of posts.",
                "DCS",
                "31.3.19",
                "A",
                "Agency use is 22%, down from 31% in April.",
            ),
            P(
                "P4.2",
                "Offer newly qualified social workers a protected caseload and a structured first year.",
                "WDM",
                "Sept 18",
                "G",
                "Eleven newly qualified social workers started in September with protected caseloads.",
            ),
            P(
                "P4.3",
                "Report progress against this plan to the Improvement Board every month.",
                "DCS",
                "ongoing",
                "G",
                "Reports presented to every Board meeting since April.",
            ),
            P(
                "P4.4",
                "Publish a performance scorecard for each team and discuss it at monthly performance "
                "meetings.",
                "PIM, AD CSC",
                "Q2 2018/19",
                "fill:green",
                "Scorecard live since July and used in every team's performance meeting.",
            ),
            P(
                "P4.5",
                "Commission a peer review of the front door and share the findings with the Improvement "
                "Board.",
                "AD CSC",
                "Feb 2019",
                "",
                "Not yet due.",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="fellmoor_2018-19_priority_plan",
    authority="Fellmoor",
    title="Children's Services Improvement Plan 2018-19",
    period="2018-19",
    period_start=dt.date(2018, 4, 1),
    period_end=dt.date(2019, 3, 31),
    version="Version 4",
    date=dt.date(2018, 9, 20),
    formats=("pdf", "docx"),
    glossary=GLOSSARY,
    legend=LEGEND,
    themes=THEMES,
    notes=(
        "Refs ('P1.1') are a bold first paragraph in the 'What we will do' cell; the action text "
        "excludes them.",
        "Leads are abbreviations defined in the glossary table after the plan; 'KD' is never defined "
        "and stays as written. ' / ' and ', ' separate leads.",
        "The RAG key is a bullet list: green = achieved (complete), amber = on course (on_track), "
        "red = off_track. P4.5 is not rated (status null, meaning unknown).",
        "Dates: '31.3.19' is d.m.yy; 'Spring 2019' is March-May (due 2019-05-31); 'end of June 2019' "
        "is 2019-06-30; 'ongoing' and 'Monthly' give no date.",
        "page is the PDF page of the action's first line.",
    ),
)


def plan_grid() -> Grid:
    rows = [
        header_row("Priority", "What we will do", "Who", "By when", "RAG", "Update on progress")
    ]
    keys: list[str | None] = [None]
    i = 0
    for theme in THEMES:
        for j, a in enumerate(theme.items):
            rows.append(
                (
                    cell(theme.title, rowspan=len(theme.items), bold=True) if j == 0 else None,
                    cell(f"**{a.ref}**", a.text, *bullets(*a.bullets)),
                    cell(a.lead_raw),
                    cell(a.due),
                    cell(a.status_text, fill=a.fill),
                    cell(a.progress),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="plan",
        rows=tuple(rows),
        col_widths=(0.15, 0.31, 0.1, 0.09, 0.06, 0.29),
        repeat_header=True,
        font_size=8.5,
        row_keys=tuple(keys),
    )


def glossary_grid() -> Grid:
    terms = sorted(GLOSSARY + OTHER_TERMS, key=lambda t: t[0].lower())
    return Grid(
        name="glossary",
        rows=(header_row("Term", "Meaning"), *((cell(t), cell(m)) for t, m in terms)),
        col_widths=(0.2, 0.8),
        font_size=9,
    )


def document() -> Document:
    blocks = (
        Para("Fellmoor Borough Council", "title"),
        Para("Children's Services Improvement Plan 2018-19", "subtitle"),
        Para("Version 4 – updated 20 September 2018"),
        Heading("Why we have this plan"),
        Para(
            "Our children's services were inspected in January 2018. Inspectors found that too many "
            "children waited too long for help and that the quality of social work was too variable. "
            "This plan sets out what we will do about it this year, who is responsible and when each "
            "action will be done."
        ),
        Heading("How we report progress"),
        Para(
            "Lead officers update the plan every month and agree a RAG rating with the Improvement "
            "Partner:"
        ),
        ListBlock(
            (
                "**Green** – achieved: the action is complete and its impact has been checked",
                "**Amber** – in progress and on course to be achieved by the date shown",
                "**Red** – not on course: the date will be missed without further action",
            )
        ),
        Para("Actions not yet due for review are left blank."),
        Heading("Our plan"),
        TableBlock(plan_grid()),
        Heading("Glossary"),
        TableBlock(glossary_grid()),
    )
    return Document(
        stem=PLAN.stem,
        title="Fellmoor Borough Council – Children's Services Improvement Plan 2018-19",
        author="Fellmoor Borough Council",
        subject="Improvement plan",
        landscape=True,
        header="Fellmoor Borough Council – Children's Services Improvement Plan 2018-19",
        footer="Version 4 – September 2018",
        created=dt.datetime(2018, 9, 20, 10, 30, 0),
        blocks=blocks,
    )
