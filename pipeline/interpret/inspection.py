"""An Ofsted inspection report of a council's children's services, read into an `Inspection`.

Reads the layouts of every framework since 2013 from the layout model, never from
a file name; the cue words are data (pipeline/data/inspection_cues.json):

- the framework (SIF or ILACS) from the cue phrases its layout uses;
- the inspection dates and the publication date from their labelled lines;
- the judgements from the grade table on the opening pages (a row's label and the
  grade cell beside it), the overall grade from that table's "Overall effectiveness"
  row or from the sentence that states it ("Children's services in X are
  inadequate"), the board's grade from its heading ("The Local Safeguarding
  Children Board requires improvement"); a report without a grade table gives its
  judgements in its section headings ("...help and protection: inadequate");
- the recommendations: the items listed under a recommendations heading
  ("Recommendations", "What does the local authority need to improve?", "What
  needs to improve?"), through its sub-headings ("Priority and immediate action",
  "Areas for improvement") and group labels, until the next heading; an item
  carried over a line or a page is joined to the one it continues. A list under a
  heading naming the board, or in the board's part of the report, is the LSCB's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planx.pipeline.inspection_cues import cited_cells, load_inspection_cues
from planx.pipeline.nlp.dates import parse_date
from planx.schemas.layout import Block, LayoutDocument, Table
from planx.schemas.records import Inspection, Judgement, Recommendation

__all__ = ["read_inspection", "load_inspection_cues", "normalise_grade", "cited_cells"]

# A footnote marker run onto a heading's last word: "What needs to improve?1".
_FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z?.)])\d{1,2}$")
# A judgement label's own numbering: "2.1 Adoption performance".
_LABEL_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+")
# A label ending in its grade: "The experiences and progress of care leavers: inadequate",
# or a grade table drawn as lines of text: "Overall effectiveness Inadequate".
_LABELLED_GRADE = re.compile(
    r"^(?P<label>.{8,200}?)(?<!\bare)(?<!\bis)(?<!\bbe)\s*(?::\s*|\s)"
    r"(?P<grade>outstanding|good|requires improvement(?: to be good)?|inadequate|not judged)\.?$",
    re.IGNORECASE,
)
# An item's number or bullet written into its text: "12. Ensure ...", "(b) Review ...".
_WRITTEN_LABEL = re.compile(r"^(?P<label>\(?\d{1,3}[.)]|\([a-z]\))\s+(?=\S)")
# A footnote set at the foot of a page, between an item and the rest of it: "1 The areas ...".
_FOOTNOTE = re.compile(r"^\d{1,2}\s+[A-Z]")
_SENTENCE_END = re.compile(r"[.!?;:)’”'\"]$")


def _clean(text: str) -> str:
    """One line, spaces collapsed, a footnote marker on the last word dropped."""
    return _FOOTNOTE_MARK.sub("", " ".join(text.split()))


def normalise_grade(text: str) -> str:
    """A grade as the reports print it in their tables: "require improvement" -> "Requires improvement"."""
    text = " ".join(text.split()).rstrip(".")
    text = re.sub(r"^require\b", "requires", text, flags=re.IGNORECASE)
    return text[:1].upper() + text[1:].lower() if text else ""


def _area(label: str) -> str:
    return next((area for area, p in load_inspection_cues().areas if p.search(label)), "")


def _opening(doc: LayoutDocument) -> list[Block]:
    """The blocks of the opening pages (every block of a format without pages)."""
    pages = load_inspection_cues().opening_pages
    return [b for b in doc.blocks if b.prov.page is None or b.prov.page <= pages]


def _block_texts(block: Block) -> list[str]:
    if block.table is None:
        return [_clean(block.text)] if block.text.strip() else []
    return [_clean(t) for row in block.table.texts() for t in row if t.strip()]


def _framework(doc: LayoutDocument) -> str:
    cues = load_inspection_cues()
    texts = [t for b in _opening(doc) for t in _block_texts(b)]
    found = {
        name: sum(any(p.search(t) for t in texts) for p in patterns)
        for name, patterns in cues.frameworks.items()
    }
    best = max(found, key=lambda k: found[k]) if found else ""
    return best if best and found[best] else ""


def _grade_table_rows(table: Table) -> list[tuple[str, str]]:
    """(label, grade) of each row holding a grade; (label, '') for a row that states one in words."""
    grade = load_inspection_cues().grade
    rows = []
    for row in table.texts():
        cells = [_clean(t) for t in row]
        graded = [c for c in cells if c and grade.match(c)]
        words = list(dict.fromkeys(c for c in cells if c and not grade.match(c)))
        label = _LABEL_NUMBER.sub("", words[0]) if words else ""
        if label:
            rows.append((label, graded[-1] if graded else ""))
    return rows


def _judgements(doc: LayoutDocument) -> tuple[list[Judgement], str]:
    """The judgements of the grade table (else of the section headings), and the overall grade."""
    cues = load_inspection_cues()
    judgements: list[Judgement] = []
    overall = ""
    for block in _opening(doc):
        if block.table is None:
            continue
        rows = _grade_table_rows(block.table)
        if sum(bool(g) for _, g in rows) < 3:
            continue
        for label, grade in rows:
            if grade:
                judgements.append(Judgement(area=_area(label), label=label, grade=grade))
            elif m := cues.overall_sentence.search(label):
                overall = overall or normalise_grade(m.group("grade"))
        break
    if not judgements:  # no grade table: lines on the opening pages or headings carry them
        opening = {id(b) for b in _opening(doc)}
        for block in doc.blocks:
            if block.table is not None or not (block.kind == "heading" or id(block) in opening):
                continue
            m = _LABELLED_GRADE.match(_clean(block.text))
            if m and _area(m.group("label")):
                label = m.group("label")
                if all(j.label != label for j in judgements):
                    grade = normalise_grade(m.group("grade"))
                    judgements.append(Judgement(area=_area(label), label=label, grade=grade))
    overall = next((j.grade for j in judgements if j.area == "overall"), overall)
    if not overall:
        for block in _opening(doc):
            m = next(filter(None, map(cues.overall_sentence.search, _block_texts(block))), None)
            if m:
                overall = normalise_grade(m.group("grade"))
                break
    if not any(j.area == "lscb" for j in judgements):
        for block in doc.blocks:
            text = _clean(block.text) if block.kind == "heading" else ""
            if m := cues.lscb_sentence.match(text):
                grade = normalise_grade(m.group("grade"))
                judgements.append(Judgement(area="lscb", label=text, grade=grade))
                break
    return judgements, overall


def _labelled_value(doc: LayoutDocument, pattern: re.Pattern[str]) -> str:
    for block in _opening(doc):
        for text in _block_texts(block):
            if m := pattern.match(text):
                return m.group("value").strip()
    return ""


def _is_heading(block: Block) -> bool:
    return block.kind == "heading" and bool(block.text.strip())


def _continues(previous: str, text: str) -> bool:
    """Whether `text` carries on the item before it (split over a line or a page)."""
    return bool(previous) and (text[:1].islower() or not _SENTENCE_END.search(previous))


@dataclass
class _Item:
    label: str
    text: str
    about: str
    section: str
    page: int | None


def _items(doc: LayoutDocument) -> list[_Item]:
    """The recommendation lists' items, in the report's order."""
    cues = load_inspection_cues()
    items: list[_Item] = []
    part = "local authority"
    about = ""  # the list being read, or '' outside one
    section = ""
    for block in doc.blocks:
        if block.table is not None:
            continue
        text = _clean(block.text)
        if not text:
            continue
        if _is_heading(block):
            if cues.lscb_part.search(text):
                part = "LSCB"
            elif cues.local_authority_part.match(text):
                part = "local authority"
            if any(p.match(text) for p in cues.headings):
                board = part == "LSCB" or bool(cues.lscb_heading.search(text))
                about, section = ("LSCB" if board else "local authority"), text
            elif about and any(p.match(text) for p in cues.subheadings):
                section = text
            else:
                about = ""
            continue
        if not about:
            continue
        written = _WRITTEN_LABEL.match(text)
        last = items[-1] if items and items[-1].about == about else None
        if block.kind == "list_item" or written:
            label = (block.list_label or "").strip() or (written.group("label") if written else "")
            label = label if re.search(r"\w", label) else ""  # a bullet is not a number
            if written:
                text = text[written.end() :]
            if last is not None and not label and _continues(last.text, text):
                last.text = f"{last.text} {text}"
                continue
            items.append(_Item(label, text, about, section, block.prov.page))
        elif last is not None and _continues(last.text, text) and not _FOOTNOTE.match(text):
            last.text = f"{last.text} {text}"
        # else: a group label ("Outcomes for care leavers"), an introduction or a footnote
    return items


def read_inspection(doc: LayoutDocument) -> Inspection:
    """Framework, dates, judgements and recommendations of an inspection report."""
    cues = load_inspection_cues()
    judgements, overall = _judgements(doc)
    dates_raw = _labelled_value(doc, cues.dates)
    published_raw = _labelled_value(doc, cues.published)
    title = next((_clean(b.text) for b in doc.blocks if _is_heading(b)), "")
    recommendations = [
        Recommendation(
            n=n,
            label=item.label,
            text=item.text,
            about=item.about,
            section=item.section,
            page=item.page,
        )
        for n, item in enumerate(_items(doc), start=1)
    ]
    return Inspection(
        framework=_framework(doc),
        title=title,
        dates_raw=dates_raw,
        inspection_start=parse_date(dates_raw, role="start").date if dates_raw else None,
        inspection_end=parse_date(dates_raw, role="due").date if dates_raw else None,
        published_raw=published_raw,
        published=parse_date(published_raw, role="due").date if published_raw else None,
        overall=overall,
        judgements=judgements,
        recommendations=recommendations,
    )
