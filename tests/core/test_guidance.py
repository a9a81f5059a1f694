"""The guidance card carries every 一次性告知 element, for every matter of the sample catalog."""

import pytest

from shouwen_core.guard import REFUSALS, has_pointer
from shouwen_core.guidance import card, case_choice, follow_up, matter_choice, package_card


def test_every_sample_matter_card_is_complete_and_never_refuses(catalog):
    for m in catalog.matters:
        case = m.cases[0] if m.cases else None
        text = "\n".join(r.text for r in card(catalog, m, case))
        for part in ("需要准备的材料", "在哪里办", "办理时限", "收费", "电话", "下一步"):
            assert part in text, (m.id, part)
        assert not any(p in text for p in REFUSALS), m.id


def test_case_materials_are_added_to_common_ones(catalog):
    m = next(m for m in catalog.matters if m.cases and m.cases[0].materials)
    text = card(catalog, m, m.cases[0])[0].text
    assert m.cases[0].materials[0].name in text
    assert m.materials[0].name in text if m.materials else True


def test_long_material_lists_are_split(catalog):
    from dataclasses import replace

    from shouwen_core.catalog.model import Material

    m = replace(catalog.matters[0], materials=[Material(f"材料{i}") for i in range(30)], cases=[])
    replies = card(catalog, m)
    assert len(replies) == 4  # 12 + 12 + 6 materials, then where/time/fee/phone


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


def test_package_card_lists_matters_in_order(catalog):
    p = catalog.packages[0]
    reply = package_card(catalog, p)
    lines = [f"{no}. {catalog.matter(s.matter).name}" for no, s in enumerate(p.steps, 1)]
    positions = [reply.text.index(line) for line in lines]
    assert positions == sorted(positions)
    assert has_pointer([reply])


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
    from shouwen_core.guidance import package_card

    for package in catalog.packages:
        text = package_card(catalog, package).text
        assert not any(m.id in text for m in catalog.matters), (package.name, text)
    restaurant = next(p for p in catalog.packages if any("二选一" in s.note for s in p.steps))
    assert "二选一" in package_card(catalog, restaurant).text and "「" in package_card(catalog, restaurant).text
