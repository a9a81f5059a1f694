"""The guidance card: the chat card carries the essentials in bubbles a phone shows whole (today's
hours of the main hall, buttons for the rest); the full card carries every 一次性告知 element, for
every matter of the sample catalog."""

import datetime as dt
import json
import re
from dataclasses import replace

import pytest

from shouwen_core.catalog.model import Material
from shouwen_core.guard import REFUSALS, has_pointer
from shouwen_core.guidance import (
    CHAT_LIMIT,
    card,
    case_choice,
    follow_up,
    full_card,
    matter_choice,
    package_card,
)

MONDAY, SATURDAY, SUNDAY = dt.date(2026, 12, 7), dt.date(2026, 12, 5), dt.date(2026, 12, 6)
NATIONAL_DAY, MAKEUP_SATURDAY = dt.date(2026, 10, 1), dt.date(2026, 10, 10)
DAYS = (MONDAY, SATURDAY, NATIONAL_DAY)


def _cards(catalog, day):
    for m in catalog.matters:
        for case in m.cases or [None]:
            yield m, case, card(catalog, m, case, day)


def _payload(payload: str) -> tuple[str, dict]:
    m = re.fullmatch(r"/(\w+)(\{.*\})", payload)
    assert m, payload
    return m.group(1), json.loads(m.group(2))


def test_every_sample_matter_full_card_is_complete_and_never_refuses(catalog):
    for m in catalog.matters:
        case = m.cases[0] if m.cases else None
        text = "\n".join(r.text for r in full_card(catalog, m, case))
        for part in ("需要准备的材料", "在哪里办", "办理时限", "收费", "电话", "下一步"):
            assert part in text, (m.id, part)
        assert not any(p in text for p in REFUSALS), m.id


@pytest.mark.parametrize("day", DAYS, ids=["monday", "saturday", "national-day"])
def test_every_chat_card_fits_in_at_most_two_bubbles_with_the_essentials(catalog, day):
    for m, case, replies in _cards(catalog, day):
        assert 1 <= len(replies) <= 2, m.id
        assert all(len(r.text) <= CHAT_LIMIT for r in replies), (m.id, [len(r.text) for r in replies])
        text = "\n".join(r.text for r in replies)
        for material in [*m.materials, *(case.materials if case else [])]:
            assert material.name in text, (m.id, material.name)
        for part in ("时限：", "收费：", "咨询电话："):
            assert part in text, (m.id, part)
        if m.where.online_url and m.where.online != "不可网办":
            assert m.where.online_url in text, m.id
        assert not any(p in text for p in REFUSALS), m.id
        assert has_pointer(replies), m.id


def test_every_chat_card_offers_all_halls_the_process_and_the_notice(catalog):
    for m, case, replies in _cards(catalog, MONDAY):
        assert all(not r.buttons for r in replies[:-1])
        where, process, notice = replies[-1].buttons
        assert (where.title, process.title, notice.title) == ("全部办理地点", "办理流程", "打印告知单")
        expected = {"matter": m.id, **({"case": case.id} if case else {})}
        assert _payload(where.payload) == ("ask_where", expected)
        assert _payload(process.payload) == ("ask_process", expected)
        assert notice.url == f"/notice/{m.id}" + (f"?case={case.id}" if case else "") and not notice.payload


