"""Layout family 7: one plan republished three times, a quarter apart (plan history).

The same improvement plan at 30 June 2019, at September 2019 and at 31 December 2019,
each dated its own way on the front page ("Position at 30 June 2019", "Update: September
2019", "Progress as at 31/12/19"), and each in two or three formats. Between versions,
statuses move, due dates slip, a lead changes, actions are reworded, renumbered, added
and dropped (completed ones are taken out), and refs are reused for other actions after
a renumbering. Every action has a stable `key` here, so the expected change list is the
truth's own diff, never planx's matching.

Quirks of the layout: a tracker with the theme cell merged down its actions; status words
on their key's fills; two leads separated by " / "; due dates as month names, a full date,
a quarter or "Ongoing".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from _doc import Document, Grid, Heading, Para, TableBlock, cell, header_row
from _truth import (
    Action,
    LegendEntry,
    Plan,
    StatusWord,
    Theme,
    due_iso,
    leads_of,
    norm,
    status_of,
)

BLUE, GREEN, AMBER, RED = "#0070C0", "#00B050", "#FFC000", "#FF0000"
WORDS = (
    StatusWord("Complete", "blue", "complete"),
    StatusWord("On track", "green", "on_track"),
    StatusWord("At risk", "amber", "at_risk"),
    StatusWord("Off track", "red", "off_track"),
    StatusWord("Not started", None, "not_started"),
)
KEY_TEXT = {
    "Complete": ("Delivered and signed off by the Improvement Board", BLUE),
    "On track": ("Progressing to plan and to time", GREEN),
    "At risk": ("Some slippage; the lead has a recovery plan", AMBER),
    "Off track": ("Will not be delivered on time without help from the board", RED),
    "Not started": ("Work has not begun", None),
}
FILL = {w.word: KEY_TEXT[w.word][1] for w in WORDS}
LEGEND = tuple(
    LegendEntry(w.colour, w.word, w.meaning, KEY_TEXT[w.word][1]) for w in WORDS if w.colour
)
THEME_TITLES = (
    "Front door and assessment",
    "Children in care and care leavers",
    "Workforce and practice quality",
    "Leadership and performance",
)
HOS, HCIC, PSW = "Head of Safeguarding", "Head of Children in Care", "Principal Social Worker"
HEH, SMQA, WDM = (
    "Head of Early Help",
    "Service Manager Quality Assurance",
    "Workforce Development Manager",
)
AD, DCS, PM = (
    "Assistant Director Children's Social Care",
    "Director of Children's Services",
    "Performance Manager",
)
SMF, NURSE = "Service Manager Fostering", "Designated Nurse for Children in Care"


def A(ref: str, text: str, lead: str, due: str, status: str, progress: str) -> Action:
    return Action(
        ref=ref,
        text=text,
        lead=tuple(lead.split(" / ")),
        lead_sep=" / ",
        due=due,
        status_text=status,
        fill=FILL[status],
        progress=progress,
    )


# ---------------------------------------------------------------------- the versions
# Each version: (theme number, key, action) in document order. A key names one action
# through every version it appears in.

V1 = (
    (1, "mash", A("1.1", "Review the multi-agency safeguarding hub thresholds with police and health partners.", HOS, "September 2019", "On track", "Threshold workshop held with partners in May.")),
    (1, "strategy", A("1.2", "Hold every strategy discussion within one working day of the referral.", HOS, "July 2019", "On track", "Daily strategy meeting slots agreed with the police.")),
    (1, "standards", A("1.3", "Agree practice standards for assessments and plans.", PSW, "October 2019", "At risk", "Drafting delayed by the vacancy in the practice team.")),
    (1, "early_help", A("1.4", "Publish the early help offer for families and partner agencies.", HEH, "August 2019", "Not started", "Waiting for the early help strategy to be agreed.")),
    (2, "permanence", A("2.1", "Review the care plan of every child in care for more than two years and confirm a permanence plan.", HCIC, "September 2019", "On track", "Reviews complete for 48 of 120 children.")),
    (2, "health", A("2.2", "Make sure every child in care has an up to date health assessment.", HCIC, "December 2019", "On track", "Weekly tracker shared with the health provider.")),
    (2, "leavers", A("2.3", "Give every care leaver a pathway plan written with them.", HCIC, "March 2020", "At risk", "Personal adviser posts still vacant.")),
    (2, "fostering", A("2.4", "Recruit more in-house foster carers for teenagers and for brothers and sisters.", SMF, "Q4 2019/20", "On track", "Campaign launched; nine enquiries in June.")),
    (3, "caseloads", A("3.1", "Keep average caseloads below 18 in every team.", AD, "December 2019", "At risk", "Two teams above 20 after the spring vacancies.")),
    (3, "agency", A("3.2", "Reduce the share of agency social workers to below one in five.", WDM, "March 2020", "Off track", "Agency share rose to 27% in June.")),
    (3, "supervision", A("3.3", "Audit the quality of supervision every quarter.", SMQA, "October 2019", "On track", "First audit of 40 files complete.")),
    (3, "induction", A("3.4", "Run a two-week induction for every new social worker.", WDM, "June 2019", "Complete", "Induction running since April.")),
    (4, "scorecard", A("4.1", "Publish a monthly performance scorecard for every team.", PM, "July 2019", "Complete", "Scorecard live for all teams.")),
    (4, "board", A("4.2", "Report progress to the Improvement Board every month.", DCS, "Ongoing", "On track", "Monthly reports since April.")),
    (4, "council", A("4.3", "Set up a children in care council that meets every month.", HCIC, "November 2019", "Not started", "Participation worker being recruited.")),
    (4, "qa_framework", A("4.4", "Implement the revised quality assurance framework with monthly case audits.", SMQA, "September 2019", "On track", "Framework agreed; audits begin in July.")),
)  # fmt: skip

V2 = (
    (1, "mash", A("1.1", "Review the multi-agency safeguarding hub thresholds with police and health partners.", HOS, "September 2019", "Complete", "Revised thresholds signed off in September.")),
    (1, "strategy", A("1.2", "Hold every strategy discussion within one working day of the referral.", HOS, "July 2019", "Complete", "95% within one working day since July.")),
    (1, "standards", A("1.3", "Agree and publish practice standards for assessments, plans and case recording.", PSW, "October 2019", "At risk", "Standards widened to case recording; consultation ends in October.")),
    (1, "early_help", A("1.4", "Publish the early help offer for families and partner agencies.", HEH, "August 2019", "On track", "Offer drafted and shared with schools.")),
    (1, "domestic_abuse", A("1.5", "Agree a joint response to domestic abuse notifications with the police.", HOS, "December 2019", "On track", "Joint triage trial began in September.")),
    (2, "permanence", A("2.1", "Review the care plan of every child in care for more than two years and confirm a permanence plan.", HCIC, "December 2019", "At risk", "Reviews complete for 70 of 120 children; two reviewing officers on leave.")),
    (2, "health", A("2.2", "Make sure every child in care has an up to date health assessment.", f"{NURSE} / {HCIC}", "December 2019", "On track", "The designated nurse now leads the weekly tracker.")),
    (2, "leavers", A("2.3", "Give every care leaver a pathway plan written with them.", HCIC, "March 2020", "Off track", "One personal adviser post filled of three.")),
    (2, "fostering", A("2.4", "Recruit more in-house foster carers for teenagers and for brothers and sisters.", SMF, "Q4 2019/20", "On track", "Four households in assessment.")),
    (3, "practice_model", A("3.1", "Introduce a strengths-based practice model across all teams.", PSW, "March 2020", "Not started", "Training provider being chosen.")),
    (3, "caseloads", A("3.2", "Keep average caseloads below 18 in every team.", AD, "December 2019", "At risk", "One team still above 20.")),
    (3, "agency", A("3.3", "Reduce the share of agency social workers to below one in five.", WDM, "March 2020", "Off track", "Agency share 25% in September.")),
    (3, "supervision", A("3.4", "Audit the quality of supervision every quarter.", SMQA, "January 2020", "On track", "Second audit moved to January to follow the restructure.")),
    (4, "scorecard", A("4.1", "Publish a monthly performance scorecard for every team.", PM, "July 2019", "Complete", "Scorecard live for all teams.")),
    (4, "board", A("4.2", "Report progress to the Improvement Board every month.", DCS, "Ongoing", "On track", "Monthly reports continue.")),
    (4, "council", A("4.3", "Set up a children in care council that meets every month.", HCIC, "November 2019", "On track", "First meeting held in September.")),
    (4, "qa_framework", A("4.4", "Implement the revised quality assurance framework with monthly case audits.", SMQA, "September 2019", "Complete", "Monthly audits running in every team.")),
)  # fmt: skip

V3 = (
    (1, "standards", A("1.1", "Agree and publish practice standards for assessments, plans and case recording.", PSW, "October 2019", "At risk", "Standards published in draft; sign-off at the January board.")),
    (1, "early_help", A("1.2", "Publish the early help offer for families, schools and all partner agencies.", HEH, "August 2019", "On track", "Offer published online; printed copies with schools.")),
    (1, "domestic_abuse", A("1.3", "Agree a joint response to domestic abuse notifications with the police.", HOS, "December 2019", "On track", "Joint triage now daily.")),
    (2, "permanence", A("2.1", "Review the care plan of every child in care for more than two years and confirm a permanence plan.", HCIC, "March 2020", "Off track", "Reviews complete for 86 of 120 children.")),
    (2, "health", A("2.2", "Make sure every child in care has an up to date health assessment.", f"{NURSE} / {HCIC}", "December 2019", "Complete", "Every child in care had an assessment in date in December.")),
    (2, "leavers", A("2.3", "Give every care leaver a pathway plan written with them.", HCIC, "March 2020", "Off track", "Two personal adviser posts filled of three.")),
    (2, "fostering", A("2.4", "Recruit more in-house foster carers for teenagers and for brothers and sisters.", f"{HCIC} / {SMF}", "Q4 2019/20", "On track", "Six households approved since April.")),
    (3, "practice_model", A("3.1", "Introduce a strengths-based practice model across all teams.", PSW, "March 2020", "On track", "First cohort trained in November.")),
    (3, "caseloads", A("3.2", "Keep average caseloads below 18 in every team.", AD, "December 2019", "At risk", "Average caseload 19 across the service.")),
    (3, "agency", A("3.3", "Reduce the share of agency social workers to below one in five.", WDM, "March 2020", "At risk", "Agency share 22% in December.")),
    (3, "supervision", A("3.4", "Audit the quality of supervision every quarter.", SMQA, "January 2020", "On track", "Audit dates set for January.")),
    (4, "board", A("4.1", "Report progress to the Improvement Board every month.", DCS, "Ongoing", "On track", "Monthly reports continue.")),
    (4, "council", A("4.2", "Set up a children in care council that meets every month.", HCIC, "November 2019", "On track", "Council has met three times.")),
    (4, "qa_framework", A("4.3", "Implement the revised quality assurance framework with monthly case audits.", SMQA, "September 2019", "Complete", "Monthly audits running in every team.")),
    (4, "peer_review", A("4.4", "Commission a peer review of the front door from a partner council.", DCS, "February 2020", "Not started", "Terms of reference being drafted.")),
)  # fmt: skip


@dataclass(frozen=True)
class Version:
    """One published version of the plan: what its front page says and what it holds."""

    stem: str
    position_line: str  # the statement dating the version, as printed
    as_at: dt.date
    board_line: str  # the line naming the meeting it goes to, as printed
    date: dt.date  # the document's date as a reader takes it from the front page
    formats: tuple[str, ...]
    items: tuple[tuple[int, str, Action], ...]
    created: dt.datetime

    def actions(self) -> list[tuple[str, Action]]:
        return [(key, a) for _, key, a in self.items]


VERSIONS = (
    Version(
        stem="pendlemere_2019-20_improvement_plan_2019-06",
        position_line="Position at 30 June 2019",
        as_at=dt.date(2019, 6, 30),
        board_line="For the Improvement Board meeting in July.",
        date=dt.date(2019, 6, 30),
        formats=("pdf", "docx"),
        items=V1,
        created=dt.datetime(2019, 7, 3, 10, 0, 0),
    ),
    Version(
        stem="pendlemere_2019-20_improvement_plan_2019-09",
        position_line="Update: September 2019",
        as_at=dt.date(2019, 9, 30),
        board_line="Report to the Improvement Board, 15 October 2019.",
        date=dt.date(2019, 10, 15),
        formats=("pdf", "docx", "txt"),
        items=V2,
        created=dt.datetime(2019, 10, 8, 14, 30, 0),
    ),
    Version(
        stem="pendlemere_2019-20_improvement_plan_2019-12",
        position_line="Progress as at 31/12/19",
        as_at=dt.date(2019, 12, 31),
        board_line="Report to the Improvement Board, 21 January 2020.",
        date=dt.date(2019, 12, 31),
        formats=("pdf", "docx", "html"),
        items=V3,
        created=dt.datetime(2020, 1, 14, 9, 15, 0),
    ),
)
AS_AT_SOURCE = "position"  # every version states its position on its front page
TITLE = "Children's Services Improvement Plan 2019-20"


def _themes(version: Version) -> tuple[Theme, ...]:
    return tuple(
        Theme(title, items=tuple(a for n, _, a in version.items if n == i))
        for i, title in enumerate(THEME_TITLES, start=1)
        if any(n == i for n, _, _ in version.items)
    )


def plan_of(version: Version) -> Plan:
    return Plan(
        stem=version.stem,
        authority="Pendlemere",
        title=TITLE,
        period="2019-20",
        period_start=dt.date(2019, 4, 1),
        period_end=dt.date(2020, 3, 31),
        version="",
        date=version.date,
        formats=version.formats,
        legend=LEGEND,
        status_words=WORDS,
        themes=_themes(version),
        notes=(
            f"One of {len(VERSIONS)} versions of one plan; its as-at date is {version.as_at.isoformat()}, "
            f"read from '{version.position_line}'.",
            "Status words are read through the status key; 'Not started' has no colour but a meaning.",
            "The expected changes between versions are in expected/history/.",
            "page is the PDF page of the action's first line.",
        ),
    )


def key_grid() -> Grid:
    """The key names each colour in words too, so a text export keeps it."""
    rows = [header_row("Colour", "Status", "What it means")]
    for w in WORDS:
        meaning, fill = KEY_TEXT[w.word]
        colour = (w.colour or "").capitalize()
        rows.append((cell(colour, fill=fill), cell(w.word, bold=True), cell(meaning)))
    return Grid(name="status_key", rows=tuple(rows), col_widths=(0.12, 0.2, 0.68), font_size=9)


def plan_grid(version: Version) -> Grid:
    rows = [
        header_row(
            "Ref", "Theme", "Action", "Lead officer", "Due date", "Status", "Progress update"
        )
    ]
    keys: list[str | None] = [None]
    i = 0
    for theme in _themes(version):
        for j, a in enumerate(theme.items):
            rows.append(
                (
                    cell(a.ref),
                    cell(theme.title, rowspan=len(theme.items), bold=True) if j == 0 else None,
                    cell(a.text),
                    cell(a.lead_raw),
                    cell(str(a.due)),
                    cell(a.status_text, fill=a.fill),
                    cell(a.progress),
                )
            )
            keys.append(f"action:{i}")
            i += 1
    return Grid(
        name="plan",
        rows=tuple(rows),
        col_widths=(0.05, 0.12, 0.27, 0.15, 0.09, 0.08, 0.24),
        repeat_header=True,
        font_size=8,
        row_keys=tuple(keys),
    )


def document_of(version: Version) -> Document:
    blocks = (
        Para("Pendlemere Borough Council", "title"),
        Para(TITLE, "title"),
        Para(version.position_line),
        Para(version.board_line),
        Heading("About this plan"),
        Para(
            "This plan sets out what we are doing to improve help and protection for children after "
            "the inspection in March 2019. Each lead updates their actions before the Improvement Board "
            "meets. Actions that the board has signed off as complete are taken out of the next update, "
            "and the actions after them are renumbered."
        ),
        Heading("Status key", 2),
        TableBlock(key_grid()),
        Heading("Improvement actions"),
        TableBlock(plan_grid(version)),
    )
    return Document(
        stem=version.stem,
        title=f"Pendlemere Borough Council – {TITLE}",
        author="Pendlemere Borough Council",
        subject="Improvement plan update",
        landscape=True,
        header=f"Pendlemere Borough Council – {TITLE}",
        footer=version.position_line,
        created=version.created,
        blocks=blocks,
    )


@dataclass(frozen=True)
class VersionModule:
    """What make_samples needs of a plan module, for one version."""

    version: Version

    @property
    def PLAN(self) -> Plan:  # noqa: N802 - the name every plan module uses
        return plan_of(self.version)

    def document(self) -> Document:
        return document_of(self.version)


MODULES = tuple(VersionModule(v) for v in VERSIONS)


# ---------------------------------------------------------------------- expected changes

CHANGE_ORDER = ("text", "ref", "status", "due_date", "lead", "added", "dropped")


def _leads(plan: Plan, a: Action) -> str:
    return "; ".join(leads_of(plan, a.lead))


def changes(older: Version, newer: Version) -> list[dict]:
    """The truth's diff of two versions: per action in the newer version's order, what
    changed (text, ref, status meaning, due date, leads) or that it was added; then the
    actions dropped, in the older version's order."""
    old_plan, new_plan = plan_of(older), plan_of(newer)
    before = dict(older.actions())
    after = dict(newer.actions())
    out: list[dict] = []

    def row(key: str, a: Action, change: str, old: object, new: object) -> dict:
        return {
            "key": key,
            "from_as_at": older.as_at.isoformat(),
            "to_as_at": newer.as_at.isoformat(),
            "ref": a.ref,
            "action": a.full_text,
            "change": change,
            "old": old or "",
            "new": new or "",
        }

    for key, b in newer.actions():
        a = before.get(key)
        if a is None:
            out.append(row(key, b, "added", "", status_of(new_plan, b)[1]))
            continue
        pairs = {
            "text": (a.full_text, b.full_text),
            "ref": (a.ref, b.ref),
            "status": (status_of(old_plan, a)[1], status_of(new_plan, b)[1]),
            "due_date": (due_iso(a.due), due_iso(b.due)),
            "lead": (_leads(old_plan, a), _leads(new_plan, b)),
        }
        for change in CHANGE_ORDER[:5]:
            old, new = pairs[change]
            same = norm(str(old)).lower() == norm(str(new)).lower()
            if change == "lead":
                same = sorted(_leads(old_plan, a).lower().split("; ")) == sorted(
                    _leads(new_plan, b).lower().split("; ")
                )
            if not same:
                out.append(row(key, b, change, old, new))
    for key, a in older.actions():
        if key not in after:
            out.append(row(key, a, "dropped", status_of(old_plan, a)[1], ""))
    return out


def expected_history() -> dict:
    """The versions of the plan, their as-at dates, and every change between consecutive ones."""
    return {
        "authority": "Pendlemere",
        "title": TITLE,
        "notes": [
            "Every change between consecutive versions, as the truth's own diff (each action has a key "
            "here); planx must find the same list by matching actions itself.",
            "old/new: status meanings, ISO due dates, leads '; '-joined, refs, action texts; for an "
            "added action new is its status meaning, for a dropped one old is.",
        ],
        "versions": [
            {
                "as_at": v.as_at.isoformat(),
                "as_at_source": AS_AT_SOURCE,
                "as_at_raw": v.position_line,
                "documents": [f"plans/{v.stem}.{fmt}" for fmt in v.formats],
                "n_actions": len(v.items),
            }
            for v in VERSIONS
        ],
        "changes": [c for a, b in zip(VERSIONS, VERSIONS[1:], strict=False) for c in changes(a, b)],
    }


__all__ = ["MODULES", "VERSIONS", "expected_history"]
