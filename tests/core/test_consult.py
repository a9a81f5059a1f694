"""The consultation core never leaves a person with nowhere to go."""

import pytest

from shouwen_core.guard import REFUSALS, guard, has_pointer
from shouwen_core.reply import Reply


@pytest.mark.parametrize(
    "question",
    [
        "帮我写作业",
        "今天股票会涨吗",
        "邻居装修太吵了",
        "",
        "😀",
        "x" * 5000,
        "<script>alert(1)</script>",
        "110101199003071234",
    ],
)
def test_any_question_gets_a_concrete_pointer(consultant, question):
    answer = consultant.answer(question)
    assert has_pointer(answer.replies)
    assert not any(p in r.text for r in answer.replies for p in REFUSALS)


def test_confident_question_gets_card_or_case_question(consultant):
    answer = consultant.answer("身份证丢了怎么补办")
    assert answer.kind in ("card", "case_choice")
    assert "身份证" in answer.matter.name


def test_follow_up_uses_matter_in_focus(consultant):
    first = consultant.answer("护照过期了要带什么")
    assert first.matter is not None
    second = consultant.answer("要多少钱", "ask_fee", first.focus)
    assert second.kind == "follow_up"
    assert first.matter.name in second.replies[0].text


def test_package_question_gets_package(consultant):
    answer = consultant.answer("开饭店一件事")
    assert answer.kind == "package"


def test_guard_strips_refusals_and_adds_pointer():
    out = guard([Reply("这个我们不知道，不归我们管")])
    text = "".join(r.text for r in out)
    assert "不知道" not in text and "不归我们管" not in text
    assert "12345" in text


@pytest.mark.parametrize(
    ("question", "intent", "act"),
    [
        ("护照要多少钱", "ask_materials", "ask_fee"),
        ("办护照要多久才能拿到", "nlu_fallback", "ask_time_limit"),
        ("港澳通行证在哪办", "ask_materials", "ask_where"),
        ("社保卡能在网上办吗", "ask_where", "ask_online"),
        ("你好", "greet", "greet"),
        ("窗口态度太差了，我要投诉", "complain", "complain"),
    ],
)
def test_lexical_cues_sharpen_question_acts_only(consultant, question, intent, act):
    assert consultant.respond(question, intent).act == act


def _turns(consultant, turns):
    focus, offered, out = {}, [], []
    for text, intent in turns:
        answer = consultant.respond(text, intent, focus=focus, offered=offered)
        focus, offered = answer.focus, [b.value for r in answer.replies for b in r.buttons if b.value]
        out.append(answer)
    return out


def test_short_follow_up_stays_on_the_matter_in_focus(consultant):
    first, second = _turns(consultant, [("临时身份证怎么办", "ask_materials"), ("在哪办", "ask_where")])
    assert second.kind == "follow_up" and second.matter.id == first.matter.id


def test_ordinal_after_a_package_picks_its_second_matter(consultant):
    package, chosen = _turns(consultant, [("我要开饭店", "ask_materials"), ("第二个", "choose_matter")])
    assert package.kind == "package"
    assert chosen.matter is not None and chosen.matter.id == package.replies[0].buttons[1].value


@pytest.mark.parametrize("text", ["好的", "好的，谢谢", "好的，感谢"])
def test_thanks_after_a_card_is_thanks_and_offers_a_rating(consultant, text):
    _, end = _turns(consultant, [("身份证丢了怎么补办", "ask_materials"), (text, "thank")])
    assert end.kind == "social" and end.replies[-1].buttons[0].title == "非常满意"


def test_a_plain_matter_question_misread_as_progress_gets_the_matter(consultant):
    answer = consultant.respond("港澳通行证续签在哪办", "ask_progress")
    assert answer.act == "ask_where" and answer.kind == "follow_up"


def test_a_real_progress_question_stays_a_progress_question(consultant):
    assert consultant.respond("我的申请办到哪一步了", "ask_progress").kind == "progress_ask"


