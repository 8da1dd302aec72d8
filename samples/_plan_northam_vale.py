"""Layout family 2: numbered themes, x.y objectives over x.y.z actions, status as a bare fill.

Quirks: a RAG legend whose GREEN means completed and AMBER on track; BLUE means
not yet started; an abbreviation key; leads like "EDCYP/HFS" and two role titles
run together on separate lines; mixed due-date forms; the status cell is a fill
with no text; theme tables break across pages without a repeated header and let
rows split over the break; a KPI table grouped under theme rows.
"""

from __future__ import annotations

import datetime as dt

from _doc import (
    BAND_FILL,
    Document,
    Grid,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    TableBlock,
    bullets,
    cell,
    header_row,
)
from _truth import KPI, Action, KPIGroup, LegendEntry, Objective, Plan, Theme

RED, RED2, AMBER, GREEN, GREEN2, BLUE = (
    "#FF0000",
    "#C00000",
    "#FFC000",
    "#00B050",
    "#92D050",
    "#0070C0",
)
HCIC_FULL = "Head of Children in Care and Care Leavers"
HFS_FULL = "Head of Family Safeguarding"

GLOSSARY = (
    ("EDCYP", "Executive Director CYP"),
    ("ADSC", "Assistant Director Social Care"),
    ("HFS", HFS_FULL),
    ("HCIC", HCIC_FULL),
    ("HEH", "Head of Early Help"),
    ("PSW", "Principal Social Worker"),
    ("VSH", "Virtual School Head"),
    ("QAM", "Quality Assurance Manager"),
    ("SMPI", "Service Manager Performance and Intelligence"),
    ("HRBP", "HR Business Partner"),
    ("NVSCP", "Northam Vale Safeguarding Children Partnership"),
    ("MASH", "Multi-Agency Safeguarding Hub"),
    ("PLO", "Public Law Outline"),
    ("PEP", "Personal Education Plan"),
)

LEGEND = (
    LegendEntry(
        "red",
        "Action not delivered or the timescale has slipped; the Improvement Board agrees a recovery plan",
        "off_track",
        RED,
    ),
    LegendEntry(
        "amber",
        "Work is under way and on track; milestones met but the action is not yet complete",
        "on_track",
        AMBER,
    ),
    LegendEntry(
        "green",
        "Action completed and its impact evidenced through audit or performance data",
        "complete",
        GREEN,
    ),
    LegendEntry(
        "blue",
        "Action not yet started; its start date falls later in the plan year",
        "not_started",
        BLUE,
    ),
)


def A(
    ref: str, text: str, kpi: str, due: str, lead: tuple[str, ...], fill: str | None, **kw
) -> Action:
    return Action(ref=ref, text=text, kpi_refs=kpi, due=due, lead=lead, fill=fill, **kw)


