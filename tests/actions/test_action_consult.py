"""action_consult against the sample catalog, with real rasa-sdk Tracker and dispatcher."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionConsult, consultant
from shouwen_core.guard import REFUSALS


def make_tracker(text, intent, slots=None, entities=None):
    return Tracker(
        sender_id="test-sender",
        slots=slots or {},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(tracker):
    dispatcher = CollectingDispatcher()
    events = ActionConsult().run(dispatcher, tracker, {})
    return dispatcher.messages, events


def test_catalog_question_gets_card_and_sets_focus():
    messages, events = run(make_tracker("身份证丢了怎么补办", "ask_materials"))
    text = "\n".join(m["text"] for m in messages)
    assert "身份证" in text and "材料" in text
    matter = next(e for e in events if e["event"] == "slot" and e["name"] == "matter")
    assert consultant().catalog.matter(matter["value"]) is not None


def test_follow_up_answers_about_matter_in_focus():
    core = consultant()
    matter = next(m for m in core.catalog.matters if "护照" in m.name and not m.cases)
    messages, _ = run(make_tracker("那要多少钱？", "ask_fee", slots={"matter": matter.id}))
    assert matter.name in messages[0]["text"]
    assert "收费" in messages[0]["text"]


def test_case_button_gives_case_materials():
    core = consultant()
    matter = next(m for m in core.catalog.matters if m.cases and m.cases[-1].materials)
    case = matter.cases[-1]
    entities = [{"entity": "matter", "value": matter.id}, {"entity": "case", "value": case.id}]
    messages, events = run(make_tracker("/choose_matter", "choose_matter", entities=entities))
    assert case.materials[0].name in messages[0]["text"]
    assert SlotSet("case", case.id) in events


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("今天天气怎么样", "chitchat"),
        ("帮我订机票", "out_of_scope"),
        ("", "nlu_fallback"),
        ("你好", "greet"),
        ("垃圾", "insult"),
    ],
)
def test_no_reply_refuses(text, intent):
    messages, _ = run(make_tracker(text, intent))
    assert messages
    assert not any(p in m["text"] for m in messages for p in REFUSALS)


def test_ordinal_reply_picks_from_offered_buttons():
    core = consultant()
    matter = next(m for m in core.catalog.matters if m.cases)
    offered = [f"{matter.id}#{c.id}" for c in matter.cases]
    messages, events = run(make_tracker("第二个", "choose_matter", slots={"offered": offered}))
    assert SlotSet("case", matter.cases[1].id) in events
    assert "需要准备的材料" in messages[0]["text"]


def test_choices_are_remembered_for_ordinal_replies():
    core = consultant()
    matter = next(m for m in core.catalog.matters if m.cases)
    _, events = run(make_tracker(matter.name, "ask_materials"))
    offered = next(e for e in events if e["name"] == "offered")["value"]
    assert offered == [f"{matter.id}#{c.id}" for c in matter.cases]


def test_the_link_made_by_the_nlu_is_used_not_made_again(monkeypatch):
    core = consultant()
    text = "身份证丢了怎么补办"
    tracker = make_tracker(text, "ask_materials")
    tracker.latest_message["link"] = core.linker.link(text).as_dict()

    def no_second_link(*args, **kwargs):
        raise AssertionError("linked twice")

    monkeypatch.setattr(core.linker, "link", no_second_link)
    messages, events = run(tracker)
    assert "身份证" in messages[0]["text"]
    assert any(e["name"] == "matter" and e["value"] for e in events if e["event"] == "slot")
