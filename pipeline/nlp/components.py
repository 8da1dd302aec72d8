"""planx's spaCy components: one Doc per record cell, tagged by the cell's kind.

Each Doc carries what it is on `doc._.planx_cell` (plan, record, field, kind) and its plan's
context on `doc._.planx_plan`; components skip Docs of other kinds. Every component
writes its spans to a `doc.spans` key held in a constant below, and its reading of the
cell to `doc._.planx_result`. Patterns and vocabularies come in through `initialize`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from planx.pipeline.nlp import leads as lead_rules
from planx.pipeline.nlp.dates import DateContext, match_date, text_to_frequency
from planx.pipeline.nlp.directions import load_direction_words, text_to_direction
from planx.pipeline.nlp.leads import LeadContext, Tok, classify_lead, segment_leads
from planx.pipeline.nlp.lexicon import Lexicon, StatusWords, load_lexicon, load_status_words
from planx.pipeline.nlp.spacy_lib import Doc, Language, PhraseMatcher, Span, filter_spans
from planx.pipeline.nlp.statuses import LegendReading, resolve_status
from planx.pipeline.nlp.targets import text_to_target

SPANS_LEADS = "planx_leads"
SPANS_DATES = "planx_dates"
SPANS_STATUS = "planx_status"
SPANS_VALUES = "planx_values"
SPAN_KEYS: tuple[str, ...] = (SPANS_LEADS, SPANS_DATES, SPANS_STATUS, SPANS_VALUES)

KIND_LEAD, KIND_DATE, KIND_STATUS, KIND_FREQUENCY, KIND_TARGET, KIND_DIRECTION = (
    "lead",
    "date",
    "status",
    "frequency",
    "target",
    "direction",
)
# A KPI's values read as targets are: the span label says which one it is.
VALUE_LABELS = {"target_raw": "TARGET", "actual_raw": "ACTUAL", "floor_raw": "FLOOR"}
KIND_LABEL = {
    "person": "PERSON",
    "initials": "INITIALS",
    "role": "ROLE",
    "team": "TEAM",
    "unknown": "LEAD_UNKNOWN",
}


@dataclass(frozen=True)
class RecordField:
    """Which record field a Doc holds and how to read it."""

    plan: int
    record: str  # "action" | "kpi"
    index: int
    field: str  # "lead_raw", "due", "milestones[0].date", "target_raw", ...
    kind: str
    role: str = "due"
    fill: str | None = None
    column: str = ""
    text_colour: str | None = None  # a status cell's text colour, when not black
    icon_fill: str | None = None  # the fill of an icon drawn in a status cell


@dataclass(frozen=True, eq=False)
class PlanContext:
    """What the components need to know about the plan a cell came from."""

    leads: LeadContext
    dates: DateContext
    legend: LegendReading
    # The document's own key to its direction-of-travel symbols: symbol -> its wording.
    directions: Mapping[str, str] = dataclasses.field(default_factory=dict)


def register_extensions() -> None:
    """Register planx's Doc and Span extensions; safe to call any number of times."""
    Doc.set_extension("planx_cell", default=None, force=True)
    Doc.set_extension("planx_plan", default=None, force=True)
    Doc.set_extension("planx_result", default=None, force=True)
    Doc.set_extension("planx_tags", getter=_doc_tags, force=True)
    Span.set_extension("planx_lead", default=None, force=True)
    Span.set_extension("planx_field", getter=_span_field, force=True)


def _doc_tags(doc: Doc) -> list[Span]:
    return sorted(
        (span for key in SPAN_KEYS if key in doc.spans for span in doc.spans[key]),
        key=lambda s: (s.start_char, -s.end_char),
    )


def _span_field(span: Span) -> str | None:
    cell = span.doc._.planx_cell
    return cell.field if cell else None


def _is(doc: Doc, kind: str) -> bool:
    cell = doc._.planx_cell
    return cell is not None and cell.kind == kind and doc._.planx_plan is not None


