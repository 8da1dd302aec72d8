"""Settings are resolved one way (schemas.settings.resolve_settings) for every stage."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planx.extractors.base import ExtractSettings
from planx.pipeline.batch import BatchSettings
from planx.pipeline.compare import CompareSettings
from planx.pipeline.kpi_match import KpiMatchSettings
from planx.pipeline.nlp.stage import NlpSettings
from planx.pipeline.process import RunSettings
from planx.pipeline.recommendation_links import LinkSettings

ALL = [ExtractSettings, RunSettings, BatchSettings, NlpSettings, KpiMatchSettings, CompareSettings]


@pytest.mark.parametrize("cls", ALL)
def test_none_gives_the_defaults_and_an_instance_itself(cls):
    default = cls.resolve(None)
    assert default == cls()
    assert cls.resolve(default) is default


@pytest.mark.parametrize("cls", ALL)
def test_an_unknown_name_is_an_error_that_names_it(cls):
    with pytest.raises(ValueError, match="Unknown .*setting.*: colour"):
        cls.resolve({"colour": "red"})


def test_nested_settings_change_only_the_values_given():
    settings = CompareSettings.resolve({"kpi": {"cluster_threshold": 90}, "links": {"top_n": 2}})
    assert settings.kpi == KpiMatchSettings(cluster_threshold=90)
    assert settings.links == LinkSettings(**{**vars(LinkSettings.default()), "top_n": 2})
    run = RunSettings.resolve({"extract": {"max_pages": 3}, "as_of": "2019-03-31"})
    assert run.extract.max_pages == 3 and run.as_of == dt.date(2019, 3, 31)
    with pytest.raises(ValueError, match="Unknown compare.links setting"):
        CompareSettings.resolve({"links": {"top": 2}})


def test_text_is_read_as_the_fields_type():
    assert NlpSettings.resolve({"as_of": "2017-01-31"}).as_of == dt.date(2017, 1, 31)
    assert BatchSettings.resolve({"cache_dir": "/tmp/x"}).cache_dir == Path("/tmp/x")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        NlpSettings.resolve({"as_of": "31/01/2017"})
    with pytest.raises(TypeError, match="must be None, a mapping"):
        KpiMatchSettings.resolve(["min_score", 90])


def test_values_are_still_checked_by_each_class():
    with pytest.raises(ValueError, match="min_score"):
        KpiMatchSettings.resolve({"min_score": 120})
    with pytest.raises(ValueError, match="copy_threshold"):
        CompareSettings.resolve({"copy_threshold": 0})