THEMES = (
    Theme(
        "Theme 1: Quality of Social Work Practice",
        "Every child has a timely assessment that analyses risk and need, and a SMART plan that is reviewed "
        "regularly. Management oversight and the reasons for decisions are recorded on every child's file.",
        (
            Objective("1.1", "Embed the practice standards"),
            A(
                "1.1.1",
                "Publish revised practice standards for assessment, planning and case recording and brief every "
                "team through practice workshops led by the Principal Social Worker.",
                "1a, 1b",
                "Sep 2017",
                ("PSW",),
                GREEN,
            ),
            A(
                "1.1.2",
                "Introduce a monthly practice week in which every manager audits two children's files against the "
                "standards and moderates one audit completed in another team.",
                "1a",
                "Report quarterly",
                ("QAM",),
                AMBER,
            ),
            A(
                "1.1.3",
                "Produce a quarterly learning briefing drawing on audit findings, case reviews and complaints, and "
                "track the actions agreed with team managers until they are complete.",
                "1a",
                "Report quarterly",
                ("QAM", "PSW"),
                AMBER,
            ),
            Objective("1.2", "Improve the quality and timeliness of assessments and plans"),
            A(
                "1.2.1",
                "Strengthen assessments so that they draw on the family's history, the child's daily lived "
                "experience and the views of partner agencies, and end with a clear analysis of risk and of what "
                "needs to change. Assessments for brothers and sisters will consider each child separately, and "
                "managers will not sign off an assessment that does not record the child's own words or, for a "
                "child too young to speak, observations of the child with their carers. The standard will be "
                "tested through the monthly practice week and through a themed audit of assessments completed in "
                "the assessment teams during the autumn, with findings reported to the Improvement Board.",
                "1a, 2",
                "Dec 2017",
                (HFS_FULL, HCIC_FULL),
                AMBER,
                lead_sep="\n",
            ),
            A(
                "1.2.2",
                "Ensure every child in need, child protection and care plan is SMART, outcome-focused and written "
                "in language the family can understand. Training for social workers and managers will cover:",
                "1b, 1c",
                "Mar -18",
                ("HFS", "HCIC"),
                RED2,
                bullets=(
                    "writing outcomes with the family, not for them",
                    "contingency planning when a plan is not working",
                    "plans for brothers and sisters who are placed apart",
                ),
            ),
            A(
                "1.2.3",
                "Review the use of chronologies and introduce a single chronology template on the case recording "
                "system, pre-populated from key events already recorded.",
                "1a",
                "Nov 2017",
                ("SMPI",),
                GREEN2,
            ),
            Objective("1.3", "Strengthen management oversight"),
            A(
                "1.3.1",
                "Introduce a supervision recording template that shows reflection, decisions and timescales, and "
                "audit compliance with the supervision policy every quarter.",
                "3",
                "Oct 2017",
                ("ADSC",),
                GREEN,
            ),
            A(
                "1.3.2",
                "Train all team managers in reflective supervision and in using the weekly performance reports to "
                "spot drift and delay for individual children.",
                "3",
                "Q3 2017/18",
                ("PSW",),
                AMBER,
            ),
        ),
    ),
    Theme(
        "Theme 2: Children in Need of Help and Protection",
        "Children get the right help at the right time. Thresholds are understood across the partnership, and "
        "decisions at the front door are timely, proportionate and well recorded.",
        (
            Objective("2.1", "Apply thresholds consistently"),
            A(
                "2.1.1",
                "Relaunch the threshold document with partners through the NVSCP and deliver multi-agency briefings "
                "in each of the four localities.",
                "4a",
                "Oct 2017",
                ("NVSCP",),
                GREEN,
            ),
            A(
                "2.1.2",
                "Audit a sample of contacts each month to test threshold decisions, and share the findings with "
                "the agencies that made the referrals.",
                "4a, 4b",
                "Report quarterly",
                ("HFS",),
                AMBER,
            ),
            Objective("2.2", "Develop the Multi-Agency Safeguarding Hub"),
            A(
                "2.2.1",
                "Agree a MASH information-sharing protocol with police, health and schools, and co-locate a health "
                "practitioner and an education officer in the hub.",
                "4b",
                "Dec 2017",
                ("EDCYP", "HFS"),
                AMBER,
            ),
            A(
                "2.2.2",
                "Review the handling of police domestic abuse notifications so that a decision is made within 24 "
                "hours and repeat notifications lead to a strategy discussion.",
                "4c",
                "Jan 2018",
                ("HFS",),
                RED,
            ),
            A(
                "2.2.3",
                "Evaluate the MASH after six months of operation and report the findings to the Improvement Board.",
                "4a",
                "TBC",
                ("ADSC",),
                BLUE,
            ),
            Objective("2.3", "Tackle drift for children on long-term plans"),
            A(
                "2.3.1",
                "Review every child protection plan lasting more than 18 months and every child in need plan open "
                "for more than two years, with a clear decision recorded for each child.",
                "5a, 5b",
                "Nov 2017",
                ("HFS",),
                GREEN,
            ),
            A(
                "2.3.2",
                "Introduce a tracker for pre-proceedings work under the PLO so that no family waits more than 16 "
                "weeks for a decision about proceedings.",
                "5c",
                "Q3 2017/18",
                ("Service Manager Court and Pre-proceedings",),
                AMBER,
            ),
            A(
                "2.3.3",
                "Commission an independent return home interview service for children missing from home or care, "
                "with information shared with the police and the exploitation panel.",
                "6",
                "31/03/2018",
                ("HEH",),
                BLUE,
            ),
        ),
    ),
    Theme(
        "Theme 3: Children in Care",
        "Children in care live in stable homes that meet their needs, do well at school and are helped to keep "
        "in touch with the people who matter to them. Plans for permanence are made early, and no child waits "
        "longer than they need to for a permanent home, whether that is with their own family, with relatives, "
        "through long-term fostering or through adoption.",
        (
            Objective("3.1", "Improve placement stability and sufficiency"),
            A(
                "3.1.1",
                "Publish a sufficiency strategy setting out the number and type of foster homes and residential "
                "places needed over the next three years.",
                "7a",
                "Sep 2017",
                ("HCIC",),
                GREEN,
            ),
            A(
                "3.1.2",
                "Launch a foster carer recruitment campaign with a revised fees and allowances scheme and a "
                "skills-based payment structure for carers of teenagers. The campaign will use carers' own stories, "
                "information evenings in each locality and a single telephone line, so that every enquiry gets a "
                "call back within two working days and a visit within two weeks. Assessments will be completed "
                "within six months, and the fostering panel will add extra dates so that approvals are not delayed. "
                "Retention of existing carers will be strengthened through a buddy scheme, out-of-hours support and "
                "an annual carers' conference planned with the Foster Carers' Association. The campaign will "
                "focus on the homes we are shortest of:",
                "7b",
                "Mar -18",
                ("Fostering Service Manager",),
                AMBER,
                bullets=(
                    "carers for teenagers, including those at risk of exploitation",
                    "carers who can keep brothers and sisters together",
                    "parent and child placements that support assessments in care proceedings",
                    "short breaks carers for disabled children",
                    "supported lodgings hosts for young people preparing to leave care",
                ),
            ),
            A(
                "3.1.3",
                "Hold a disruption meeting for every unplanned placement ending and share the learning with the "
                "placements team and the carers' support groups.",
                "7a",
                "Report quarterly",
                ("HCIC",),
                AMBER,
            ),
            Objective("3.2", "Raise educational outcomes"),
            A(
                "3.2.1",
                "Make sure every child in care has a good-quality PEP, reviewed each term, with Pupil Premium Plus "
                "spending linked to the targets in the plan.",
                "8a",
                "Dec 2017",
                ("VSH",),
                GREEN2,
            ),
            A(
                "3.2.2",
                "Track attendance and exclusions weekly and intervene with the school when a child's attendance "
                "falls below 90%.",
                "8b",
                "Report quarterly",
                ("VSH",),
                AMBER,
            ),
            Objective("3.3", "Improve health outcomes"),
            A(
                "3.3.1",
                "Agree with health commissioners a plan to complete initial health assessments within 20 working "
                "days of a child coming into care.",
                "9",
                "Jan 2018",
                ("HCIC", "Designated Nurse Children in Care"),
                RED,
            ),
            A(
                "3.3.2",
                "Give each young person leaving care a summary of their health history, in a format designed with "
                "the Children in Care Council.",
                "9",
                "Jun-18",
                ("Designated Nurse Children in Care",),
                BLUE,
            ),
            Objective("3.4", "Achieve permanence without delay"),
            A(
                "3.4.1",
                "Hold a permanence planning meeting by the second review for every child in care, and track "
                "permanence plans monthly at the permanence panel.",
                "10",
                "Nov 2017",
                ("HCIC",),
                GREEN,
            ),
            A(
                "3.4.2",
                "Increase the use of special guardianship orders and family and friends care where this meets the "
                "child's needs, supported by an improved support offer for carers.",
                "10, 16",
                "2018",
                ("ADSC",),
                AMBER,
            ),
        ),
    ),
    Theme(
        "Theme 4: Care Leavers",
        "Care leavers have pathway plans they helped to write, live in suitable accommodation and are supported "
        "into education, employment or training.",
        (
            Objective("4.1", "Improve pathway planning"),
            A(
                "4.1.1",
                "Redesign the pathway plan with young people so that it is shorter, written to the young person and "
                "reviewed at least every six months.",
                "11a",
                "Oct 2017",
                ("HCIC",),
                GREEN,
            ),
            A(
                "4.1.2",
                "Make sure every eligible young person has a personal adviser allocated by their 16th birthday.",
                "11b",
                "Dec 2017",
                ("Leaving Care Team Manager",),
                AMBER,
            ),
            Objective("4.2", "Increase education, employment and training"),
            A(
                "4.2.1",
                "Create ring-fenced apprenticeships across the council for care leavers, with a mentor for each "
                "apprentice.",
                "12",
                "Apr 2018",
                ("EDCYP", "HRBP"),
                AMBER,
            ),
            A(
                "4.2.2",
                "Work with the further education college to provide a supported transition programme for care "
                "leavers at risk of not being in education, employment or training.",
                "12",
                "Mar -18",
                ("VSH",),
                RED,
            ),
            Objective("4.3", "Provide suitable accommodation"),
            A(
                "4.3.1",
                "Agree a joint housing protocol with the district housing teams, including a staying put and "
                "staying close offer.",
                "13",
                "Feb 2018",
                ("HCIC",),
                AMBER,
            ),
            A(
                "4.3.2",
                "Explore exempting care leavers from council tax up to the age of 25.",
                "13",
                "TBC",
                ("EDCYP",),
                BLUE,
            ),
        ),
    ),
    Theme(
        "Theme 5: Workforce",
        "A stable, skilled and permanent workforce with manageable caseloads, good supervision and a clear career "
        "path.",
        (
            Objective("5.1", "Recruit and retain social workers"),
            A(
                "5.1.1",
                "Launch a recruitment campaign with a dedicated website and a relocation package for experienced "
                "social workers.",
                "14a",
                "Sep 2017",
                ("HRBP",),
                GREEN,
            ),
            A(
                "5.1.2",
                "Convert agency posts to permanent posts and reduce agency staff to below 15% of the social work "
                "workforce.",
                "14b",
                "Mar -18",
                ("ADSC",),
                AMBER,
            ),
            Objective("5.2", "Develop the workforce"),
            A(
                "5.2.1",
                "Establish a social work academy for newly qualified social workers in their assessed and supported "
                "year in employment, with protected caseloads.",
                "15",
                "Jan 2018",
                ("PSW",),
                GREEN,
            ),
            A(
                "5.2.2",
                "Launch a career progression framework from social worker to advanced practitioner, with clear "
                "criteria for each step.",
                "14a",
                "Q4 2017/18",
                ("PSW",),
                BLUE,
            ),
        ),
    ),
    Theme(
        "Theme 6: Leadership, Governance and Performance",
        "Leaders know their services well, use performance information to drive improvement and hold partners to "
        "account through effective governance.",
        (
            Objective("6.1", "Strengthen performance management"),
            A(
                "6.1.1",
                "Introduce a monthly performance scorecard at team, service and directorate level, with exception "
                "reports to the Improvement Board.",
                "All",
                "Aug 2017",
                ("SMPI",),
                GREEN,
            ),
            A(
                "6.1.2",
                "Hold monthly performance clinics chaired by the Assistant Director in which team managers account "
                "for their team's data.",
                "17",
                "Report monthly",
                ("ADSC",),
                AMBER,
            ),
            Objective("6.2", "Governance and scrutiny"),
            A(
                "6.2.1",
                "Establish an Improvement Board chaired by the Chief Executive, with an independent adviser, and "
                "report progress to Cabinet every quarter.",
                "",
                "Jul 2017",
                ("EDCYP",),
                GREEN,
            ),
            A(
                "6.2.2",
                "Strengthen the Corporate Parenting Panel, with members visiting services and meeting the Children "
                "in Care Council each term.",
                "10",
                "Dec 2017",
                ("EDCYP", "HCIC"),
                AMBER,
            ),
            A(
                "6.2.3",
                "Develop a single learning and improvement framework with the NVSCP, linking case reviews, audits "
                "and training. Specifically:",
                "1a",
                "Mar -18",
                ("NVSCP",),
                AMBER,
                bullets=(
                    "a joint audit calendar",
                    "shared learning briefings after each case review",
                    "an annual evaluation of the impact of training",
                ),
            ),
        ),
    ),
)

