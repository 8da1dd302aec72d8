"""Holdout-2 layout F: ref in the LAST column, BRAG letters in brackets, a monthly KPI scorecard.

Quirks: the action table reads "Area for development | Actions | Measures of
success | Accountable | Timescale | Update | BRAG | Ref", so the ref comes last and
a "Measures of success" column sits between the action and its owner; the area is
merged down over its actions; the BRAG cell is a word with the letter in
brackets ("Some slippage (A)"), or the bracketed letter alone ("(G)"), with no
fill; the BRAG key is one sentence of bracketed letters; a timescale may be a
range ("Jun 2019 – Mar 2020": a start and a due date); the scorecard has a
two-row header, Polarity, Reported, Owner, "2019/20 target", "Stat neighbours"
and "England" columns and twelve monthly actual columns (Apr ... Mar, only half
filled); targets carry comparators and units ("≥ 85%", "< 22%", "<10",
"22 days", "42.5 per 10,000"); scorecard groups are band rows. Shipped as a
landscape PDF and as an XLSX with one sheet per table.
"""

from __future__ import annotations

import datetime as dt

from _doc import BAND_FILL, HEADER_FILL, Document, Grid, Heading, Para, TableBlock, cell
from _render_xlsx import Sheet
from _truth import KPI, Action, KPIGroup, LegendEntry, Plan, Theme

LEGEND = (
    LegendEntry("blue", "Blue – complete", "complete"),
    LegendEntry("green", "Green – on track", "on_track"),
    LegendEntry("amber", "Amber – at risk of slipping", "at_risk"),
    LegendEntry("red", "Red – off track", "off_track"),
)
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
TARGET_YEAR = "2019/20"  # the scorecard's "2019/20 target" header


def U(
    ref: str,
    text: str,
    measure: str,
    accountable: str,
    timescale: str,
    update: str,
    brag: str,
) -> Action:
    """``timescale`` "A – B" is a range: start A, due B. Leads split on " / " or " & "."""
    start, due = timescale.split(" – ") if " – " in timescale else ("", timescale)
    sep = " & " if " & " in accountable else " / "
    MEASURES[ref] = measure
    TIMESCALES[ref] = timescale
    return Action(
        ref=ref,
        text=text,
        lead=tuple(accountable.split(sep)),
        lead_sep=sep,
        start=start,
        due=_typed(due),
        status_text=brag,
        progress=update,
    )


def _typed(text: str) -> str | dt.date:
    """A dd/mm/yyyy timescale is a real date (typed as a date in the XLSX)."""
    parts = text.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    return text


MEASURES: dict[str, str] = {}
TIMESCALES: dict[str, str] = {}

