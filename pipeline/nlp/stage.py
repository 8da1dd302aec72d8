"""The NLP stage: build the spaCy pipeline once, then tag every distinct cell of a batch of
plans in one `nlp.pipe` pass and return new, normalised Plan records."""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from planx.pipeline.nlp.components import (
    KIND_DATE,
    KIND_DIRECTION,
    KIND_FREQUENCY,
    KIND_LEAD,
    KIND_STATUS,
    KIND_TARGET,
    PIPE_NAMES,
    SPAN_KEYS,
    PlanContext,
    RecordField,
    register_extensions,
)
from planx.pipeline.nlp.dates import DateContext, DateMatch, parse_date, parse_period
from planx.pipeline.nlp.directions import DirectionReading
from planx.pipeline.nlp.leads import LeadContext, plan_lead_evidence, reconcile_leads
from planx.pipeline.nlp.lexicon import Lexicon, load_lexicon
from planx.pipeline.nlp.spacy_lib import (
    Doc,
    Language,
    compile_infix_regex,
    compile_prefix_regex,
    compile_suffix_regex,
    spacy,
)
from planx.pipeline.nlp.statuses import LegendReading, legend_with_meanings
from planx.pipeline.nlp.targets import Target
from planx.schemas.records import KPI, Action, DateValue, Lead, Plan, Status, TaggedSpan
from planx.schemas.settings import resolve_settings

DEFAULT_BATCH_SIZE = 256
DEFAULT_AS_OF: dt.date | None = None
DEFAULT_MODEL: str | None = None
# Statistical-model components kept when settings.model names one: PERSON entities only.
MODEL_PIPES = ("tok2vec", "transformer", "ner")


@dataclass(frozen=True)
class NlpSettings:
    """Settings for the NLP stage.

    batch_size: Docs per `nlp.pipe` batch. as_of: derive `Action.overdue` against this
    date (None: leave it None). model: an installed spaCy model whose PERSON entities may
    help spot names; None (the default) runs on `spacy.blank("en")` alone.
    """

    batch_size: int = DEFAULT_BATCH_SIZE
    as_of: dt.date | None = DEFAULT_AS_OF
    model: str | None = DEFAULT_MODEL

    def __post_init__(self) -> None:
        if (
            isinstance(self.batch_size, bool)
            or not isinstance(self.batch_size, int)
            or self.batch_size < 1
        ):
            raise ValueError(
                f"NlpSettings 'batch_size' must be a positive integer, not {self.batch_size!r}"
            )
        if self.as_of is not None and (
            not isinstance(self.as_of, dt.date) or isinstance(self.as_of, dt.datetime)
        ):
            raise ValueError(f"NlpSettings 'as_of' must be a date (YYYY-MM-DD), not {self.as_of!r}")
        if self.model is not None and (not isinstance(self.model, str) or not self.model.strip()):
            raise ValueError(
                f"NlpSettings 'model' must be a spaCy model name or None, not {self.model!r}"
            )

    @classmethod
    def resolve(cls, settings: NlpSettings | dict[str, Any] | None) -> NlpSettings:
        """Settings from None, a dict (an ISO string is accepted for as_of) or an instance
        (schemas.settings.resolve_settings)."""
        return resolve_settings(cls, settings, "NLP")


def build_nlp(settings: NlpSettings | dict[str, Any] | None = None) -> Language:
    """The stage's spaCy pipeline: `spacy.blank("en")` plus planx's components, initialised
    with the shipped vocabularies. Build it once per run (or per worker)."""
    settings = NlpSettings.resolve(settings)
    register_extensions()
    nlp = _base_pipeline(settings.model)
    if settings.model is not None:
        _split_slashes(nlp)
    for name in PIPE_NAMES:
        nlp.add_pipe(name)
    nlp.get_pipe("planx_leads").initialize(nlp=nlp)
    nlp.get_pipe("planx_statuses").initialize(nlp=nlp)
    return nlp


def _split_slashes(nlp: Language) -> None:
    """Make every '/' a token of its own: lead cells write "JH/CT/ AS" and "GC /RW" as
    often as "JH/CT/AS", and English rules only split a slash between two words."""
    tokenizer = nlp.tokenizer
    tokenizer.prefix_search = compile_prefix_regex([r"/", *nlp.Defaults.prefixes]).search
    tokenizer.suffix_search = compile_suffix_regex([r"/", *nlp.Defaults.suffixes]).search
    tokenizer.infix_finditer = compile_infix_regex([r"/", *nlp.Defaults.infixes]).finditer