def test_the_button_payloads_name_intents_and_entities_of_the_domain():
    from tests.conftest import ROOT

    domain = (ROOT / "bot" / "domain.yml").read_text(encoding="utf-8")
    for word in ("- ask_where", "- ask_process", "- matter", "- case"):
        assert word in domain, word


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (MONDAY, "今天（12月7日周一）9:00-12:00、13:30-17:30"),
        (SATURDAY, "今天（12月5日周六）9:00-12:00，综合受理窗口、户政、出入境、不动产、人社、医保窗口开放"),
        (SUNDAY, "今天（12月6日周日）休息，最近办公日：12月7日周一 9:00-12:00、13:30-17:30"),
        (NATIONAL_DAY, "今天（10月1日周四，法定节假日）休息，最近办公日：10月8日周四 9:00-12:00、13:30-17:30"),
        (MAKEUP_SATURDAY, "今天（10月10日周六，调休上班）9:00-12:00、13:30-17:30"),
    ],
)
def test_the_chat_card_gives_the_main_halls_hours_of_that_day_only(catalog, day, expected):
    m = next(m for m in catalog.matters if m.name == "居民身份证补领")
    text = "\n".join(r.text for r in card(catalog, m, None, day))
    main, *others = [catalog.hall(hw.hall) for hw in m.where.halls]
    assert expected in text and main.name in text and main.address in text
    assert "周一至周五" not in text and text.count("今天（") == 1
    assert all(hall.address not in text for hall in others) and f"另有{len(others)}处可办" in text


def test_the_chat_card_names_one_hall_and_the_full_card_every_hall(catalog):
    for m in catalog.matters:
        halls = [h for hw in m.where.halls if (h := catalog.hall(hw.hall)) is not None]
        chat = "\n".join(r.text for r in card(catalog, m, m.cases[0] if m.cases else None, MONDAY))
        full = "\n".join(r.text for r in full_card(catalog, m, m.cases[0] if m.cases else None))
        for hall in halls:
            assert hall.name in full and hall.hours in full, (m.id, hall.id)
        assert all(h.address not in chat for h in halls[1:] if h.address != halls[0].address), m.id
        if halls and halls[0].hours:
            assert "今天（12月7日周一）" in chat and halls[0].hours not in chat, m.id


def test_hours_the_card_cannot_read_are_shown_shortened(catalog):
    from shouwen_core.guidance import hours_today

    hall = replace(
        catalog.halls[0],
        hours="工作时间以大厅门口公告为准，如遇特殊情况请提前致电确认，节假日值班安排另行通知，谢谢配合",
    )
    line = hours_today(hall, MONDAY)
    assert line.startswith("办公时间：工作时间以大厅门口公告为准") and line.endswith("…") and hall.hours not in line
    assert hours_today(replace(hall, hours=""), MONDAY) == ""


def test_case_materials_are_added_to_common_ones(catalog):
    m = next(m for m in catalog.matters if m.cases and m.cases[0].materials)
    text = card(catalog, m, m.cases[0], MONDAY)[0].text
    assert m.cases[0].materials[0].name in text
    assert m.materials[0].name in text if m.materials else True


def test_a_chat_material_is_short_and_a_long_note_is_left_to_the_full_card(catalog):
    long_note = "须由户籍所在地派出所出具并加盖公章，有效期三个月"
    m = replace(
        catalog.matters[0],
        materials=[
            Material("居民户口簿", "原件和复印件", 1, notes="首页和本人页"),
            Material("证明", "原件", 1, notes=long_note),
        ],
        cases=[],
    )
    text = card(catalog, m, None, MONDAY)[0].text
    assert "1. 居民户口簿（原件和复印件各1份）首页和本人页" in text and "2. 证明（原件1份）" in text
    assert long_note not in text and long_note in "\n".join(r.text for r in full_card(catalog, m))


def test_a_long_material_list_is_split_in_two_bubbles_that_each_fit(catalog):
    names = [f"第{i}项证明材料（由相关单位出具的原件，加盖公章）" for i in range(1, 16)]
    m = replace(catalog.matters[0], materials=[Material(n, "原件", 1, notes="窗口核验") for n in names], cases=[])
    replies = card(catalog, m, None, MONDAY)
    assert len(replies) == 2 and all(len(r.text) <= CHAT_LIMIT for r in replies)
    text = "\n".join(r.text for r in replies)
    assert all(n in text for n in names) and "咨询电话" in replies[1].text and replies[1].buttons