@pytest.mark.parametrize("question", ["家里停电了找谁", "燃气有味道找谁"])
def test_a_utility_outside_the_catalog_is_the_referral_not_a_choice_of_weak_matters(consultant, question):
    answer = consultant.respond(text=question, intent="ask_where", entities={}, focus={}, offered=[])
    directory = consultant.linker.link(question).departments[0][0]
    assert answer.kind == "referral"
    assert directory.kind == "public_service" and directory.phone in answer.replies[0].text


def test_a_department_named_in_the_question_still_offers_its_matters(consultant):
    answer = consultant.respond(text="离婚证找不着了，在哪补办", intent="ask_where", entities={}, focus={}, offered=[])
    assert answer.kind != "referral"


@pytest.mark.parametrize("text", ["家里停电了找谁", "停電了找誰"])
def test_a_hand_off_read_into_a_question_that_asks_for_no_person_is_answered_as_the_question(consultant, text):
    answer = consultant.respond(text=text, intent="request_human", entities={}, focus={}, offered=[])
    assert not answer.handoff and answer.kind == "referral"


@pytest.mark.parametrize("text", ["转人工", "给我找个真人来", "human please", "有没有值班的工作人员"])
def test_asking_for_a_person_still_hands_off(consultant, text):
    assert consultant.respond(text=text, intent="request_human", entities={}, focus={}, offered=[]).handoff


@pytest.mark.parametrize(
    ("question", "places"),
    [
        ("楼上邻居装修，电钻从早响到晚，能去哪投诉", ("12369", "12319", "110", "12345")),
        ("买的手机刚用一个星期就坏了，商家死活不给退换", ("12315", "消费者协会")),
    ],
)
def test_a_complaint_about_someone_else_is_a_referral_not_a_ticket(consultant, question, places):
    answer = consultant.respond(question, "complain")
    assert answer.kind == "referral" and answer.ticket is None
    assert answer.act == "complain" and answer.unanswered
    text = "\n".join(r.text for r in answer.replies)
    assert any(p in text for p in places), text


def test_a_complaint_about_the_hall_still_opens_the_complaint_flow(consultant):
    answer = consultant.respond("窗口工作人员态度太差了，问两句就不耐烦", "complain")
    assert answer.kind != "referral"
    assert answer.focus.get("awaiting")


def test_a_question_nearer_a_utility_than_any_matter_is_referred(consultant):
    if not consultant.linker.semantic:
        pytest.skip("the dense signal is off in this venv")
    answer = consultant.respond("我们这片突然停水了，打哪个电话问什么时候来水", "ask_phone")
    assert answer.kind == "referral"
    assert answer.link is not None and answer.link.directory_gap is not None
    assert "自来水" in answer.replies[0].text


def test_cannot_get_done_first_reply_names_the_window_and_the_promise(consultant):
    answer = consultant.respond("办营业执照跑了三趟都没办成，每次都说材料不对", "complain")
    text = answer.replies[0].text
    assert answer.kind == "ticket_detail"
    assert "Z01" in text and "3个工作日" in text and "10个工作日" in text
    assert answer.focus["ticket_kind"] == "report_cannot_get_done"
    assert answer.focus["matter"] == "LJ-SJ-001"  # 企业设立登记, alias 办营业执照


def test_the_ticket_is_filed_as_cannot_get_done_with_the_text_as_typed(consultant):
    first = consultant.respond("跑了三趟都没办成", "report_cannot_get_done")
    detail = consultant.respond("在E区窗口等了三次，每次都说系统维护", "inform", {}, first.focus)
    done = consultant.respond("不留", "inform", {}, detail.focus)
    assert done.ticket is not None
    assert done.ticket["kind"] == "report_cannot_get_done"
    assert done.ticket["detail"] == "在E区窗口等了三次，每次都说系统维护"


def test_thanks_after_a_served_answer_is_thanks_and_the_rating_offer_only(consultant):
    served = consultant.respond("身份证丢了怎么补办", "ask_materials")
    thanks = consultant.respond("谢谢", "thank", {}, served.focus)
    texts = [r.text for r in thanks.replies]
    assert len(texts) == 2 and "12345" not in "".join(texts)
    assert thanks.replies[-1].buttons  # 非常满意 … 非常不满意
