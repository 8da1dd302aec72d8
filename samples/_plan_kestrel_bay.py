"""Layout family 4: a committee report in prose that only gives status counts.

Quirks: a report header table (Committee / Date / Subject ...); a BRAG key given
in a sentence; status counts in prose; no action table, so the plan has zero
actions and zero KPIs and its expected file records the counts.
"""

from __future__ import annotations

import datetime as dt

from _doc import Document, Grid, Heading, ListBlock, Para, TableBlock, cell
from _truth import LegendEntry, Plan

COUNTS = (("amber", 14), ("green", 27), ("red", 2), ("blue", 5))

LEGEND = (
    LegendEntry("blue", "fully completed", "complete"),
    LegendEntry("green", "progressing with no barriers", "on_track"),
    LegendEntry("amber", "more work is needed but the issue is resolvable", "at_risk"),
    LegendEntry("red", "stuck and needs senior intervention", "off_track"),
)

PLAN = Plan(
    stem="kestrel_bay_2018-19_sip_committee_report",
    authority="Kestrel Bay",
    title="Service Improvement Plan 2018-2019",
    period="2018-2019",
    period_start=dt.date(2018, 4, 1),
    period_end=dt.date(2019, 3, 31),
    version="",
    date=dt.date(2018, 10, 17),
    formats=("pdf", "docx"),
    legend=LEGEND,
    status_counts=COUNTS,
    notes=(
        "A report about a plan: no action or KPI table, only status counts in prose.",
        "The BRAG key is a sentence, not a table.",
    ),
)


def header_grid() -> Grid:
    return Grid(
        name="report_header",
        rows=(
            (cell("Committee:", bold=True), cell("Date:", bold=True)),
            (
                cell("Children's Safeguarding Scrutiny Committee – for information"),
                cell("17/10/2018"),
            ),
            (
                cell("Subject: Service Improvement Plan 2018-2019 – progress at 30 September 2018"),
                cell("Public"),
            ),
            (
                cell("Report of: Director of Children and Family Services"),
                cell("For information only"),
            ),
            (cell("Report author: Service Manager, Children's Social Care and Early Help"), cell()),
        ),
        col_widths=(0.72, 0.28),
        header_rows=1,
        font_size=10,
    )


def document() -> Document:
    counts = dict(COUNTS)
    blocks = (
        Para("Kestrel Bay Council", "title"),
        TableBlock(header_grid()),
        Heading("Summary"),
        Para(
            "The Service Improvement Plan was refreshed in April 2018 for the year to March 2019. It draws on "
            "what children, young people and parents told us in the annual consultation, on the findings of "
            "our independent case audits, on multi-agency audits and on feedback from staff."
        ),
        Para(
            "The plan keeps all five recommendations from the last inspection, so that any dip in practice is "
            "seen and acted on quickly. This report gives the position at the end of September 2018. The plan "
            "is a live document and the service manager updates it every fortnight."
        ),
        Heading("The Plan"),
        Para(
            "Each action shows where it came from, so that we can show children and partners what we did in "
            "response to what they said."
        ),
        Para(
            "Actions are given a BRAG rating: blue where the action has been fully completed, green where work "
            "is progressing with no barriers, amber where more work is needed but the issue is resolvable, and "
            "red where the action is stuck and needs senior intervention."
        ),
        Para(
            f"There are: {counts['amber']} tasks marked amber, {counts['green']} green, {counts['red']} red, "
            f"{counts['blue']} blue."
        ),
        Heading("Service capacity"),
        Para(
            "The service is small: five social workers, two early help practitioners, a team manager and a "
            "service manager. It is the right size for the number of children we support, but sickness, leave "
            "or a vacant post has a large effect on a team of this size, as do unplanned events such as the "
            "arrival of unaccompanied children or the start of care proceedings."
        ),
        Para(
            "To manage this risk the team manager and service manager cover casework when needed, and "
            "non-urgent tasks are paused in the busiest weeks. A bid has been made for a further social worker "
            "to support care leavers preparing for independence."
        ),
        Heading("Areas of progress"),
        Para(
            "Chronologies are now reviewed every month by the service manager, and the latest audit found them "
            "up to date on 11 of the 12 files sampled. Every young person who reached 18 this year has been "
            "given their health history. The two red actions both depend on partners: the health provider's "
            "recovery plan for initial health assessments and the police contribution to the MASH rota."
        ),
        Heading("Key actions for the next quarter"),
        Para(
            f"Work in the next quarter will focus on moving the {counts['amber']} amber actions to green, including:"
        ),
        ListBlock(
            (
                "working with the virtual school to widen education and employment opportunities for children "
                "in care and care leavers;",
                "relaunching the MASH with police and health partners to improve information sharing at the "
                "start of our involvement with a family;",
                "writing guidance for staff on the risk assessment tools used in child protection enquiries.",
            )
        ),
        Heading("Appendices"),
        Para("Appendix 1 – Service Improvement Plan 2018-2019"),
        Para("Service Manager, Children's Social Care and Early Help", "small"),
        Para("T: 01632 960 418 | E: childrens.services@kestrelbay.example", "small"),
    )
    return Document(
        stem=PLAN.stem,
        title="Service Improvement Plan 2018-2019 – report to Children's Safeguarding Scrutiny Committee",
        author="Kestrel Bay Council",
        subject="Committee report",
        landscape=False,
        header="Kestrel Bay Council",
        footer="Children's Safeguarding Scrutiny Committee – 17 October 2018",
        created=dt.datetime(2018, 10, 5, 11, 0, 0),
        blocks=blocks,
    )
