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


def answer_for(tracker: Tracker) -> Answer:
    """The core's answer to the latest message, given what the conversation has in focus."""
    message = tracker.latest_message or {}
    return consultant().respond(
        text=message.get("text") or "",
        intent=(message.get("intent") or {}).get("name") or "nlu_fallback",
        entities={e["entity"]: str(e.get("value")) for e in message.get("entities") or [] if e.get("entity")},
        focus={k: v for k in ("matter", "case") if (v := tracker.get_slot(k))},
        offered=tracker.get_slot("offered") or [],
    )


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
