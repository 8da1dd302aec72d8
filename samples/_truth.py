"""The truth of a sample plan, and the expected records derived from it.

Each plan is described once with these dataclasses. The renderers draw it; the
expected JSON is computed from it here, with the output contract's rules:
a date without a day is the LAST day of its month/quarter/year when due and the
FIRST when a start; "TBC", "Ongoing", "Report quarterly" give no date; status
meanings come from the plan's own legend, else the common reading; leads are
expanded through the plan's own glossary only.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field

COMMON_MEANING = {"red": "off_track", "amber": "at_risk", "green": "on_track", "blue": "complete"}

FILL_COLOURS = {
    "#FF0000": "red",
    "#C00000": "red",
    "#FFC000": "amber",
    "#FFFF00": "amber",
    "#00B050": "green",
    "#92D050": "green",
    "#0070C0": "blue",
    "#00B0F0": "blue",
}
LETTER_COLOURS = {"R": "red", "A": "amber", "G": "green", "B": "blue"}

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_name) if m})
MONTHS["sept"] = 9

NO_DATE = {"", "tbc", "ongoing", "report quarterly", "report monthly", "monthly", "quarterly"}

FREQUENCIES = {
    "monthly": "monthly",
    "quarterly": "quarterly",
    "annually": "annual",
    "annual": "annual",
    "6 monthly": "6-monthly",
    "6-monthly": "6-monthly",
    "termly": "termly",
    "weekly": "weekly",
}


# --------------------------------------------------------------------------- truth


@dataclass(frozen=True)
class Milestone:
    column: str  # the month column it sits in
    when: str  # "03 Dec", "Jan", "TBC"
    text: str = ""  # what happens; empty for a bare "TBC"

    @property
    def written(self) -> str:
        return f"{self.when} - {self.text}" if self.text else self.when


@dataclass(frozen=True)
class Action:
    ref: str
    text: str
    bullets: tuple[str, ...] = ()  # a sub-list after the text
    lead: tuple[str, ...] = ()  # each lead as written
    lead_sep: str = "/"  # "/" "; " " / ", or "\n" for role titles on separate lines
    start: str | dt.date = ""
    due: str | dt.date = ""
    status_text: str = ""  # the status cell's words/letter, as written
    fill: str | None = None  # the status cell's fill
    progress: str = ""
    evidence: tuple[str, ...] = ()  # lines of the evidence cell, numbers typed in
    kpi_refs: str = ""
    milestones: tuple[Milestone, ...] = ()

    @property
    def full_text(self) -> str:
        return norm(" ".join((self.text, *self.bullets)))

    @property
    def lead_lines(self) -> tuple[str, ...]:
        """How the lead cell shows: one line, or one line per role title."""
        if self.lead_sep == "\n":
            return self.lead
        return (self.lead_sep.join(self.lead),) if self.lead else ()

    @property
    def lead_raw(self) -> str:
        return norm(" ".join(self.lead_lines))


@dataclass(frozen=True)
class Objective:
    """An x.y row that parents the x.y.z actions after it (no lead, no date)."""

    ref: str
    text: str


@dataclass(frozen=True)
class Theme:
    title: str
    statement: str = ""
    items: tuple[Action | Objective, ...] = ()


@dataclass(frozen=True)
class KPI:
    ref: str
    measure: str
    owner: str = ""
    frequency: str = ""
    target: str = ""
    due: str = ""
    recommendation: str = ""
    # Performance, as a report prints it: the rating badge's word and fill, the latest,
    # floor and previous values as written, and the direction-of-travel glyph.
    badge: str = ""
    badge_fill: str | None = None
    actual: str = ""
    floor: str = ""
    previous: str = ""
    arrow: str = ""

    @property
    def has_performance(self) -> bool:
        return bool(self.badge or self.actual)


@dataclass(frozen=True)
class KPIGroup:
    theme: str
    kpis: tuple[KPI, ...]


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str  # the plan's own wording
    meaning: str
    fill: str | None = None


@dataclass(frozen=True)
class StatusWord:
    """A status written in words ("On track"), read through the plan's key."""

    word: str
    colour: str | None
    meaning: str