THEMES = (
    Theme(
        "Consistency of threshold decisions at the front door",
        items=(
            U(
                "1.1",
                "Run a weekly multi-agency review of a sample of contacts and referrals to test "
                "threshold decisions.",
                "Review log kept; 95% of decisions agreed by partners",
                "Head of Front Door",
                "Jun 2019 – Mar 2020",
                "Reviews held weekly since June; partners agreed 93% of decisions.",
                "On track (G)",
            ),
            U(
                "1.2",
                "Refresh the threshold guidance with partners and relaunch it at four partner events.",
                "Guidance relaunched; 300 partner staff attend",
                "Safeguarding Partnership Manager",
                "Sept 2019",
                "Relaunched at four events in September with 340 staff.",
                "Complete (B)",
            ),
            U(
                "1.3",
                "Provide a consultation line for professionals that is staffed by a qualified social "
                "worker.",
                "80% of calls from professionals answered by a social worker",
                "Head of Front Door",
                "31/07/2019",
                "Line open since July; 76% of calls answered by a social worker.",
                "Some slippage (A)",
            ),
            U(
                "1.4",
                "Track repeat referrals each month and review every child referred three times in a "
                "year.",
                "Re-referral rate below 22%",
                "Performance Manager / Head of Front Door",
                "Ongoing",
                "The re-referral rate was 24% in September.",
                "(A)",
            ),
        ),
    ),
    Theme(
        "Quality of assessments and plans",
        items=(
            U(
                "2.1",
                "Introduce an assessment framework that prompts analysis and describes the child's "
                "lived experience.",
                "Audits rate 70% of assessments good or better",
                "Principal Social Worker",
                "Q2 2019/20",
                "Framework in use since August.",
                "Complete (B)",
            ),
            U(
                "2.2",
                "Train all social workers and managers in writing plans that are specific and "
                "measurable.",
                "All 160 practitioners trained",
                "Workforce Development Manager",
                "Dec 2019",
                "112 of 160 practitioners trained.",
                "On track (G)",
            ),
            U(
                "2.3",
                "Audit ten plans a month with the allocated social worker present.",
                "Monthly audit report to the Improvement Board",
                "Quality Assurance Manager",
                "Ongoing",
                "Audits held since June; the social worker was present for only half of them.",
                "Some slippage (A)",
            ),
            U(
                "2.4",
                "Introduce a pre-proceedings tracker that legal and social care managers review "
                "every month.",
                "No family in pre-proceedings for more than 16 weeks without a review",
                "Head of Children in Need & Legal Services Manager",
                "Q3 2019/20",
                "Tracker designed; the first review meeting is in November.",
                "On track (G)",
            ),
        ),
    ),
    Theme(
        "Management oversight and supervision",
        items=(
            U(
                "3.1",
                "Set a standard that every child's record shows a management decision at each key "
                "point of the child's journey.",
                "Compliance above 90% in monthly audits",
                "Assistant Director Children's Social Care",
                "Oct 2019",
                "Compliance was 78% in October.",
                "Off track (R)",
            ),
            U(
                "3.2",
                "Provide reflective supervision training for all team managers.",
                "All 26 team managers trained",
                "Principal Social Worker",
                "Nov 2019",
                "Training delivered to all 26 team managers.",
                "Complete (B)",
            ),
            U(
                "3.3",
                "Introduce a monthly supervision compliance report for each team.",
                "Report used in every team",
                "Performance Manager",
                "Jul 2019",
                "Report live since July.",
                "Complete (B)",
            ),
            U(
                "3.4",
                "Hold practice review days with the heads of service every quarter.",
                "Four review days held each year",
                "Assistant Director Children's Social Care",
                "Quarterly",
                "Review days held in July and October.",
                "(G)",
            ),
        ),
    ),
    Theme(
        "Permanence for children in care",
        items=(
            U(
                "4.1",
                "Make sure every child has a permanence plan by their second statutory review.",
                "95% of children have a permanence plan at their second review",
                "Head of Children in Care",
                "31/12/2019",
                "88% of children had a plan at their second review in October.",
                "Some slippage (A)",
            ),
            U(
                "4.2",
                "Increase the number of the council's own foster carers by 15 households.",
                "15 additional households approved",
                "Fostering Service Manager",
                "Apr 2019 – Mar 2020",
                "Seven households approved so far.",
                "Off track (R)",
            ),
            U(
                "4.3",
                "Hold a placement stability meeting for any child who has moved placement twice in "
                "a year.",
                "Fewer than 10% of children have three or more moves",
                "Head of Children in Care",
                "Aug 2019",
                "Meetings in place since August.",
                "Complete (B)",
            ),
            U(
                "4.4",
                "Review all children placed with parents on care orders and apply to discharge the "
                "orders where appropriate.",
                "Every placement with parents reviewed",
                "Head of Children in Care / Legal Services Manager",
                "2020",
                "Reviews complete for 11 of 30 children.",
                "On track (G)",
            ),
        ),
    ),
    Theme(
        "Accommodation and work for care leavers",
        items=(
            U(
                "5.1",
                "Open a supported lodgings scheme with 12 placements.",
                "12 placements available",
                "Leaving Care Manager",
                "Mar 2020",
                "Eight hosts approved.",
                "On track (G)",
            ),
            U(
                "5.2",
                "Offer every care leaver a review of their pathway plan every six months.",
                "95% of pathway plans reviewed on time",
                "Leaving Care Manager",
                "Ongoing",
                "",
                "",
            ),
            U(
                "5.3",
                "Create ten apprenticeships for care leavers with the council and its partners.",
                "Ten care leavers start an apprenticeship",
                "Head of Employment and Skills",
                "Jan 2020",
                "Four apprenticeships created.",
                "Off track (R)",
            ),
            U(
                "5.4",
                "Publish the local offer for care leavers with the Children in Care Council.",
                "Local offer published",
                "Participation Manager",
                "Jun-19",
                "Published in June 2019.",
                "Complete (B)",
            ),
        ),
    ),
)


