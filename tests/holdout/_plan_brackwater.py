"""Holdout layout B: one small key-value table per action, plus a KPI table.

Quirks: each action is its own two-column table ("Ref" | "1.1", "Action" | text,
"Lead officer" | ..., "Target date" | ..., "Status" | "On track", "Progress" | ...)
under an outcome heading, so there is no header row naming the columns; status
is a word with no fill, tied to a colour only by a status key written as a bullet
list ("**On track** (green) – ..."), and "Not started" has no colour; two leads
are separate lines of the lead cell, and some role titles contain a comma; target
dates are long dates, month names, "By April 2019", "Monthly", "Quarterly"; the
KPI table has a baseline column before the target column and its target year only
in the header ("Target 2018/19"); KPIs are grouped under outcome band rows.
"""

from __future__ import annotations

import datetime as dt

from _doc import (
    BAND_FILL,
    HEADER_FILL,
    Document,
    Grid,
    Heading,
    ListBlock,
    Para,
    TableBlock,
    cell,
    header_row,
)
from _truth import KPI, Action, KPIGroup, LegendEntry, Plan, StatusWord, Theme

WORDS = (
    StatusWord("Complete", "blue", "complete"),
    StatusWord("On track", "green", "on_track"),
    StatusWord("Some slippage", "amber", "at_risk"),
    StatusWord("Off track", "red", "off_track"),
    StatusWord("Not started", None, "not_started"),
)
KEY_TEXT = {
    "Complete": "the action is finished and signed off by the Improvement Board",
    "On track": "progressing as planned",
    "Some slippage": "behind plan but expected to recover before the target date",
    "Off track": "will not be delivered by the target date without help from the Board",
    "Not started": "work is not due to begin yet",
}
LEGEND = tuple(LegendEntry(w.colour, KEY_TEXT[w.word], w.meaning) for w in WORDS if w.colour)
TARGET_YEAR = "2018/19"  # the KPI table's "Target 2018/19" header


def B(
    ref: str,
    text: str,
    lead: str | tuple[str, ...],
    target: str,
    status: str,
    progress: str = "",
) -> Action:
    """``lead`` as a tuple means one role per line of the lead cell."""
    if isinstance(lead, tuple):
        return Action(
            ref=ref,
            text=text,
            lead=lead,
            lead_sep="\n",
            due=target,
            status_text=status,
            progress=progress,
        )
    return Action(
        ref=ref, text=text, lead=(lead,), due=target, status_text=status, progress=progress
    )


HEAD_SAFEGUARDING = "Head of Safeguarding"
HEAD_CORPORATE_PARENTING = "Head of Corporate Parenting"
AD_CSC = "Assistant Director, Children's Social Care"

