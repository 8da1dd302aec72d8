"""Layout family 3: a RAG summary sheet with milestone month columns.

Quirks: a two-row header whose second row names the months under a merged
"NEXT KEY MILESTONES"; workstream title rows spanning every column; RAG given
as a letter on a fill for some rows and as a bare fill for others; milestones
"03 Dec - ..." whose year follows the sheet date (January is the next year);
several milestones in one cell; a RAG criteria list after the table; an
outcomes-to-measures table with the outcome merged down and measures that have
no targets; landscape pages.
"""

from __future__ import annotations

import datetime as dt

from _doc import (
    BAND_FILL,
    HEADER_FILL,
    Document,
    Grid,
    GridCell,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    TableBlock,
    cell,
    header_row,
)
from _truth import KPI, Action, KPIGroup, LegendEntry, Milestone, Plan, Theme

RED, AMBER, GREEN = "#FF0000", "#FFC000", "#00B050"
FILLS = {"R": RED, "A": AMBER, "G": GREEN}
MONTH1, MONTH2 = "December", "January"


def W(ref: str, text: str, rag: str, commentary: str = "", dec: str = "", jan: str = "") -> Action:
    """A workstream row. ``rag`` is "G" (letter on fill) or "g" (fill only); milestones
    are "when - text" lines separated by "|"."""
    milestones = []
    for column, cell_text in ((MONTH1, dec), (MONTH2, jan)):
        for line in filter(None, (s.strip() for s in cell_text.split("|"))):
            when, _, what = line.partition(" - ")
            milestones.append(Milestone(column, when.strip(), what.strip()))
    return Action(
        ref=ref,
        text=text,
        status_text=rag if rag.isupper() else "",
        fill=FILLS[rag.upper()],
        progress=commentary,
        milestones=tuple(milestones),
    )