def _add_span(doc: Doc, key: str, start: int, end: int, label: str) -> Span | None:
    if end <= start:
        return None
    span = doc.char_span(start, end, label=label, alignment_mode="expand")
    if span is None or not len(span):
        return None
    if key not in doc.spans:
        doc.spans[key] = []
    doc.spans[key].append(span)
    return span


# --- leads ----------------------------------------------------------------------------------------


class LeadTagger:
    """Splits a lead cell into leads, expands and classifies each (LEAD + kind spans)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key
        # Role phrases (head-initial roles, known titles) are matched as phrases; head nouns
        # and brackets are single words, looked up by their lower-case form.
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.word_marks: dict[str, frozenset[str]] = {}
        self.lexicon: Lexicon | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        lexicon: str | None = None,
    ) -> None:
        """Load the sector lexicon (the shipped one unless a path is given) into patterns."""
        lex = load_lexicon(lexicon)
        self.lexicon = lex
        if nlp is None:
            raise ValueError("LeadTagger.initialize needs nlp= to tokenise its titles")
        vocab = self.phrases.vocab
        self.phrases = PhraseMatcher(vocab, attr="LOWER")
        # A head-initial role is given word by word, in lower case ("head", "of"): a word
        # with a capital could never equal a token's lower-case form, so it matches nothing.
        head_initial = [p for p in lex.head_initial if all(w == w.lower() for w in p)]
        if head_initial:
            self.phrases.add(
                lead_rules.HEAD_INITIAL, [Doc(vocab, words=list(p)) for p in head_initial]
            )
        self.phrases.add(lead_rules.TITLE, [nlp.make_doc(t) for t in lex.known_titles])
        self.word_marks = _word_marks(lex)

    def __call__(self, doc: Doc) -> Doc:
        if not _is(doc, KIND_LEAD):
            return doc
        if self.lexicon is None:
            raise ValueError(
                f"{self.name} is not initialized: call nlp.get_pipe({self.name!r}).initialize(nlp=nlp)"
            )
        ctx: LeadContext = doc._.planx_plan.leads
        marks: list[set[str]] = [set(self.word_marks.get(t.lower_, ())) for t in doc]
        strings = self.phrases.vocab.strings
        # Role starts; overlapping ones ("Strategic Director" / "Director for") keep the first.
        starts = [Span(doc, s, e, label=strings[m]) for m, s, e in self.phrases(doc)]
        kept = filter_spans(starts)
        kept_starts = {span.start for span in kept}
        for span in starts:
            if span.start in kept_starts:
                marks[span.start].add(span.label_)
        for span in kept:
            for i in range(span.start + 1, span.end):
                marks[i].add(lead_rules.INSIDE)
        for tok in doc:
            if tok.text == "-" and tok.i and not doc[tok.i - 1].whitespace_ and not tok.whitespace_:
                marks[tok.i].add(lead_rules.GLUED)
        toks = [Tok(t.text, t.idx, t.idx + len(t.text), frozenset(marks[t.i])) for t in doc]
        persons = (
            [e for e in doc.ents if e.label_ == "PERSON"] if doc.has_annotation("ENT_IOB") else []
        )
        found = []
        for i, j, _sep in segment_leads(doc.text, toks, ctx):
            text = doc.text[toks[i].start : toks[j - 1].end]
            seg_marks = set().union(*(marks[k] for k in range(i, j)))
            hint = any(e.start <= i and e.end >= j for e in persons)
            reading = classify_lead(text, ctx, seg_marks, person_hint=hint)
            span = _add_span(doc, self.spans_key, toks[i].start, toks[j - 1].end, "LEAD")
            if span is not None:
                span._.planx_lead = reading.lead
                _add_span(
                    doc,
                    self.spans_key,
                    span.start_char,
                    span.end_char,
                    KIND_LABEL[reading.lead.kind],
                )
            words = list(_word_offsets(text, toks[i].start))
            for n in reading.abbreviations:
                if n < len(words):
                    _add_span(doc, self.spans_key, words[n][0], words[n][1], "ABBR")
            found.append(reading.lead)
        doc._.planx_result = found
        return doc


def _word_marks(lex: Lexicon) -> dict[str, frozenset[str]]:
    """The marks a single token takes by its lower-case form: a person's or a team's head
    noun ("manager", "team"), an opening or a closing bracket."""
    marks: dict[str, set[str]] = {}
    for words, mark in (
        (lex.person_heads, lead_rules.PERSON_HEAD),
        (lex.team_heads, lead_rules.TEAM_HEAD),
        (("(", "["), lead_rules.OPEN),
        ((")", "]"), lead_rules.CLOSE),
    ):
        for word in words:
            marks.setdefault(word, set()).add(mark)
    return {word: frozenset(m) for word, m in marks.items()}


def _word_offsets(text: str, base: int) -> Iterator[tuple[int, int]]:
    pos = 0
    for word in text.split():
        start = text.index(word, pos)
        pos = start + len(word)
        yield base + start, base + pos


@Language.factory(
    "planx_leads",
    default_config={"spans_key": SPANS_LEADS},
    assigns=["doc.spans", "doc._.planx_result", "span._.planx_lead"],
)
def make_lead_tagger(nlp: Language, name: str, *, spans_key: str) -> LeadTagger:
    return LeadTagger(nlp, name, spans_key=spans_key)


# --- dates ----------------------------------------------------------------------------------------


class DateTagger:
    """Reads a date cell (DATE / FREQ / PLACEHOLDER span; a DateMatch as the result)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        if not _is(doc, KIND_DATE):
            return doc
        cell: RecordField = doc._.planx_cell
        ctx: DateContext = doc._.planx_plan.dates
        if cell.column:
            ctx = dataclasses.replace(ctx, column=cell.column)
        got = match_date(doc.text, role=cell.role, context=ctx)  # type: ignore[arg-type]
        if got.label:
            _add_span(doc, self.spans_key, got.start, got.end, got.label)
        doc._.planx_result = got
        return doc


