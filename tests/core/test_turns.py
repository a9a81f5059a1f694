"""Reading a turn's answer back from a tracker's events (what a repeated turn id returns)."""

from __future__ import annotations

from shouwen_core.turns import replies_after

EVENTS = [
    {"event": "action", "name": "action_session_start"},
    {"event": "user", "text": "护照过期了", "metadata": {"turn_id": "t1"}},
    {"event": "bot", "text": "换发护照要带：…", "data": {}},
    {"event": "bot", "text": "请选择", "data": {"buttons": [{"title": "A", "payload": "/x"}]}},
    {"event": "user", "text": "要多久", "metadata": {"turn_id": "t2"}},
    {"event": "bot", "text": "7 个工作日", "data": {}},
]


def test_the_replies_of_a_turn_are_the_bot_messages_up_to_the_next_user_message():
    assert replies_after(EVENTS, "t1") == [
        {"text": "换发护照要带：…"},
        {"text": "请选择", "buttons": [{"title": "A", "payload": "/x"}]},
    ]
    assert replies_after(EVENTS, "t2") == [{"text": "7 个工作日"}]


def test_a_turn_no_server_handled_is_none_and_an_unanswered_one_is_empty():
    assert replies_after(EVENTS, "t3") is None
    assert replies_after([{"event": "user", "metadata": {"turn_id": "t4"}}], "t4") == []