THEMES = (
    Theme(
        "1 Strengthen the Front Door",
        items=(
            W(
                "1.1",
                "Multi-Agency Safeguarding Hub redesign",
                "G",
                "",
                "03 Dec - New MASH operating model goes live | 17 Dec - Education adviser joins the hub",
                "21 Jan - First monthly MASH performance report to the Improvement Board",
            ),
            W(
                "1.2",
                "Threshold guidance refresh",
                "a",
                "Draft agreed by partners; launch moved to align with the partnership's new website",
                "14 Dec - Threshold guidance signed off by the Safeguarding Partnership Board",
                "Jan - Locality briefings for schools and GP practices",
            ),
            W(
                "1.3",
                "Domestic abuse notification triage",
                "R",
                "No agreed lead in the police; resources not yet confirmed",
                "TBC",
                "TBC",
            ),
            W(
                "1.4",
                "Out-of-hours service review",
                "g",
                "",
                "",
                "31 Jan - Options appraisal to the Leadership Team",
            ),
        ),
    ),
    Theme(
        "2 Improve the Quality of Practice",
        items=(
            W(
                "2.1",
                "Practice standards and practice guidance",
                "G",
                "",
                "10 Dec - Practice guidance web pages published",
                "28 Jan - Compliance audit of visits and supervision",
            ),
            W(
                "2.2",
                "Assessment quality programme",
                "A",
                "Training provider identified; dates not yet confirmed",
                "12 Dec - Contract awarded for assessment training",
                "Jan - First training cohort starts",
            ),
            W(
                "2.3",
                "Social work practice model",
                "R",
                "Model not yet chosen; scope and resources still to be agreed",
                "06 Dec - Practice model options paper to the Directorate Management Team",
                "TBC",
            ),
            W(
                "2.4",
                "Supervision policy",
                "G",
                "",
                "01 Dec - Revised supervision policy in force",
                "15 Jan - First audit of supervision records",
            ),
            W(
                "2.5",
                "Child in need framework",
                "a",
                "Capacity in the child in need teams is limiting pace",
                "20 Dec - Child in need review panel established",
                "",
            ),
        ),
    ),
    Theme(
        "3 Quality Assurance and Performance",
        items=(
            W(
                "3.1",
                "Case audit programme",
                "G",
                "",
                "05 Dec - Thematic audit of neglect cases",
                "09 Jan - Quarterly quality assurance report to the Improvement Board",
            ),
            W(
                "3.2",
                "Independent reviewing service",
                "A",
                "New service manager starts in January; caseloads of reviewing officers remain high",
                "",
                "07 Jan - Service manager in post | 25 Jan - Review of reviewing officer caseloads complete",
            ),
            W(
                "3.3",
                "Performance dashboards",
                "R",
                "Data warehouse changes delayed by the system upgrade; no revised plan yet",
                "18 Dec - Revised delivery plan agreed with ICT",
                "TBC",
            ),
        ),
    ),
    Theme(
        "4 Hear the Voice of the Child",
        items=(
            W(
                "4.1",
                "Feedback from children and families",
                "G",
                "",
                "13 Dec - Case closure survey launched",
                "",
            ),
            W(
                "4.2",
                "Advocacy and independent visitors",
                "A",
                "Contract extended to June; retender timetable under review",
                "19 Dec - Tender documents issued",
                "30 Jan - Tender evaluation",
            ),
            W(
                "4.3",
                "Children in Care Council",
                "g",
                "",
                "11 Dec - Winter event and review of the pledge",
                "24 Jan - Council meets the Corporate Parenting Panel",
            ),
            W(
                "4.4",
                "Life story work",
                "r",
                "Backlog of 64 children; no dedicated capacity identified",
                "TBC",
                "",
            ),
        ),
    ),
    Theme(
        "5 Children in Care and Care Leavers",
        items=(
            W(
                "5.1",
                "Placement sufficiency strategy",
                "A",
                "Strategy drafted; cost model still being tested",
                "20 Dec - Sufficiency strategy to Cabinet",
                "",
            ),
            W(
                "5.2",
                "Care leavers' local offer",
                "G",
                "",
                "01 Dec - Local offer published | 14 Dec - Council tax exemption agreed",
                "Jan - Launch event with young people",
            ),
            W(
                "5.3",
                "Health assessments for children in care",
                "A",
                "Vacancies in the health provider are affecting timeliness",
                "31 Dec - Recovery plan agreed with the health provider",
                "31 Jan - Backlog of review health assessments cleared",
            ),
            W(
                "5.4",
                "Virtual school and personal education plans",
                "G",
                "",
                "07 Dec - Electronic PEP training for designated teachers",
                "08 Jan - Electronic PEP system live",
            ),
        ),
    ),
    Theme(
        "6 Permanence and Court Work",
        items=(
            W(
                "6.1",
                "Pre-proceedings tracking (Public Law Outline)",
                "G",
                "",
                "04 Dec - Tracker in use in all teams",
                "22 Jan - First performance review at the legal gateway panel",
            ),
            W(
                "6.2",
                "Quality of court statements",
                "A",
                "Training agreed with legal services; dates awaited",
                "",
                "16 Jan - Statement writing workshop",
            ),
            W(
                "6.3",
                "Review of children accommodated under section 20",
                "g",
                "",
                "21 Dec - Audit of section 20 arrangements complete",
                "Jan - Findings reported to the Improvement Board",
            ),
        ),
    ),
)

CRITERIA = (
    "A clear scope (critical)",
    "Resources identified",
    "Resources in place",
    "A delivery plan with milestones",
    "Timescales that keep pace with the programme",
)
LEGEND = (
    LegendEntry("green", "all criteria are met", "on_track", GREEN),
    LegendEntry("amber", "one criterion is not met", "at_risk", AMBER),
    LegendEntry(
        "red", "two or more criteria are not met, or there is no clear scope", "off_track", RED
    ),
)

