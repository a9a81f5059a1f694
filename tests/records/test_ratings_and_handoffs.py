"""好差评 with same-day call-backs; the 转人工 queue and the clerk's messages."""

import datetime as dt

import pytest

from shouwen_records import handoffs, ratings


@pytest.mark.parametrize(("rating", "level", "callback"), [("非常满意", 5, False), ("基本满意", 3, False),
                                                          ("不满意", 2, True), ("非常不满意", 1, True), (1, 1, True)])  # fmt: skip
def test_a_bad_rating_gets_a_call_back_due_the_same_day(engine, rating, level, callback):
    at = dt.datetime(2026, 10, 12, 16, 30)
    ratings.add_rating(engine, key="r", sender="hall:w3", rating=rating, matter_id="M1", reason="等了两小时", at=at)
    tasks = ratings.list_callbacks(engine, on=dt.date(2026, 10, 12))
    assert [(t["level"], t["due_date"], t["late"]) for t in tasks] == ([(level, at.date(), False)] if callback else [])


def test_an_open_call_back_is_late_the_next_day_and_done_when_completed(engine):
    ratings.add_rating(engine, key="r", sender="web:a", rating="不满意", at=dt.datetime(2026, 10, 12, 9))
    (task,) = ratings.list_callbacks(engine, on=dt.date(2026, 10, 13))
    assert task["late"]
    ratings.complete_callback(engine, task["id"], "zhang", "已回电")
    assert ratings.list_callbacks(engine) == []
    assert ratings.list_callbacks(engine, status="done")[0]["clerk"] == "zhang"


def test_not_a_rating_is_refused(engine):
    with pytest.raises(ValueError):
        ratings.add_rating(engine, key="r", sender="web:a", rating="还行吧")


def test_handoff_queue_take_messages_and_close(engine):
    history = [{"who": "user", "text": "身份证110101199003071234丢了"}, {"who": "bot", "text": "请带户口簿"}]
    hid = handoffs.open_handoff(engine, key="h", sender="web:abc", history=history)
    assert handoffs.open_handoff(engine, key="h", sender="web:abc", history=history) == hid
    (waiting,) = handoffs.list_handoffs(engine)
    assert waiting["channel"] == "web" and "110101199003071234" not in waiting["history"][0]["text"]
    handoffs.take(engine, hid, "zhang")
    with pytest.raises(ValueError):
        handoffs.take(engine, hid, "li")  # one clerk per person
    first = handoffs.post_message(engine, hid, "zhang", "您好，我是窗口工作人员")
    handoffs.post_message(engine, hid, "zhang", "请问还有什么问题？")
    assert [m["text"] for m in handoffs.messages_for(engine, "web:abc")] == [
        "您好，我是窗口工作人员",
        "请问还有什么问题？",
    ]
    assert [m["text"] for m in handoffs.messages_for(engine, "web:abc", after_id=first)] == ["请问还有什么问题？"]
    assert handoffs.messages_for(engine, "web:other") == []
    handoffs.close_handoff(engine, hid)
    assert handoffs.get_handoff(engine, hid)["status"] == "closed"


def test_a_clerks_message_is_stored_masked(engine):
    hid = handoffs.open_handoff(engine, key="h-mask", sender="web:mask1", history=[{"who": "user", "text": "转人工"}])
    handoffs.post_message(engine, hid, "zhang", "您的身份证110101199003071234已核对，请回电13812345678")
    (message,) = handoffs.messages_for(engine, "web:mask1")
    assert "110101199003071234" not in message["text"] and "13812345678" not in message["text"]
    assert "已核对" in message["text"]


def test_several_bad_ratings_of_one_conversation_make_one_call_back_a_day(engine):
    for i in range(5):
        ratings.add_rating(engine, key=f"bad-{i}", sender="web:angry1", rating="非常不满意")
    ratings.add_rating(engine, key="bad-other", sender="web:angry2", rating="不满意")
    mine = [c for c in ratings.list_callbacks(engine, status=None) if c["level"] in (1, 2)]
    by_conversation = {}
    for c in mine:
        by_conversation[c["conversation"]] = by_conversation.get(c["conversation"], 0) + 1
    assert sorted(by_conversation.values()) == [1, 1]
