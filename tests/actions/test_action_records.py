"""action_consult writes its records through SQLAlchemy 1.4 (the Rasa venv), once per message."""

import sqlalchemy as sa
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionConsult
from shouwen_records import connect
from shouwen_records.schema import handoffs, questions, ratings, tickets, turns


def tracker(text, intent, slots=None, message_id="m1", sender="web:rec-test"):
    events = [{"event": "user", "text": text, "timestamp": 1.0, "message_id": message_id}]
    return Tracker(
        sender_id=sender,
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent}, "entities": [], "message_id": message_id},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(t):
    return ActionConsult().run(CollectingDispatcher(), t, {})


def rows(url, table):
    with connect(url).connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.select(table))]


def test_a_retried_action_records_one_turn(records_db):
    assert sa.__version__.startswith("1.4")
    run(tracker("身份证丢了怎么补办", "ask_materials"))
    run(tracker("身份证丢了怎么补办", "ask_materials"))  # Rasa retrying the same message
    got = rows(records_db, turns)
    assert len(got) == 1 and got[0]["kind"] == "card" and got[0]["channel"] == "web"
    assert "rec-test" not in got[0]["conversation"]


def test_ticket_rating_question_and_handoff_are_recorded(records_db):
    slots = {"awaiting": "contact", "ticket_kind": "report_cannot_get_done", "ticket_detail": "窗口互相推"}
    run(tracker("13812345678", "inform", slots=slots, message_id="t"))
    run(tracker("差评，等太久", "rate", message_id="r"))
    run(tracker("帮我订一张去火星的机票", "out_of_scope", message_id="q"))
    run(tracker("转人工", "request_human", message_id="h"))
    (ticket,) = rows(records_db, tickets)
    assert ticket["contact"] == "13812345678" and ticket["category"] == "report_cannot_get_done"
    assert rows(records_db, ratings)[0]["level"] == 2
    assert "火星" in rows(records_db, questions)[0]["text"]
    (handoff,) = rows(records_db, handoffs)
    assert handoff["sender"] == "web:rec-test" and handoff["history"][0] == {"who": "user", "text": "转人工", "at": 1.0}


def test_an_unwritable_database_does_not_cost_the_reply(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'records.sqlite'}")
    dispatcher = CollectingDispatcher()
    ActionConsult().run(dispatcher, tracker("身份证丢了怎么补办", "ask_materials", sender="web:down"), {})
    assert dispatcher.messages
    assert (tmp_path / "outbox" / "records.jsonl").read_text().count('"turn"') == 1


def test_a_low_confidence_question_is_recorded_with_its_candidates(records_db):
    run(tracker("个体户注消要先去税务局弄吗", "ask_materials", message_id="lc"))
    (question,) = rows(records_db, questions)
    assert question["text"] == "个体户注消要先去税务局弄吗"
    assert len(question["candidates"]) >= 2 and all("score" in c for c in question["candidates"])


def test_a_cannot_get_done_is_filed_with_its_matter_and_text_as_typed_and_found_by_its_number(records_db):
    def say(text, intent, slots, message_id):
        t = tracker(text, intent, slots=slots, message_id=message_id)
        if text != text.lower():  # what Rasa's parse carries: the normalised text and the one typed
            t.latest_message = {**t.latest_message, "text": text.lower(), "original_text": text}
        dispatcher = CollectingDispatcher()
        events = ActionConsult().run(dispatcher, t, {})
        return dispatcher.messages[0]["text"], {e["name"]: e["value"] for e in events if e.get("event") == "slot"}

    _, slots = say("办营业执照跑了三趟都没办成", "complain", {}, "c1")
    _, slots = say("在E区窗口排了三次队，每次都说系统维护", "inform", slots, "c2")
    done, _ = say("不留", "deny", slots, "c3")
    (ticket,) = rows(records_db, tickets)
    assert ticket["detail"] == "在E区窗口排了三次队，每次都说系统维护"
    assert ticket["category"] == "report_cannot_get_done" and ticket["number"].startswith("BC")
    assert (ticket["matter_id"], ticket["matter_name"]) == ("LJ-SJ-001", "企业设立登记")  # alias 办营业执照
    assert ticket["number"] in done and ticket["due_date"].isoformat() in done
    progress, _ = say(f"查询进度 {ticket['number']}", "ask_progress", {}, "c4")
    assert ticket["number"] in progress and "已受理" in progress