def K(
    ref: str,
    measure: str,
    polarity: str,
    reported: str,
    owner: str,
    target: str,
    neighbours: str,
    england: str,
    actuals: tuple[str, ...],
) -> KPI:
    SCORECARD[ref] = (polarity, neighbours, england, actuals)
    return KPI(
        ref=ref, measure=measure, owner=owner, frequency=reported, target=target, due=TARGET_YEAR
    )


# ref -> (polarity, stat neighbours, England, monthly actuals Apr..)
SCORECARD: dict[str, tuple[str, str, str, tuple[str, ...]]] = {}
HIGHER, LOWER = "Higher is better", "Lower is better"
Q = ""  # a month with no figure

KPI_GROUPS = (
    KPIGroup(
        "Help and protection",
        (
            K(
                "HP1",
                "Contacts with a decision within one working day",
                HIGHER,
                "Monthly",
                "Head of Front Door",
                "≥ 85%",
                "83.1%",
                "86.0%",
                ("79%", "81%", "84%", "86%", "88%", "87%"),
            ),
            K(
                "HP2",
                "Re-referrals within 12 months of a previous referral",
                LOWER,
                "Monthly",
                "Head of Front Door",
                "< 22%",
                "21.4%",
                "22.6%",
                ("26%", "25%", "25%", "24%", "23%", "24%"),
            ),
            K(
                "HP3",
                "Assessments completed within 45 working days",
                HIGHER,
                "Monthly",
                "Head of Children in Need",
                "90%",
                "84.0%",
                "83.1%",
                ("72%", "75%", "79%", "81%", "80%", "84%"),
            ),
            K(
                "HP4",
                "Children becoming subject to a child protection plan for a second or subsequent "
                "time",
                LOWER,
                "Quarterly",
                "Head of Safeguarding",
                "≤ 18%",
                "19.5%",
                "20.8%",
                (Q, Q, "23%", Q, Q, "21%"),
            ),
            K(
                "HP5",
                "Rate of children subject to a child protection plan per 10,000 children",
                LOWER,
                "Monthly",
                "Head of Safeguarding",
                "42.5 per 10,000",
                "45.1",
                "43.7",
                ("51.2", "50.4", "49.8", "48.1", "47.6", "46.9"),
            ),
            K(
                "HP6",
                "Average days from strategy discussion to initial child protection conference",
                LOWER,
                "Monthly",
                "Head of Safeguarding",
                "22 days",
                "19",
                "18",
                ("31", "29", "27", "26", "24", "25"),
            ),
        ),
    ),
    KPIGroup(
        "Children in care",
        (
            K(
                "CC1",
                "Children in care with three or more placements in the year",
                LOWER,
                "Monthly",
                "Head of Children in Care",
                "≤ 10%",
                "10.2%",
                "10.0%",
                ("12%", "12%", "11%", "11%", "10%", "11%"),
            ),
            K(
                "CC2",
                "Children in care with an up-to-date health assessment",
                HIGHER,
                "Monthly",
                "Head of Children in Care",
                "90%",
                "88.0%",
                "89.5%",
                ("71%", "74%", "78%", "80%", "84%", "86%"),
            ),
            K(
                "CC3",
                "Episodes of children going missing from care in the month",
                LOWER,
                "Monthly",
                "Head of Children in Care",
                "<10",
                "12",
                "—",
                ("17", "14", "15", "11", "12", "9"),
            ),
        ),
    ),
    KPIGroup(
        "Care leavers and workforce",
        (
            K(
                "CL1",
                "Care leavers aged 19 to 21 in education, employment or training",
                HIGHER,
                "Quarterly",
                "Leaving Care Manager",
                "≥ 60%",
                "52.0%",
                "53.0%",
                (Q, Q, "49%", Q, Q, "53%"),
            ),
            K(
                "CL2",
                "Care leavers aged 19 to 21 in suitable accommodation",
                HIGHER,
                "Quarterly",
                "Leaving Care Manager",
                "90%",
                "84.0%",
                "85.0%",
                (Q, Q, "86%", Q, Q, "88%"),
            ),
            K(
                "WF1",
                "Social worker vacancy rate",
                LOWER,
                "Quarterly",
                "Workforce Development Manager",
                "< 15%",
                "16.4%",
                "16.0%",
                (Q, Q, "21%", Q, Q, "19%"),
            ),
            K(
                "WF2",
                "Average number of children per social worker",
                LOWER,
                "Monthly",
                "Assistant Director Children's Social Care",
                "18",
                "16.5",
                "16.9",
                ("23", "22", "22", "21", "21", "20"),
            ),
        ),
    ),
)

