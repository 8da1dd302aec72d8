"""Layout family 6: a quarterly performance report whose KPIs are cards, not table rows.

Quirks: an executive summary with the rating counts in prose and in a count table by
service area (with a TOTAL row); a rating key table and a direction-of-travel key whose
arrows are text glyphs; each KPI a card (title box with its code, a RAG badge -- the word
in a filled box -- with an arrow beside it, a bar chart, and a strip "Latest: 92% |
Target: 90%, Floor: 85% | Previous: 88% (Amber)"); two cards per PDF page, drawn as
boxes, text and shapes with no table rules; the same cards as small tables in the DOCX; some KPIs have no floor, some previous values carry their old rating
and some do not; for measures where lower is better the floor is above the target and
an up arrow still means "improved" because the key says so.
"""

from __future__ import annotations

import datetime as dt

from _doc import (
    Card,
    CardGrid,
    Document,
    Grid,
    Heading,
    ListBlock,
    PageBreak,
    Para,
    TableBlock,
    cell,
    header_row,
)
from _truth import KPI, KPIGroup, LegendEntry, Plan

GREEN, AMBER, RED = "#00B050", "#FFC000", "#C00000"
FILLS = {"GREEN": GREEN, "AMBER": AMBER, "RED": RED}
PERIODS = ("Q3 18/19", "Q4 18/19", "Q1 19/20", "Q2 19/20")
UP, LEVEL, DOWN = "↑", "→", "↓"

LEGEND = (
    LegendEntry("green", "Target met or exceeded", "on_track", GREEN),
    LegendEntry("amber", "Below target but at or above the floor", "at_risk", AMBER),
    LegendEntry("red", "Below the floor", "off_track", RED),
)
DIRECTION_KEY = (
    (UP, "improving"),
    (LEVEL, "stable"),
    (DOWN, "worsening"),
)
TRENDS: dict[str, tuple[float, ...]] = {}
DIRECTION_WORDING = {
    UP: "Performance has improved since the last quarter",
    LEVEL: "No change since the last quarter",
    DOWN: "Performance has declined since the last quarter",
}


def K(
    ref: str,
    measure: str,
    badge: str,
    arrow: str,
    latest: str,
    target: str,
    floor: str,
    previous: str,
    trend: tuple[float, float, float],
) -> KPI:
    """A card's KPI; ``trend`` is the three quarters before the latest value (its chart)."""
    TRENDS[ref] = trend
    return KPI(
        ref=ref,
        measure=measure,
        target=target,
        badge=badge,
        badge_fill=FILLS[badge],
        actual=latest,
        floor=floor,
        previous=previous,
        arrow=arrow,
    )


GROUPS = (
    KPIGroup(
        "Early help and the front door",
        (
            K(
                "EH01",
                "Early help assessments completed within 45 days",
                "GREEN",
                UP,
                "92%",
                "90%",
                "85%",
                "88% (Amber)",
                (84, 86, 88),
            ),
            K(
                "EH02",
                "Families stepped down from social care offered early help within five days",
                "AMBER",
                LEVEL,
                "78%",
                "85%",
                "75%",
                "78% (Amber)",
                (70, 74, 78),
            ),
            K(
                "EH03",
                "Re-referrals to children's social care within 12 months",
                "GREEN",
                UP,
                "17.2%",
                "20%",
                "23%",
                "19.5% (Green)",
                (22.4, 21.0, 19.5),
            ),
            K(
                "EH04",
                "Contacts screened by the front door within 24 hours",
                "GREEN",
                LEVEL,
                "97%",
                "97%",
                "90%",
                "97% (Green)",
                (93, 95, 97),
            ),
        ),
    ),
    KPIGroup(
        "Children in need and child protection",
        (
            K(
                "CP01",
                "Child and family assessments completed within 45 working days",
                "RED",
                DOWN,
                "71%",
                "85%",
                "80%",
                "76% (Red)",
                (82, 79, 76),
            ),
            K(
                "CP02",
                "Child protection visits completed within timescale",
                "GREEN",
                UP,
                "94%",
                "90%",
                "",
                "91%",
                (87, 90, 91),
            ),
            K(
                "CP03",
                "Children subject to a child protection plan for two years or more",
                "AMBER",
                DOWN,
                "3.1%",
                "2%",
                "4%",
                "2.6% (Amber)",
                (2.2, 2.4, 2.6),
            ),
            K(
                "CP04",
                "Average caseload of a children's social worker",
                "AMBER",
                LEVEL,
                "19.5",
                "18",
                "22",
                "19.4",
                (21.2, 20.3, 19.4),
            ),
        ),
    ),
    KPIGroup(
        "Children in care and care leavers",
        (
            K(
                "CC01",
                "Children in care with an up-to-date health assessment",
                "GREEN",
                UP,
                "93%",
                "90%",
                "85%",
                "89% (Amber)",
                (86, 88, 89),
            ),
            K(
                "CC02",
                "Children in care with three or more placements in the year",
                "RED",
                DOWN,
                "12.4%",
                "9%",
                "",
                "10.8% (Amber)",
                (9.6, 10.1, 10.8),
            ),
            K(
                "CC03",
                "Care leavers aged 19 to 21 in suitable accommodation",
                "GREEN",
                LEVEL,
                "91%",
                "88%",
                "82%",
                "91% (Green)",
                (89, 90, 91),
            ),
            K(
                "CC04",
                "Initial health assessments completed within 20 working days",
                "RED",
                UP,
                "54%",
                "80%",
                "70%",
                "41% (Red)",
                (38, 45, 41),
            ),
        ),
    ),
)

