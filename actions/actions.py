"""action_consult: the one action that answers every act by asking the core (shouwen_core.consult).

It reads the act (intent), the text and the matter in focus (slots), gets the Answer, sends its
replies with their buttons and keeps the new focus in the `matter` / `case` slots. The catalog is
loaded once per process (SHOUWEN_CATALOG); `reload_catalog()` swaps it without a restart.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from shouwen_core.catalog import load_catalog
from shouwen_core.consult import FOCUS_KEYS, Answer, Consultant
from shouwen_core.guard import guard
from shouwen_core.pii import mask
from shouwen_core.progress import SQLiteProgressStore
from shouwen_core.replies import T
from shouwen_core.reply import Reply
from shouwen_core.services import ServiceDesk
from shouwen_core.settings import ROOT, catalog_path

__all__ = ["ActionConsult", "consultant", "reload_catalog"]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_consultant: Consultant | None = None


def _build() -> Consultant:
    progress = SQLiteProgressStore(
        os.environ.get("SHOUWEN_PROGRESS_DB", str(ROOT / ".run" / "progress.sqlite")), seed_demo=True
    )
    return Consultant(load_catalog(catalog_path()), desk=ServiceDesk(progress))


def consultant() -> Consultant:
    global _consultant
    with _lock:
        if _consultant is None:
            _consultant = _build()
        return _consultant


def reload_catalog() -> Consultant:
    global _consultant
    fresh = _build()
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
        focus={k: v for k in FOCUS_KEYS if (v := tracker.get_slot(k))},
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
            buttons = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
            dispatcher.utter_message(text=reply.text, buttons=buttons or None)
        if answer.kind == "error":
            return []  # keep what the conversation had in focus
        offered = [b.value for r in answer.replies for b in r.buttons if b.value]
        events: List[EventType] = [SlotSet("offered", offered or None)]
        events += [SlotSet(k, answer.focus.get(k) or None) for k in FOCUS_KEYS]
        who = mask(tracker.sender_id)
        # Records for staff; the supervision issue moves them into the SQL records database.
        if answer.unanswered:
            logger.info("unanswered question from %s: %s", who, mask(tracker.latest_message.get("text", "")))
        if answer.ticket:
            logger.info("ticket from %s: %s", who, answer.ticket)
        if answer.rating:
            logger.info("rating from %s: %s", who, answer.rating)
        if answer.handoff:
            logger.info("hand-off requested by %s", who)
        return events
