"""Plan history: as-at dates, versions of one plan, actions matched across versions, changes.

Layout rules are tested on small layout documents; the history on crafted records (every
change hand-checked below); and end to end on the sample plan published in three
versions (samples/expected/history/), in any order, in one batch or across cached runs.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pandas as pd
import pytest

from planx.pipeline.batch import run_extract
from planx.pipeline.compare import NEEDED, OPTIONAL, read_tables, run_compare, tables_to_comparisons
from planx.pipeline.enrich import enrich_plans
from planx.pipeline.flatten import records_to_frames
from planx.pipeline.history import (
    HistorySettings,
    Item,
    Match,
    match_actions,
    title_key,
)
from planx.pipeline.interpret.as_at import document_as_at, read_as_at
from planx.pipeline.sinks import write_tables
from planx.schemas.layout import LayoutDocument
from planx.schemas.records import Action, DateValue, Lead, Plan, RecordProvenance, Status
from tests.layout_builders import document, para, table
from tests.view_helpers import views_with

D = dt.date
HISTORY = Path(__file__).resolve().parents[1] / "samples" / "expected" / "history"
CHANGE_FIELDS = ["from_as_at", "to_as_at", "ref", "action", "change", "old", "new"]

# --------------------------------------------------------------------------- as-at dates


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Position at 28 February 2019", D(2019, 2, 28)),
        ("Update: March 2019", D(2019, 3, 31)),  # a month: its last day
        ("Figures as at 31/03/19", D(2019, 3, 31)),
        ("Progress update – June 2019", D(2019, 6, 30)),
        ("RAG summary – position at 23 November 2018 (v0.4)", D(2018, 11, 23)),
        ("Data as of the end of Q3 2018/19", D(2018, 12, 31)),
        ("Position as at the end of March 2019", D(2019, 3, 31)),
        ("Updated on 3rd May 2019", D(2019, 5, 3)),
        ("Progress to Q2", D(2019, 9, 30)),  # the quarter's year from the plan's period
    ],
)
def test_position_statements(text: str, date: dt.date):
    found = read_as_at(
        ["Children's Services Improvement Plan", text],
        period_start=D(2019, 4, 1),
        period_end=D(2020, 3, 31),
    )
    assert (found.date, found.source) == (date, "position")
    assert found.raw in text


def test_quarter_named_on_the_front_page():
    doc = document(
        para("Quarterly Performance Report"),
        para(
            "Quarter 2 2019-20 (July to September 2019) – Corporate Parenting Panel, 12 November 2019"
        ),
    )
    found = document_as_at(doc, document_date=D(2019, 11, 12))
    assert (found.date, found.source, found.raw) == (D(2019, 9, 30), "quarter", "Quarter 2 2019-20")


def test_position_given_as_a_label_cell_beside_its_value():
    doc = document(table([["Report", "Improvement plan"], ["Position at:", "31 March 2019"]]))
    assert document_as_at(doc).date == D(2019, 3, 31)


def test_without_a_statement_the_document_date_then_period_then_file():
    doc = document(para("Improvement Plan"), para("This plan is updated every month."))
    doc_with_file_date = LayoutDocument(
        source="plan.pdf",
        format="pdf",
        blocks=(para("Improvement Plan"),),
        metadata={"creationdate": "D:20190703101500+01'00'"},
    )
    assert document_as_at(doc, document_date=D(2019, 7, 8), period_end=D(2020, 3, 31)).source == (
        "report_date"
    )
    assert document_as_at(doc, period_end=D(2020, 3, 31)) == read_as_at(
        [], period_end=D(2020, 3, 31)
    )
    assert read_as_at([], period_end=D(2020, 3, 31)).source == "period_end"
    found = document_as_at(doc_with_file_date)
    assert (found.date, found.source) == (D(2019, 7, 3), "file_date")
    assert read_as_at(["Improvement Plan"], metadata={"created": "2019-07-03T10:00:00"}).date == (
        D(2019, 7, 3)
    )
    assert read_as_at(["Improvement Plan"]).source == ""


def test_words_that_only_look_like_a_position_give_none():
    found = read_as_at(["Progress on 3.2 is reported monthly", "Update the tracker as agreed"])
    assert found.source == ""


# --------------------------------------------------------------------------- matching


def _item(n: int, ref: str, text: str, status: str = "on_track", due=None, leads="") -> Item:
    return Item(
        action_id=f"p-A{n:04d}",
        ref=ref,
        action=text,
        status_meaning=status,
        due_date=due,
        leads=leads,
        position=n,
    )


def _changes(old: list[Item], new: list[Item], matches: list[Match]) -> list[tuple[str, str, str]]:
    """(change, old, new) as compare_changes lists them between two versions of a plan whose
    actions `matches` pairs (a pair shares its action key)."""
    keys = [{i: f"K{i}" for i in range(len(old))}, {m.new: f"K{m.old}" for m in matches}]
    rows = [
        {
            "lineage_id": "L", "action_key": keys[v].get(j, f"N{j}"), "plan_id": f"p{v}",
            "version_no": v + 1, "action_id": f"p{v}-A{j:04d}", "ref": item.ref,
            "action": item.action, "status_meaning": item.status_meaning,
            "due_date": item.due_date, "leads": item.leads, "authority": "X",
            "source": f"p{v}.docx",
        }
        for v, items in enumerate((old, new))
        for j, item in enumerate(items)
    ]  # fmt: skip
    plans = pd.DataFrame(
        {
            "plan_id": ["p0", "p1"], "authority": "X", "source": ["p0.docx", "p1.docx"],
            "lineage_id": "L", "version_no": [1, 2], "excluded_reason": ["earlier_version", ""],
        }
    )  # fmt: skip
    views = views_with({"action_history": pd.DataFrame(rows), "compare_plans": plans})
    changes = views["compare_changes"]
    return list(zip(changes["change"], changes["old"], changes["new"], strict=True))


def test_renumbered_action_matches_by_its_text():
    old = [_item(1, "3.1", "Keep average caseloads below 18 in every team.")]
    new = [
        _item(1, "3.1", "Introduce a strengths-based practice model across all teams."),
        _item(2, "3.2", "Keep average caseloads below 18 in every team."),
    ]
    (m,) = match_actions(old, new)
    assert (m.old, m.new, m.by) == (0, 1, "text")
    kinds = [c[0] for c in _changes(old, new, [m])]
    assert kinds == ["added", "ref"]  # in the newer version's order


def test_reworded_action_keeps_its_ref():
    old = [_item(1, "1.3", "Agree practice standards for assessments and plans.")]
    new = [
        _item(
            1,
            "1.3",
            "Agree and publish practice standards for assessments, plans and case recording.",
        )
    ]
    (m,) = match_actions(old, new)
    assert m.by == "ref"
    assert _changes(old, new, [m]) == [("text", old[0].action, new[0].action)]


def test_a_ref_reused_for_another_action_is_not_a_match():
    old = [
        _item(1, "1.1", "Review the safeguarding hub thresholds with police and health partners.")
    ]
    new = [_item(1, "1.1", "Agree and publish practice standards for assessments and plans.")]
    assert match_actions(old, new) == []
    assert [c[0] for c in _changes(old, new, [])] == ["added", "dropped"]


def test_one_action_never_matches_two():
    old = [_item(1, "1", "Recruit more foster carers for teenagers.")]
    new = [
        _item(1, "1", "Recruit more foster carers for teenagers."),
        _item(2, "2", "Recruit more foster carers for teenagers and siblings."),
    ]
    assert [(m.old, m.new) for m in match_actions(old, new)] == [(0, 0)]


def test_similar_wording_matches_above_the_threshold_only():
    old = [_item(1, "", "Publish the early help offer for families and partner agencies.")]
    close = [
        _item(1, "", "Publish the early help offer for families, schools and all partner agencies.")
    ]
    other = [_item(1, "", "Publish a monthly performance scorecard for every team.")]
    assert [m.by for m in match_actions(old, close)] == ["similar"]
    assert match_actions(old, other) == []
    assert match_actions(old, close, HistorySettings(text_score=99)) == []


def test_changes_of_a_matched_action():
    old = [_item(1, "2.1", "Review care plans.", "on_track", D(2019, 9, 30), "Head of Service")]
    new = [
        _item(1, "2.1", "Review care plans.", "at_risk", D(2019, 12, 31), "Nurse; Head of Service")
    ]
    assert _changes(old, new, match_actions(old, new)) == [
        ("status", "on_track", "at_risk"),
        ("due_date", "2019-09-30", "2019-12-31"),
        ("lead", "Head of Service", "Nurse; Head of Service"),
    ]
    # Leads in another order, or another case, are the same leads.
    same = [_item(1, "2.1", "Review care plans.", "on_track", D(2019, 9, 30), "head of service")]
    assert _changes(old, same, match_actions(old, same)) == []


def test_titles_drop_dates_and_update_words():
    assert title_key("Improvement Plan 2019-20 – Update September 2019") == title_key(
        "Improvement Plan 2019/20 (position at 31/12/19)"
    )


# --------------------------------------------------------------------------- crafted versions


def _action(plan: str, n: int, ref: str, text: str, meaning: str, due=None, lead="Head of Service"):
    return Action(
        id=f"{plan}-A{n:04d}",
        plan_id=plan,
        ref=ref,
        text=text,
        lead_raw=lead,
        leads=[Lead(raw=lead, name=lead)],
        due=DateValue(raw=due.isoformat() if due else "", date=due),
        status=Status(meaning=meaning),
        provenance=RecordProvenance(source=f"{plan}.docx", row_index=n),
    )


TEXTS = {
    "mash": "Review the safeguarding hub thresholds with partners.",
    "audit": "Audit referrals to the front door every month.",
    "leavers": "Give every care leaver a pathway plan written with them.",
    "agency": "Reduce the share of agency social workers.",
    "foster": "Recruit more foster carers for teenagers.",
}


def _version(plan_id: str, source: str, as_at, rows, *, fmt="docx", as_at_source="position"):
    return Plan(
        plan_id=plan_id, source=source, sha256=plan_id * 4, format=fmt, authority="Versionshire",
        title="Children's Services Improvement Plan", as_at=as_at, as_at_source=as_at_source,
        actions=[_action(plan_id, n, *row) for n, row in enumerate(rows, start=1)],
    )  # fmt: skip


def crafted_versions() -> list[Plan]:
    """Three files of one plan (the June one as DOCX, and as an XLSX dated only by its
    period), the March one, and a one-version plan of another council."""
    march = [
        ("1", TEXTS["mash"], "on_track", D(2019, 6, 30)),
        ("2", TEXTS["audit"], "on_track", D(2019, 4, 30)),
        ("3", TEXTS["leavers"], "at_risk", D(2019, 9, 30)),
        ("4", TEXTS["agency"], "off_track", D(2020, 3, 31)),
    ]
    june = [
        ("1", TEXTS["mash"], "complete", D(2019, 6, 30)),
        ("2", TEXTS["leavers"], "at_risk", D(2019, 12, 31)),  # renumbered; due slipped
        ("3", TEXTS["agency"], "off_track", D(2020, 3, 31), "Workforce Manager"),
        ("4", TEXTS["foster"], "not_started", None),
    ]
    other = Plan(
        plan_id="9999999999999999", source="onceshire.docx", sha256="9" * 64, format="docx",
        authority="Onceshire", as_at=D(2019, 5, 31), as_at_source="position",
        actions=[_action("9999999999999999", 1, "1", TEXTS["mash"], "on_track")],
    )  # fmt: skip
    return [
        # File names sort against the dates, so nothing relies on the order files come in.
        _version("3333333333333333", "a_june.docx", D(2019, 6, 30), june),
        _version("1111111111111111", "z_march.docx", D(2019, 3, 31), march),
        _version(
            "2222222222222222",
            "b_june.xlsx",
            D(2020, 3, 31),
            june,
            fmt="xlsx",
            as_at_source="period_end",
        ),
        other,
    ]


WANT_CHANGES = [
    ("2019-03-31", "2019-06-30", "1", TEXTS["mash"], "status", "on_track", "complete"),
    ("2019-03-31", "2019-06-30", "2", TEXTS["leavers"], "ref", "3", "2"),
    ("2019-03-31", "2019-06-30", "2", TEXTS["leavers"], "due_date", "2019-09-30", "2019-12-31"),
    ("2019-03-31", "2019-06-30", "3", TEXTS["agency"], "ref", "4", "3"),
    (
        "2019-03-31",
        "2019-06-30",
        "3",
        TEXTS["agency"],
        "lead",
        "Head of Service",
        "Workforce Manager",
    ),
    ("2019-03-31", "2019-06-30", "4", TEXTS["foster"], "added", "", "not_started"),
    ("2019-03-31", "2019-06-30", "2", TEXTS["audit"], "dropped", "on_track", ""),
]


@pytest.fixture(scope="module")
def crafted_tables(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("versions")
    write_tables(records_to_frames(enrich_plans(crafted_versions()), []), out)
    return read_tables(out)


def _history(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """compare_plans, the history tables and the changes, as compare gives them."""
    return tables_to_comparisons({name: tables[name] for name in (*NEEDED, *OPTIONAL)})


def _rows(frame: pd.DataFrame) -> list[tuple]:
    frame = frame.assign(
        from_as_at=frame["from_as_at"].astype(str), to_as_at=frame["to_as_at"].astype(str)
    )
    return [tuple(r) for r in frame[CHANGE_FIELDS].itertuples(index=False)]


def test_crafted_versions_change_list(crafted_tables):
    history = _history(crafted_tables)
    changes = history["compare_changes"]
    assert _rows(changes) == WANT_CHANGES
    # One action, one key, in every version: the renumbered actions keep theirs.
    mine = history["action_history"].query("authority == 'Versionshire'")
    keys = mine.groupby("action_key")["ref"].agg(list)
    assert sorted(keys.tolist()) == [["1", "1"], ["2"], ["3", "2"], ["4"], ["4", "3"]]


def test_crafted_versions_plans_and_lineages(crafted_tables):
    history = _history(crafted_tables)
    plans = history["compare_plans"].set_index("source")
    assert plans.loc["z_march.docx", "excluded_reason"] == "earlier_version"
    assert plans.loc["a_june.docx", "excluded_reason"] == ""
    # The spreadsheet dated only by its period holds the June actions as they are: a copy.
    assert plans.loc["b_june.xlsx", "excluded_reason"] == "copy"
    assert plans.loc["b_june.xlsx", "copy_of"] == "3333333333333333"
    assert plans.loc["b_june.xlsx", "version_no"] == plans.loc["a_june.docx", "version_no"] == 2
    lineages = history["compare_lineages"].set_index("authority")
    assert lineages.loc["Versionshire", "n_versions"] == 2
    assert lineages.loc["Versionshire", "as_at_dates"] == "2019-03-31; 2019-06-30"
    assert lineages.loc["Versionshire", "actions_by_version"] == "4; 4"
    assert lineages.loc["Versionshire", "latest_plan_id"] == "3333333333333333"
    counts = {
        k: lineages.loc["Versionshire", f"n_{k}"] for k in ("status", "ref", "added", "dropped")
    }
    assert counts == {"status": 1, "ref": 2, "added": 1, "dropped": 1}
    # A plan seen once is a lineage of one, with no changes.
    assert lineages.loc["Onceshire", "n_versions"] == 1
    assert lineages.loc["Onceshire", "n_changes"] == 0
    assert (history["compare_changes"]["authority"] != "Onceshire").all()
    # Every action of every file has its key, the copy's the same as the version it copies.
    keys = history["action_keys"].set_index("action_id")["action_key"]
    assert (keys != "").all()
    assert keys["2222222222222222-A0002"] == keys["3333333333333333-A0002"]


def test_any_order_gives_the_same_history(crafted_tables):
    first = _history(crafted_tables)
    rng = random.Random(7)
    for _ in range(3):
        shuffled = {
            name: frame.sample(frac=1, random_state=rng.randrange(1000)).reset_index(drop=True)
            for name, frame in crafted_tables.items()
        }
        again = _history(shuffled)
        for name in ("compare_changes", "compare_lineages", "action_history"):
            pd.testing.assert_frame_equal(again[name], first[name])
        pd.testing.assert_frame_equal(
            again["compare_plans"].sort_values("plan_id", ignore_index=True),
            first["compare_plans"].sort_values("plan_id", ignore_index=True),
        )


def test_plans_of_one_version_give_no_changes(crafted_tables):
    once = {
        name: frame[frame["plan_id"] != "1111111111111111"].reset_index(drop=True)
        for name, frame in crafted_tables.items()
    }
    history = _history(once)
    assert history["compare_changes"].empty
    assert set(history["compare_plans"]["excluded_reason"]) == {"", "copy"}


def test_stated_dates_apart_make_versions_even_when_nothing_changed(crafted_tables):
    # Two files with the same actions in the same state but positions taken a month apart
    # are two versions (with no changes), not copies.
    plans = crafted_versions()
    same = plans[1].model_copy(
        update={"plan_id": "4444444444444444", "source": "april.docx", "as_at": D(2019, 4, 30)}
    )
    frames = records_to_frames(enrich_plans([plans[1], same]), [])
    history = _history(frames)
    assert history["compare_lineages"]["n_versions"].tolist() == [2]
    assert history["compare_changes"].empty


# --------------------------------------------------------------------------- the sample versions


def _expected_history() -> dict:
    return json.loads((HISTORY / "pendlemere_2019-20_improvement_plan.json").read_text("utf-8"))


def _sample_files(samples_dir: Path) -> list[Path]:
    return sorted((samples_dir / "plans").glob("pendlemere_*"))


@pytest.fixture(scope="module")
def one_batch(samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every version in every format, read in one batch, newest file first."""
    out = tmp_path_factory.mktemp("history_batch")
    run_extract(list(reversed(_sample_files(samples_dir))), out)
    run_compare(out)
    return out