def _slash_english() -> Language:
    """`spacy.blank("en")` with '/' a token of its own (as _split_slashes makes it), built
    with those rules from the start: compiling the English affix patterns is a good part of
    building the pipeline, so they are compiled once instead of twice."""
    from spacy.lang.en import English, EnglishDefaults

    class SlashDefaults(EnglishDefaults):
        prefixes = [r"/", *(EnglishDefaults.prefixes or ())]
        suffixes = [r"/", *(EnglishDefaults.suffixes or ())]
        infixes = [r"/", *(EnglishDefaults.infixes or ())]

    class SlashEnglish(English):
        Defaults = SlashDefaults

    return SlashEnglish()


def _base_pipeline(model: str | None) -> Language:
    if model is None:
        return _slash_english()
    try:
        base = spacy.load(model)
    except OSError:
        # Nothing depends on a model, and nothing is downloaded: carry on without it.
        warnings.warn(
            f"spaCy model {model!r} is not installed; tagging without PERSON entities", stacklevel=3
        )
        return spacy.blank("en")
    for name in list(base.pipe_names):
        if name not in MODEL_PIPES:
            base.remove_pipe(name)
    return base


# --- cells -> Docs ----------------------------------------------------------------------------------


def plan_to_context(plan: Plan, lexicon: Lexicon) -> PlanContext:
    """A plan's glossary, lead evidence, period and legend, as the components read them."""
    glossary = {
        g.abbreviation.strip(): g.expansion.strip() for g in plan.glossary if g.abbreviation.strip()
    }
    cells = [a.lead_raw for a in plan.actions] + [k.owner_raw for k in plan.kpis]
    known, initials_style, one_line = plan_lead_evidence(cells, glossary, lexicon)
    start, end = plan.period_start, plan.period_end
    if start is None and end is None and plan.period:
        start, end = parse_period(plan.period)
    plan_date = plan.date
    if plan_date is None and plan.date_raw:
        plan_date = parse_date(plan.date_raw, role="point").date
    return PlanContext(
        leads=LeadContext(
            lexicon=lexicon,
            glossary=glossary,
            known=known,
            initials_style=initials_style,
            one_line=one_line,
        ),
        dates=DateContext(period_start=start, period_end=end, plan_date=plan_date),
        legend=LegendReading.from_legend(legend_with_meanings(plan.legend)),
        directions=dict(plan.direction_key),
    )


def _status_cell(p: int, record: str, i: int, st: Status) -> RecordField | None:
    """A record's status cell, with every colour it shows besides its words; None if blank."""
    if not (st.raw.strip() or st.fill or st.text_colour or st.icon_fill):
        return None
    return RecordField(
        p,
        record,
        i,
        "status",
        KIND_STATUS,
        fill=st.fill,
        text_colour=st.text_colour,
        icon_fill=st.icon_fill,
    )


def _plan_cells(p: int, plan: Plan) -> Iterator[tuple[RecordField, str]]:
    for i, a in enumerate(plan.actions):
        if a.lead_raw.strip():
            yield RecordField(p, "action", i, "lead_raw", KIND_LEAD), a.lead_raw
        if a.start is not None and a.start.raw.strip():
            yield RecordField(p, "action", i, "start", KIND_DATE, role="start"), a.start.raw
        if a.due is not None and a.due.raw.strip():
            yield RecordField(p, "action", i, "due", KIND_DATE, role="due"), a.due.raw
        if (status_cell := _status_cell(p, "action", i, a.status)) is not None:
            yield status_cell, a.status.raw
        for m, milestone in enumerate(a.milestones):
            text = milestone.date.raw if milestone.date.raw.strip() else milestone.column
            if text.strip():
                yield (
                    RecordField(
                        p, "action", i, f"milestones[{m}].date", KIND_DATE, column=milestone.column
                    ),
                    text,
                )
    for i, k in enumerate(plan.kpis):
        if k.owner_raw.strip():
            yield RecordField(p, "kpi", i, "owner_raw", KIND_LEAD), k.owner_raw
        if k.frequency_raw.strip():
            yield RecordField(p, "kpi", i, "frequency_raw", KIND_FREQUENCY), k.frequency_raw
        if k.target_raw.strip():
            yield RecordField(p, "kpi", i, "target_raw", KIND_TARGET), k.target_raw
        if k.target_due is not None and k.target_due.raw.strip():
            yield RecordField(p, "kpi", i, "target_due", KIND_DATE, role="due"), k.target_due.raw
        # A KPI's rating is read through the plan's key exactly as an action's status is;
        # a rating shown only by a coloured arrow, icon or text counts as its fill.
        if (status_cell := _status_cell(p, "kpi", i, k.status)) is not None:
            yield status_cell, k.status.raw
        for name in ("actual_raw", "floor_raw"):
            if getattr(k, name).strip():
                yield RecordField(p, "kpi", i, name, KIND_TARGET), getattr(k, name)
        if k.direction_raw.strip():
            yield RecordField(p, "kpi", i, "direction_raw", KIND_DIRECTION), k.direction_raw


