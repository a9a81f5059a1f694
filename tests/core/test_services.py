"""Service flows: progress lookup, 办不成事 / complaint tickets with working-day deadlines, rating."""

import datetime as dt

import pytest

from shouwen_core.consult import Consultant
from shouwen_core.guard import REFUSALS, has_pointer
from shouwen_core.progress import SQLiteProgressStore, find_application_no
from shouwen_core.services import ServiceDesk
from shouwen_core.workdays import add_working_days


@pytest.fixture
def core(catalog, linker):
    desk = ServiceDesk(SQLiteProgressStore(":memory:", seed_demo=True), today=dt.date(2026, 9, 29))
    return Consultant(catalog, linker, desk)


def converse(core, turns):
    focus, answers = {}, []
    for text, intent in turns:
        answer = core.respond(text, intent, focus=focus)
        focus = answer.focus
        answers.append(answer)
    return answers


def test_progress_asks_for_the_number_then_answers(core):
    ask, found = converse(core, [("我的申请办到哪了", "ask_progress"), ("SL2026110003", "inform")])
    assert "受理编号" in ask.replies[0].text and ask.focus["awaiting"] == "application_no"
    assert "待补正" in found.replies[0].text and "健康证明" in found.replies[0].text
    assert found.focus["awaiting"] == ""


def test_unknown_application_number_gets_a_pointer(core):
    (answer,) = converse(core, [("查一下 SL2099000000 的进度", "ask_progress")])
    assert "12345" in answer.replies[0].text
    assert not any(p in answer.replies[0].text for p in REFUSALS)


@pytest.mark.parametrize(
    ("text", "number"), [("受理号sl20261100011到哪了", "SL20261100011"), ("110101199003071234", None), ("123", None)]
)
def test_application_numbers_are_not_id_numbers(text, number):
    assert find_application_no(text) == number


def test_cannot_get_done_collects_what_happened_and_a_contact(core):
    answers = converse(
        core,
        [
            ("跑了三趟都没办成", "report_cannot_get_done"),
            ("办食品许可，窗口说要先去消防，消防又说先办许可，我电话13812345678", "inform"),
            ("13812345678", "inform"),
        ],
    )
    assert answers[1].focus["awaiting"] == "contact"
    assert "13812345678" not in answers[1].focus["ticket_detail"]  # masked before it is kept
    ticket = answers[2].ticket
    assert ticket["kind"] == "report_cannot_get_done" and ticket["contact"] == "138****5678"
    # 2026-09-29 + 3 working days skips the National Day holiday (10-01..10-07).
    assert ticket["due_simple"] == add_working_days(dt.date(2026, 9, 29), 3)[0].isoformat()
    assert ticket["due_simple"] >= "2026-10-08"
    assert "3个工作日" in answers[2].replies[0].text and answers[2].focus["awaiting"] == ""


def test_ticket_without_contact_is_still_taken(core):
    answers = converse(core, [("我要投诉", "complain"), ("窗口态度很差", "inform"), ("不留", "deny")])
    assert answers[-1].ticket is not None and answers[-1].ticket["contact"] == ""


def test_rating_is_offered_after_a_served_conversation_and_bad_ones_get_a_call_back(core):
    answers = converse(core, [("身份证丢了怎么补办", "ask_materials"), ("谢谢", "thank")])
    assert [b.title for b in answers[-1].replies[-1].buttons] == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    bad = core.respond("不满意", "rate", {"rating": "不满意"}, focus=answers[-1].focus)
    assert bad.rating == "不满意" and "回电" in bad.replies[0].text and bad.focus["rated"] == "done"


def test_handoff_tells_what_happens_meanwhile(core):
    (answer,) = converse(core, [("转人工", "request_human")])
    assert answer.handoff and has_pointer(answer.replies)


def test_working_days_follow_holidays_and_make_up_days():
    # 2026-02-14 (Saturday) is a 调休 working day before the Spring Festival.
    day, exact = add_working_days(dt.date(2026, 2, 13), 1)
    assert exact and day == dt.date(2026, 2, 14)


@pytest.mark.parametrize(
    ("text", "level"),
    [("比较满意", "满意"), ("滿意，解答得很清楚", "满意"), ("差评", "不满意"), ("非常不满意", "非常不满意")],
)
def test_ratings_in_words_map_to_the_five_levels(core, text, level):
    answer = core.respond(text, "rate", {"rating": "很"})
    assert answer.rating == level


def test_a_phone_while_waiting_for_a_contact_closes_the_ticket_whatever_the_act(core):
    answers = converse(core, [("我要投诉", "complain"), ("窗口态度很差", "inform"), ("13812345678", "ask_progress")])
    assert answers[-1].ticket is not None


def test_the_words_win_over_a_rating_entity_cut_from_them(core):
    # DIET may extract "不满意" from "非常不满意…": the person said the harsher level.
    assert core.respond("非常不满意，等了两个小时", "rate", {"rating": "不满意"}).rating == "非常不满意"
    assert core.respond('/rate{"rating":"满意"}', "rate", {"rating": "满意"}).rating == "满意"


def test_a_due_date_in_a_year_without_a_holiday_table_is_said_to_be_an_estimate():
    import chinese_calendar

    desk = ServiceDesk(today=dt.date(2026, 12, 24))
    focus = {"awaiting": "contact", "ticket_kind": "report_cannot_get_done", "ticket_detail": "窗口说材料不全"}
    result = desk.handle("不留", "deny", {}, focus)
    complex_due = dt.date.fromisoformat(result.ticket["due_complex"])
    try:
        chinese_calendar.is_workday(complex_due)
        known = True
    except NotImplementedError:
        known = False
    assert result.ticket["due_exact"] is known
    assert ("尚未公布" in result.replies[0].text) is not known
