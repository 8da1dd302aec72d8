"""What a plan says about itself: title, period, version, date, its glossary, its
status legend, and the status counts it reports (read in counts.py, exported here).

All functions read plain text lines (blocks and table rows in document order)
and return plain values; nothing here knows a particular council.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from planx.pipeline.interpret.counts import (
    COLOUR_WORD,
    find_reported_counts,
    find_status_counts,
    is_count_table,
)
from planx.schemas.layout import Block, LayoutDocument, Table
from planx.schemas.records import GlossaryEntry, LegendEntry, LegendMark, StatusLegend

COLOURS = ("red", "amber", "green", "blue")
_COLOUR_WORD = COLOUR_WORD
FRONT_BLOCKS = 20

# --- glossary ---------------------------------------------------------------------------------

_ABBR_WORD = r"(?:[A-Z][A-Za-z&]{0,2}[A-Z][A-Za-z&/]{0,8}|[A-Z]{2,})"
# A term may be two or three abbreviations ("AD CSC", "HoS LAC").
_ABBR = rf"{_ABBR_WORD}(?: {_ABBR_WORD}){{0,2}}"
# "EDCYP= Executive Director CYP", "GC = Head of Service", "JH: Head of ..." (':' and dashes only in a key).
_GLOSS_EQ = re.compile(rf"(?<![\w/])({_ABBR})\s*=\s*(.+?)\s*(?=(?:[;,]|\s)\s*(?:{_ABBR})\s*=|;|$)")
_GLOSS_LOOSE = re.compile(rf"^\s*({_ABBR})\s*(?:[:=]|\s[-–—]\s)\s*(.+?)\s*$")
_GLOSSARY_CONTEXT = re.compile(
    r"\b(key|abbreviations?|glossary|acronyms?|initials)\b", re.IGNORECASE
)


def _clean_expansion(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .;,")


def find_glossary(doc: LayoutDocument) -> list[GlossaryEntry]:
    entries: dict[str, str] = {}

    def add(abbr: str, expansion: str) -> None:
        expansion = _clean_expansion(expansion)
        if (
            abbr not in entries
            and 2 <= len(expansion) <= 120
            and expansion != abbr
            and not expansion.isdigit()
        ):
            entries[abbr] = expansion

    in_key = False
    for block in doc.blocks:
        if block.table is not None:
            labels = [t.lower() for t in block.table.header_texts()]
            keyed = any(_GLOSSARY_CONTEXT.search(t) for t in labels) or in_key
            for row in block.table.texts():
                filled = [t for t in row if t]
                for text in filled:
                    for m in _GLOSS_EQ.finditer(text):
                        add(m.group(1), m.group(2))
                if (
                    keyed
                    and len(filled) == 2
                    and re.fullmatch(_ABBR, filled[0])
                    and len(filled[1]) > len(filled[0])
                ):
                    add(filled[0], filled[1])
            in_key = False
            continue
        text = block.text
        if block.kind == "heading":
            in_key = bool(_GLOSSARY_CONTEXT.search(text)) and len(text) < 60
            continue
        hits = list(_GLOSS_EQ.finditer(text))
        for m in hits:
            add(m.group(1), m.group(2))
        if not hits and (in_key or re.match(r"^\s*(key|abbreviations?)\s*:", text, re.IGNORECASE)):
            body = re.sub(r"^\s*(key|abbreviations?)\s*:\s*", "", text, flags=re.IGNORECASE)
            for part in re.split(r";\s*", body):
                if m := _GLOSS_LOOSE.match(part):
                    add(m.group(1), m.group(2))
        if (
            block.kind == "paragraph"
            and _GLOSSARY_CONTEXT.match(text.strip())
            and text.rstrip().endswith(":")
        ):
            in_key = True
    return [GlossaryEntry(abbreviation=a, expansion=e, source="plan") for a, e in entries.items()]


# --- status legend ------------------------------------------------------------------------------

_PROSE_LEGEND = re.compile(
    r"\b(red|amber|green|blue|yellow)\s*(?:\(\s*[RAGBY]\s*\)\s*)?(?:meaning|means|=|:|–|—|-|indicates|signifies|denotes|is used for|shows)\s*"
    r"['‘“\"]?(.+?)['’”\"]?\s*(?=(?:,|;|\.|\band\b)\s*(?:and\s+)?(?:red|amber|green|blue|yellow)\b|[.;]\s|[.;]?$)",
    re.IGNORECASE,
)
_LEGEND_ITEM = re.compile(
    r"^(?:(?P<c1>red|amber|green|blue|yellow)\b\s*(?:\([^)]*\))?|(?P<before>[^()]{1,40}?)\s*\((?P<c2>red|amber|green|blue|yellow)\))"
    r"\s*[-–—:=]\s*(?P<after>.+)$",
    re.IGNORECASE,
)
_RATED = re.compile(r"\b(rag|brag|rated|rating|status|colour|criteria)\b", re.IGNORECASE)
# A key written as one sentence per colour: "Green text or arrows indicate that ...",
# "Red cells show ...", "Blue arrows are shown where ...:" (the colour first, then what
# is coloured, then a verb of meaning).
_KEY_SENTENCE = re.compile(
    r"^\W{0,3}(red|amber|green|blue|yellow)\b"
    r"(?:\s*(?:,|/|\bor\b|\band\b|\b(?:text|font|arrows?|cells?|shading|icons?|dots?|circles?|"
    r"bars?|boxes|box|ratings?|rag|status|colou?r|highlighting|figures?|values?|triangles?)\b))+"
    r"\s+(?:(?:is|are)\s+used\s+to\s+)?"
    r"(indicates?|shows?|means?|denotes?|signif(?:y|ies)|represents?|highlights?|(?:is|are)\s+(?:shown|used))\b"
    r"\s*(?:that\s+)?(.+)$",
    re.IGNORECASE | re.DOTALL,
)
KEY_SENTENCE_GAP = 8  # blocks: key sentences further apart than this are separate passages


def _colour_word(text: str) -> str | None:
    word = text.strip().strip(":*").lower()
    return _COLOUR_WORD.get(word)


def _legend_from_table(table: Table) -> list[tuple[str, str, str | None]]:
    """Rows of (colour, wording, fill) from a key table: a colour word (or a coloured
    empty cell) beside a description. A key tells statuses apart, so rows that all show
    one fill (banner rows of a styled table) are no key."""
    found = []
    for row in table.rows:
        cells = [c for c in row if c.merged_from is None or c.merged_from[0] != c.row]
        texts = [c.text.strip() for c in cells]
        if len(cells) < 2:
            continue
        colour = _colour_word(texts[0])
        # Wording has words: "Green | 17" is a count, not a key.
        wording = next(
            (t for t in texts[1:] if re.search(r"[A-Za-z]{2}", t) and not _colour_word(t)), ""
        )
        if colour and wording and wording.lower() not in ("status", "meaning", "description"):
            found.append((colour, wording, cells[0].fill))
        elif not texts[0] and cells[0].fill and wording:
            found.append(("", wording, cells[0].fill))
        elif cells[0].fill and 0 < len(texts[0].split()) <= 4 and wording:
            # "Complete" on a blue fill beside what it means: the fill is the colour, the
            # word and the wording together say what it means.
            found.append(("", f"{texts[0]}: {wording}", cells[0].fill))
    if len({colour or fill for colour, _, fill in found}) < 2:
        return []
    return found


def _word_key_meanings(table: Table) -> list[str]:
    """The meaning of each row of a key written in status words alone, as a text export
    keeps one once its fills are gone ("On track | Progressing to plan"): a status word
    (one of the meaning words in status_words.json) beside words saying what it means."""
    from planx.pipeline.nlp.lexicon import load_status_words  # the data, not the NLP pipeline

    words = {p: m for m, phrases in load_status_words().meanings.items() for p in phrases}
    found = []
    for row in table.rows:
        texts = [c.text.strip() for c in row if c.merged_from is None or c.merged_from[0] != c.row]
        meaning = words.get(texts[0].strip(" :*").lower()) if texts else None
        if meaning and any(re.search(r"[A-Za-z]{2}", t) for t in texts[1:]):
            found.append(meaning)
    return found


def is_legend_table(table: Table) -> bool:
    """A small key table: most of its body rows are a colour beside what it means, or (with
    no colours, as in a text export) a status word beside what it means."""
    body = table.n_rows - table.n_header_rows
    rows = _legend_from_table(table)
    if len(rows) >= 2 and len(rows) >= body - 1 and table.n_rows <= 8:
        return True
    if table.n_cols > 3 or table.n_rows > 8:
        return False
    meanings = _word_key_meanings(table)
    return len(set(meanings)) >= 2 and len(meanings) >= body - 1


def _key_sentences(blocks: Sequence[Block]) -> dict[str, str]:
    """colour -> wording from a key written as one sentence per colour; a sentence that
    ends with ':' takes the list items after it. Only a passage naming two or more
    colours counts (one sentence starting "Red ..." is no key)."""
    passages: list[dict[str, str]] = []
    last = -KEY_SENTENCE_GAP - 1
    for i, block in enumerate(blocks):
        if block.table is not None or block.kind == "heading":
            continue
        m = _KEY_SENTENCE.match(block.text.strip())
        if not m:
            continue
        wording = m.group(3).strip()
        if wording.endswith(":"):
            items = []
            for nxt in blocks[i + 1 : i + 6]:
                if nxt.kind != "list_item":
                    break
                items.append(nxt.text.strip())
            wording = " ".join([wording, *items])
        if i - last > KEY_SENTENCE_GAP:
            passages.append({})
        last = i
        passages[-1].setdefault(_COLOUR_WORD[m.group(1).lower()], normalise(wording)[:300])
    best = max(passages, key=len, default={})
    return best if len(best) >= 2 else {}


_SYMBOL_CATEGORIES = ("So", "Sm", "Po")  # ✓ ● ■ ▲ ★, and • (punctuation in Unicode)
_LABEL_END = re.compile(r"\s*(?:[;|,]|\s{2,})\s*$")


def _is_symbol(text: str) -> bool:
    """One or two characters that are marks, not words: ✓ ● ▲ ■ ★."""
    return 0 < len(text) <= 2 and all(
        unicodedata.category(ch) in _SYMBOL_CATEGORIES and ch not in ".,;:!?'\"&%#*@/\\"
        for ch in text
    )


def legend_from_symbols(
    block: Block, fill_to_colour
) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """A key of coloured marks, each followed by what it means ("Key: ✓ Achieved ●
    Progressing ● Not progressing ○ Not yet started"): (colour, wording, glyph colour) for
    the marks in a status colour, and mark -> wording for the others (a grey ○). A label
    runs to the next mark. Needs two marks in status colours, so bullets are not a key."""
    coloured = [(t, c) for t, c in block.colour_runs if _is_symbol(t)]
    if len(coloured) < 2 or fill_to_colour is None:
        return [], {}
    text = block.text
    colour_at: dict[int, str] = {}  # where each coloured mark sits in the block's text
    at = 0
    for mark, colour in coloured:
        found = text.find(mark, at)
        if found < 0:
            return [], {}
        colour_at[found] = colour
        at = found + len(mark)
    starts = [i for i in range(len(text)) if _is_symbol(text[i])]
    entries: list[tuple[str, str, str]] = []
    plain: dict[str, str] = {}
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        label = _LABEL_END.sub("", text[start + 1 : end]).strip(" -–—:=")
        if not label or len(label.split()) > 12:
            continue
        glyph = colour_at.get(start)
        name = fill_to_colour(glyph) if glyph else None
        if name and glyph:
            entries.append((name, label, glyph))
        elif glyph is None and text[start] not in {t for t, _ in coloured}:
            plain.setdefault(text[start], label)
    if len(entries) < 2:
        return [], {}
    return entries, plain


@dataclass
class _KeyReading:
    """What the walk through a document's blocks has found of its status key."""

    fill_to_colour: Callable[[str], str | None] | None
    entries: dict[str, str] = field(default_factory=dict)  # colour -> the key's wording
    fills: dict[str, str] = field(default_factory=dict)  # colour -> the key's fill or glyph
    criteria: list[str] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)  # uncoloured mark -> wording
    in_criteria: bool = False  # under a "RAG criteria" heading

    def read_block(self, block: Block) -> None:
        """One block: a key table, a line of coloured marks, a criteria list, or prose."""
        if block.table is not None:
            self.read_table(block.table)
            self.in_criteria = False
        elif not self.read_marks(block):
            text = block.text.strip()
            if not self.read_criteria(block, text):
                self.read_prose(block, text)

    def read_table(self, table: Table) -> None:
        """A key table: a colour word (or a coloured empty cell) beside each wording."""
        rows = _legend_from_table(table)
        if len(rows) < 2:
            return
        for colour, wording, fill in rows:
            if not colour and self.fill_to_colour and fill:
                colour = self.fill_to_colour(fill) or ""
            colour = colour or ""
            if colour and colour not in self.entries:
                self.entries[colour] = wording
                if fill:
                    self.fills[colour] = fill

    def read_marks(self, block: Block) -> bool:
        """A line of coloured marks each followed by its meaning; whether there were any."""
        marked, plain = legend_from_symbols(block, self.fill_to_colour)
        for colour, wording, glyph in marked:
            if colour not in self.entries:
                self.entries[colour] = wording
                self.fills[colour] = glyph
        for mark, wording in plain.items():
            self.marks.setdefault(mark, wording)
        return bool(marked)

    def read_criteria(self, block: Block, text: str) -> bool:
        """A "criteria" heading and the list items under it; whether the block was one."""
        if (
            block.kind in ("heading", "paragraph")
            and re.search(r"\bcriteria\b", text, re.IGNORECASE)
            and len(text) < 80
        ):
            self.in_criteria = True
            return True
        if (
            block.kind == "list_item"
            and self.in_criteria
            and not re.search(r"\b(red|amber|green|blue)\b", text, re.IGNORECASE)
        ):
            self.criteria.append(text)
            return True
        if block.kind != "list_item":
            self.in_criteria = False
        return False

    def read_prose(self, block: Block, text: str) -> None:
        """A key in prose: several colours with their wording, or a rating list's item."""
        entries = self.entries
        matches = list(_PROSE_LEGEND.finditer(text))
        if (
            len(matches) >= 2
            and _RATED.search(text)
            or (len(matches) >= 2 and block.kind == "paragraph")
        ):
            for m in matches:
                colour = _COLOUR_WORD[m.group(1).lower()]
                entries.setdefault(colour, m.group(2).strip(" '‘’\"“”"))
            return
        if block.kind == "list_item" and (m := _LEGEND_ITEM.match(text)):
            # "Green – achieved: ...", "On track (green) – ..."
            colour = _COLOUR_WORD[(m.group("c1") or m.group("c2")).lower()]
            label = " ".join(p for p in (m.group("before"), m.group("after")) if p).strip(" -–—:")
            entries.setdefault(colour, label[:1].upper() + label[1:])
            return
        colours = re.findall(r"\b(red|amber|green|blue)\b", text, re.IGNORECASE)
        if (
            block.kind == "list_item"
            and len(set(c.lower() for c in colours)) == 1
            and _RATED.search(text)
        ):
            entries.setdefault(colours[0].lower(), text)