THEMES = (
    Theme(
        "Outcome 1: Children are safe and protected from harm",
        items=(
            B(
                "1.1",
                "Agree a new contact and referral pathway with the police, health and schools, so that all "
                "safeguarding concerns come through one front door.",
                HEAD_SAFEGUARDING,
                "30 September 2018",
                "On track",
                "Pathway agreed by partners in June; the new telephone line goes live on 3 September.",
            ),
            B(
                "1.2",
                "Make sure every child subject to a child protection plan is visited at least every ten "
                "working days, and that the visit is recorded within two days.",
                "Child Protection Service Manager",
                "Sept 2018",
                "Some slippage",
                "Visits were on time for 83% of children in June; recording is delayed in two teams.",
            ),
            B(
                "1.3",
                "Introduce a multi-agency panel for children at risk of criminal or sexual exploitation, "
                "with a shared risk assessment tool.",
                (HEAD_SAFEGUARDING, "Detective Inspector, Public Protection Unit"),
                "31/10/2018",
                "On track",
                "Terms of reference agreed; the first panel meets in October.",
            ),
            B(
                "1.4",
                "Review every child who has been subject to a child protection plan for more than 15 "
                "months.",
                "Independent Reviewing Service Manager",
                "Dec 2018",
                "Complete",
                "All 37 children reviewed; 12 plans ended and 5 children moved into pre-proceedings.",
            ),
            B(
                "1.5",
                "Publish a neglect strategy with the Local Safeguarding Children Board and train staff in "
                "the graded care profile.",
                HEAD_SAFEGUARDING,
                "By April 2019",
                "Not started",
            ),
            B(
                "1.6",
                "Reduce the number of children who go missing more than three times in a year by offering "
                "a return interview within 72 hours.",
                "Head of Early Help",
                "31 March 2019",
                "Off track",
                "Return interviews were offered within 72 hours for 48% of episodes; the provider's "
                "contract is under review.",
            ),
        ),
    ),
    Theme(
        "Outcome 2: Children in care have stable homes and do well",
        items=(
            B(
                "2.1",
                "Open a new four-bed children's home in the county for young people with complex needs.",
                HEAD_CORPORATE_PARENTING,
                "March 2019",
                "Some slippage",
                "Planning permission granted in July; the Ofsted registration visit is not yet booked.",
            ),
            B(
                "2.2",
                "Make sure every child in care has a personal education plan that is reviewed each term.",
                "Virtual School Head",
                "31/12/2018",
                "On track",
                "92% of children had an up-to-date plan at the end of the summer term.",
            ),
            B(
                "2.3",
                "Agree a placement stability protocol, including a disruption meeting whenever a placement "
                "ends without a plan.",
                (HEAD_CORPORATE_PARENTING, "Fostering Service Manager"),
                "Oct 2018",
                "Complete",
                "Protocol agreed in June and in use in every team.",
            ),
            B(
                "2.4",
                "Improve the health offer for children in care, so that initial health assessments take "
                "place within 20 working days.",
                "Designated Nurse for Children in Care",
                "Jan 2019",
                "Off track",
                "Timeliness is 41%; the clinical commissioning group has been asked for a recovery plan.",
            ),
            B(
                "2.5",
                "Ask children in care what matters to them through the Children in Care Council and publish "
                "our response.",
                "Participation Officer",
                "Nov 2018",
                "On track",
                "Survey open until 30 September.",
            ),
        ),
    ),
    Theme(
        "Outcome 3: Our workforce is stable, skilled and well led",
        items=(
            B(
                "3.1",
                "Recruit permanent team managers to every team, so that no team is led by an interim "
                "manager.",
                AD_CSC,
                "30 September 2018",
                "Some slippage",
                "Two of eleven posts are still held by interim managers.",
            ),
            B(
                "3.2",
                "Offer a career progression scheme for social workers, from newly qualified to advanced "
                "practitioner.",
                "Principal Social Worker",
                "Jul 2018",
                "Complete",
                "Scheme launched on 2 July.",
            ),
            B(
                "3.3",
                "Make sure every social worker has supervision at least monthly and that it is recorded on "
                "the child's file.",
                "Principal Social Worker",
                "Monthly",
                "On track",
                "Supervision recorded on time for 88% of social workers in June.",
            ),
            B(
                "3.4",
                "Hold practice weeks in which senior leaders observe practice and talk to families.",
                "Director of Children's Services",
                "Quarterly",
                "Not started",
            ),
        ),
    ),
)

KPI_GROUPS = (
    KPIGroup(
        THEMES[0].title,
        (
            KPI(
                "",
                "% of contacts with a decision within one working day",
                HEAD_SAFEGUARDING,
                "Monthly",
                "90%",
                TARGET_YEAR,
            ),
            KPI(
                "",
                "% of child protection visits within timescale",
                "Child Protection Service Manager",
                "Monthly",
                "95%",
                TARGET_YEAR,
            ),
            KPI(
                "",
                "Number of children subject to a child protection plan for more than 15 months",
                "Independent Reviewing Service Manager",
                "Quarterly",
                "10",
                TARGET_YEAR,
            ),
            KPI(
                "",
                "Average time from strategy discussion to initial child protection conference",
                HEAD_SAFEGUARDING,
                "Quarterly",
                "15 days",
                TARGET_YEAR,
            ),
        ),
    ),
    KPIGroup(
        THEMES[1].title,
        (
            KPI(
                "",
                "% of children in care with three or more placements in the year",
                HEAD_CORPORATE_PARENTING,
                "Quarterly",
                "9%",
                TARGET_YEAR,
            ),
            KPI(
                "",
                "% of children in care with an up-to-date personal education plan",
                "Virtual School Head",
                "Termly",
                "95%",
                TARGET_YEAR,
            ),
            KPI(
                "",
                "% of initial health assessments completed within 20 working days",
                "Designated Nurse for Children in Care",
                "Monthly",
                "80%",
                TARGET_YEAR,
            ),
        ),
    ),
    KPIGroup(
        THEMES[2].title,
        (
            KPI(
                "",
                "% of social worker posts filled by agency staff",
                AD_CSC,
                "Monthly",
                "18%",
                TARGET_YEAR,
            ),
            KPI("", "Social worker turnover rate", AD_CSC, "6 monthly", "15%", TARGET_YEAR),
            KPI(
                "",
                "Teams led by a permanent team manager",
                "Director of Children's Services",
                "Annually",
                "10 / 11",
                TARGET_YEAR,
            ),
        ),
    ),
)
BASELINES = ("71%", "78%", "37", "19 days", "12%", "84%", "38%", "29%", "21%", "7 / 11")