HCIC, HFS = "HCIC", HFS_FULL
KPI_GROUPS = (
    KPIGroup(
        THEMES[0].title,
        (
            KPI(
                "1a",
                "% of audited assessments rated good or better",
                "QAM",
                "Quarterly",
                "80%",
                "Mar-18",
            ),
            KPI(
                "1b", "% of child in need plans audited as SMART", HFS, "Quarterly", "75%", "Mar-18"
            ),
            KPI(
                "1c",
                "% of child protection plans audited as SMART",
                HFS,
                "Quarterly",
                "85%",
                "Mar-18",
            ),
            KPI(
                "2",
                "% of assessments completed within 45 working days",
                HFS,
                "Monthly",
                "90%",
                "Dec-17",
            ),
            KPI(
                "3",
                "% of children's files with management oversight recorded in the last 3 months",
                "ADSC",
                "Monthly",
                "95%",
                "Dec-17",
            ),
        ),
    ),
    KPIGroup(
        THEMES[1].title,
        (
            KPI(
                "4a",
                "% of contacts with a decision within one working day",
                HFS,
                "Monthly",
                "100%",
                "Sep-17",
            ),
            KPI(
                "4b",
                "% of referrals that are re-referrals within 12 months",
                HFS,
                "Quarterly",
                "18%",
                "Mar-18",
            ),
            KPI(
                "4c",
                "Number of police notifications waiting more than 24 hours for a decision",
                HFS,
                "Weekly",
                "0",
                "Jan-18",
            ),
            KPI(
                "5a",
                "% of child protection plans lasting 2 years or more",
                HFS,
                "Quarterly",
                "2.5%",
                "Mar-18",
            ),
            KPI(
                "5b",
                "% of children subject to a second or subsequent child protection plan",
                HFS,
                "Quarterly",
                "16%",
                "Mar-18",
            ),
            KPI(
                "5c",
                "Average length of pre-proceedings",
                "Service Manager Court and Pre-proceedings",
                "Monthly",
                "16 weeks",
                "Mar-18",
            ),
            KPI(
                "6",
                "% of return home interviews completed within 72 hours",
                "HEH",
                "Monthly",
                "80%",
                "Mar -18",
            ),
        ),
    ),
    KPIGroup(
        THEMES[2].title,
        (
            KPI(
                "7a",
                "% of children in care with 3 or more placements in the last 12 months",
                HCIC,
                "Quarterly",
                "9%",
                "Mar-18",
            ),
            KPI(
                "7b",
                "Number of children placed with in-house foster carers",
                "Fostering Service Manager",
                "Quarterly",
                "214",
                "Mar-18",
            ),
            KPI("8a", "% of PEPs rated good", "VSH", "Termly", "85%", "Jul-18"),
            KPI("8b", "Persistent absence of children in care", "VSH", "Termly", "10%", "2018"),
            KPI(
                "9",
                "Average working days from entering care to the initial health assessment",
                HCIC,
                "Monthly",
                "20 days",
                "Mar-18",
            ),
            KPI(
                "10",
                "% of children in care with a permanence plan by the second review",
                HCIC,
                "Quarterly",
                "95%",
                "Mar -18",
            ),
            KPI(
                "16",
                "Council children's homes judged good or better by Ofsted",
                HCIC,
                "Annually",
                "3 / 5",
                "2018",
            ),
        ),
    ),
    KPIGroup(
        THEMES[3].title,
        (
            KPI(
                "11a",
                "% of care leavers with an up-to-date pathway plan",
                HCIC,
                "Monthly",
                "95%",
                "Dec-17",
            ),
            KPI(
                "11b",
                "% of eligible young people with a personal adviser by their 16th birthday",
                "Leaving Care Team Manager",
                "Quarterly",
                "100%",
                "Mar-18",
            ),
            KPI(
                "12",
                "% of care leavers aged 19 to 21 in education, employment or training",
                HCIC,
                "Quarterly",
                "60%",
                "Mar-18",
            ),
            KPI(
                "13",
                "% of care leavers in suitable accommodation",
                HCIC,
                "6 monthly",
                "90%",
                "Mar-18",
            ),
        ),
    ),
    KPIGroup(
        THEMES[4].title,
        (
            KPI("14a", "Social worker turnover rate", "HRBP", "Quarterly", "15%", "Mar-18"),
            KPI(
                "14b",
                "% of social work posts filled by agency staff",
                "HRBP",
                "Monthly",
                "15%",
                "Mar-18",
            ),
            KPI(
                "15",
                "Average caseload of social workers in their first year",
                "PSW",
                "Monthly",
                "12",
                "Jan-18",
            ),
        ),
    ),
    KPIGroup(
        THEMES[5].title,
        (
            KPI(
                "17",
                "Average number of children per social worker in the safeguarding teams",
                "ADSC",
                "Monthly",
                "18",
                "Mar-18",
            ),
        ),
    ),
)