PLAN = Plan(
    stem="saltmere_2019-20_q2_performance_report",
    authority="Saltmere",
    title="Children's Services Quarterly Performance Report",
    period="2019-20",
    period_start=dt.date(2019, 4, 1),
    period_end=dt.date(2020, 3, 31),
    version="",
    date=dt.date(2019, 11, 12),
    formats=("pdf", "docx"),
    legend=LEGEND,
    indicator_counts=(("green", 6), ("amber", 3), ("red", 3)),
    kpi_groups=GROUPS,
    direction_key=DIRECTION_KEY,
    notes=(
        "A performance report: no action table; every KPI is a card, not a table row.",
        "status is the card badge's word (its fill agrees); status_meaning reads it through the "
        "report's rating key (green = target met -> on_track, amber = floor met -> at_risk, "
        "red = floor missed -> off_track).",
        "direction follows the report's own key for its arrows: an up arrow is 'improved' even "
        "where the value fell (lower is better for re-referrals).",
        "floor is blank where the strip gives none; previous_raw keeps its old rating as written.",
        "The count table by service area (with a TOTAL row) and the key tables are not KPIs.",
        "The summary's counts are of indicators, not actions (indicator_counts, not status_counts).",
    ),
)


def _strip(k: KPI) -> str:
    target = f"Target: {k.target}" + (f", Floor: {k.floor}" if k.floor else "")
    return f"Latest: {k.actual} | {target} | Previous: {k.previous}"


def card_of(i: int, k: KPI) -> Card:
    past = TRENDS[k.ref]
    latest = float(k.actual.rstrip("%"))
    return Card(
        key=f"kpi:{i}",
        title=f"{k.ref}  {k.measure}",
        badge=k.badge,
        badge_fill=k.badge_fill or "",
        arrow=k.arrow,
        strip=_strip(k),
        trend=tuple(zip(PERIODS, (*past, latest), strict=True)),
        unit="%" if k.actual.endswith("%") else "",
    )


def count_grid() -> Grid:
    rows = [
        header_row("Service area", "Green", "Amber", "Red", "Improved", "No change", "Declined")
    ]
    totals = [0] * 6
    for group in GROUPS:
        counts = [
            sum(k.badge == "GREEN" for k in group.kpis),
            sum(k.badge == "AMBER" for k in group.kpis),
            sum(k.badge == "RED" for k in group.kpis),
            sum(k.arrow == UP for k in group.kpis),
            sum(k.arrow == LEVEL for k in group.kpis),
            sum(k.arrow == DOWN for k in group.kpis),
        ]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        rows.append((cell(group.theme), *(cell(str(c)) for c in counts)))
    rows.append((cell("TOTAL", bold=True), *(cell(str(t), bold=True) for t in totals)))
    return Grid(
        name="rating_counts",
        rows=tuple(rows),
        col_widths=(0.34, 0.11, 0.11, 0.11, 0.11, 0.11, 0.11),
        header_rows=1,
        font_size=9,
    )


def key_grid() -> Grid:
    return Grid(
        name="rating_key",
        rows=(
            header_row("Rating", "What it means"),
            *((cell(e.colour.upper(), fill=e.fill, bold=True), cell(e.label)) for e in LEGEND),
        ),
        col_widths=(0.2, 0.8),
        header_rows=1,
        font_size=9,
    )


def document() -> Document:
    counts = dict(PLAN.indicator_counts)
    n = len(PLAN.kpis())
    blocks: list = [
        Para("Saltmere Borough Council", "title"),
        Para("Children's Services Quarterly Performance Report", "subtitle"),
        Para(
            "Quarter 2 2019-20 (July to September 2019) – Corporate Parenting Panel, 12 November 2019"
        ),
        Heading("Executive summary"),
        Para(
            f"This report sets out performance against the {n} key indicators for children's "
            "services at the end of the second quarter. Each indicator is shown on its own card "
            "with its rating, its direction of travel, a chart of the last four quarters and its "
            "latest value against the target and floor."
        ),
        Para(
            f"At the end of the quarter {counts['green']} of the {n} indicators are rated as Green, "
            f"{counts['amber']} as Amber and {counts['red']} as Red. Assessment timeliness and "
            "initial health assessments remain the main concerns; the number of children with "
            "three or more placements has risen for the third quarter running."
        ),
        TableBlock(count_grid()),
        Heading("How to read the cards", level=2),
        Para("Each indicator is rated against its target and floor:"),
        TableBlock(key_grid()),
        Para("The arrow beside the rating shows the direction of travel since the last quarter:"),
        ListBlock(tuple(f"{a} {DIRECTION_WORDING[a]}" for a, _ in DIRECTION_KEY)),
        PageBreak(),
    ]
    i = 0
    for g, group in enumerate(PLAN.kpi_groups):
        if g:
            blocks.append(PageBreak())
        cards = []
        for k in group.kpis:
            cards.append(card_of(i, k))
            i += 1
        blocks += [Heading(group.theme), CardGrid(tuple(cards))]
    blocks += [
        PageBreak(),
        Heading("Data notes"),
        Para(
            "Figures for the latest quarter are provisional until the annual statutory returns "
            "are made. Percentages are of the children or families eligible in the quarter."
        ),
    ]
    return Document(
        stem=PLAN.stem,
        title="Children's Services Quarterly Performance Report – Quarter 2 2019-20",
        author="Saltmere Borough Council",
        subject="Quarterly performance report",
        landscape=False,
        header="Saltmere Borough Council – Children's Services Performance",
        footer="Quarter 2 2019-20",
        created=dt.datetime(2019, 11, 4, 9, 30, 0),
        blocks=tuple(blocks),
    )