def find_legend(doc: LayoutDocument, fill_to_colour=None) -> StatusLegend:
    """The plan's own key to its status colours: a key table, prose, a rating list, or a
    line of coloured marks each followed by its meaning.

    `fill_to_colour(hex) -> colour | None` names a key cell that is coloured but empty.
    """
    found = _KeyReading(fill_to_colour)
    for block in doc.blocks:
        found.read_block(block)
    for colour, wording in _key_sentences(doc.blocks).items():
        found.entries.setdefault(colour, wording)
    return StatusLegend(
        entries=[
            LegendEntry(colour=c, label=found.entries[c], fill=found.fills.get(c))
            for c in COLOURS
            if c in found.entries
        ],
        criteria=found.criteria,
        marks=[LegendMark(mark=m, label=w) for m, w in found.marks.items()],
    )


# --- title, period, version, date ----------------------------------------------------------------

_PERIOD = re.compile(
    r"\b((?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(?:19|20)\d\d\s*(?:-|–|—|to)\s*"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d\s*(?:-|–|—|/|to)\s*(?:(?:19|20)\d\d|\d\d)(?!\d))",
    re.IGNORECASE,
)
_VERSION = re.compile(
    r"\b(?:version|ver\.?|v)\s?(\d+(?:\.\d+)*(?:\s*(?:final|draft))?)\b", re.IGNORECASE
)
_TITLE_WORDS = re.compile(
    r"\b(plan|improvement|report|strategy|update|programme|tracker)\b", re.IGNORECASE
)
_PERIOD_ONLY = re.compile(r"^\s*(?:19|20)\d\d\s*(?:[-/–]\s*(?:19|20)?\d\d)?\s*$")
_COUNCIL_PREFIX = re.compile(r"^.{2,60}?\bCouncil\s*[-–—:]\s*")
TITLE_BLOCKS = 12
_SUBJECT = re.compile(r"^\s*(?:subject|title|report title)\s*:\s*(.{5,150})$", re.IGNORECASE)
_MONTHS = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_FULL_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTHS}\s+(?:19|20)\d\d|\d{{1,2}}/\d{{1,2}}/(?:19|20)?\d\d)"
)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
# "Dated: 19/09/2018", "Date of Issue: Friday, 3 March 2017", "Accurate when produced on 24/02/2017".
_LABELLED_DATE = re.compile(
    rf"\b(?:dated?|date of (?:issue|meeting|publication|report)|report date)\s*:?\s*{_WEEKDAY}({_FULL_DATE})",
    re.IGNORECASE,
)
_POSITION_DATE = re.compile(
    rf"\b(?:produced on|(?:position|progress|updated?)(?: as)? (?:at|on)|as at|published|updated)\s*:?\s*{_WEEKDAY}({_FULL_DATE})",
    re.IGNORECASE,
)
# A line that is only a date ("September 2016", "13 MARCH 2017"), maybe with a version after it.
_DATE_LINE = re.compile(
    rf"^{_WEEKDAY}((?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTHS}\s+(?:19|20)\d\d|\d{{1,2}}/\d{{1,2}}/(?:19|20)?\d\d)"
    r"(?:\s*(?:,.*|version.*|v\d.*))?$",
    re.IGNORECASE,
)
_ANY_FULL_DATE = re.compile(rf"\b{_WEEKDAY}({_FULL_DATE})\b", re.IGNORECASE)


