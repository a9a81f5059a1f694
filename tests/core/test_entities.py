"""The one entity grammar: what counts as an application number, an ID number, a phone, a date."""

from __future__ import annotations

import pytest

from shouwen_core.entities import APPLICATION_NO, DATE, HOTLINE, ID_NUMBER, PHONE, find_entities, first
from shouwen_core.progress import find_application_no


def kinds(text: str) -> list[tuple[str, str, str]]:
    return [(e.kind, text[e.start : e.end], e.value) for e in find_entities(text)]


@pytest.mark.parametrize(
    ("text", "written", "value"),
    [
        ("我的电话13812345678", "13812345678", "13812345678"),
        ("+86 138 1234 5678", "+86 138 1234 5678", "13812345678"),
        ("+86-138-1234-5678", "+86-138-1234-5678", "13812345678"),
        ("0086 138 1234 5678", "0086 138 1234 5678", "13812345678"),
        ("手机138-1234-5678谢谢", "138-1234-5678", "13812345678"),
        ("137 1357 2468", "137 1357 2468", "13713572468"),
        ("１３８１２３４５６７８", "１３８１２３４５６７８", "13812345678"),
        ("座机020-83456789", "020-83456789", "02083456789"),
        ("(020)83456789", "(020)83456789", "02083456789"),
        ("（020）83456789", "（020）83456789", "02083456789"),
        ("+86 20 8345 6789", "+86 20 8345 6789", "02083456789"),
        ("咨询电话：0123-86630110", "0123-86630110", "012386630110"),
        ("0755-88886666-801", "0755-88886666-801", "075588886666"),
        ("400-820-8820", "400-820-8820", "4008208820"),
        ("800-810-8888", "800-810-8888", "8008108888"),
        ("16012345678", "16012345678", "16012345678"),
    ],
)
def test_phones_in_every_common_form(text: str, written: str, value: str) -> None:
    assert kinds(text) == [(PHONE, written, value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("身份证110101199003077777丢了", "110101199003077777"),
        ("110101 19900307 7777", "110101199003077777"),
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０１１９９００３０７７７７７", "110101199003077777"),
        ("老身份证110101900307777", "110101900307777"),
    ],
)
def test_id_numbers_with_and_without_groups(text: str, value: str) -> None:
    assert [(e.kind, e.value) for e in find_entities(text)] == [(ID_NUMBER, value)]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("受理号SL2026110003到哪了", "SL2026110003"),
        ("受理号sl20261100011到哪了", "SL20261100011"),
        ("办件编号202604100318", "202604100318"),
        ("ＳＬ２０２６１１０００３", "SL2026110003"),
    ],
)
def test_application_numbers(text: str, value: str) -> None:
    assert [(e.kind, e.value) for e in find_entities(text)] == [(APPLICATION_NO, value)]
    assert find_application_no(text) == value


@pytest.mark.parametrize(
    "text",
    ["YWH2026110003", "110101199003077777", "13812345678", "8613812345678", "SL1234567", "12345"],
)
def test_what_is_not_an_application_number(text: str) -> None:
    assert find_application_no(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2026-12-03", "2026-12-03"),
        ("2026/12/3来", "2026-12-03"),
        ("2026.12.03", "2026-12-03"),
        ("2026年12月3日", "2026-12-03"),
        ("20261203", "2026-12-03"),
        ("12月3号上午", "--12-03"),
    ],
)
def test_dates(text: str, value: str) -> None:
    assert [(e.kind, e.value) for e in find_entities(text)] == [(DATE, value)]


@pytest.mark.parametrize(
    ("text", "written"),
    [("打12345", "12345"), ("95598", "95598"), ("020-12333-9-3", "020-12333-9-3"), ("020-12345", "020-12345")],
)
def test_short_hotlines_are_hotlines_not_phones(text: str, written: str) -> None:
    assert [(e.kind, text[e.start : e.end]) for e in find_entities(text)] == [(HOTLINE, written)]


@pytest.mark.parametrize("text", ["0.5", "共100元", "第3天", "123", "2026/2/30", "护照过期了怎么办"])
def test_nothing_in_ordinary_text(text: str) -> None:
    assert find_entities(text) == []


def test_several_entities_in_one_message_by_position() -> None:
    text = "身份证110101199003071234，电话13812345678，受理号SL2026110003，12月3日去的"
    assert [e.kind for e in find_entities(text)] == [ID_NUMBER, PHONE, APPLICATION_NO, DATE]
    phone = first(text, PHONE)
    assert phone is not None and phone.value == "13812345678"
