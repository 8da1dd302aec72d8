"""The date a document reports progress at (its "as-at" date), and where that date came from.

Councils republish one plan every month or quarter; each copy says when its position was
taken: "Position at 28 February 2019", "Update: March 2019", "as at 31/03/19", "Quarter 2
2019-20". The first such statement near the top of the document wins; then a quarter named
in its title or front page; then the document's own date (a report date, a dated line);
then the end of the plan's period; then the date the file was created. A month or quarter
without a day means its last day: a position is taken at the end of the period named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from planx.pipeline.interpret.front_matter import front_texts
from planx.pipeline.nlp.dates import DateContext, parse_date
from planx.schemas.layout import LayoutDocument
from planx.schemas.records import AsAtSource, Plan

# Sources read from what the document says about its own position: two copies of one plan
# dated by these are different versions when the dates differ. The others are fallbacks.
STATED_SOURCES: frozenset[str] = frozenset({"position", "quarter", "report_date"})

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?:19|20)\d\d"
_DAY_DATE = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+{_YEAR}"
    r"|\d{1,2}[/.]\d{1,2}[/.](?:19|20)?\d\d"
)
_MONTH_DATE = rf"{_MONTH}\s*[-']?\s*(?:{_YEAR}|\d\d)(?![\d/])"
_QUARTER = rf"(?:q|quarter)\s*[1-4](?:\s*(?:of\s+)?(?:{_YEAR}\s*[-/–]\s*(?:{_YEAR}|\d\d)|{_YEAR}))?"
_WHEN = rf"(?P<when>{_DAY_DATE}|{_MONTH_DATE}|{_QUARTER})"
_END_OF = r"(?:\s+(?:the\s+)?end\s+of)?"
# "Position at", "Position as at", "Progress to", "Status at", "Data as of", "as at", "Updated on",
# "Update:", "Progress update –", "Update for": each followed by the date.
_CUE = (
    rf"(?:(?:position|progress|status|performance|data|figures)\s+(?:as\s+)?(?:at|on|to|of){_END_OF}"
    rf"|\bas\s+(?:at|of){_END_OF}"
    rf"|(?:progress\s+)?update[ds]?(?:\s+(?:as\s+)?(?:at|on|to|for|of))?{_END_OF})"
)
_POSITION = re.compile(rf"\b{_CUE}\s*[:\-–—]?\s*{_WHEN}", re.IGNORECASE)
_QUARTER_NAMED = re.compile(
    rf"\b(?P<when>(?:q|quarter)\s*[1-4]\s*(?:of\s+)?(?:{_YEAR}\s*[-/–]\s*(?:{_YEAR}|\d\d)|{_YEAR}))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AsAt:
    """The as-at date, the words it was read from, and which kind of evidence gave it."""

    date: dt.date | None = None
    raw: str = ""
    source: AsAtSource = ""


def find_position(texts: Sequence[str]) -> str:
    """The first position statement ("Position at 28 February 2019", "Update: March 2019")."""
    for text in texts:
        if m := _POSITION.search(text):
            return m.group(0).strip()
    return ""


def find_quarter(texts: Sequence[str]) -> str:
    """The first quarter named with its year ("Quarter 2 2019-20", "Q3 2018/19")."""
    for text in texts:
        if m := _QUARTER_NAMED.search(text):
            return m.group("when").strip()
    return ""


def _when(statement: str) -> str:
    m = _POSITION.search(statement) or _QUARTER_NAMED.search(statement)
    return m.group("when") if m else statement


def _read(text: str, context: DateContext) -> dt.date | None:
    """A position's date: the day named, else the last day of the month or quarter named."""
    value = parse_date(_when(text), role="due", context=context)
    return value.date if value.precision in ("day", "month", "quarter") else None


def _created(metadata: dict[str, str]) -> dt.date | None:
    """The file's creation date from its properties (ISO text, or a PDF 'D:YYYYMMDD...')."""
    for key in ("created", "creationdate"):
        text = metadata.get(key, "")
        if m := re.match(r"^(?:D:)?(\d{4})-?(\d{2})-?(\d{2})", text.strip()):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def read_as_at(
    texts: Sequence[str],
    *,
    title: str = "",
    document_date: dt.date | None = None,
    document_date_raw: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    metadata: dict[str, str] | None = None,
) -> AsAt:
    """The as-at date from a document's front texts, its title, its date, period and file."""
    context = DateContext(period_start=period_start, period_end=period_end)
    lines = [title, *texts] if title else list(texts)
    if (statement := find_position(lines)) and (date := _read(statement, context)):
        return AsAt(date, statement, "position")
    if (quarter := find_quarter(lines)) and (date := _read(quarter, context)):
        return AsAt(date, quarter, "quarter")
    if document_date is not None:
        return AsAt(document_date, document_date_raw, "report_date")
    if period_end is not None:
        return AsAt(period_end, "", "period_end")
    if (created := _created(metadata or {})) is not None:
        return AsAt(created, "", "file_date")
    return AsAt()


def document_as_at(
    doc: LayoutDocument,
    *,
    title: str = "",
    document_date: dt.date | None = None,
    document_date_raw: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> AsAt:
    """`read_as_at` over a document's front matter and file properties."""
    return read_as_at(
        front_texts(doc.blocks),
        title=title,
        document_date=document_date,
        document_date_raw=document_date_raw,
        period_start=period_start,
        period_end=period_end,
        metadata=dict(doc.metadata),
    )


def with_as_at(plan: Plan, doc: LayoutDocument) -> Plan:
    """The plan with its as-at date read from the document it came from."""
    found = document_as_at(
        doc,
        title=plan.title,
        document_date=plan.date,
        document_date_raw=plan.date_raw,
        period_start=plan.period_start,
        period_end=plan.period_end,
    )
    return plan.model_copy(
        update={"as_at": found.date, "as_at_raw": found.raw, "as_at_source": found.source}
    )