CellKey = tuple[tuple[Any, ...], str]  # a cell's RecordField but its record index, and its text
# Every part of a RecordField but the record's index.
_READ_AS = operator.attrgetter(
    *(f.name for f in dataclasses.fields(RecordField) if f.name != "index")
)


def cell_key(cell: RecordField, text: str) -> CellKey:
    """What reading a cell depends on: its plan, its field and how to read it, and its text;
    not which record it belongs to."""
    return _READ_AS(cell), text


def distinct_cells(
    cells: Iterable[tuple[RecordField, str]],
) -> dict[CellKey, tuple[RecordField, str]]:
    """The first cell of each kind (see `cell_key`), in order: a plan repeats a lead, a date
    or a status word down a column, and each is read once."""
    distinct: dict[CellKey, tuple[RecordField, str]] = {}
    for cell, text in cells:
        distinct.setdefault(cell_key(cell, text), (cell, text))
    return distinct


def plans_to_docs(
    cells: Iterable[tuple[RecordField, str]], contexts: list[PlanContext], nlp: Language
) -> Iterator[Doc]:
    """One Doc per cell, made with `nlp.make_doc`, carrying its cell and plan."""
    for cell, text in cells:
        doc = nlp.make_doc(text)
        doc._.planx_cell = cell
        doc._.planx_plan = contexts[cell.plan]
        yield doc


def doc_to_spans(doc: Doc) -> list[TaggedSpan]:
    field = doc._.planx_cell.field
    return [
        TaggedSpan(field=field, label=s.label_, start=s.start_char, end=s.end_char, text=s.text)
        for key in SPAN_KEYS
        if key in doc.spans
        for s in doc.spans[key]
    ]


# --- the stage ----------------------------------------------------------------------------------------


def _lexicon_of(nlp: Language) -> Lexicon:
    if "planx_leads" in nlp.pipe_names:
        lex = nlp.get_pipe("planx_leads").lexicon
        if lex is not None:
            return lex
    return load_lexicon()


RecordKey = tuple[int, str, int]  # (plan index, "action" | "kpi", record index)


@dataclass
class Readings:
    """What the pipeline read, by record and field, and the spans it tagged per record."""

    values: dict[tuple[int, str, int, str], Any] = dataclasses.field(default_factory=dict)
    spans: dict[RecordKey, list[TaggedSpan]] = dataclasses.field(default_factory=dict)

    def add(self, cell: RecordField, value: Any, spans: list[TaggedSpan]) -> None:
        self.values[(cell.plan, cell.record, cell.index, cell.field)] = value
        self.spans.setdefault((cell.plan, cell.record, cell.index), []).extend(spans)

    def get(self, key: RecordKey, field: str) -> Any:
        return self.values.get((*key, field))