@dataclass(frozen=True)
class FrontMatter:
    title: str = ""
    period: str = ""
    version: str = ""
    date_raw: str = ""


def _front_texts(blocks: Sequence[Block]) -> list[str]:
    texts: list[str] = []
    for block in blocks[:FRONT_BLOCKS]:
        if block.table is not None:
            grid = block.table.texts()[:8]
            for r, row in enumerate(grid):
                for c, text in enumerate(row):
                    if not text:
                        continue
                    texts.append(text)
                    # A label cell ("Date:") with its value beside or below it.
                    if text.endswith(":"):
                        beside = row[c + 1] if c + 1 < len(row) else ""
                        below = grid[r + 1][c] if r + 1 < len(grid) else ""
                        if value := beside or below:
                            texts.append(f"{text} {value}")
        elif block.text:
            texts.append(block.text)
    return texts


def front_texts(blocks: Sequence[Block]) -> list[str]:
    """The texts at the top of a document: its first blocks, and the first rows of its
    tables with each label cell ("Date:") joined to the value beside or below it."""
    return _front_texts(blocks)


def find_title(blocks: Sequence[Block]) -> str:
    """The plan's title: the short line near the top that most reads like one (naming a
    plan, report or programme, with a period, in a few words), joined with a line just
    before it that starts the same title and a period on the line after."""
    # A title comes before the plan's first table, and is never a list item.
    first_table = next((i for i, b in enumerate(blocks) if b.table is not None), len(blocks))
    lines = [
        (i, normalise(b.text))
        for i, b in enumerate(blocks[: min(TITLE_BLOCKS, max(first_table, 2))])
        if b.table is None
        and b.kind != "list_item"
        and b.text
        and len(b.text) <= 150
        and not b.text.rstrip().endswith((".", ":"))
    ]
    best: tuple[float, str] | None = None
    for k, (i, text) in enumerate(lines):
        if not _TITLE_WORDS.search(text) or len(text.split()) < 2:
            continue
        title = re.sub(r"^(subject|title)\s*:\s*", "", text, flags=re.IGNORECASE)
        if k and lines[k - 1][0] == i - 1:
            before = lines[k - 1][1]
            if (
                not re.search(r"\bcouncil\b", before, re.IGNORECASE)
                and not _TITLE_WORDS.search(before)
                and len(before.split()) <= 8
            ):
                title = f"{before} {title}"
        if k + 1 < len(lines) and lines[k + 1][0] == i + 1 and _PERIOD_ONLY.match(lines[k + 1][1]):
            title = f"{title} {lines[k + 1][1]}"
        title = _COUNCIL_PREFIX.sub("", title).strip(" *")
        if len(title) > 2 and title[0] in "'‘\"“" and title[-1] in "'’\"”":
            title = title[1:-1]
        score = (
            2 * bool(re.search(r"\bplan\b", title, re.IGNORECASE))
            + bool(_PERIOD.search(title))
            + (len(title.split()) >= 4)
            - k / 10  # earlier lines win ties
        )
        if best is None or score > best[0]:
            best = (score, title)
    if best is not None:
        return best[1]
    return next((normalise(b.text) for b in blocks if b.kind == "heading" and b.text), "")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def find_front_matter(doc: LayoutDocument) -> FrontMatter:
    texts = _front_texts(doc.blocks)
    short = [t for t in texts if len(t) <= 150]
    # A bare date in a table is more likely an action's due date than the plan's own date.
    prose = [
        normalise(b.text)
        for b in doc.blocks[:FRONT_BLOCKS]
        if b.table is None and b.text and len(b.text) <= 150
    ]
    subject = next((m.group(1) for t in texts if (m := _SUBJECT.match(t))), "")
    title = normalise(subject) or find_title(doc.blocks)
    period = ""
    for text in ([title] if title else []) + short:
        if (m := _PERIOD.search(text)) and _plausible_period(m.group(1)):
            period = re.sub(r"\s+", " ", m.group(1)).strip()
            break
    years = re.findall(r"\b(?:19|20)\d\d\b", title)
    if not period and len(set(years)) == 1:
        period = years[0]  # "Improvement Plan 2019": a calendar-year plan
    version = next((m.group(0).strip("() ") for t in short if (m := _VERSION.search(t))), "")
    date_raw = (
        next((m.group(1) for t in texts if (m := _LABELLED_DATE.search(t))), "")
        or next((m.group(1) for t in texts if (m := _POSITION_DATE.search(t))), "")
        or next((m.group(1) for t in prose if (m := _DATE_LINE.match(t.strip()))), "")
        or next((m.group(1) for t in prose if (m := _ANY_FULL_DATE.search(t))), "")
    )
    return FrontMatter(title=title, period=period, version=version, date_raw=date_raw)


def _plausible_period(text: str) -> bool:
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", text)]
    tail = re.search(r"[-/–—]\s*(\d\d)$", text.strip())
    if tail and len(years) == 1:
        years.append(years[0] // 100 * 100 + int(tail.group(1)))
    return len(years) == 2 and 0 <= years[1] - years[0] <= 5


__all__ = [
    "FrontMatter",
    "find_front_matter",
    "find_glossary",
    "find_legend",
    "find_reported_counts",  # status counts in prose and count tables: counts.py
    "find_status_counts",
    "find_title",
    "front_texts",
    "is_count_table",
    "is_legend_table",
    "normalise",
]