@pytest.fixture(scope="module")
def two_runs(samples_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first and last versions in one run, then all of them again (the cache keeps the
    files already read), into one folder."""
    out = tmp_path_factory.mktemp("history_runs")
    files = _sample_files(samples_dir)
    run_extract([f for f in files if "2019-09" not in f.name], out)
    run_compare(out)
    summary = run_extract(files, out)
    assert summary.n_cached == len(files) - 3  # the September version's three files are new
    run_compare(out)
    return out


def _csv(outdir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(outdir / f"{name}.csv", dtype=str, keep_default_na=False)


def test_sample_versions_give_exactly_the_expected_changes(one_batch: Path):
    expected = _expected_history()
    changes = _csv(one_batch, "compare_changes")
    got = [tuple(r) for r in changes[CHANGE_FIELDS].itertuples(index=False)]
    want = [tuple(c[f] for f in CHANGE_FIELDS) for c in expected["changes"]]
    assert got == want
    assert set(changes["change"]) == {
        "text",
        "ref",
        "status",
        "due_date",
        "lead",
        "added",
        "dropped",
    }
    # planx's action keys stand for the truth's own keys, one to one.
    pairs = set(zip(changes["action_key"], (c["key"] for c in expected["changes"]), strict=True))
    assert len({k for k, _ in pairs}) == len({t for _, t in pairs}) == len(pairs)
    assert set(changes["authority"]) == {"Pendlemere"}


def test_sample_versions_are_dated_from_their_front_pages(one_batch: Path):
    expected = _expected_history()
    plans = _csv(one_batch, "plans").set_index("source")
    for version in expected["versions"]:
        for doc in version["documents"]:
            row = plans.loc[Path(doc).name]
            assert (row["as_at"], row["as_at_source"], row["as_at_raw"]) == (
                version["as_at"],
                version["as_at_source"],
                version["as_at_raw"],
            ), doc
    lineage = _csv(one_batch, "compare_lineages").set_index("authority").loc["Pendlemere"]
    assert lineage["as_at_dates"] == "; ".join(v["as_at"] for v in expected["versions"])
    assert lineage["actions_by_version"] == "; ".join(
        str(v["n_actions"]) for v in expected["versions"]
    )
    assert int(lineage["n_changes"]) == len(expected["changes"])


def test_copies_of_one_version_in_other_formats_give_no_changes(one_batch: Path):
    from planx.pipeline.history import items_by_plan

    items = items_by_plan(pd.read_parquet(one_batch / "actions.parquet"))
    plans = _csv(one_batch, "plans")
    for version in _expected_history()["versions"]:
        names = [Path(d).name for d in version["documents"]]
        ids = plans.set_index("source").loc[names, "plan_id"].tolist()
        first = items[ids[0]]
        for other in ids[1:]:
            assert _changes(first, items[other], match_actions(first, items[other])) == []
    compare = _csv(one_batch, "compare_plans")
    assert (
        sorted(compare["excluded_reason"].tolist()) == [""] + ["copy"] * 5 + ["earlier_version"] * 2
    )


def test_history_tables_are_written_everywhere(one_batch: Path):
    import duckdb
    import openpyxl

    for name in ("compare_changes", "compare_lineages", "action_history", "action_keys"):
        assert (one_batch / f"{name}.parquet").exists() and (one_batch / f"{name}.csv").exists()
    with duckdb.connect(str(one_batch / "plans.duckdb"), read_only=True) as con:
        n = con.execute("SELECT COUNT(*) FROM action_history").fetchone()[0]
        assert n == sum(v["n_actions"] for v in _expected_history()["versions"])
    sheets = openpyxl.load_workbook(one_batch / "compare.xlsx", read_only=True).sheetnames
    assert {"changes", "lineages", "action_history", "action_keys"} <= set(sheets)


def test_cached_runs_give_the_same_lineage_and_changes(one_batch: Path, two_runs: Path):
    for name in ("compare_changes", "compare_lineages", "action_history", "action_keys"):
        pd.testing.assert_frame_equal(_csv(two_runs, name), _csv(one_batch, name), obj=name)


def test_history_rows_validate_against_the_schema(one_batch: Path):
    import jsonschema

    from planx.schemas.json_schema import output_json_schema

    schema = output_json_schema()["properties"]
    for name in ("compare_changes", "compare_lineages", "action_history", "action_keys"):
        frame = pd.read_parquet(one_batch / f"{name}.parquet")
        assert list(frame.columns) == list(schema[name]["items"]["properties"]), name
        rows = json.loads(frame.to_json(orient="records", date_format="iso"))
        jsonschema.validate(rows, schema[name])
    assert schema["compare_changes"]["items"]["properties"]["change"]["enum"] == [
        "text", "ref", "status", "due_date", "lead", "added", "dropped"
    ]  # fmt: skip
    required = schema["action_history"]["items"]["required"]
    assert required[:4] == ["lineage_id", "action_key", "plan_id", "as_at"]
