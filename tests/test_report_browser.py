"""The report in a real headless Chromium: charts drawn, filters, sorting, paging, no script injection.

Uses Debian's chromium (the Makefile's `browser` target installs it) driven by
Playwright for Python; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planx.pipeline.compare import run_compare
from planx.pipeline.enrich import enrich_plans
from planx.pipeline.flatten import records_to_frames
from planx.pipeline.report import write_report
from planx.pipeline.sinks import write_tables
from planx.schemas.records import Plan
from tests.test_compare import AS_OF, XSS, _action, crafted_plans

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHARTS = ("themes", "status", "leads", "due", "overdue")
N_BIG = 450


def _chromium() -> str:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip("no chromium binary (run `make browser`, or apt-get install chromium)")


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _report(plans: list[Plan], outdir: Path) -> Path:
    write_tables(records_to_frames(enrich_plans(plans), []), outdir)
    return write_report(run_compare(outdir, as_of=AS_OF))


@pytest.fixture(scope="module")
def crafted_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _report(crafted_plans(), tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    plan_id, source = "eeeeeeeeeeeeeeee", "big.xlsx"
    actions = [
        _action(plan_id, source, n, f"Theme {n % 7}", f"{n}", f"Action number {n}", None, "green")
        for n in range(1, N_BIG + 1)
    ]
    plan = Plan(
        plan_id=plan_id,
        source=source,
        sha256="e" * 64,
        format="xlsx",
        authority="Bigshire",
        actions=actions,
    )
    return _report([plan], tmp_path_factory.mktemp("browser_big"))


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    page = context.new_page()
    page.problems = []  # console errors, page errors, dialogs, requests off the file
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"pageerror: {e}"))
    page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.on(
        "request", lambda r: r.url.startswith("file:") or page.problems.append(f"request: {r.url}")
    )
    yield page
    context.close()


def _open(page, report: Path) -> None:
    page.goto(report.as_uri())
    page.wait_for_selector("html[data-rendered=true]", timeout=15000)


def _rows(page) -> int:
    return page.locator("#actions-table tbody tr").count()


def _column(page, n: int) -> list[str]:
    return page.locator(f"#actions-table tbody tr td:nth-child({n})").all_text_contents()


def test_report_renders_charts_without_errors(page, crafted_report: Path):
    _open(page, crafted_report)
    for chart in CHARTS:
        assert page.locator(f"#chart-{chart} svg rect.bar").count() > 0, chart
    # Themes: one stacked bar per authority; Testshire's five actions fall in three areas.
    assert page.locator('#chart-themes rect.bar[data-group="Testshire"]').count() == 3
    # Status mix has a row for the counts reported only in prose.
    assert (
        page.locator('#chart-status rect.bar[data-group="Sampleton (reported)"]').count() == 3
    )  # 0 red: no bar
    assert (
        page.locator('#chart-overdue rect.bar[data-group="Testshire"] title').text_content()
        == "Testshire: 2"
    )
    # One row per authority compared: Testshire, Sampleton, Scoreshire (a performance report
    # with no actions) and the unnamed plan.
    summary = (crafted_report.parent / "compare_authority_summary.csv").read_text(encoding="utf-8")
    assert page.locator("#summary-table tbody tr").count() == len(summary.splitlines()) - 1 == 4
    assert page.locator("#kpi-table tbody tr").count() == 2  # two measures found in both councils
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report.png"), full_page=True)
    assert page.problems == []


def test_script_in_a_cell_shows_as_text(page, crafted_report: Path):
    _open(page, crafted_report)
    page.fill("#filter-text", "<script>")
    assert _rows(page) == 1
    cell = page.locator("#actions-table tbody tr td.action").first
    assert cell.text_content().startswith(XSS)
    assert page.locator("#actions-table script").count() == 0
    assert page.problems == []


def test_filters_narrow_the_table(page, crafted_report: Path):
    _open(page, crafted_report)
    assert _rows(page) == 8
    page.fill("#filter-text", "mash")
    assert _rows(page) == 2
    assert "Showing 2 of 2 matching actions (8 in all)" in page.text_content("#row-count")
    page.fill("#filter-text", "")
    page.select_option("#filter-authority", "Sampleton")
    assert _rows(page) == 2
    page.select_option("#filter-authority", "")
    page.select_option("#filter-status", "off_track")
    assert _rows(page) == 2
    page.select_option("#filter-theme", "care leavers")
    assert _rows(page) == 0
    assert page.problems == []


def test_clicking_headers_sorts(page, crafted_report: Path):
    _open(page, crafted_report)
    page.click('#actions-table th[data-col="due_date"]')
    due = _column(page, 6)
    assert due[0] == "2016-10-31" and due[-1] == "TBC"  # rows without a date stay last
    assert page.get_attribute('#actions-table th[data-col="due_date"]', "aria-sort") == "ascending"
    page.click('#actions-table th[data-col="due_date"]')
    due = _column(page, 6)
    assert due[0] == "2018-01-15" and due[-1] == "TBC"
    page.click('#actions-table th[data-col="authority"]')
    authorities = _column(page, 1)
    blocks = [a for i, a in enumerate(authorities) if i == 0 or a != authorities[i - 1]]
    assert sorted(blocks) == sorted(set(authorities))  # each authority's rows together
    assert blocks.index("Sampleton") < blocks.index("Testshire")
    assert page.problems == []


def test_rows_render_a_page_at_a_time(page, big_report: Path):
    _open(page, big_report)
    assert _rows(page) == 200
    page.click("#show-more")
    assert _rows(page) == 400
    page.click("#show-more")
    assert _rows(page) == N_BIG
    assert page.is_hidden("#show-more")
    page.fill("#filter-text", "action number 44")
    assert _rows(page) == 11  # 44 and 440-449
    assert page.problems == []


def test_report_lists_recommendations_unaddressed_first_with_their_links(
    page, crafted_report: Path
):
    _open(page, crafted_report)
    assert page.problems == []
    block = page.locator(
        '#recommendations-list .inspection[data-source="testshire_inspection.pdf"]'
    )
    recs = block.locator(".rec")
    assert recs.count() == 4
    # The one no action answers comes first, marked as such; then the report's order.
    assert recs.evaluate_all("els => els.map(e => e.dataset.rec)") == ["4", "1", "2", "3"]
    assert recs.first.get_attribute("data-addressed") == "false"
    assert "not addressed" in recs.first.locator(".badge").first.text_content()
    cited = block.locator('.rec[data-rec="3"]')
    assert "addressed (cited)" in cited.locator(".badge").first.text_content()
    first_link = cited.locator("table.links tbody tr").first
    cells = first_link.locator("td").all_text_contents()
    assert cells[2] == "2.2" and cells[4] == "at risk" and cells[6].startswith("cited")
    assert "3 of 4 recommendations addressed" in block.locator(".hint").first.text_content()
    assert (
        page.locator("#recommendation-count").text_content() == "4 recommendations, 1 not addressed"
    )
    # The summary table gives Testshire's latest inspection.
    row = page.locator("#summary-table tbody tr", has_text="Testshire")
    assert "Requires improvement to be good" in row.locator("td.inspection").text_content()


@pytest.fixture(scope="module")
def history_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.test_history import crafted_versions

    return _report(crafted_versions(), tmp_path_factory.mktemp("browser_history"))


def _flow(page, before: str, after: str) -> str | None:
    return page.get_attribute(f'#history g.flow[data-from="{before}"][data-to="{after}"]', "data-n")


def test_what_changed_between_the_last_two_versions(page, history_report: Path):
    _open(page, history_report)
    page.wait_for_selector("html[data-history-rendered=true]", timeout=15000)
    assert page.locator("#history .lineage").count() == 1  # the plan seen once has no section
    lineage = page.locator("#history .lineage")
    assert "Versionshire" in lineage.locator("h3").text_content()
    # Status flow: every action of the two versions, by its status before and after.
    assert page.locator("#history g.flow").count() == 5
    assert _flow(page, "on_track", "complete") == "1"
    assert _flow(page, "at_risk", "at_risk") == "1"
    assert _flow(page, "new", "not_started") == "1"
    assert _flow(page, "on_track", "dropped") == "1"
    assert page.locator("#history svg.flows rect").count() == 10
    # The slipped action with its old and new dates; the action added and the one dropped.
    due = page.locator("#history table.due-moved tbody tr td").all_text_contents()
    assert due[2:] == ["2019-09-30", "2019-12-31"]
    assert "foster carers" in page.locator("#history table.added tbody").text_content()
    assert "Audit referrals" in page.locator("#history table.dropped tbody").text_content()
    assert page.locator('#history .badge[data-change="ref"]').text_content() == "renumbered 2"
    assert "1 plan(s) were read in one version only" in page.text_content("#history")
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("#history").screenshot(path=str(ARTIFACTS / "report_history.png"))
    assert page.problems == []


def test_what_changed_without_versions_says_so(page, crafted_report: Path):
    _open(page, crafted_report)
    assert "No plan was read in more than one version" in page.text_content("#history")
    assert page.problems == []