PLAN = Plan(
    stem="brackwater_2018-19_action_plan",
    authority="Brackwater",
    title="Improving Services for Children and Families Action Plan 2018/19",
    period="2018/19",
    period_start=dt.date(2018, 4, 1),
    period_end=dt.date(2019, 3, 31),
    version="Version 1.2",
    date=dt.date(2018, 7, 12),
    formats=("docx", "html"),
    legend=LEGEND,
    status_words=WORDS,
    themes=THEMES,
    kpi_groups=KPI_GROUPS,
    notes=(
        "Each action is a two-column key-value table; the theme is the outcome heading above it.",
        "Status words have no fill; their colour comes only from the bulleted status key ('On track "
        "(green)'). 'Not started' has no colour: status null, meaning not_started.",
        "Lead cells with two lines hold two leads; commas inside a role title do not split it.",
        "KPI targets are the 'Target 2018/19' column (not the baseline); target_due is the end of that "
        "year, 2019-03-31, taken from the header. KPIs have no refs.",
        "No PDF is shipped, so page is null.",
    ),
)


def action_grid(a: Action, index: int) -> Grid:
    def label(text: str):
        return cell(text, fill=HEADER_FILL, bold=True)

    rows = (
        (label("Ref"), cell(a.ref)),
        (label("Action"), cell(a.text)),
        (label("Lead officer"), cell(*a.lead_lines)),
        (label("Target date"), cell(a.due)),
        (label("Status"), cell(a.status_text)),
        (label("Progress"), cell(a.progress)),
    )
    return Grid(
        name=f"action_{a.ref}",
        rows=rows,
        col_widths=(0.2, 0.8),
        header_rows=0,
        font_size=9.5,
        row_keys=(None, f"action:{index}", None, None, None, None),
    )


def kpi_grid() -> Grid:
    rows = [header_row("Indicator", "Baseline 2017/18", "Target 2018/19", "Owner", "Reporting")]
    keys: list[str | None] = [None]
    i = 0
    for group in KPI_GROUPS:
        rows.append(
            (cell(group.theme, fill=BAND_FILL, bold=True, colspan=5), None, None, None, None)
        )
        keys.append(None)
        for k in group.kpis:
            rows.append(
                (
                    cell(k.measure),
                    cell(BASELINES[i]),
                    cell(k.target),
                    cell(k.owner),
                    cell(k.frequency),
                )
            )
            keys.append(f"kpi:{i}")
            i += 1
    return Grid(
        name="kpis",
        rows=tuple(rows),
        col_widths=(0.42, 0.12, 0.12, 0.22, 0.12),
        repeat_header=True,
        font_size=9,
        row_keys=tuple(keys),
    )


def document() -> Document:
    blocks: list = [
        Para("Brackwater County Council", "title"),
        Para("Improving Services for Children and Families", "subtitle"),
        Para("Action Plan 2018/19", "title"),
        Para("Version 1.2 – 12 July 2018"),
        Heading("Introduction"),
        Para(
            "This action plan responds to the recommendations of the monitoring visit in March 2018 and "
            "to our own self-assessment. It is organised around three outcomes for children. Each action "
            "is set out on its own, with the officer who leads it, the date by which it will be done and "
            "its current status."
        ),
        Heading("Status key"),
        Para("The status of each action is given in words:"),
        ListBlock(
            tuple(
                f"**{w.word}**" + (f" ({w.colour})" if w.colour else "") + f" – {KEY_TEXT[w.word]}"
                for w in WORDS
            )
        ),
    ]
    index = 0
    for theme in THEMES:
        blocks.append(Heading(theme.title))
        for a in theme.items:
            blocks.append(TableBlock(action_grid(a, index)))
            index += 1
    blocks += [
        Heading("Measuring success"),
        Para(
            "The Improvement Board will track the indicators below. Baselines are the outturn for "
            "2017/18."
        ),
        TableBlock(kpi_grid()),
    ]
    return Document(
        stem=PLAN.stem,
        title="Brackwater County Council – Action Plan 2018/19",
        author="Brackwater County Council",
        subject="Children's services action plan",
        landscape=False,
        header="Brackwater County Council – Action Plan 2018/19",
        footer="Version 1.2",
        created=dt.datetime(2018, 7, 12, 14, 0, 0),
        blocks=tuple(blocks),
    )
