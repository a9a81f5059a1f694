"""The linker on the team's sample catalog: colloquial, traditional, abbreviated questions."""

import json

import pytest

from shouwen_core.linker import Linker


@pytest.mark.parametrize(
    ("question", "expected_in_name"),
    [
        ("身份证丢了怎么补办", "身份证"),
        ("開飯店要辦什麼證", "食品经营"),
        ("开饭店要办什么证", "食品经营"),
        ("孩子刚出生要上户口", "出生"),
        ("護照過期了", "护照"),
        ("社保卡丢了咋办", "社会保障卡"),
        ("驾照到期了怎么换", "驾驶证"),
        ("想取公积金租房", "公积金"),
        ("领结婚证要带什么", "结婚"),
        ("二手房过户", "转移"),
        ("passport", "护照"),
    ],
)
def test_colloquial_question_finds_matter_in_top3(linker, question, expected_in_name):
    result = linker.link(question)
    names = [c.matter.name for c in result.matters[:3]]
    assert any(expected_in_name in n for n in names), names


def test_yyzz_abbreviation_reaches_business_registration(linker):
    names = [c.matter.name for c in linker.link("yyzz怎么办").matters[:3]]
    assert any("登记" in n for n in names), names


def test_scores_are_ranked_and_bounded(linker):
    result = linker.link("身份证丢了")
    scores = [c.score for c in result.matters]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


@pytest.mark.parametrize("question", ["", "   ", "😀😀", "asdfghjkl", "？？？"])
def test_nonsense_is_not_confident(linker, question):
    assert not linker.link(question).confident


def test_new_catalog_takes_effect_without_training(catalog):
    from dataclasses import replace

    from shouwen_core.catalog.model import Catalog

    extra = replace(catalog.matters[0], id="TEST-NEW-1", name="古树名木迁移审批", aliases=["移栽古树"], cases=[])
    linker = Linker(Catalog(matters=[*catalog.matters, extra], halls=catalog.halls, departments=catalog.departments))
    assert linker.link("我想移栽古树").top.matter.id == "TEST-NEW-1"


def test_case_detected_when_question_tells_it(catalog, linker):
    with_cases = [m for m in catalog.matters if m.cases and m.cases[0].keywords]
    assert with_cases
    found = 0
    for m in with_cases:
        kw = m.cases[0].keywords[0]
        if Linker.lexical_case(m, f"{m.name}，{kw}") is m.cases[0]:
            found += 1
    assert found / len(with_cases) > 0.8


def test_full_pinyin_question_reaches_the_matter(linker):
    names = [c.matter.name for c in linker.link("ban huzhao yao dai shenme").matters[:3]]
    assert any("护照" in n for n in names), names


def test_case_detection_never_guesses_between_equal_cases(catalog):
    m = next(m for m in catalog.matters if len(m.cases) >= 2)
    both = f"{m.cases[0].name}还是{m.cases[1].name}"
    assert Linker.lexical_case(m, both) is None


@pytest.mark.parametrize("question", ["身份证丢了怎么补办", "我要开饭店", "家里停电了找谁", "出生医学证明"])
def test_a_link_result_restored_from_its_dict_is_the_same(linker, question):
    result = linker.link(question)
    restored = linker.restore(json.loads(json.dumps(result.as_dict())), question)
    assert restored == result


def test_a_link_result_for_another_text_or_an_unknown_matter_is_not_restored(linker):
    data = linker.link("身份证丢了怎么补办").as_dict()
    assert linker.restore(data, "护照过期了") is None
    data["matters"][0]["id"] = "NO-SUCH-MATTER"
    assert linker.restore(data, "身份证丢了怎么补办") is None
    assert linker.restore({"question": "x"}, "x") is None
    assert linker.restore(None, "x") is None