PLAN = Plan(
    stem="northam_vale_2017-18_improvement_plan",
    authority="Northam Vale",
    title="Children's Services Improvement Plan 2017/18",
    period="2017/18",
    period_start=dt.date(2017, 4, 1),
    period_end=dt.date(2018, 3, 31),
    version="Version 2.0",
    date=dt.date(2017, 6, 30),
    formats=("pdf", "docx", "txt"),
    glossary=GLOSSARY,
    legend=LEGEND,
    themes=THEMES,
    kpi_groups=KPI_GROUPS,
    no_fill_formats=("txt",),
    notes=(
        "Status is only a cell fill (no text); the txt export has no fills, so its statuses are blank.",
        "Objective rows (x.y) are not actions; each action records its objective.",
        "Action text excludes the ref and bullet glyphs; bullet items follow the text in order.",
        "page is the PDF page of the action's first line.",
    ),
)


def _theme_grid(theme: Theme, first_index: int) -> tuple[Grid, int]:
    rows = [header_row("Action", "KPI Ref", "Due", "Lead", "Status")]
    keys: list[str | None] = [None]
    i = first_index
    for item in theme.items:
        if isinstance(item, Objective):
            rows.append(
                (cell(f"{item.ref} {item.text}", bold=True), cell(), cell(), cell(), cell())
            )
            keys.append(None)
            continue
        rows.append(
            (
                cell(f"{item.ref} {item.text}", *bullets(*item.bullets)),
                cell(item.kpi_refs),
                cell(item.due),
                cell(*item.lead_lines),
                cell(fill=item.fill),
            )
        )
        keys.append(f"action:{i}")
        i += 1
    name = theme.title.split(":")[0].lower().replace(" ", "_")
    grid = Grid(
        name=name,
        rows=tuple(rows),
        col_widths=(0.52, 0.09, 0.12, 0.19, 0.08),
        split_rows=True,
        font_size=9,
        row_keys=tuple(keys),
    )
    return grid, i