PLAN = Plan(
    stem="ulverdale_2019-20_action_plan_scorecard",
    authority="Ulverdale",
    title="Children's Services Improvement Plan 2019/20",
    period="2019/20",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2020, 3, 31),
    version="Version 4",
    date=dt.date(2019, 10, 31),
    formats=("pdf", "xlsx"),
    legend=LEGEND,
    themes=THEMES,
    kpi_groups=KPI_GROUPS,
    notes=(
        "The ref is the LAST column; 'Measures of success' is neither the action nor progress.",
        "BRAG is a word with the letter in brackets, or the bracketed letter alone; no fills. The key "
        "is one sentence and gives the common reading. 5.2 is not rated (status null, unknown).",
        "A timescale 'Jun 2019 – Mar 2020' gives start 2019-06-01 and due 2020-03-31; 'Ongoing' and "
        "'Quarterly' give no date; dd/mm/yyyy timescales are real dates in the XLSX.",
        "Scorecard: the target is the '2019/20 target' column, not 'Stat neighbours' or 'England'; "
        "target_due is the end of 2019/20 (from the header); frequency is the 'Reported' column. "
        "'≥ 85%' is 85 percent, '<10' is 10 count, '42.5 per 10,000' is 42.5 'per_10000'.",
        "The month columns (Apr ... Mar) are actuals, not dates or targets.",
        "page is the PDF page of the row's first line.",
    ),
)


def _header(text: str, **kw):
    return cell(text, fill=HEADER_FILL, bold=True, **kw)


def _timescale_cell(a: Action):
    """The whole written timescale (a range shows both ends); a full date is typed."""
    return cell(TIMESCALES[a.ref], value=a.due if isinstance(a.due, dt.date) else None)


