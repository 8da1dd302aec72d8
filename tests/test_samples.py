"""The committed sample corpus: regenerable, consistent with its truth, and what it claims."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import docx
import openpyxl
import pdfplumber
import pytest
import reportlab
from docx.oxml.ns import qn

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
EXPECTED = sorted((SAMPLES / "expected").glob("*.json"))
TEXT_SUFFIXES = {".json", ".txt", ".html"}
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
COLOURS = {None, "red", "amber", "green", "blue"}
MEANINGS = {"complete", "on_track", "at_risk", "off_track", "not_started", "unknown"}


def _load(name: str, path: Path) -> ModuleType:
    if str(SAMPLES) not in sys.path:
        sys.path.insert(0, str(SAMPLES))
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def make_samples() -> ModuleType:
    return _load("planx_make_samples", SAMPLES / "make_samples.py")


@pytest.fixture(scope="module")
def truth(make_samples: ModuleType) -> ModuleType:
    return importlib.import_module("_truth")  # on the path once make_samples is loaded


@pytest.fixture(scope="module")
def regenerated(make_samples: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    make_samples.build(out)
    return out


def _files(root: Path) -> set[str]:
    return {
        p.relative_to(root).as_posix()
        for sub in ("plans", "bad", "expected")
        for p in (root / sub).rglob("*")
        if p.is_file()
    }


@pytest.fixture(scope="module")
def expected() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in EXPECTED}


def test_nine_documents_are_committed(expected: dict[str, dict]) -> None:
    assert len(expected) == 9  # one plan in three versions
    assert {e["plan"]["authority"] for e in expected.values()} == {
        "Harrowden",
        "Northam Vale",
        "Eastmarsh",
        "Kestrel Bay",
        "Wexcombe",
        "Saltmere",
        "Pendlemere",
    }


def _without_pdf_pages(data: dict) -> dict:
    data = json.loads(json.dumps(data))
    data.get("layout", {}).pop("pdf", None)
    for rec in data.get("actions", []) + data.get("kpis", []):
        rec.pop("page", None)
    return data


def test_regeneration_matches_committed_text_outputs(
    make_samples: ModuleType, regenerated: Path
) -> None:
    assert _files(regenerated) == _files(SAMPLES), "committed samples are stale: run make samples"
    # Another reportlab may break pages elsewhere; then only the PDF pages may differ.
    same_reportlab = reportlab.Version == make_samples.GENERATED_WITH_REPORTLAB
    for rel in sorted(_files(regenerated)):
        if Path(rel).suffix not in TEXT_SUFFIXES:
            continue
        new, old = (regenerated / rel).read_bytes(), (SAMPLES / rel).read_bytes()
        if same_reportlab or not rel.startswith("expected/"):
            assert new == old, rel
        else:
            assert _without_pdf_pages(json.loads(new)) == _without_pdf_pages(json.loads(old)), rel


def test_binary_outputs_are_deterministic(
    make_samples: ModuleType, regenerated: Path, tmp_path: Path
) -> None:
    make_samples.build(tmp_path, outputs={"pdf", "docx", "xlsx", "bad"})
    binaries = [r for r in _files(tmp_path) if Path(r).suffix not in TEXT_SUFFIXES]
    assert len(binaries) >= 20  # 13 plan documents and 7 bad files
    for rel in binaries:
        assert (tmp_path / rel).read_bytes() == (regenerated / rel).read_bytes(), rel


def test_every_listed_document_exists(expected: dict[str, dict]) -> None:
    for stem, e in expected.items():
        assert e["documents"] == [f"plans/{stem}.{fmt}" for fmt in e["formats"]]
        for rel in e["documents"]:
            assert (SAMPLES / rel).stat().st_size > 1000, rel
        assert set(e["layout"]) == set(e["formats"])


def test_actions_have_ref_and_text_and_unique_refs(expected: dict[str, dict]) -> None:
    for stem, e in expected.items():
        refs = [a["ref"] for a in e["actions"]]
        assert all(r.strip() for r in refs), stem
        assert all(a["action"].strip() for a in e["actions"]), stem
        assert len(refs) == len(set(refs)), stem
        assert e["counts"]["actions"] == len(e["actions"])
        assert all(a["action"] == " ".join(a["action"].split()) for a in e["actions"]), stem


def test_action_counts_per_family(expected: dict[str, dict]) -> None:
    counts = {e["plan"]["authority"]: len(e["actions"]) for e in expected.values()}
    assert counts["Kestrel Bay"] == 0 and counts["Saltmere"] == 0  # a report, a scorecard
    assert all(15 <= n <= 40 for a, n in counts.items() if a not in ("Kestrel Bay", "Saltmere")), (
        counts
    )


def _dates(e: dict) -> list[str | None]:
    out = [e["plan"]["date"], e["plan"]["period_start"], e["plan"]["period_end"]]
    for a in e["actions"]:
        out += [a["start_date"], a["due_date"], *(m["date"] for m in a["milestones"])]
    out += [k["target_due"] for k in e["kpis"]]
    return out


def test_every_expected_date_is_iso(expected: dict[str, dict]) -> None:
    for stem, e in expected.items():
        for value in _dates(e):
            if value is None:
                continue
            assert ISO.match(value), (stem, value)
            dt.date.fromisoformat(value)


def test_status_values_are_from_the_contract(expected: dict[str, dict]) -> None:
    for e in expected.values():
        for a in e["actions"] + [k for k in e["kpis"] if "status" in k]:
            assert a["status"] in COLOURS
            assert a["status_meaning"] in MEANINGS
        for entry in e["legend"]:
            assert entry["colour"] in COLOURS - {None} and entry["meaning"] in MEANINGS


def test_date_rules_follow_the_contract(truth: ModuleType) -> None:
    assert truth.due_iso("Dec 18") == "2018-12-31"
    assert truth.start_iso("Nov 18") == "2018-11-01"
    assert truth.due_iso("2017") == "2017-12-31"
    assert truth.due_iso("Q3 2017/18") == "2017-12-31"
    assert truth.due_iso("Q4 2017/18") == "2018-03-31"
    assert truth.due_iso("Mar -17") == "2017-03-31"
    assert truth.due_iso("31/03/2018") == "2018-03-31"
    assert truth.due_iso("TBC") is None and truth.due_iso("Report quarterly") is None
    assert truth.due_iso("14 Jan", dt.date(2018, 11, 23)) == "2019-01-14"
    assert truth.target_of("4 / 7") == (0.5714, "ratio")
    with pytest.raises(ValueError):
        truth.due_iso("sometime soon")


def test_plan_specific_truth(expected: dict[str, dict]) -> None:
    by = {e["plan"]["authority"]: e for e in expected.values()}
    # Initials expand through the plan's own key; undefined initials stay as written.
    harrowden = {a["ref"]: a for a in by["Harrowden"]["actions"]}
    assert harrowden["1.4"]["leads"] == [
        "Assistant Director Safeguarding",
        "Head of Service Children in Care",
    ]
    assert harrowden["2.5"]["leads"] == ["TW"]
    assert harrowden["2.4"]["due_date"] is None and harrowden["1.5"]["due_raw"] == ""
    # The plan's own legend: GREEN is complete, AMBER on track, BLUE not started.
    northam = {a["ref"]: a for a in by["Northam Vale"]["actions"]}
    assert (northam["1.1.1"]["status"], northam["1.1.1"]["status_meaning"]) == ("green", "complete")
    assert northam["1.1.2"]["status_meaning"] == "on_track"
    assert northam["2.2.3"]["status_meaning"] == "not_started"
    assert northam["1.2.1"]["leads"] == [
        "Head of Family Safeguarding",
        "Head of Children in Care and Care Leavers",
    ]
    assert northam["2.2.1"]["leads"] == ["Executive Director CYP", "Head of Family Safeguarding"]
    assert northam["1.3.2"]["due_date"] == "2017-12-31"
    kpis = {k["ref"]: k for k in by["Northam Vale"]["kpis"]}
    assert (kpis["16"]["target_value"], kpis["16"]["target_unit"]) == (0.6, "ratio")
    assert kpis["7b"]["target_value"] == 214
    # Milestones in January belong to the year after the November sheet.
    eastmarsh = {a["ref"]: a for a in by["Eastmarsh"]["actions"]}
    assert [m["date"] for m in eastmarsh["1.1"]["milestones"]] == [
        "2018-12-03",
        "2018-12-17",
        "2019-01-21",
    ]
    assert (
        eastmarsh["1.2"]["status_source"] == "fill"
        and eastmarsh["1.3"]["status_source"] == "text+fill"
    )
    assert all(k["target_value"] is None for k in by["Eastmarsh"]["kpis"])
    # Words, fills and both; "Not started" has a meaning but no colour.
    wexcombe = {a["ref"]: a for a in by["Wexcombe"]["actions"]}
    assert (wexcombe["WX-05"]["status"], wexcombe["WX-05"]["status_meaning"]) == (
        None,
        "not_started",
    )
    assert wexcombe["WX-15"]["status"] == "amber" and wexcombe["WX-15"]["status_fill"] == "#FFFF00"
    assert wexcombe["WX-04"]["start_date"] == "2019-04-01"
    # The committee report only counts statuses.
    kestrel = by["Kestrel Bay"]
    assert kestrel["status_counts"] == {"amber": 14, "green": 27, "red": 2, "blue": 5}
    assert kestrel["actions"] == [] and kestrel["kpis"] == []
    # The performance report's KPIs are cards: ratings through its key, arrows through its
    # own direction key (an up arrow is "improved" even where the value fell).
    cards = {k["ref"]: k for k in by["Saltmere"]["kpis"]}
    assert len(cards) == 12
    assert (cards["EH03"]["direction"], cards["EH03"]["actual_value"]) == ("improving", 17.2)
    assert cards["EH03"]["floor_value"] > cards["EH03"]["target_value"]  # lower is better
    assert (cards["CP01"]["status"], cards["CP01"]["status_meaning"]) == ("red", "off_track")
    assert cards["CP02"]["floor_raw"] == "" and cards["CP02"]["previous_raw"] == "91%"
    assert cards["EH04"]["previous_raw"] == "97% (Green)"
    assert {k["direction"] for k in cards.values()} == {"improving", "stable", "worsening"}


def _rect_fills(page: pdfplumber.page.Page) -> set[str]:
    out = set()
    for rect in page.rects:
        colour = rect.get("non_stroking_color")
        if rect.get("fill") and isinstance(colour, tuple | list) and len(colour) == 3:
            out.add("#" + "".join(f"{round(v * 255):02X}" for v in colour))
    return out


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_pdf_pages_running_text_and_fills(path: Path) -> None:
    e = json.loads(path.read_text(encoding="utf-8"))
    layout = e["layout"]["pdf"]
    fills: set[str] = set()
    with pdfplumber.open(SAMPLES / "plans" / f"{path.stem}.pdf") as pdf:
        assert len(pdf.pages) == layout["pages"]
        for page in pdf.pages:
            text = page.extract_text()
            assert layout["running_header"] in text
            assert f"Page {page.page_number}" in text
            fills |= _rect_fills(page)
        table_pages = {p for pages in layout["table_pages"] for p in pages}
        for n in table_pages:
            assert pdf.pages[n - 1].find_tables(), f"no ruled table on page {n}"
    wanted = {f for t in layout["tables"] for f in t["fills"].values()}
    assert wanted <= fills
    for a in e["actions"]:
        assert 1 <= a["page"] <= layout["pages"]


def test_numbered_theme_pdf_splits_a_row_over_a_page(expected: dict[str, dict]) -> None:
    e = next(x for x in expected.values() if x["plan"]["authority"] == "Northam Vale")
    layout = e["layout"]["pdf"]
    assert layout["pages"] >= 6
    (table, row), *_ = layout["split_rows"]
    pages = layout["table_pages"][table]
    assert not layout["tables"][table]["repeat_header"] and len(pages) > 1
    with pdfplumber.open(SAMPLES / e["documents"][0]) as pdf:
        first, second = pdf.pages[pages[0] - 1], pdf.pages[pages[-1] - 1]
        assert first.find_tables() and second.find_tables()
        # The continued table starts with a data row, not the header.
        top = second.find_tables()[0].extract()[0]
        assert top[0] and not top[0].startswith("Action")


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_docx_tables_match_layout(path: Path) -> None:
    e = json.loads(path.read_text(encoding="utf-8"))
    document = docx.Document(str(SAMPLES / "plans" / f"{path.stem}.docx"))
    tables = e["layout"]["docx"]["tables"]
    assert len(document.tables) == len(tables)
    assert document.core_properties.created.year >= 2017
    for table, want in zip(document.tables, tables, strict=True):
        rows = table._tbl.tr_lst
        assert (len(rows), len(table.columns)) == (want["rows"], want["cols"])
        marked = [r.trPr is not None and r.trPr.find(qn("w:tblHeader")) is not None for r in rows]
        assert any(marked) == want["repeat_header"]
        assert len(table._tbl.xpath(".//w:shd")) == len(want["fills"])
        vertical = sum(s[2] > 1 for s in want["spans"])
        assert bool(table._tbl.xpath(".//w:vMerge")) == (vertical > 0)


def test_xlsx_has_dates_merges_and_fills(expected: dict[str, dict]) -> None:
    e = next(x for x in expected.values() if "xlsx" in x["formats"])
    wb = openpyxl.load_workbook(SAMPLES / "plans" / f"{Path(e['documents'][0]).stem}.xlsx")
    sheet = e["layout"]["xlsx"]["sheets"][0]
    ws = wb[sheet["sheet"]]
    header = [c.value for c in ws[sheet["first_row"]]]
    assert header == e["layout"]["xlsx"]["tables"][0]["header"]
    starts = [
        ws.cell(row=sheet["first_row"] + 1 + i, column=5).value for i in range(len(e["actions"]))
    ]
    assert any(isinstance(v, dt.datetime) for v in starts) and any(
        isinstance(v, str) for v in starts
    )
    assert len(ws.merged_cells.ranges) == 1 + len(e["themes"])


def test_bad_files_are_what_they_claim() -> None:
    bad = SAMPLES / "bad"
    manifest = json.loads((bad / "manifest.json").read_text())
    assert set(manifest) == {p.name for p in bad.iterdir() if p.suffix != ".json"}
    assert (bad / "empty.pdf").stat().st_size == 0
    assert not zipfile.is_zipfile(bad / "not_a_zip.docx")
    assert (bad / "wrong_extension.docx").read_bytes().startswith(b"%PDF")
    assert (bad / "unsupported.rtf").read_bytes().startswith(b"{\\rtf1")
    truncated = (bad / "truncated.pdf").read_bytes()
    whole = next(
        p.read_bytes()
        for p in (SAMPLES / "plans").glob("*.pdf")
        if p.read_bytes().startswith(truncated)
    )
    assert len(truncated) == len(whole) // 2
    with pytest.raises(Exception):  # noqa: B017 - pdfminer's password error is wrapped differently by version
        with pdfplumber.open(bad / "encrypted.pdf") as pdf:
            pdf.pages[0].extract_text()
    with pdfplumber.open(bad / "scanned_no_text.pdf") as pdf:
        assert len(pdf.pages) == 1
        assert pdf.pages[0].chars == [] and len(pdf.pages[0].images) == 1
    with pdfplumber.open(bad / "wrong_extension.docx") as pdf:
        assert len(pdf.pages) == 1 and pdf.pages[0].find_tables() == []
