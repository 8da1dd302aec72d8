"""Layout family 1: an aim / key-task grid with senior-team initials as leads.

Quirks: the Aim cell is merged down over its tasks; leads are initials ("RT/LK")
defined by a "Key:" line on the front page, and one set ("TW") is never
defined; evidence cells hold typed numbered lists; one task has a bullet
sub-list; completion dates are month names, "Ongoing", a quarter, a full date
or blank; landscape pages; the table breaks over pages with its header repeated;
a closing note row spans every column.
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Grid, ListBlock, PageBreak, Para, TableBlock, bullets, cell, header_row
from _truth import Action, Plan, Theme

GLOSSARY = (
    ("DB", "Director of Children's Services"),
    ("RT", "Assistant Director Safeguarding"),
    ("LK", "Head of Service Children in Care"),
    ("PSw", "Principal Social Worker"),
    ("HN", "Head of Early Help"),
    ("SA", "Service Manager Quality Assurance"),
    ("MF", "Performance and Intelligence Manager"),
    ("CW", "Service Manager Fostering and Adoption"),
)


def T(ref: str, text: str, lead: str, progress: str, due: str, *evidence: str, **kw) -> Action:
    return Action(
        ref=ref,
        text=text,
        lead=tuple(lead.split("/")) if lead else (),
        progress=progress,
        due=due,
        evidence=evidence,
        **kw,
    )


THEMES = (
    Theme(
        "1. Build consistent, child-centred social work practice so that children and families get timely "
        "help that reduces risk and need.",
        items=(
            T(
                "1.1",
                "Appoint a permanent Principal Social Worker with a clear practice leadership remit.",
                "DB",
                "Interviews held in May 2018 and appointment confirmed; start date agreed.",
                "July 2018",
                "Practice leadership is visible across all teams and the Principal Social Worker chairs the "
                "monthly practice forum.",
            ),
            T(
                "1.2",
                "Adopt a single strengths-based practice model across early help and children's social care.",
                "PSw",
                "Model chosen after staff consultation in April; training provider commissioned.",
                "March 2019",
                "1. All practitioners and managers trained by March 2019.",
                "2. Assessments and plans use the language of the model.",
                "3. Families tell us that their plans make sense to them.",
            ),
            T(
                "1.3",
                "Agree practice standards for assessments, plans, visits and case recording.",
                "RT",
                "Draft standards shared with team managers in May 2018 for comment.",
                "September 2018",
                "1. Assessments include analysis and use recognised tools.",
                "2. Children's plans have clear outcomes and timescales for each action.",
                "3. Case recording is up to date and shows the work done with the child.",
                "4. Chronologies are in place and kept up to date.",
                "5. Management decisions are recorded on the child's file with reasons.",
            ),
            T(
                "1.4",
                "Keep caseloads at a level that allows social workers to do meaningful direct work with "
                "children.",
                "RT/LK",
                "Weekly caseload report in place; two additional posts funded in the assessment team.",
                "December 2018",
                "Average caseload below 18 in every team; staff health check shows improved wellbeing.",
            ),
            T(
                "1.5",
                "Revise the case recording system so that practitioners record once and managers can see the "
                "child's journey. Changes to include:",
                "MF",
                "Changes prioritised with the systems team in June 2018.",
                "",
                "Fewer duplicate forms; audits show chronologies and case summaries are up to date.",
                bullets=(
                    "a single chronology on the child's record",
                    "a case summary linked to the supervision record",
                    "visits recorded against the child's plan",
                ),
            ),
        ),
    ),
    Theme(
        "2. Make sure performance information and quality assurance drive improvement in every team.",
        items=(
            T(
                "2.1",
                "Publish a monthly performance scorecard for every team.",
                "MF",
                "Scorecard live for all teams since April 2018; team-level data still being refined.",
                "June 2018",
                "Managers use their team's data in supervision and in service meetings.",
            ),
            T(
                "2.2",
                "Hold monthly performance meetings in each service in which managers account for their team's "
                "results.",
                "RT/LK",
                "Meetings in place in the safeguarding service; children in care service to start in July.",
                "July 2018",
                "Poor performance is identified early and the actions agreed are followed up.",
            ),
            T(
                "2.3",
                "Implement the revised quality assurance framework, including monthly case audits and "
                "moderation.",
                "SA",
                "New audit tool trialled in two teams; moderation panel meets monthly.",
                "October 2018",
                "1. Audit findings and actions are recorded on the child's file.",
                "2. Re-audits show that actions have been completed.",
                "3. The proportion of cases rated good or better rises each quarter.",
            ),
            T(
                "2.4",
                "Use learning from complaints, compliments and case reviews in team development sessions.",
                "SA",
                "Quarterly complaints report now goes to the senior management team.",
                "Ongoing",
                "Complaints about the same issue fall, and families see a service that responds to them.",
            ),
            T(
                "2.5",
                "Run an annual practitioner health check and share the results and our response with staff.",
                "TW",
                "Survey scheduled for November 2018.",
                "January 2019",
                "A clear picture of staff experience informs the workforce plan.",
            ),
        ),
    ),
    Theme(
        "3. Achieve permanence for children without delay, in homes that meet their needs.",
        items=(
            T(
                "3.1",
                "Review the care plan of every child who has been in care for more than two years and confirm a "
                "permanence plan for each child.",
                "LK",
                "Reviews complete for 61 of 140 children.",
                "November 2018",
                "Every child in care has a permanence plan agreed by the second review.",
            ),
            T(
                "3.2",
                "Hold a family network meeting before any child becomes looked after, unless it is unsafe to do "
                "so.",
                "RT/HN",
                "Family network meeting coordinators recruited; referral route agreed.",
                "September 2018",
                "More children are cared for safely within their family network.",
            ),
            T(
                "3.3",
                "Strengthen pre-proceedings work under the Public Law Outline, with a tracker reviewed every "
                "fortnight at the legal gateway panel.",
                "RT/LK/SA",
                "Tracker built and in use; panel terms of reference revised.",
                "October 2018",
                "Less drift before proceedings are issued, and fewer cases criticised by the court.",
            ),
            T(
                "3.4",
                "Increase the use of special guardianship and connected-person placements, with a support "
                "package for carers.",
                "CW",
                "Support offer drafted and costed.",
                "March 2019",
                "More children leave care to permanent homes with their wider family.",
            ),
            T(
                "3.5",
                "Recruit more in-house foster carers, especially for teenagers and for brothers and sisters.",
                "CW",
                "Recruitment campaign launched in May; 14 enquiries in the first month.",
                "Q4 2018/19",
                "1. Twelve new fostering households approved.",
                "2. Fewer children placed with independent agencies.",
            ),
            T(
                "3.6",
                "Join the regional adoption agency and agree the transfer of staff.",
                "DB/CW",
                "Cabinet approved joining the agency in principle; consultation with staff under way.",
                "April 2019",
                "Children whose plan is adoption are matched with well-supported adopters without delay.",
            ),
        ),
    ),
    Theme(
        "4. Provide early help that stops problems escalating and supports families to make lasting change.",
        items=(
            T(
                "4.1",
                "Publish the early help offer for families and partner agencies.",
                "HN",
                "Offer drafted and shared with schools and health visitors for comment.",
                "August 2018",
                "Partners and families know what help is available and how to get it.",
            ),
            T(
                "4.2",
                "Introduce an early help assessment used by all partners, with a lead professional for every "
                "family.",
                "HN",
                "Assessment form agreed; training dates booked for the autumn term.",
                "December 2018",
                "1. Every family receiving early help has a lead professional.",
                "2. Partner agencies complete half of all early help assessments.",
            ),
            T(
                "4.3",
                "Agree step-up and step-down guidance between early help and children's social care.",
                "HN/RT",
                "Guidance drafted; to be tested through a joint audit.",
                "October 2018",
                "Families move between services without gaps or repeated assessments.",
            ),
            T(
                "4.4",
                "Train partner agencies to take on the lead professional role.",
                "HN",
                "Two sessions held with primary school safeguarding leads.",
                "31/01/2019",
                "More families are supported by the professional who knows them best.",
            ),
            T(
                "4.5",
                "Evaluate the early help triage pilot and decide whether to roll it out.",
                "HN/MF",
                "Pilot running in the north locality since March 2018.",
                "Q3 2018/19",
                "A decision based on evidence of impact on re-referrals.",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="harrowden_2018-19_family_support_plan",
    authority="Harrowden",
    title="Children's Safeguarding and Family Support Improvement Plan 2018/19",
    period="2018/19",
    period_start=dt.date(2018, 4, 1),
    period_end=dt.date(2019, 3, 31),
    version="Version 3",
    date=dt.date(2018, 6, 14),
    formats=("pdf", "docx", "html"),
    glossary=GLOSSARY,
    themes=THEMES,
    notes=(
        "Leads are initials defined by the front page's Key line; TW is not defined and stays as written.",
        "The plan has no status column: every status is null and every meaning unknown.",
        "Evidence cells carry typed numbers ('1. ...'); they are kept in 'evidence'.",
        "The last table row is a note spanning all columns, not an action.",
        "page is the PDF page of the action's first line.",
    ),
)

ACHIEVEMENTS = (
    "A new case recording system went live in October 2017.",
    "Management structures were simplified, with one head of service for each part of the child's journey.",
    "The number of children subject to a child protection plan fell for the third year running.",
    "Agency social workers now fill fewer than one in five posts.",
    "The front door was reorganised as a multi-agency safeguarding hub.",
    "Partners now apply the safeguarding partnership's threshold guidance consistently.",
    "A single assessment replaced separate initial and core assessments.",
    "The quality assurance programme was revised and moderated audits began.",
    "Performance scorecards are produced and used every month.",
    "More in-house foster carers were recruited than in any of the previous five years.",
)

KEY_LINE = "Key: " + "; ".join(f"{a} = {m}" for a, m in GLOSSARY)


def plan_grid() -> Grid:
    rows = [
        header_row(
            "Aim",
            "Key Tasks",
            "SMT Lead",
            "Progress against key tasks",
            "Completion date",
            "Evidence and impact",
        )
    ]
    keys: list[str | None] = [None]
    i = 0
    for theme in THEMES:
        tasks = theme.items
        for j, a in enumerate(tasks):
            aim = cell(theme.title, rowspan=len(tasks)) if j == 0 else None
            rows.append(
                (
                    aim,
                    cell(f"{a.ref} {a.text}", *bullets(*a.bullets)),
                    cell("/".join(a.lead)),
                    cell(a.progress),
                    cell(a.due),
                    cell(*a.evidence),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    rows.append(
        (
            cell(
                "This plan is reviewed monthly by the senior management team and reported to the "
                "Improvement Board every quarter. Next review: September 2018.",
                colspan=6,
            ),
            None,
            None,
            None,
            None,
            None,
        )
    )
    keys.append(None)
    return Grid(
        name="plan",
        rows=tuple(rows),
        col_widths=(0.16, 0.22, 0.07, 0.2, 0.1, 0.25),
        repeat_header=True,
        font_size=8,
        row_keys=tuple(keys),
    )


def document() -> Document:
    blocks = (
        Para("Harrowden Council", "title"),
        Para("Children's Safeguarding and Family Support", "subtitle"),
        Para("Improvement Plan 2018/19", "title"),
        Para("Version 3 – updated 14 June 2018"),
        Para("During 2017/18 we delivered a number of improvements:"),
        ListBlock(ACHIEVEMENTS, numbered=True),
        Para(
            "This plan builds on that progress. It sets out the aims of the senior management team for "
            "2018/19, the key tasks that will deliver them, the lead for each task and the evidence we will "
            "use to judge their impact."
        ),
        Para(KEY_LINE),
        PageBreak(),
        TableBlock(plan_grid()),
    )
    return Document(
        stem=PLAN.stem,
        title="Harrowden Council – Children's Safeguarding and Family Support Improvement Plan 2018/19",
        author="Harrowden Council Children's Services",
        subject="Improvement plan 2018/19",
        landscape=True,
        header="Harrowden Council – Improvement Plan 2018/19",
        footer="Children's Safeguarding and Family Support – v3",
        created=dt.datetime(2018, 6, 14, 9, 0, 0),
        blocks=blocks,
    )