@dataclass(frozen=True)
class Plan:
    stem: str
    authority: str
    title: str
    period: str
    period_start: dt.date
    period_end: dt.date
    version: str
    date: dt.date | None
    formats: tuple[str, ...]
    glossary: tuple[tuple[str, str], ...] = ()
    legend: tuple[LegendEntry, ...] = ()
    legend_criteria: tuple[str, ...] = ()
    status_words: tuple[StatusWord, ...] = ()
    status_counts: tuple[tuple[str, int], ...] = ()  # actions by colour, given only in prose
    indicator_counts: tuple[tuple[str, int], ...] = ()  # KPIs by rating, given in a summary
    themes: tuple[Theme, ...] = ()
    kpi_groups: tuple[KPIGroup, ...] = ()
    as_of: dt.date | None = None  # milestone dates without a year count from here
    direction_key: tuple[tuple[str, str], ...] = ()  # (glyph, direction) from the report's key
    no_fill_formats: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def actions(self) -> list[tuple[Theme, Objective | None, Action]]:
        out: list[tuple[Theme, Objective | None, Action]] = []
        for theme in self.themes:
            objective = None
            for item in theme.items:
                if isinstance(item, Objective):
                    objective = item
                else:
                    out.append((theme, objective, item))
        return out

    def kpis(self) -> list[tuple[KPIGroup, KPI]]:
        return [(g, k) for g in self.kpi_groups for k in g.kpis]

    def action_index(self, ref: str) -> int:
        for i, (_, _, a) in enumerate(self.actions()):
            if a.ref == ref:
                return i
        raise KeyError(ref)


# --------------------------------------------------------------------------- rules


def norm(text: str) -> str:
    return " ".join(text.split())