def tag_plans(
    plans: Iterable[Plan], nlp: Language, settings: NlpSettings | dict[str, Any] | None = None
) -> list[Plan]:
    """Normalise leads, dates, statuses and KPI values of a batch of plans.

    The distinct cells of all plans go through one `nlp.pipe` call; a cell repeated within
    a plan is read once. Returns new Plan objects; the input plans are not changed.
    """
    settings = NlpSettings.resolve(settings)
    register_extensions()
    plans = list(plans)
    lexicon = _lexicon_of(nlp)
    contexts = [plan_to_context(plan, lexicon) for plan in plans]
    cells = [cell for p, plan in enumerate(plans) for cell in _plan_cells(p, plan)]
    distinct = distinct_cells(cells)
    docs = nlp.pipe(plans_to_docs(distinct.values(), contexts, nlp), batch_size=settings.batch_size)
    read = {
        key: (doc._.planx_result, doc_to_spans(doc))
        for key, doc in zip(distinct, docs, strict=True)
    }
    readings = Readings()
    for cell, text in cells:
        readings.add(cell, *read[cell_key(cell, text)])
    return [
        readings_to_plan(p, plan, contexts[p], readings, settings, lexicon)
        for p, plan in enumerate(plans)
    ]


def _date_value(given: DateValue | None, got: DateMatch | None) -> DateValue | None:
    if given is None:
        return None
    if got is None:
        return given
    value = got.to_value(given.raw)
    if value.date is None and given.date is not None:
        # A date the reader already had (a spreadsheet date cell) is kept.
        return given.model_copy(
            update={"flags": _merge(given.flags, [f for f in value.flags if f != "unparseable"])}
        )
    return value.model_copy(update={"flags": _merge(given.flags, value.flags)})


def _merge(old: list[str], new: Iterable[str]) -> list[str]:
    out = list(old)
    for flag in new:
        if flag not in out:
            out.append(flag)
    return out


def readings_to_plan(
    p: int,
    plan: Plan,
    ctx: PlanContext,
    readings: Readings,
    settings: NlpSettings,
    lexicon: Lexicon,
) -> Plan:
    """A new Plan with what the pipeline read applied to its records."""
    lead_groups: list[list[Lead]] = [
        readings.get((p, "action", i), "lead_raw") or [] for i in range(len(plan.actions))
    ]
    lead_groups += [readings.get((p, "kpi", i), "owner_raw") or [] for i in range(len(plan.kpis))]
    lead_groups = reconcile_leads(lead_groups, lexicon)
    n_actions = len(plan.actions)
    actions = [
        _tag_action(a, (p, "action", i), ctx, readings, lead_groups[i], settings)
        for i, a in enumerate(plan.actions)
    ]
    kpis = [
        _tag_kpi(k, (p, "kpi", i), readings, lead_groups[n_actions + i])
        for i, k in enumerate(plan.kpis)
    ]
    update: dict[str, Any] = {"actions": actions, "kpis": kpis, "legend": ctx.legend.legend}
    if plan.period_start is None and plan.period_end is None and ctx.dates.period_start is not None:
        update["period_start"], update["period_end"] = ctx.dates.period_start, ctx.dates.period_end
    if plan.date is None and ctx.dates.plan_date is not None:
        update["date"] = ctx.dates.plan_date
    return plan.model_copy(update=update)


_RANGE = re.compile(r"^\s*(?P<left>.+?)\s*(?:–|—|-|\bto\b)\s*(?P<right>.+?)\s*$", re.IGNORECASE)
_OPEN_ENDED = re.compile(r"\b(ongoing|tbc|tba|now|continuous|immediate)\b", re.IGNORECASE)


def range_start(raw: str, context: DateContext) -> DateValue | None:
    """The start of a two-ended date range ("Jun 2019 – Mar 2020", "May to July 2018"), or None."""
    m = _RANGE.match(raw or "")
    if m is None or _OPEN_ENDED.search(m.group("left")):
        return None
    right = parse_date(m.group("right"), role="due", context=context)
    left = parse_date(m.group("left"), role="start", context=context)
    if right.date is None:
        return None
    if left.date is None:
        # "May-June 2017": the left end borrows the right end's year.
        whole = parse_date(raw, role="start", context=context)
        left = (
            whole if whole.date and whole.date < right.date and whole.precision != "year" else left
        )
    if left.date is None or left.date >= right.date:
        return None
    return left.model_copy(update={"raw": raw})