R1 = "1. Make sure that thresholds are understood and applied consistently by all partner agencies."
R2 = "2. Make sure that strategy discussions involve all relevant agencies."
R3 = "3. Improve the quality of assessments and plans so that they are specific and reviewed regularly."
R4 = "4. Make sure that children's views are recorded and inform their plans."
R5 = "5. Increase the range of placements so that more children live close to home."
R6 = "6. Improve the timeliness of health assessments for children in care."
R7 = "7. Improve support to care leavers to enter education, employment or training."
R8 = "8. Reduce delay for children in pre-proceedings and care proceedings."
R9 = "9. Review the arrangements for all children accommodated under section 20."

OUTCOMES = (
    KPIGroup(
        "Outcome 1 - Children get the right help at the right time from the front door",
        (
            KPI("", "% of contacts with a decision within 24 hours", recommendation=R1),
            KPI("", "% of referrals that are re-referrals within 12 months", recommendation=R1),
            KPI(
                "", "% of strategy discussions that include health and education", recommendation=R2
            ),
            KPI("", "Number of contacts resulting in no further action"),
        ),
    ),
    KPIGroup(
        "Outcome 2 - Practice is consistently good and well managed",
        (
            KPI("", "% of case audits rated good or better", recommendation=R3),
            KPI("", "% of assessments completed within 45 working days", recommendation=R3),
            KPI("", "% of children seen alone at their last statutory visit", recommendation=R4),
            KPI("", "% of supervision records meeting the standard"),
        ),
    ),
    KPIGroup(
        "Outcome 3 - Children in care and care leavers do well",
        (
            KPI(
                "",
                "% of children in care with three or more placements in 12 months",
                recommendation=R5,
            ),
            KPI(
                "",
                "% of initial health assessments completed within 20 working days",
                recommendation=R6,
            ),
            KPI("", "% of care leavers in education, employment or training", recommendation=R7),
            KPI("", "Number of care leavers in unsuitable accommodation"),
        ),
    ),
    KPIGroup(
        "Outcome 4 - Children achieve permanence without delay",
        (
            KPI("", "Average weeks to complete care proceedings", recommendation=R8),
            KPI("", "% of children in care with a permanence plan by the second review"),
            KPI(
                "",
                "Number of children accommodated under section 20 for more than six months",
                recommendation=R9,
            ),
        ),
    ),
)

PLAN = Plan(
    stem="eastmarsh_2018-19_rag_summary",
    authority="Eastmarsh",
    title="Children's Social Care Improvement Programme 2018/19 – RAG Summary Sheet",
    period="2018/19",
    period_start=dt.date(2018, 4, 1),
    period_end=dt.date(2019, 3, 31),
    version="v0.4",
    date=dt.date(2018, 11, 23),
    formats=("pdf", "docx", "txt"),
    legend=LEGEND,
    legend_criteria=CRITERIA,
    themes=THEMES,
    kpi_groups=OUTCOMES,
    as_of=dt.date(2018, 11, 23),
    no_fill_formats=("txt",),
    notes=(
        "Workstream rows carry no lead and no due date; their dates are the milestones.",
        "RAG is a letter on a fill for some rows and a bare fill for others; the txt export keeps only "
        "the letters.",
        "Milestone dates without a year follow the sheet date (23 November 2018): January is 2019; a "
        "month without a day is its last day; TBC gives no date.",
        "The outcome measures are KPIs with no owner, frequency or target.",
    ),
)