def test_the_full_card_splits_long_material_lists(catalog):
    m = replace(catalog.matters[0], materials=[Material(f"材料{i}") for i in range(30)], cases=[])
    replies = full_card(catalog, m)
    assert len(replies) == 4  # 12 + 12 + 6 materials, then where/time/fee/phone


def test_the_where_follow_up_lists_every_hall_with_its_full_hours(catalog):
    m = next(m for m in catalog.matters if len(m.where.halls) > 1)
    text = follow_up(catalog, m, "ask_where").text
    for hw in m.where.halls:
        hall = catalog.hall(hw.hall)
        assert hall.name in text and hall.hours in text


@pytest.mark.parametrize(
    ("act", "word"),
    [
        ("ask_time_limit", "工作日"),
        ("ask_fee", "收费"),
        ("ask_where", "办理地点"),
        ("ask_phone", "咨询电话"),
        ("ask_process", "流程"),
    ],
)
def test_follow_up_answers_one_element(catalog, act, word):
    m = catalog.matters[0]
    reply = follow_up(catalog, m, act)
    assert word in reply.text or "即来即办" in reply.text
    assert "需要准备的材料" not in reply.text


def test_case_choice_has_a_button_per_case(catalog):
    m = next(m for m in catalog.matters if m.cases)
    reply = case_choice(m)
    assert [b.title for b in reply.buttons] == [c.name for c in m.cases]


def test_matter_choice_offers_none_of_these(catalog):
    reply = matter_choice(catalog.matters[:3])
    assert reply.buttons[-1].title == "都不是"
    assert len(reply.buttons) == 4


@pytest.mark.parametrize("day", DAYS, ids=["monday", "saturday", "national-day"])
def test_every_package_card_is_one_bubble_a_line_and_a_button_per_matter(catalog, day):
    for p in catalog.packages:
        reply = package_card(catalog, p, day)
        assert len(reply.text) <= CHAT_LIMIT, (p.name, len(reply.text))
        lines = reply.text.split("\n")
        steps = [catalog.matter(s.matter) for s in p.steps]
        positions = [
            next(i for i, line in enumerate(lines) if line.startswith(f"{no}. {m.name}"))
            for no, m in enumerate(steps, 1)
        ]
        assert positions == sorted(positions) and positions == list(range(positions[0], positions[0] + len(steps)))
        assert [b.value for b in reply.buttons] == [m.id for m in steps]
        assert all(_payload(b.payload) == ("choose_matter", {"matter": b.value}) for b in reply.buttons)
        assert "今天（" in reply.text and has_pointer([reply]), p.name


def test_a_package_step_says_where_and_how_long(catalog):
    p = next(p for p in catalog.packages if p.name == "新生儿出生一件事")
    text = package_card(catalog, p, MONDAY).text
    assert "3. 出生登记【一表】：当场办结" in text or "3. 出生登记【一表】：" in text
    assert "2. 出生医学证明办理（首次签发、补发、换发）：临江市民中心政务服务大厅，10个工作日" in text
    assert "标【一表】的事项填一张表、交一套材料即可同时办理。" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第二个", "b"),
        ("选1", "a"),
        ("3", "c"),
        ("第一種", "a"),
        ("最后一个", "c"),
        ("第五个", None),
        ("随便", None),
        ("", None),
    ],
)
def test_pick_resolves_ordinal_replies(text, expected):
    from shouwen_core.guidance import pick

    assert pick(text, ["a", "b", "c"]) == expected


def test_a_package_never_shows_an_internal_matter_id(catalog):
    from shouwen_core.guidance import readable

    for package in catalog.packages:
        for day in DAYS:
            text = package_card(catalog, package, day).text
            assert not any(m.id in text for m in catalog.matters), (package.name, text)
    note = next(s.note for p in catalog.packages for s in p.steps if "二选一" in s.note)
    assert "二选一" in readable(catalog, note) and "「" in readable(catalog, note)
    assert not any(m.id in readable(catalog, note) for m in catalog.matters)