@Language.factory(
    "planx_dates",
    default_config={"spans_key": SPANS_DATES},
    assigns=["doc.spans", "doc._.planx_result"],
)
def make_date_tagger(nlp: Language, name: str, *, spans_key: str) -> DateTagger:
    return DateTagger(nlp, name, spans_key=spans_key)


# --- statuses -------------------------------------------------------------------------------------


class StatusTagger:
    """Reads a status cell's colour and meaning words (STATUS spans; a Status as the result)."""

    def __init__(self, nlp: Language, name: str, *, spans_key: str) -> None:
        self.name = name
        self.spans_key = spans_key
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.words: StatusWords | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        words: str | None = None,
    ) -> None:
        """Load status colour and meaning words (the shipped list unless a path is given)."""
        vocab = load_status_words(words)
        self.words = vocab
        self.phrases = PhraseMatcher(self.phrases.vocab, attr="LOWER")
        if nlp is None:
            raise ValueError("StatusTagger.initialize needs nlp= to tokenise its phrases")
        for colour, phrases in vocab.colours.items():
            self.phrases.add(f"colour:{colour}", [nlp.make_doc(p) for p in phrases])
        for meaning, phrases in vocab.meanings.items():
            self.phrases.add(f"meaning:{meaning}", [nlp.make_doc(p) for p in phrases])

    def __call__(self, doc: Doc) -> Doc:
        if not _is(doc, KIND_STATUS):
            return doc
        if self.words is None:
            raise ValueError(
                f"{self.name} is not initialized: call nlp.get_pipe({self.name!r}).initialize(nlp=nlp)"
            )
        strings = self.phrases.vocab.strings
        spans = [Span(doc, s, e, label=strings[m]) for m, s, e in self.phrases(doc)]
        alpha = [t for t in doc if t.is_alpha]
        letters = self.words.letters
        for tok in alpha:
            # "G", "A/G", "Off track (R)": capital letters count at the start, when they are
            # all the cell says, or alone in brackets.
            bracketed = (
                0 < tok.i < len(doc) - 1
                and doc[tok.i - 1].text == "("
                and doc[tok.i + 1].text == ")"
            )
            if tok.text in letters and (
                tok is alpha[0] or all(t.text in letters for t in alpha) or bracketed
            ):
                spans.append(Span(doc, tok.i, tok.i + 1, label=f"colour:{letters[tok.text]}"))
        spans = sorted(filter_spans(spans), key=lambda s: s.start)
        colours = [s.label_.split(":", 1)[1] for s in spans if s.label_.startswith("colour:")]
        meanings = [s.label_.split(":", 1)[1] for s in spans if s.label_.startswith("meaning:")]
        for span in spans:
            _add_span(doc, self.spans_key, span.start_char, span.end_char, "STATUS")
        cell: RecordField = doc._.planx_cell
        doc._.planx_result = resolve_status(
            doc.text,
            cell.fill,
            colours,
            meanings,
            doc._.planx_plan.legend,
            text_colour=cell.text_colour,
            icon_fill=cell.icon_fill,
        )
        return doc


