"""The one turn function: what it reads from a parse, and that chat and the clerk panel agree."""

import pytest

from shouwen_core import turn
from shouwen_core.text import normalize


def test_the_parse_gives_act_entities_and_the_typed_text(consultant):
    parse = {"intent": {"name": "ask_fee"}, "entities": [{"entity": "rating", "value": "满意"}, {"value": "x"}]}
    assert turn.act_of(parse) == "ask_fee" and turn.act_of(None) == "nlu_fallback"
    assert turn.entities_of(parse) == {"rating": "满意"}


def test_the_linkers_result_in_the_parse_is_reused_not_redone(consultant, monkeypatch):
    typed = "護照過期了要帶什麼"
    link = consultant.linker.link(normalize(typed))
    parse = {"intent": {"name": "ask_materials"}, "original_text": typed, "link": link.as_dict()}

    def relink(*_a, **_k):
        raise AssertionError("linked a second time")

    monkeypatch.setattr(consultant.linker, "link", relink)
    answer = turn.answer(consultant, normalize(typed), parse)
    assert answer.matter is not None and "护照" in answer.matter.name


@pytest.mark.parametrize(
    ("question", "act"),
    [
        ("楼上邻居装修，电钻从早响到晚，能去哪投诉", "complain"),
        ("身份证丢了怎么补办", "ask_materials"),
        ("停电了找谁", "ask_where"),
    ],
)
def test_chat_and_the_clerk_panel_give_the_same_kind_of_answer(consultant, question, act):
    # The clerk panel has no DIET parse; chat's act for these is what a person means by them.
    chat = turn.answer(consultant, question, {"intent": {"name": act}})
    clerk = turn.answer(consultant, question, {"link": consultant.linker.link(question).as_dict()})
    assert chat.kind == clerk.kind
    assert (chat.matter.id if chat.matter else None) == (clerk.matter.id if clerk.matter else None)
