"""Shared fixtures: where the samples and the shared real material live."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared beside the repo; tests that need it skip only when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED


# The plans (their DOCX renderings) that answer three of the inspection reports.
ANSWERING_PLANS = (
    "bristol_2016-17_getting_to_good.docx",
    "worcestershire_2017_scrutiny_update.docx",
    "city_of_london_2018_sip_report.docx",
)


@pytest.fixture(scope="session")
def ofsted_batch(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every inspection report in ../shared and the plans answering three of them, extracted and
    compared once per session."""
    from planx.pipeline.batch import run_extract
    from planx.pipeline.compare import run_compare

    out = tmp_path_factory.mktemp("ofsted_batch")
    reports = sorted((shared_dir / "realdocs" / "ofsted-ilacs").glob("*.pdf"))
    plans = [shared_dir / "rendered" / name for name in ANSWERING_PLANS]
    run_extract([*reports, *plans], out, batch={"workers": 2, "cache": False})
    run_compare(out)
    return out
