"""The one wording source: every sentence a citizen reads, with the city's facts filled in."""

from __future__ import annotations

import re

import pytest

from shouwen_core.catalog.model import CitySettings
from shouwen_core.guard import REFUSALS
from shouwen_core.replies import T, configure, wording_classes

# Templates whose placeholders the caller fills; the rest are whole sentences a person reads.
_FIELDS = re.compile(r"\{[a-z_]+\}")


def sentences() -> list[tuple[str, str]]:
    return [
        (f"{cls.__name__}.{name}", text)
        for cls in wording_classes()
        for name, text in vars(cls).items()
        if name.isupper() and isinstance(text, str)
    ]


@pytest.fixture
def other_city():
    configure(CitySettings(hotline="96345", hotline_name="市民服务热线", main_hall="政务大厅", cannot_window="A9"))
    yield
    configure(CitySettings())


def test_no_sentence_refuses():
    assert len(sentences()) > 80
    for name, text in sentences():
        assert not [p for p in REFUSALS if p in text], name


def test_every_city_fact_is_filled_in():
    for name, text in sentences():
        assert "$" not in text, name


def test_the_citys_own_hotline_and_window_replace_the_defaults(other_city):
    assert "96345 市民服务热线" in T.REFER_HOTLINE and "政务大厅 A9" in T.REFER_HOTLINE
    for name, text in sentences():
        assert "12345" not in text and "Z01" not in text, name


def test_the_sample_city_names_its_facts_in_its_catalog(catalog):
    assert catalog.settings.hotline == "12345" and catalog.settings.cannot_window == "Z01"
    assert catalog.to_dict()["settings"]["main_hall"] == "市民中心"
