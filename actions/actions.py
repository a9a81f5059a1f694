"""action_consult: the one action that answers every act by asking the core (shouwen_core.consult).

It reads the act (intent), the text and the matter in focus (slots), gets the Answer, sends its
replies with their buttons and keeps the new focus in the `matter` / `case` slots. The catalog is
loaded once per process (SHOUWEN_CATALOG); `reload_catalog()` swaps it without a restart.
"""

from __future__ import annotations

import logging
import threading
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from shouwen_core.catalog import load_catalog
from shouwen_core.consult import Answer, Consultant
from shouwen_core.guard import guard
from shouwen_core.guidance import pick
from shouwen_core.pii import mask
from shouwen_core.replies import T
from shouwen_core.reply import Reply
from shouwen_core.settings import catalog_path

__all__ = ["ActionConsult", "consultant", "reload_catalog"]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_consultant: Consultant | None = None


def consultant() -> Consultant:
    global _consultant
    with _lock:
        if _consultant is None:
            _consultant = Consultant(load_catalog(catalog_path()))
        return _consultant


def reload_catalog() -> Consultant:
    global _consultant
    fresh = Consultant(load_catalog(catalog_path()))
    with _lock:
        _consultant = fresh
    return fresh


def _entity(tracker: Tracker, name: str) -> str | None:
    return next(tracker.get_latest_entity_values(name), None)


def answer_for(tracker: Tracker) -> Answer:
    """The core's answer to the latest message, given the matter in focus."""
    core = consultant()
    message = tracker.latest_message or {}
    act = (message.get("intent") or {}).get("name") or "nlu_fallback"
    text = message.get("text") or ""
    if act == "choose_matter":
        chosen = _entity(tracker, "matter")
        case_id = _entity(tracker, "case") or ""
        if chosen is None:  # "第二个": resolve against the buttons offered last
            value = pick(text, tracker.get_slot("offered") or []) or ""
            chosen, _, case_id = value.partition("#")
        matter = core.catalog.matter(chosen or "")
        if matter is not None:
            return core.about(matter, matter.case(case_id))
    if act == "none_of_these":
        return Answer(guard([Reply(T.NONE_OF_THESE_REPLY)]), "referral", unanswered=True)
    if act in ("nlu_fallback", "out_of_scope", "inform", "affirm", "deny"):
        # Still try the catalog: DIET may not know the act while the linker knows the matter.
        act = "ask_materials" if act != "out_of_scope" else act
    focus = {k: v for k in ("matter", "case") if (v := tracker.get_slot(k))}
    return core.answer(text, act, focus)


class ActionConsult(Action):
    def name(self) -> str:
        return "action_consult"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]) -> List[EventType]:
        try:
            answer = answer_for(tracker)
        except Exception:  # a citizen never sees a stack trace; staff see it in the log
            logger.exception("action_consult failed for sender %s", mask(tracker.sender_id))
            answer = Answer(guard([Reply(T.NOT_UNDERSTOOD)]), "error")
        for reply in answer.replies:
            dispatcher.utter_message(text=reply.text, buttons=[b.__dict__ for b in reply.buttons] or None)
        offered = [b.value for r in answer.replies for b in r.buttons if b.value]
        events: List[EventType] = [SlotSet("offered", offered or None)]
        if answer.matter is not None:
            events.append(SlotSet("matter", answer.matter.id))
            events.append(SlotSet("case", answer.case.id if answer.case else None))
        if answer.unanswered:
            logger.info(
                "unanswered question from %s: %s", mask(tracker.sender_id), mask(tracker.latest_message.get("text", ""))
            )
        return events