def _tag_action(
    a: Action,
    key: RecordKey,
    ctx: PlanContext,
    readings: Readings,
    leads: list[Lead],
    settings: NlpSettings,
) -> Action:
    start = _date_value(a.start, readings.get(key, "start"))
    due = _date_value(a.due, readings.get(key, "due"))
    flags: list[str] = []
    if (
        start is None
        and due is not None
        and (opened := range_start(due.raw, ctx.dates)) is not None
    ):
        # "Jun 2019 – Mar 2020" in a timescale column: the range's first end is the start.
        start = opened
        flags.append("start_from_due_range")
    status = a.status
    got = readings.get(key, "status")
    if got is not None:
        status, status_flags = got
        status = status.model_copy(update={"raw": a.status.raw})
        flags += status_flags
    for name, value in (("start", start), ("due", due)):
        if value is None:
            continue
        if "unparseable" in value.flags:
            flags.append(f"unparseable_{name}")
        if "year_missing" in value.flags:
            flags.append(f"{name}_year_missing")
        if "outside_plan_period" in value.flags:
            flags.append("date_outside_plan_period")
    if start and due and start.date and due.date and start.date > due.date:
        flags.append("start_after_due")
    period_start = ctx.dates.period_start
    if due and due.date and period_start and due.date < period_start:
        flags.append("due_before_plan_start")
    milestones = []
    for m, milestone in enumerate(a.milestones):
        got_m: DateMatch | None = readings.get(key, f"milestones[{m}].date")
        if got_m is None:
            milestones.append(milestone)
            continue
        value = got_m.to_value(milestone.date.raw)
        if not milestone.date.raw.strip():
            value = value.model_copy(update={"flags": [*value.flags, "from_column"]})
        milestones.append(milestone.model_copy(update={"date": value}))
    overdue = None
    if settings.as_of is not None:
        # Derived beside the status, never instead of it.
        overdue = bool(
            status.meaning != "complete"
            and due is not None
            and due.date is not None
            and due.date < settings.as_of
        )
    return a.model_copy(
        update={
            "leads": leads,
            "start": start,
            "due": due,
            "status": status,
            "overdue": overdue,
            "milestones": milestones,
            "flags": _merge(a.flags, flags),
            "spans": [*a.spans, *readings.spans.get(key, [])],
        }
    )


def _tag_kpi(k: KPI, key: RecordKey, readings: Readings, owners: list[Lead]) -> KPI:
    flags: list[str] = []
    frequency = k.frequency
    if k.frequency_raw.strip():
        frequency = readings.get(key, "frequency_raw") or ""
        if not frequency:
            flags.append("unrecognised_frequency")
    value, unit = k.target_value, k.target_unit
    target: Target | None = readings.get(key, "target_raw")
    if target is not None:
        value, unit = target.value, target.unit
        flags += list(target.flags)
    target_due = _date_value(k.target_due, readings.get(key, "target_due"))
    if target_due is not None and "unparseable" in target_due.flags:
        flags.append("unparseable_target_due")
    if target_due is not None and "outside_plan_period" in target_due.flags:
        flags.append("date_outside_plan_period")
    performance, performance_flags = _kpi_performance(k, key, readings)
    flags += performance_flags
    return k.model_copy(
        update={
            **performance,
            "owners": owners,
            "frequency": frequency,
            "target_value": value,
            "target_unit": unit,
            "target_due": target_due,
            "flags": _merge(k.flags, flags),
            "spans": [*k.spans, *readings.spans.get(key, [])],
        }
    )


def _kpi_performance(
    k: KPI, key: RecordKey, readings: Readings
) -> tuple[dict[str, Any], list[str]]:
    """A KPI's status, actual and floor values and direction, as the pipeline read them."""
    update: dict[str, Any] = {}
    flags: list[str] = []
    got = readings.get(key, "status")
    if got is not None:
        status, status_flags = got
        update["status"] = status.model_copy(update={"raw": k.status.raw})
        flags += status_flags
    for name in ("actual", "floor"):
        value: Target | None = readings.get(key, f"{name}_raw")
        if value is None:
            continue
        update[f"{name}_value"] = value.value
        if value.value is None:
            flags.append(f"{name}_not_numeric")
    direction: DirectionReading | None = readings.get(key, "direction_raw")
    if direction is not None:
        update["direction"] = direction.direction
        flags += list(direction.flags)
    return update, flags


__all__ = [
    "DEFAULT_AS_OF",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_MODEL",
    "NlpSettings",
    "build_nlp",
    "cell_key",
    "distinct_cells",
    "doc_to_spans",
    "plan_to_context",
    "plans_to_docs",
    "tag_plans",
]