def _kpi_grid() -> Grid:
    rows = [
        header_row("Ref", "Measure", "Responsible officer", "Frequency", "Target", "Target due")
    ]
    keys: list[str | None] = [None]
    i = 0
    for group in KPI_GROUPS:
        rows.append(
            (cell(group.theme, fill=BAND_FILL, bold=True, colspan=6), None, None, None, None, None)
        )
        keys.append(None)
        for k in group.kpis:
            rows.append(
                (
                    cell(k.ref),
                    cell(k.measure),
                    cell(k.owner),
                    cell(k.frequency),
                    cell(k.target),
                    cell(k.due),
                )
            )
            keys.append(f"kpi:{i}")
            i += 1
    return Grid(
        name="kpis",
        rows=tuple(rows),
        col_widths=(0.06, 0.39, 0.23, 0.12, 0.08, 0.12),
        repeat_header=True,
        font_size=8.5,
        row_keys=tuple(keys),
        txt_repeat_header_before=(22,),
        txt_rule=True,
    )


def document() -> Document:
    legend = Grid(
        name="legend",
        rows=(
            header_row("RAG rating", "What the rating means"),
            *((cell(e.colour.upper(), fill=e.fill, bold=True), cell(e.label)) for e in LEGEND),
        ),
        col_widths=(0.2, 0.8),
        font_size=9,
    )
    abbreviations = Grid(
        name="abbreviations",
        rows=(header_row("Abbreviation", "Meaning"), *((cell(a), cell(m)) for a, m in GLOSSARY)),
        col_widths=(0.2, 0.8),
        font_size=9,
    )
    blocks: list = [
        Para("Northam Vale Council", "title"),
        Para("Children's Services Improvement Plan 2017/18", "title"),
        Para("Safe, Seen and Heard", "subtitle"),
        Para("Version 2.0 – 30 June 2017"),
        Heading("Introduction"),
        Para(
            "Ofsted inspected services for children in need of help and protection, children looked after and "
            "care leavers in Northam Vale in February 2017. Inspectors judged that services **require improvement "
            "to be good**, and that the experiences and progress of children who need help and protection were "
            "inadequate. This plan sets out what we will do in 2017/18 to respond to every recommendation and to "
            "the priorities we identified in our own self-evaluation."
        ),
        Para(
            "The plan was agreed by Cabinet on 29 June 2017. It is owned by the Improvement Board, which meets "
            "monthly, and progress is reported to the Children's Scrutiny Committee every quarter and to the "
            "Safeguarding Children Partnership at each of its meetings."
        ),
        Para("The plan is organised around six themes:"),
        ListBlock(
            (
                "Improve the **quality of social work practice** for every child.",
                "Give the **right help at the right time** to children in need of help and protection.",
                "Improve outcomes for **children in care**.",
                "Support **care leavers** into a successful adult life.",
                "Build a **stable and skilled workforce**.",
                "Provide strong **leadership, governance and performance management**.",
            ),
            numbered=True,
        ),
        Para(
            "Each theme has an outcome statement, a set of objectives and the actions that will deliver them, "
            "with a lead officer, a due date and links to the key performance indicators at the end of the plan."
        ),
        Heading("How progress is rated"),
        Para(
            "Lead officers update the plan every month. Each action is given a colour rating using the "
            "definitions below; the colour is shown in the Status column."
        ),
        TableBlock(legend),
        Heading("Abbreviations used in this plan"),
        TableBlock(abbreviations),
        PageBreak(),
    ]
    index = 0
    for theme in THEMES:
        grid, index = _theme_grid(theme, index)
        blocks += [
            Heading(theme.title),
            Para("**Outcome statement:**"),
            Para(theme.statement),
            TableBlock(grid),
        ]
    blocks += [
        PageBreak(),
        Heading("Key Performance Indicators"),
        Para(
            "Targets have been set for the measures below to show whether the actions are making a difference. "
            "They are based on current performance, the averages of our statistical neighbours and the expected "
            "impact of the actions in this plan."
        ),
        TableBlock(_kpi_grid()),
    ]
    return Document(
        stem=PLAN.stem,
        title="Northam Vale Council – Children's Services Improvement Plan 2017/18",
        author="Northam Vale Council Children's Services",
        subject="Improvement plan 2017/18",
        landscape=False,
        header="Northam Vale Council – Children's Services Improvement Plan 2017/18",
        footer="Version 2.0 – OFFICIAL",
        created=dt.datetime(2017, 6, 30, 9, 0, 0),
        blocks=tuple(blocks),
    )
