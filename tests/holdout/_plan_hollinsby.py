"""Holdout layout D: a text export with priority headings and a small table under each.

Quirks: every priority is a heading line ("Priority 1 – ...") followed by its own
tab-separated table with the header "No. | Action | Lead | Timescale | Progress";
refs are plain numbers running on across the tables; leads are initials
("JM/NP", "JM & LF") defined in an "Abbreviations" bullet list ("- JM – ..."),
and "GH" is never defined; timescales mix months, quarters, a financial year
("2019/20"), "By December 2019", full dates, "Ongoing" and "Monthly"; one action
carries a sub-list (exported as <ul><li>); the plan has no status column, and its
RAG position is given only as counts in a prose summary.
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Grid, Heading, ListBlock, Para, TableBlock, bullets, cell, header_row
from _truth import Action, LegendEntry, Plan, Theme

GLOSSARY = (
    ("SB", "Strategic Director of People"),
    ("JM", "Assistant Director Safeguarding"),
    ("KT", "Head of Early Help"),
    ("AR", "Head of Looked After Children"),
    ("DW", "Principal Social Worker"),
    ("LF", "Performance and Quality Manager"),
    ("HC", "Head of Workforce Development"),
    ("NP", "Service Manager Front Door"),
)
COUNTS = (("blue", 6), ("green", 10), ("amber", 4), ("red", 2))
LEGEND = (
    LegendEntry("blue", "the action is complete", "complete"),
    LegendEntry("green", "the action is on track", "on_track"),
    LegendEntry("amber", "there is some risk to delivery", "at_risk"),
    LegendEntry("red", "the action will not be delivered on time", "off_track"),
)


def H(
    ref: str,
    text: str,
    lead: str,
    timescale: str,
    progress: str = "",
    items: tuple[str, ...] = (),
) -> Action:
    sep = " & " if " & " in lead else "/"
    return Action(
        ref=ref,
        text=text,
        bullets=items,
        lead=tuple(lead.split(sep)),
        lead_sep=sep,
        due=timescale,
        progress=progress,
    )


THEMES = (
    Theme(
        "Priority 1 – Children are kept safe at the front door",
        items=(
            H(
                "1",
                "Bring the duty and assessment service and the early help hub together in a single front "
                "door.",
                "JM/NP",
                "April 2019",
                "Single front door opened on 1 April 2019.",
            ),
            H(
                "2",
                "Agree response times for contacts with partners and publish them on the partnership "
                "website.",
                "NP",
                "Jun-19",
                "Response times agreed and published in June.",
            ),
            H(
                "3",
                "Audit 30 contacts every month to check that threshold decisions are right and are "
                "recorded clearly.",
                "LF",
                "Monthly",
                "Nine audits completed; 88% of decisions judged appropriate.",
            ),
            H(
                "4",
                "Train designated safeguarding leads in schools on making good referrals.",
                "KT",
                "Q2 2019/20",
                "Training delivered to 61 of 74 schools.",
            ),
            H(
                "5",
                "Introduce a daily risk meeting with the police for domestic abuse notifications.",
                "JM & GH",
                "31/10/2019",
                "Meeting in place since October; police attendance has been consistent.",
            ),
        ),
    ),
    Theme(
        "Priority 2 – Children in need of help and protection get good social work",
        items=(
            H(
                "6",
                "Adopt a single model of practice and train every social worker and manager in it.",
                "DW",
                "Mar 2020",
                "Five of eight cohorts trained.",
            ),
            H(
                "7",
                "Make sure that every child protection plan is reviewed on time and that core groups "
                "meet at least every six weeks.",
                "JM",
                "Ongoing",
                "Reviews on time for 97% of children in December.",
            ),
            H(
                "8",
                "Reduce caseloads to an average of no more than 18 children per social worker.",
                "SB & JM",
                "By December 2019",
                "Average caseload 20 in December; four new posts are being recruited.",
            ),
            H(
                "9",
                "Improve the quality of plans so that every plan has:",
                "DW",
                "Sept 2019",
                "New plan template in use since September.",
                items=(
                    "outcomes written with the family",
                    "actions with a named person and a date",
                    "a contingency if the plan is not working",
                ),
            ),
            H(
                "10",
                "Introduce pre-birth assessment guidance with midwifery services.",
                "JM",
                "Jan 2020",
                "",
            ),
            H(
                "11",
                "Report the findings of themed audits to the Safeguarding Partnership every quarter.",
                "LF",
                "2019/20",
                "Audits of neglect and of adolescent risk reported so far.",
            ),
        ),
    ),
    Theme(
        "Priority 3 – Children in care and care leavers have the homes and support they need",
        items=(
            H(
                "12",
                "Publish a placement sufficiency strategy for the next three years.",
                "AR",
                "July 2019",
                "Strategy published in July.",
            ),
            H(
                "13",
                "Recruit 12 new foster families, with a focus on brothers and sisters.",
                "AR",
                "Mar 2020",
                "Seven families approved; five assessments under way.",
            ),
            H(
                "14",
                "Make sure every child in care has a health assessment on time.",
                "AR",
                "Q3 2019/20",
                "Timeliness 72% against a target of 90%.",
            ),
            H(
                "15",
                "Offer every care leaver a pathway plan written with them and reviewed every six months.",
                "AR/DW",
                "Ongoing",
                "",
            ),
            H(
                "16",
                "Open a supported accommodation service for care leavers aged 18 to 21.",
                "AR",
                "Feb 2020",
                "Building work delayed; opening now expected in May 2020.",
            ),
            H(
                "17",
                "Agree with the virtual school a plan to improve attendance for children in care.",
                "AR & KT",
                "30/11/2019",
                "Plan agreed in November.",
            ),
        ),
    ),
    Theme(
        "Priority 4 – A stable workforce and strong leadership",
        items=(
            H(
                "18",
                "Launch a recruitment and retention package for experienced social workers.",
                "HC",
                "May 2019",
                "Package launched in May; 9 experienced social workers recruited.",
            ),
            H(
                "19",
                "Reduce the proportion of agency social workers to below 15%.",
                "HC/SB",
                "Mar 2020",
                "Agency rate 19% in December.",
            ),
            H(
                "20",
                "Hold a practice conference for all staff twice a year.",
                "DW",
                "Oct 2019",
                "Conference held in October with 180 staff.",
            ),
            H(
                "21",
                "Give elected members a quarterly briefing on the performance of children's services.",
                "SB",
                "Quarterly",
                "Briefings held in July and October.",
            ),
            H(
                "22",
                "Complete a self-evaluation and share it with the Improvement Board and partners.",
                "SB",
                "Q4 2019/20",
                "",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="hollinsby_2019-20_progress_report",
    authority="Hollinsby",
    title="Children's Social Care Improvement Plan 2019/20",
    period="2019/20",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2020, 3, 31),
    version="",
    date=dt.date(2020, 1, 14),
    formats=("txt",),
    glossary=GLOSSARY,
    legend=LEGEND,
    status_counts=COUNTS,
    themes=THEMES,
    no_fill_formats=("txt",),
    notes=(
        "A text export: each priority heading is followed by its own tab-separated table.",
        "The tables have no status column: every status is null and every meaning unknown. The RAG "
        "position is given only as counts in the summary prose (status_counts).",
        "Leads are initials defined in the Abbreviations list; 'GH' is never defined and stays as "
        "written. '/' and ' & ' separate leads.",
        "'2019/20' is the financial year (due 2020-03-31); 'By December 2019' is 2019-12-31; "
        "'Ongoing', 'Monthly' and 'Quarterly' give no date.",
        "No PDF is shipped, so page is null.",
    ),
)


def priority_grid(theme: Theme, start: int) -> tuple[Grid, int]:
    rows = [header_row("No.", "Action", "Lead", "Timescale", "Progress")]
    keys: list[str | None] = [None]
    i = start
    for a in theme.items:
        rows.append(
            (
                cell(a.ref),
                cell(a.text, *bullets(*a.bullets)),
                cell(a.lead_raw),
                cell(a.due),
                cell(a.progress),
            )
        )
        keys.append(f"action:{i}")
        i += 1
    grid = Grid(
        name=f"priority_{theme.title.split()[1]}",
        rows=tuple(rows),
        col_widths=(0.05, 0.4, 0.1, 0.12, 0.33),
        font_size=9,
        row_keys=tuple(keys),
    )
    return grid, i


def document() -> Document:
    counts = dict(COUNTS)
    total = sum(counts.values())
    blocks: list = [
        Para("Hollinsby Council", "title"),
        Para("Children's Social Care Improvement Plan 2019/20", "title"),
        Para("Progress report to the Children and Young People Scrutiny Panel – 14 January 2020"),
        Heading("Summary of progress"),
        Para(
            f"The plan contains {total} actions across four priorities. At the end of December 2019, "
            f"{counts['blue']} actions had been completed and were rated blue, {counts['green']} were "
            f"rated green, {counts['amber']} amber and {counts['red']} red."
        ),
        Para(
            "Blue means that the action is complete, green that it is on track, amber that there is some "
            "risk to delivery and red that the action will not be delivered on time. The two red actions "
            "concern the timeliness of health assessments for children in care and the opening of the "
            "supported accommodation service."
        ),
        Heading("Abbreviations"),
        ListBlock(tuple(f"{a} – {m}" for a, m in GLOSSARY)),
    ]
    index = 0
    for theme in THEMES:
        grid, index = priority_grid(theme, index)
        blocks += [Heading(theme.title), TableBlock(grid)]
    blocks.append(
        Para(
            "The Improvement Board will next review the plan in March 2020, when a plan for 2020/21 will "
            "be agreed."
        )
    )
    return Document(
        stem=PLAN.stem,
        title="Hollinsby Council – Children's Social Care Improvement Plan 2019/20: progress report",
        author="Hollinsby Council",
        subject="Progress report",
        landscape=False,
        header="Hollinsby Council",
        footer="Children and Young People Scrutiny Panel – 14 January 2020",
        created=dt.datetime(2020, 1, 14, 9, 0, 0),
        blocks=tuple(blocks),
    )