@Language.factory(
    "planx_statuses",
    default_config={"spans_key": SPANS_STATUS},
    assigns=["doc.spans", "doc._.planx_result"],
)
def make_status_tagger(nlp: Language, name: str, *, spans_key: str) -> StatusTagger:
    return StatusTagger(nlp, name, spans_key=spans_key)


# --- KPI frequency and target (stateless) -----------------------------------------------------------


@Language.component("planx_frequency", assigns=["doc.spans", "doc._.planx_result"])
def frequency_tagger(doc: Doc) -> Doc:
    """A KPI's reporting frequency, normalised ("Quarterly" -> "quarterly"); FREQ span."""
    if not _is(doc, KIND_FREQUENCY):
        return doc
    frequency, (start, end) = text_to_frequency(doc.text)
    if frequency:
        _add_span(doc, SPANS_VALUES, start, end, "FREQ")
    doc._.planx_result = frequency
    return doc


@Language.component("planx_targets", assigns=["doc.spans", "doc._.planx_result"])
def target_tagger(doc: Doc) -> Doc:
    """A KPI's target as a number and unit ("4 / 7" -> 0.5714 ratio); TARGET span."""
    if not _is(doc, KIND_TARGET):
        return doc
    target = text_to_target(doc.text)
    if target.value is not None:
        label = VALUE_LABELS.get(doc._.planx_cell.field, "TARGET")
        _add_span(doc, SPANS_VALUES, target.start, target.end, label)
    doc._.planx_result = target
    return doc


@Language.component("planx_directions", assigns=["doc.spans", "doc._.planx_result"])
def direction_tagger(doc: Doc) -> Doc:
    """A KPI's direction of travel ("Improving", "→", a keyed "↑"); DIRECTION span."""
    if not _is(doc, KIND_DIRECTION):
        return doc
    reading = text_to_direction(doc.text, doc._.planx_plan.directions, load_direction_words())
    if reading.direction is not None:
        _add_span(doc, SPANS_VALUES, reading.start, reading.end, "DIRECTION")
    doc._.planx_result = reading
    return doc


PIPE_NAMES: tuple[str, ...] = (
    "planx_leads",
    "planx_dates",
    "planx_statuses",
    "planx_frequency",
    "planx_targets",
    "planx_directions",
)

__all__ = [
    "RecordField",
    "PIPE_NAMES",
    "PlanContext",
    "SPAN_KEYS",
    "SPANS_DATES",
    "SPANS_LEADS",
    "SPANS_STATUS",
    "SPANS_VALUES",
    "register_extensions",
]