def action_grid() -> Grid:
    labels = (
        "Area for development",
        "Actions",
        "Measures of success",
        "Accountable",
        "Timescale",
        "Update",
        "BRAG",
        "Ref",
    )
    rows = [tuple(_header(t) for t in labels)]
    keys: list[str | None] = [None]
    i = 0
    for theme in THEMES:
        for j, a in enumerate(theme.items):
            rows.append(
                (
                    cell(theme.title, rowspan=len(theme.items), bold=True) if j == 0 else None,
                    cell(a.text),
                    cell(MEASURES[a.ref]),
                    cell(a.lead_raw),
                    _timescale_cell(a),
                    cell(a.progress),
                    cell(a.status_text),
                    cell(a.ref),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="actions",
        rows=tuple(rows),
        col_widths=(0.12, 0.24, 0.15, 0.12, 0.08, 0.17, 0.07, 0.05),
        repeat_header=True,
        font_size=7.5,
        row_keys=tuple(keys),
        xlsx_sheet="Action plan",
    )


FIXED = ("Ref", "Indicator", "Polarity", "Reported", "Owner", "2019/20 target")
COMPARATORS = ("Stat neighbours", "England")


def scorecard_grid() -> Grid:
    n_fixed = len(FIXED) + len(COMPARATORS)
    top = [_header(t, rowspan=2) for t in (*FIXED, *COMPARATORS)]
    top += [_header("Actual 2019/20", colspan=len(MONTHS))] + [None] * (len(MONTHS) - 1)
    second: list = [None] * n_fixed + [_header(m) for m in MONTHS]
    rows = [tuple(top), tuple(second)]
    keys: list[str | None] = [None, None]
    i = 0
    width = n_fixed + len(MONTHS)
    for group in KPI_GROUPS:
        rows.append(
            (cell(group.theme, fill=BAND_FILL, bold=True, colspan=width),) + (None,) * (width - 1)
        )
        keys.append(None)
        for k in group.kpis:
            polarity, neighbours, england, actuals = SCORECARD[k.ref]
            months = [*actuals, *[""] * (len(MONTHS) - len(actuals))]
            rows.append(
                (
                    cell(k.ref),
                    cell(k.measure),
                    cell(polarity),
                    cell(k.frequency),
                    cell(k.owner),
                    cell(k.target, bold=True),
                    cell(neighbours),
                    cell(england),
                    *(cell(m) for m in months),
                )
            )
            keys.append(f"kpi:{i}")
            i += 1
    month_w = 0.034
    return Grid(
        name="scorecard",
        rows=tuple(rows),
        col_widths=(0.035, 0.2, 0.065, 0.055, 0.09, 0.05, 0.05, 0.047) + (month_w,) * len(MONTHS),
        header_rows=2,
        repeat_header=True,
        font_size=6.5,
        row_keys=tuple(keys),
        xlsx_sheet="Scorecard",
    )


KEY_SENTENCE = (
    "BRAG key: (B) Blue – complete; (G) Green – on track; (A) Amber – at risk of slipping; "
    "(R) Red – off track."
)


def xlsx_sheets() -> list[Sheet]:
    return [
        Sheet(
            "Action plan",
            (
                "Ulverdale County Council – Children's Services Improvement Plan 2019/20",
                "Position at 31 October 2019 – Version 4",
                KEY_SENTENCE,
            ),
            action_grid(),
            total_width=200,
        ),
        Sheet(
            "Scorecard",
            ("Performance scorecard 2019/20", "Figures to the end of September 2019"),
            scorecard_grid(),
            total_width=260,
        ),
    ]


def document() -> Document:
    blocks = (
        Para("Ulverdale County Council", "title"),
        Para("Children's Services Improvement Plan 2019/20", "subtitle"),
        Para("Action plan and performance scorecard – position at 31 October 2019 (Version 4)"),
        Para(
            "The plan sets out the actions we are taking on each area for development identified at "
            "the inspection, and the scorecard the Improvement Board uses to judge their impact."
        ),
        Para(KEY_SENTENCE),
        Heading("Action plan"),
        TableBlock(action_grid()),
        Heading("Performance scorecard 2019/20"),
        Para(
            "Monthly figures to the end of September 2019. Quarterly measures are reported in June, "
            "September, December and March."
        ),
        TableBlock(scorecard_grid()),
    )
    return Document(
        stem=PLAN.stem,
        title="Ulverdale County Council – Children's Services Improvement Plan 2019/20",
        author="Ulverdale County Council",
        subject="Action plan and scorecard",
        landscape=True,
        header="Ulverdale County Council – Improvement Plan 2019/20",
        footer="Version 4 – 31 October 2019",
        created=dt.datetime(2019, 10, 31, 12, 0, 0),
        blocks=blocks,
    )
