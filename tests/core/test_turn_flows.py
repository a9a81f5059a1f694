"""Behaviour of the one turn function across turns: follow-ups on a choice, leaving a flow for a
new question, referrals for complaints about others, suggestions, markup, the person's script and
language. The act is given as DIET would give it, so that these tests are about the core's decisions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from shouwen_core import turn
from shouwen_core.consult import Answer, Consultant


@dataclass
class Chat:
    """What the custom action keeps between turns: the focus and the values of the buttons shown."""

    consultant: Consultant
    focus: dict[str, str] = field(default_factory=dict)
    offered: list[str] = field(default_factory=list)

    def say(self, text: str, act: str = "nlu_fallback", **entities: str) -> Answer:
        parse: dict[str, Any] = {
            "intent": {"name": act},
            "entities": [{"entity": k, "value": v} for k, v in entities.items()],
        }
        answer = turn.answer(self.consultant, text, parse, self.focus, self.offered)
        self.focus = {k: v for k, v in answer.focus.items() if v}
        self.offered = [b.value for r in answer.replies for b in r.buttons if b.value]
        return answer


def said(answer: Answer) -> str:
    return "\n".join(r.text for r in answer.replies)


def test_a_follow_up_after_a_choice_is_answered_once_when_the_matters_agree(consultant):
    chat = Chat(consultant)
    passports = [m.id for m in consultant.catalog.matters if m.name.startswith("普通护照")]
    assert len(passports) >= 2, "the sample city has several passport matters"
    chat.offered = passports
    answer = chat.say("那要多少钱", "ask_fee")
    assert answer.kind == "follow_up"
    assert "都一样" in said(answer) and "120" in said(answer)
    # the choice stays open: its buttons come again, so "第二个" still picks from them
    assert [b.value for r in answer.replies for b in r.buttons][: len(passports)] == passports
    assert chat.say("第二个", "choose_matter").matter.id == passports[1]


def test_a_follow_up_after_a_choice_asks_which_when_the_matters_differ(consultant):
    chat = Chat(consultant)
    fees = {}
    for m in consultant.catalog.matters:
        if re.search(r"\d+元", m.fee.description):
            fees.setdefault(re.search(r"\d+元", m.fee.description).group(0), m.id)
    chat.offered = list(fees.values())[:3]
    answer = chat.say("要多少钱", "ask_fee")
    assert answer.kind == "follow_up" and "哪一项" in said(answer)
    values = [b.value for r in answer.replies for b in r.buttons if b.value]
    assert values == chat.offered or values == list(fees.values())[:3]


def test_a_follow_up_with_nothing_in_focus_asks_which_matter_instead_of_guessing(consultant):
    answer = Chat(consultant).say("要多久", "ask_time_limit")
    assert answer.kind == "social" and answer.matter is None and answer.unanswered
    assert "哪件事" in said(answer) and "12345" in said(answer)


def test_a_follow_up_stays_on_the_matter_in_focus_whatever_aliases_match(consultant):
    chat = Chat(consultant)
    first = chat.say("身份证丢了怎么补办", "ask_materials")
    assert first.matter is not None
    for follow in ("在哪办", "去哪办", "那在哪办呢", "在哪办理"):
        answer = chat.say(follow, "ask_where")
        assert answer.matter is not None and answer.matter.id == first.matter.id, follow


def test_a_new_matter_named_in_a_follow_up_switches_the_focus(consultant):
    chat = Chat(consultant)
    chat.say("身份证丢了怎么补办", "ask_materials")
    old = chat.focus["matter"]
    answer = chat.say("开饭店办证要多少钱", "ask_fee")
    assert answer.kind == "package" or (answer.matter is not None and "食品" in answer.matter.name)
    assert chat.focus.get("matter") != old
    answer = chat.say("营业执照在哪办", "ask_where")
    assert answer.matter is not None and answer.matter.id != old and chat.focus["matter"] == answer.matter.id


def test_a_new_question_while_a_contact_is_asked_files_the_report_and_answers(consultant):
    chat = Chat(consultant)
    chat.say("跑了三趟都没办成，每次都说材料不对", "report_cannot_get_done")
    chat.say("在三号窗口，说户口本复印件不行", "inform")
    assert chat.focus.get("awaiting") == "contact"
    answer = chat.say("我想开饭店，要办什么证", "ask_materials")
    assert answer.ticket is not None and answer.ticket["detail"].startswith("在三号窗口")
    assert answer.matter is not None and "食品" in answer.matter.name
    assert not chat.focus.get("awaiting")


def test_asked_twice_for_a_contact_the_report_is_filed_without_one(consultant):
    chat = Chat(consultant)
    chat.say("跑了三趟都没办成", "report_cannot_get_done")
    chat.say("营业执照变更，窗口说要先去税务", "inform")
    assert chat.say("嗯", "affirm").ticket is None
    answer = chat.say("唔", "affirm")
    assert answer.ticket is not None and answer.ticket["contact"] == ""
    assert not chat.focus.get("awaiting")


def test_details_after_the_question_stay_in_the_flow(consultant):
    chat = Chat(consultant)
    chat.say("跑了三趟都没办成", "report_cannot_get_done")
    answer = chat.say("办居民身份证补领，窗口说照片不合格", "ask_materials")
    assert answer.kind == "ticket_contact" and chat.focus.get("awaiting") == "contact"


def test_a_neighbour_noise_report_is_a_referral_not_a_ticket(consultant):
    for act in ("complain", "report_cannot_get_done"):
        answer = Chat(consultant).say("小区楼上装修太吵了找谁", act)
        assert answer.kind == "referral" and answer.ticket is None, act
        assert "办不成事”的情况" not in said(answer)


def test_a_suggestion_is_thanked_and_recorded(consultant):
    answer = Chat(consultant).say("我有个建议，大厅应该多放几把椅子", "nlu_fallback")
    assert answer.kind == "suggestion" and "谢谢您的建议" in said(answer)
    assert answer.ticket is not None and answer.ticket["kind"] == "suggest"
    assert "椅子" in answer.ticket["detail"]


def test_markup_alone_gets_no_matter_and_no_referral(consultant):
    for text in ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<svg/onload=alert(1)>"):
        answer = Chat(consultant).say(text, "out_of_scope")
        assert answer.kind == "social" and answer.matter is None, text
        assert "文字" in said(answer) and "12345" in said(answer)


def test_a_riddle_is_not_referred_to_an_unrelated_hotline(consultant):
    answer = Chat(consultant).say("第二梦", "nlu_fallback")
    assert answer.matter is None
    assert "12369" not in said(answer) and "12345" in said(answer)


def test_traditional_characters_are_answered_in_traditional_characters(consultant):
    answer = Chat(consultant).say("護照過期了怎麼辦", "ask_materials")
    text = said(answer)
    assert "護照" in text and "护照" not in text
    assert "換發" in text and "換髮" not in text
    assert all(b.payload.isascii() or "护照" not in b.payload for r in answer.replies for b in r.buttons)


def test_an_english_question_gets_an_english_summary_before_the_chinese_card(consultant):
    answer = Chat(consultant).say("my passport expired, what do I need", "ask_materials")
    first = answer.replies[0].text
    assert first.startswith("In English") and "Documents to bring" in first and "Fee" in first
    assert answer.matter is not None and answer.matter.name in first
    assert any("护照" in r.text for r in answer.replies[1:])


def test_an_english_question_without_a_matter_gets_an_english_pointer(consultant):
    answer = Chat(consultant).say("How long does it take?", "ask_time_limit")
    assert "12345" in answer.replies[0].text and answer.replies[0].text.isascii()


def test_thanks_after_a_served_answer_is_thanks_and_the_rating_offer_only(consultant):
    chat = Chat(consultant)
    chat.say("身份证丢了怎么补办", "ask_materials")
    answer = chat.say("谢谢", "thank")
    assert answer.replies[0].text.startswith("不客气")
    assert len(answer.replies) == 2 and answer.replies[1].buttons
    assert "如果还不确定找谁" not in said(answer)


def test_online_is_said_as_what_it_means_for_the_matter(consultant):
    catalog = consultant.catalog
    modes = {m.where.online: m for m in catalog.matters if m.where.online_url}
    assert "网上预约" in modes and "全程网办" in modes
    for mode, matter in modes.items():
        chat = Chat(consultant, focus={"matter": matter.id})
        text = said(chat.say("能网上办吗", "ask_online"))
        if mode == "网上预约":
            assert "需要到窗口办理" in text and "网上预约" in text and "可以网上办" not in text
        elif mode == "全程网办":
            assert "全程网办" in text and "不用跑" in text
        card_text = "\n".join(r.text for r in Chat(consultant).say(matter.name, "ask_materials").replies)
        if mode == "网上预约" and matter.where.online_url in card_text:
            assert "可先网上预约" in card_text


def test_a_cards_buttons_ask_about_that_cards_matter(consultant):
    chat = Chat(consultant)
    card = chat.say("身份证丢了怎么补办", "ask_materials")
    buttons = {b.title: b for r in card.replies for b in r.buttons}
    assert {"全部办理地点", "办理流程", "打印告知单"} <= set(buttons)
    chat.focus = {}  # the button names its matter itself, whatever the focus says
    where = chat.say(buttons["全部办理地点"].payload, "ask_where", matter=card.matter.id)
    assert where.kind == "follow_up" and where.matter.id == card.matter.id
    halls = [hw.hall for hw in card.matter.where.halls]
    assert all(consultant.catalog.hall(h).name in said(where) for h in halls)
    steps = chat.say(buttons["办理流程"].payload, "ask_process", matter=card.matter.id)
    assert steps.matter.id == card.matter.id and "流程" in said(steps)
    assert buttons["打印告知单"].url.endswith(f"/notice/{card.matter.id}")


def test_chit_chat_and_riddles_are_offered_no_matter(consultant):
    # No word of these is in any matter; meaning alone is not sure enough to offer one.
    for text in ("我爱你", "天王盖地虎", "月亮", "123456", "？？？"):
        answer = Chat(consultant).say(text, "nlu_fallback")
        assert answer.kind in ("referral", "social") and answer.matter is None, text
        assert not any(r.buttons for r in answer.replies), text


def test_a_button_payload_is_not_taken_for_english(consultant):
    matter = next(m for m in consultant.catalog.matters if m.cases)
    payload = f'/choose_matter{{"matter":"{matter.id}","case":"{matter.cases[0].id}"}}'
    answer = Chat(consultant).say(payload, "choose_matter", matter=matter.id, case=matter.cases[0].id)
    assert answer.matter is not None and answer.matter.id == matter.id
    assert not answer.replies[0].text.startswith("In English")


def test_a_fee_follow_up_keeps_the_open_case_question(consultant):
    chat = Chat(consultant)
    matter = next(m for m in consultant.catalog.matters if len(m.cases) >= 2)
    chat.say(matter.name, "ask_materials")
    fee = chat.say("那要多少钱", "ask_fee")
    assert fee.kind == "follow_up" and fee.replies[0].buttons[0].value == f"{matter.id}#{matter.cases[0].id}"
    first = chat.say("第一个", "choose_matter")
    assert first.matter.id == matter.id and first.case is not None and first.case.id == matter.cases[0].id


def test_none_of_these_is_counted_by_its_place(consultant):
    chat = Chat(consultant)
    chat.offered = [m.id for m in consultant.catalog.matters[:2]] + ["none"]
    answer = chat.say("第三个", "choose_matter")
    assert answer.kind == "referral" and answer.matter is None and "换个说法" in said(answer)


def test_a_thing_named_alone_is_not_a_progress_query(consultant):
    answer = Chat(consultant).say("社保卡", "ask_progress")
    assert answer.kind != "progress_ask" and "受理编号" not in said(answer)


def test_cannot_get_done_is_recognised_whatever_the_act(consultant):
    answer = Chat(consultant).say("跑了好几次都办不成", "none_of_these")
    assert answer.kind == "ticket_detail" and "办不成事" in said(answer)


def test_thanks_after_a_referral_is_thanks_and_the_rating_offer(consultant):
    chat = Chat(consultant)
    chat.say("停电了找谁", "ask_where")
    answer = chat.say("好的谢谢", "thank")
    assert answer.replies[-1].buttons and "如果还不确定找谁" not in said(answer)


def test_free_matters_with_different_notes_are_answered_once(consultant):
    chat = Chat(consultant)
    free = [m.id for m in consultant.catalog.matters if m.fee.free and m.fee.description][:3]
    assert len(free) == 3
    chat.offered = free
    answer = chat.say("多少钱", "ask_fee")
    assert "都一样：收费：不收费。" in said(answer)


def test_every_chat_bubble_fits_a_phone_also_for_all_halls(consultant):
    from shouwen_core.guidance import CHAT_LIMIT

    for matter in consultant.catalog.matters:
        for act in ("ask_where", "ask_materials", "ask_process"):
            answer = Chat(consultant, focus={"matter": matter.id}).say(f"/{act}", act, matter=matter.id)
            long = [len(r.text) for r in answer.replies if len(r.text) > CHAT_LIMIT]
            assert not long, (matter.name, act, long)