def summary_grid() -> Grid:
    def head(text: str, **kw) -> GridCell:
        return cell(text, fill=HEADER_FILL, bold=True, **kw)

    rows: list[tuple[GridCell | None, ...]] = [
        (
            head("REF", rowspan=2),
            head("WORKSTREAM DETAIL", rowspan=2),
            head("RAG", rowspan=2),
            head("COMMENTARY", rowspan=2),
            head("NEXT KEY MILESTONES", colspan=2),
            None,
        ),
        (None, None, None, None, *header_row(MONTH1, MONTH2)),
    ]
    keys: list[str | None] = [None, None]
    i = 0
    for theme in THEMES:
        rows.append(
            (cell(theme.title, fill=BAND_FILL, bold=True, colspan=6), None, None, None, None, None)
        )
        keys.append(None)
        for a in theme.items:
            by_month = {
                m: [ms.written for ms in a.milestones if ms.column == m] for m in (MONTH1, MONTH2)
            }
            rows.append(
                (
                    cell(a.ref),
                    cell(a.text),
                    cell(a.status_text, fill=a.fill, bold=True),
                    cell(a.progress),
                    cell(*by_month[MONTH1]),
                    cell(*by_month[MONTH2]),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="summary",
        rows=tuple(rows),
        col_widths=(0.05, 0.19, 0.05, 0.23, 0.24, 0.24),
        header_rows=2,
        repeat_header=True,
        font_size=8,
        row_keys=tuple(keys),
        txt_repeat_header_before=(17,),
    )


def outcomes_grid() -> Grid:
    rows = [
        header_row(
            "Improvement Programme Outcomes", "Outcome measures", "Linked Ofsted recommendation"
        )
    ]
    keys: list[str | None] = [None]
    i = 0
    for group in OUTCOMES:
        kpis = group.kpis
        for j, k in enumerate(kpis):
            outcome = cell(group.theme, rowspan=len(kpis)) if j == 0 else None
            # A recommendation repeated on consecutive rows is one merged cell.
            if j > 0 and k.recommendation and kpis[j - 1].recommendation == k.recommendation:
                rec = None
            else:
                span = 1
                while (
                    k.recommendation
                    and j + span < len(kpis)
                    and kpis[j + span].recommendation == k.recommendation
                ):
                    span += 1
                rec = cell(k.recommendation, rowspan=span)
            rows.append((outcome, cell(k.measure), rec))
            keys.append(f"kpi:{i}")
            i += 1
    return Grid(
        name="outcomes",
        rows=tuple(rows),
        col_widths=(0.3, 0.35, 0.35),
        repeat_header=True,
        font_size=8.5,
        row_keys=tuple(keys),
    )


def document() -> Document:
    blocks = (
        Para("Eastmarsh Borough Council", "title"),
        Para("Children's Social Care Improvement Programme 2018/19", "subtitle"),
        Para("RAG Summary Sheet – position at 23 November 2018 (v0.4)"),
        Para(
            "This summary sheet gives the Improvement Board an at-a-glance view of every workstream in the "
            "programme. Each workstream is rated **red, amber or green** against the criteria set out after "
            "the table, and the next key milestones are shown for the coming two months. The Board's focus is "
            "on workstreams rated red, to understand what is stopping progress and how it can help."
        ),
        TableBlock(summary_grid()),
        Para("Accurate when produced on 23/11/2018", "small"),
        Para("**RAG criteria:**"),
        ListBlock(CRITERIA),
        Para("**RAG rating:**"),
        ListBlock(
            (
                "To rate a workstream **green**, all criteria are met",
                "To rate a workstream **amber**, one criterion is not met",
                "To rate a workstream **red**, two or more criteria are not met, or there is no clear scope",
            )
        ),
        PageBreak(),
        Heading("Improvement Programme Outcomes and Measures linked to Ofsted Recommendations"),
        Para(
            "The measures below will show whether the programme is improving children's experiences. "
            "Targets will be agreed by the Improvement Board once a full year of baseline data is available."
        ),
        TableBlock(outcomes_grid()),
    )
    return Document(
        stem=PLAN.stem,
        title="Eastmarsh Borough Council – Improvement Programme RAG Summary Sheet, November 2018",
        author="Eastmarsh Borough Council Children's Services",
        subject="Improvement programme RAG summary",
        landscape=True,
        header="Eastmarsh Borough Council – Children's Social Care Improvement Programme",
        footer="RAG Summary Sheet – November 2018",
        created=dt.datetime(2018, 11, 23, 16, 30, 0),
        blocks=blocks,
    )
