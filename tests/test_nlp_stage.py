"""The NLP stage end to end: settings, the spaCy pipeline, tag_plans on small plans and on
the real seed plans (read at run time from ../shared)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from planx.pipeline.nlp.components import SPANS_LEADS, register_extensions
from planx.pipeline.nlp.stage import NlpSettings, build_nlp, tag_plans
from planx.schemas.records import (
    KPI,
    Action,
    DateValue,
    GlossaryEntry,
    LegendEntry,
    Milestone,
    Plan,
    RecordProvenance,
    Status,
    StatusLegend,
)

CASES = json.loads((Path(__file__).parent / "data" / "nlp_cases.json").read_text(encoding="utf-8"))
PROV = RecordProvenance(source="test.txt")


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp()


def action(**kw) -> Action:
    return Action(text=kw.pop("text", "do it"), provenance=PROV, **kw)


def plan(actions=(), kpis=(), **kw) -> Plan:
    return Plan(
        plan_id=kw.pop("plan_id", "p1"),
        source="test.txt",
        sha256="0",
        format="txt",
        actions=list(actions),
        kpis=list(kpis),
        **kw,
    )


# --- settings -------------------------------------------------------------------------------------------


def test_settings_defaults_and_resolve():
    assert NlpSettings.resolve(None) == NlpSettings(batch_size=256, as_of=None, model=None)
    s = NlpSettings.resolve({"batch_size": 8, "as_of": "2017-06-01"})
    assert (s.batch_size, s.as_of) == (8, dt.date(2017, 6, 1))
    assert NlpSettings.resolve(s) is s


@pytest.mark.parametrize(
    "bad",
    [
        {"batch_size": 0},
        {"batch_size": -1},
        {"batch_size": "10"},
        {"as_of": "01/06/2017"},
        {"model": ""},
        {"colour": 1},
    ],
)
def test_bad_settings_are_rejected(bad):
    with pytest.raises(ValueError):
        NlpSettings.resolve(bad)


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        NlpSettings().batch_size = 3  # type: ignore[misc]


# --- the pipeline -------------------------------------------------------------------------------------


def test_pipeline_is_blank_english_plus_planx_components(nlp):
    assert nlp.lang == "en"
    assert nlp.pipe_names == [
        "planx_leads",
        "planx_dates",
        "planx_statuses",
        "planx_frequency",
        "planx_targets",
        "planx_directions",
    ]
    assert nlp.get_pipe_config("planx_leads") == {
        "factory": "planx_leads",
        "spans_key": SPANS_LEADS,
    }
    assert nlp.get_pipe_meta("planx_frequency").assigns == ["doc.spans", "doc._.planx_result"]


def test_register_extensions_is_idempotent():
    register_extensions()
    register_extensions()
    doc = spacy.blank("en").make_doc("x")
    assert doc._.planx_cell is None and doc._.planx_tags == []


def test_all_cells_go_through_one_pipe_call(nlp, monkeypatch):
    calls: list[int] = []
    real_pipe = nlp.pipe

    def counting_pipe(docs, **kw):
        calls.append(kw.get("batch_size"))
        for doc in real_pipe(docs, **kw):
            counted.append(doc.text)
            yield doc

    counted: list[str] = []
    monkeypatch.setattr(nlp, "pipe", counting_pipe)
    plans = [
        plan(
            [
                action(
                    lead_raw=f"Team Manager {i}",
                    due=DateValue(raw="Dec 2016"),
                    status=Status(raw="G"),
                )
                for i in range(30)
            ],
            [
                KPI(
                    measure="m",
                    owner_raw="PSW",
                    frequency_raw="quarterly",
                    target_raw="80%",
                    provenance=PROV,
                )
            ],
            plan_id=f"p{n}",
        )
        for n in range(4)
    ]
    tagged = tag_plans(plans, nlp, NlpSettings(batch_size=16))
    assert calls == [16]  # one call for the whole batch of plans
    # Per plan: 30 distinct leads, the one due date and the one status repeated down the
    # table read once each, and the KPI's three cells.
    assert len(counted) == 4 * (30 + 1 + 1 + 3)
    # A cell read once still gives every record that repeats it its reading and its spans.
    for tagged_plan in tagged:
        for a in tagged_plan.actions:
            assert a.due is not None and a.due.date == dt.date(2016, 12, 31)
            assert a.status.colour == "green"
            assert [(s.field, s.text) for s in a.spans if s.field != "lead_raw"] == [
                ("due", "Dec 2016"),
                ("status", "G"),
            ]


def test_inputs_are_not_changed(nlp):
    original = plan(
        [action(lead_raw="JH/GC", due=DateValue(raw="Dec 2016"), status=Status(raw="G"))],
        period="2016-17",
    )
    before = original.model_dump()
    tagged = tag_plans([original], nlp)[0]
    assert original.model_dump() == before
    assert tagged is not original and tagged.actions[0] is not original.actions[0]
    assert [lead.name for lead in tagged.actions[0].leads] == ["JH", "GC"]


def test_spans_are_recorded_with_offsets_into_their_field(nlp):
    a = action(
        lead_raw="  Safeguarding GM / TINA RUSSELL",
        due=DateValue(raw="by end of Dec 2016"),
        status=Status(raw="Amber"),
        milestones=[Milestone(text="x", column="March", date=DateValue(raw="09 Mar"))],
    )
    k = KPI(
        measure="m",
        owner_raw="DCS",
        frequency_raw="Report quarterly",
        target_raw="< 10%",
        provenance=PROV,
    )
    out = tag_plans([plan([a], [k], date=dt.date(2017, 3, 6))], nlp)[0]
    texts = {
        "lead_raw": a.lead_raw,
        "due": a.due.raw,
        "status": a.status.raw,
        "milestones[0].date": "09 Mar",
        "owner_raw": k.owner_raw,
        "frequency_raw": k.frequency_raw,
        "target_raw": k.target_raw,
    }
    for span in out.actions[0].spans + out.kpis[0].spans:
        assert texts[span.field][span.start : span.end] == span.text
    labels = {(s.field, s.label, s.text) for s in out.actions[0].spans}
    assert ("lead_raw", "LEAD", "Safeguarding GM") in labels
    assert ("lead_raw", "ROLE", "Safeguarding GM") in labels
    assert ("lead_raw", "ABBR", "GM") in labels
    assert [x.name for x in out.actions[0].leads] == ["Safeguarding GM", "Tina Russell"]
    assert ("lead_raw", "PERSON", "TINA RUSSELL") in labels
    assert ("due", "DATE", "dec 2016") not in labels and (
        "due",
        "DATE",
        "by end of Dec 2016",
    ) in labels
    assert ("status", "STATUS", "Amber") in labels
    assert ("milestones[0].date", "DATE", "09 Mar") in labels
    kpi_labels = {(s.label, s.text) for s in out.kpis[0].spans}
    assert {
        ("LEAD", "DCS"),
        ("ROLE", "DCS"),
        ("FREQ", "quarterly"),
        ("TARGET", "10%"),
    } <= kpi_labels


def test_overdue_with_as_of_never_overwrites_status(nlp):
    legend = StatusLegend(
        entries=[
            LegendEntry(colour="blue", label="Completed"),
            LegendEntry(colour="green", label="On track"),
        ]
    )
    actions = [
        action(due=DateValue(raw="Dec 2016"), status=Status(raw="G")),
        action(due=DateValue(raw="Dec 2016"), status=Status(raw="B")),
        action(due=DateValue(raw="Dec 2017"), status=Status(raw="G")),
        action(due=DateValue(raw="TBC"), status=Status(raw="G")),
        action(due=None),
    ]
    p = plan(actions, legend=legend)
    without = tag_plans([p], nlp)[0]
    assert [a.overdue for a in without.actions] == [None] * 5
    with_as_of = tag_plans([p], nlp, NlpSettings(as_of=dt.date(2017, 6, 1)))[0]
    assert [a.overdue for a in with_as_of.actions] == [True, False, False, False, False]
    assert [a.status.meaning for a in with_as_of.actions[:2]] == ["on_track", "complete"]


def test_date_flags_on_actions(nlp):
    actions = [
        action(start=DateValue(raw="Jan 2017"), due=DateValue(raw="Dec 2016")),
        action(due=DateValue(raw="Mar 2016")),
        action(due=DateValue(raw="next steps")),
        action(due=DateValue(raw="2030")),
        action(due=DateValue(raw="Report quarterly")),
    ]
    out = tag_plans([plan(actions, period="2016 - 2017")], nlp)[0]
    flags = [a.flags for a in out.actions]
    assert "start_after_due" in flags[0]
    assert flags[1] == ["due_before_plan_start"]
    assert flags[2] == ["unparseable_due"]
    assert "date_outside_plan_period" in flags[3]
    assert (
        flags[4] == []
        and out.actions[4].due.recurrence == "quarterly"
        and out.actions[4].due.date is None
    )
    assert (out.period_start, out.period_end) == (dt.date(2016, 4, 1), dt.date(2017, 3, 31))


def test_milestones_take_their_year_from_the_plan(nlp):
    a = action(
        milestones=[
            Milestone(text="x", column="March", date=DateValue(raw="09 Mar")),
            Milestone(text="y", column="April", date=DateValue(raw="")),
            Milestone(text="z", column="March", date=DateValue(raw="28 Feb")),
        ]
    )
    out = tag_plans([plan([a], date=dt.date(2017, 2, 24))], nlp)[0].actions[0].milestones
    assert [m.date.date for m in out] == [
        dt.date(2017, 3, 9),
        dt.date(2017, 4, 30),
        dt.date(2017, 2, 28),
    ]
    assert out[1].date.flags == ["from_column"] and out[1].date.precision == "month"


def test_a_date_the_reader_already_had_is_kept(nlp):
    a = action(due=DateValue(raw="31 Mar", date=dt.date(2018, 3, 31), precision="day"))
    out = tag_plans([plan([a])], nlp)[0].actions[0]
    assert out.due.date == dt.date(2018, 3, 31)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c["kind"] == "target"], ids=lambda c: repr(c["text"])
)
def test_target_cases(case, nlp):
    k = KPI(measure="m", target_raw=case["text"], provenance=PROV)
    out = tag_plans([plan(kpis=[k])], nlp)[0].kpis[0]
    value, unit, flags = case["expect"]
    assert (out.target_value, out.target_unit) == (value, unit)
    assert out.flags == flags


def test_kpi_fields(nlp):
    k = KPI(
        measure="m",
        owner_raw="Head of Service Children in Care & Care Leavers",
        frequency_raw="6-monthly",
        target_raw="4 / 7",
        target_due=DateValue(raw="Mar -17"),
        provenance=PROV,
    )
    bad = KPI(
        measure="m", frequency_raw="Snapshot", target_due=DateValue(raw="soon"), provenance=PROV
    )
    out = tag_plans([plan(kpis=[k, bad], period="2016-17")], nlp)[0].kpis
    assert [o.name for o in out[0].owners] == ["Head of Service Children in Care & Care Leavers"]
    assert (out[0].frequency, out[0].target_value, out[0].target_unit) == (
        "6-monthly",
        0.5714,
        "ratio",
    )
    assert out[0].target_due.date == dt.date(2017, 3, 31)
    assert out[1].frequency == "" and out[1].flags == [
        "unrecognised_frequency",
        "unparseable_target_due",
    ]


def test_glossary_expansion_in_a_plan(nlp):
    p = plan(
        [action(lead_raw="ADCSC / PSW")],
        glossary=[GlossaryEntry(abbreviation="ADCSC", expansion="Assistant Director CSC")],
    )
    leads = tag_plans([p], nlp)[0].actions[0].leads
    assert [(x.name, x.expanded_from, x.role_family) for x in leads] == [
        ("Assistant Director CSC", "plan", "Assistant Director"),
        ("PSW", None, "Principal Social Worker"),
    ]


def test_a_missing_model_falls_back_to_blank_with_a_warning():
    with pytest.warns(UserWarning, match="not installed"):
        nlp = build_nlp({"model": "xx_no_such_model_installed"})
    assert nlp.pipe_names[0] == "planx_leads"


def test_an_installed_model_adds_its_ner(tmp_path):
    # A tiny untrained pipeline saved to disk stands in for an installed model (nothing is downloaded).
    base = spacy.blank("en")
    ner = base.add_pipe("ner")
    ner.add_label("PERSON")
    base.initialize()
    base.to_disk(tmp_path / "model")
    nlp = build_nlp(NlpSettings(model=str(tmp_path / "model")))
    assert nlp.pipe_names[0] == "ner" and "planx_leads" in nlp.pipe_names
    out = tag_plans([plan([action(lead_raw="TINA RUSSELL / JH")])], nlp)[0]
    assert [(x.name, x.kind) for x in out.actions[0].leads] == [
        ("Tina Russell", "person"),
        ("JH", "initials"),
    ]


# --- the real seed plans, read at run time -------------------------------------------------------------


def seed_rows(path: Path, width: int) -> list[list[str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if (
            len(cells) == width
            and all(cells[-2:])
            and cells[0] not in ("Action", "Ref")
            and cells[0][:1] != "-"
        ):
            rows.append(cells)
    return rows


def test_seed_plan_tables(shared_dir, nlp):
    seed = next(p for p in (shared_dir / "seeds").glob("*getting_to_good*.txt"))
    action_rows = [r for r in seed_rows(seed, 4) if r[0][:1].isdigit()]
    kpi_rows = seed_rows(seed, 6)
    assert len(action_rows) >= 50 and len(kpi_rows) >= 30
    p = plan(
        [action(text=r[0], lead_raw=r[3], due=DateValue(raw=r[2])) for r in action_rows],
        [
            KPI(
                ref=r[0],
                measure=r[1],
                owner_raw=r[2],
                frequency_raw=r[3],
                target_raw=r[4],
                target_due=DateValue(raw=r[5]),
                provenance=PROV,
            )
            for r in kpi_rows
        ],
        period="2016 - 2017",
    )
    out = tag_plans([p], nlp, NlpSettings(as_of=dt.date(2017, 1, 1)))[0]
    # Every due cell is read: a date or, for "Report quarterly", a recurrence.
    assert all(a.due.date or a.due.recurrence == "quarterly" for a in out.actions)
    assert sum(a.due.recurrence == "quarterly" for a in out.actions) == 2
    # Every lead is a role with a family; run-together cells become two leads, none three.
    assert all(lead.kind == "role" and lead.role_family for a in out.actions for lead in a.leads)
    assert {len(a.leads) for a in out.actions} == {1, 2}
    assert sum(len(a.leads) == 2 for a in out.actions) == 7
    # The one due date before the plan's start is flagged, not silently accepted.
    assert [a.due.raw for a in out.actions if "due_before_plan_start" in a.flags] == ["Mar 2016"]
    assert all(k.frequency in ("quarterly", "annual", "6-monthly") for k in out.kpis)
    assert all(k.target_value is not None and k.target_due.date for k in out.kpis)
    assert sorted({k.target_unit for k in out.kpis}) == ["count", "percent", "ratio"]


def test_the_stage_imports_spacy_without_its_command_line():
    """spaCy's command line is most of what `import spacy` waits for; the stage skips it,
    and spaCy's own `spacy.cli` still loads when asked for."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import planx.pipeline.nlp.stage as stage\n"
        "print('spacy.cli' in sys.modules, 'requests' in sys.modules)\n"
        "print(len(stage.spacy.blank('en')('two words')))\n"
        "import spacy.cli\n"
        "print(callable(spacy.cli.info), spacy.info.__name__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split("\n")
    assert out[:3] == ["False False", "2", "True _info"]