def date_text(value: str | dt.date) -> str:
    """A date cell as a person reads it."""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _year(text: str) -> int:
    y = int(text)
    return y + 2000 if y < 100 else y


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def date_bounds(raw: str | dt.date, as_of: dt.date | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day a written date can mean; None when it names no date."""
    if isinstance(raw, dt.date):
        return raw, raw
    text = norm(raw)
    low = text.lower()
    if low in NO_DATE:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if m:
        d = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return d, d
    m = re.fullmatch(r"([A-Za-z]+)\s*-?\s*(\d{2}|\d{4})", text)
    if m and m.group(1).lower() in MONTHS:
        y, mo = _year(m.group(2)), MONTHS[m.group(1).lower()]
        return dt.date(y, mo, 1), _month_end(y, mo)
    m = re.fullmatch(r"Q([1-4]) (\d{4})/(\d{2})", text)
    if m:
        q, fy = int(m.group(1)), int(m.group(2))
        first_month = (4, 7, 10, 1)[q - 1]
        year = fy if q < 4 else fy + 1
        return dt.date(year, first_month, 1), _month_end(year, first_month + 2)
    m = re.fullmatch(r"(\d{4})", text)
    if m:
        y = int(m.group(1))
        return dt.date(y, 1, 1), dt.date(y, 12, 31)
    # Milestones: "03 Dec", "Jan" -- the year is the next such month from as_of.
    m = re.fullmatch(r"(?:(\d{1,2}) )?([A-Za-z]+)", text)
    if m and m.group(2).lower() in MONTHS and as_of is not None:
        mo = MONTHS[m.group(2).lower()]
        year = as_of.year if mo >= as_of.month else as_of.year + 1
        if m.group(1):
            d = dt.date(year, mo, int(m.group(1)))
            return d, d
        return dt.date(year, mo, 1), _month_end(year, mo)
    raise ValueError(f"sample truth has a date form the rules do not cover: {raw!r}")


def due_iso(raw: str | dt.date, as_of: dt.date | None = None) -> str | None:
    b = date_bounds(raw, as_of)
    return b[1].isoformat() if b else None


def start_iso(raw: str | dt.date, as_of: dt.date | None = None) -> str | None:
    b = date_bounds(raw, as_of)
    return b[0].isoformat() if b else None


def target_of(raw: str) -> tuple[float | int | None, str]:
    """(value, unit) of a written target."""
    text = norm(raw)
    if not text:
        return None, ""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%", text)
    if m:
        return _num(m.group(1)), "percent"
    m = re.fullmatch(r"(\d+) ?/ ?(\d+)", text)
    if m:
        return round(int(m.group(1)) / int(m.group(2)), 4), "ratio"
    m = re.fullmatch(r"(\d+(?:\.\d+)?) (days|weeks)", text)
    if m:
        return _num(m.group(1)), m.group(2)
    m = re.fullmatch(r"\d+(?:\.\d+)?", text)
    if m:
        return _num(text), "count"
    raise ValueError(f"sample truth has a target form the rules do not cover: {raw!r}")


def _num(text: str) -> float | int:
    f = float(text)
    return int(f) if f.is_integer() else f


def status_of(plan: Plan, action: Action) -> tuple[str | None, str, str | None]:
    """(colour, meaning, source) read as a person would, through the plan's key."""
    colour = None
    word_meaning = None
    text = action.status_text.strip()
    if text:
        for sw in plan.status_words:
            if sw.word.lower() == text.lower():
                colour, word_meaning = sw.colour, sw.meaning
                break
        else:
            colour = LETTER_COLOURS.get(text.upper()) or {
                "red": "red",
                "amber": "amber",
                "green": "green",
                "blue": "blue",
            }.get(text.lower())
            if colour is None:
                raise ValueError(f"{plan.stem}: unknown status text {text!r}")
    fill_colour = FILL_COLOURS.get(action.fill.upper()) if action.fill else None
    if action.fill and fill_colour is None:
        raise ValueError(f"{plan.stem}: unknown status fill {action.fill}")
    if colour and fill_colour and colour != fill_colour:
        raise ValueError(f"{plan.stem} {action.ref}: status text and fill disagree")
    colour = colour or fill_colour
    source = (
        "text+fill" if text and fill_colour else "text" if text else "fill" if fill_colour else None
    )
    if colour is None:
        return None, word_meaning or "unknown", source
    for entry in plan.legend:
        if entry.colour == colour:
            return colour, entry.meaning, source
    return colour, word_meaning or COMMON_MEANING[colour], source


def kpi_performance(plan: Plan, k: KPI) -> dict:
    """A KPI's rating (through the report's key), values and direction, as a person reads them."""
    colour = {"red": "red", "amber": "amber", "green": "green", "blue": "blue"}[k.badge.lower()]
    if k.badge_fill and FILL_COLOURS.get(k.badge_fill.upper()) != colour:
        raise ValueError(f"{plan.stem} {k.ref}: badge word and fill disagree")
    meaning = next((e.meaning for e in plan.legend if e.colour == colour), COMMON_MEANING[colour])
    directions = dict(plan.direction_key)
    if k.arrow and k.arrow not in directions:
        raise ValueError(f"{plan.stem} {k.ref}: arrow {k.arrow!r} is not in the report's key")
    return {
        "status": colour,
        "status_meaning": meaning,
        "status_raw": k.badge,
        "status_fill": k.badge_fill.upper() if k.badge_fill else None,
        "actual_raw": k.actual,
        "actual_value": target_of(k.actual)[0],
        "floor_raw": k.floor,
        "floor_value": target_of(k.floor)[0],
        "previous_raw": k.previous,
        "direction_raw": k.arrow,
        "direction": directions.get(k.arrow),
    }


def leads_of(plan: Plan, parts: tuple[str, ...]) -> list[str]:
    glossary = dict(plan.glossary)
    return [glossary.get(p, p) for p in parts]


# --------------------------------------------------------------------------- expected


def expected_of(plan: Plan, layout: dict[str, dict], pages: dict[str, int]) -> dict:
    """The expected records of a plan. ``pages`` maps "action:i"/"kpi:i" to the PDF page."""
    glossary = dict(plan.glossary)
    actions = []
    for i, (theme, objective, a) in enumerate(plan.actions()):
        colour, meaning, source = status_of(plan, a)
        actions.append(
            {
                "ref": a.ref,
                "theme": theme.title,
                "objective": f"{objective.ref} {objective.text}" if objective else "",
                "action": a.full_text,
                "lead_raw": a.lead_raw,
                "leads": leads_of(plan, a.lead),
                "start_raw": date_text(a.start),
                "start_date": start_iso(a.start),
                "due_raw": date_text(a.due),
                "due_date": due_iso(a.due),
                "status": colour,
                "status_meaning": meaning,
                "status_raw": a.status_text,
                "status_fill": a.fill.upper() if a.fill else None,
                "status_source": source,
                "progress": norm(a.progress),
                "evidence": norm(" ".join(a.evidence)),
                "kpi_refs": a.kpi_refs,
                "milestones": [
                    {
                        "column": m.column,
                        "text": m.written,
                        "date_raw": m.when,
                        "date": due_iso(m.when, plan.as_of),
                    }
                    for m in a.milestones
                ],
                "page": pages.get(f"action:{i}"),
            }
        )
    kpis = []
    for i, (group, k) in enumerate(plan.kpis()):
        value, unit = target_of(k.target)
        kpis.append(
            {
                "ref": k.ref,
                "theme": group.theme,
                "measure": norm(k.measure),
                "owner_raw": k.owner,
                "owner": glossary.get(k.owner, k.owner),
                "frequency_raw": k.frequency,
                "frequency": FREQUENCIES.get(k.frequency.lower(), k.frequency.lower()),
                "target_raw": k.target,
                "target_value": value,
                "target_unit": unit,
                "target_due_raw": k.due,
                "target_due": due_iso(k.due),
                "recommendation": norm(k.recommendation),
                **(kpi_performance(plan, k) if k.has_performance else {}),
                "page": pages.get(f"kpi:{i}"),
            }
        )
    meanings: dict[str, int] = {}
    for a in actions:
        meanings[a["status_meaning"]] = meanings.get(a["status_meaning"], 0) + 1
    return {
        "plan": {
            "authority": plan.authority,
            "title": plan.title,
            "period": plan.period,
            "period_start": plan.period_start.isoformat(),
            "period_end": plan.period_end.isoformat(),
            "version": plan.version,
            "date": plan.date.isoformat() if plan.date else None,
        },
        "formats": list(plan.formats),
        "documents": [f"plans/{plan.stem}.{ext}" for ext in plan.formats],
        "notes": list(plan.notes),
        "no_fill_formats": list(plan.no_fill_formats),
        "status_counts": dict(plan.status_counts),
        **({"indicator_counts": dict(plan.indicator_counts)} if plan.indicator_counts else {}),
        "counts": {"actions": len(actions), "kpis": len(kpis), "status_meaning": meanings},
        "glossary": glossary,
        "legend": [
            {"colour": e.colour, "label": e.label, "meaning": e.meaning} for e in plan.legend
        ],
        "legend_criteria": list(plan.legend_criteria),
        "status_words": [
            {"word": s.word, "colour": s.colour, "meaning": s.meaning} for s in plan.status_words
        ],
        **({"direction_key": dict(plan.direction_key)} if plan.direction_key else {}),
        "themes": [t.title for t in plan.themes],
        "actions": actions,
        "kpis": kpis,
        "layout": layout,
    }
