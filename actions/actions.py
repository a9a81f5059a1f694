"""action_consult: the one action that answers every act by asking the core (shouwen_core.consult).

It reads the act (intent), the text and the matter in focus (slots), gets the Answer, sends its
replies with their buttons and keeps the new focus in the `matter` / `case` slots. The catalog
(SHOUWEN_CATALOG) is a live one (shouwen_core.live): a changed catalog file or an alias staff
attached in the clerk panel is picked up within seconds, without a restart.
"""

from __future__ import annotations

import logging
import os
import threading
import uuid
from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from shouwen_core.consult import FOCUS_KEYS, Answer, Consultant
from shouwen_core.guard import guard
from shouwen_core.live import LiveCatalog
from shouwen_core.pii import mask
from shouwen_core.progress import SQLiteProgressStore
from shouwen_core.replies import T
from shouwen_core.reply import Reply
from shouwen_core.services import ServiceDesk
from shouwen_core.settings import ROOT
from shouwen_records import Records, overlay_source
from shouwen_records.answers import record_answer
from shouwen_records.progress import TicketProgress

__all__ = ["ActionConsult", "consultant", "reload_catalog"]

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_consultant: Consultant | None = None
_catalog: LiveCatalog | None = None
_records: Dict[str, Records] = {}


def _progress() -> TicketProgress:
    """Ticket numbers from the records, application numbers from the progress store."""
    store = SQLiteProgressStore(
        os.environ.get("SHOUWEN_PROGRESS_DB", str(ROOT / ".run" / "progress.sqlite")), seed_demo=True
    )
    return TicketProgress(store)


def _live() -> LiveCatalog:
    global _catalog
    with _lock:
        if _catalog is None:
            _catalog = LiveCatalog(overlay=overlay_source())
        return _catalog


def consultant() -> Consultant:
    """The consultant of the catalog in service now (rebuilt when the live catalog swapped)."""
    global _consultant
    snap = _live().current()
    with _lock:
        if _consultant is None or _consultant.linker is not snap.linker:
            desk = _consultant.desk if _consultant else ServiceDesk(_progress())
            _consultant = Consultant(snap.catalog, snap.linker, desk)
        return _consultant


def reload_catalog() -> Consultant:
    """Re-read the catalog and the overlay now (tests, operators); the old one serves meanwhile."""
    _live().reload()
    return consultant()


def records() -> Records:
    """The records of this process's DATABASE_URL; the first use writes what the outbox kept."""
    fresh = Records()
    with _lock:
        current = _records.setdefault(fresh.url, fresh)
    if current is fresh:
        current.replay()
    return current


def _message_id(tracker: Tracker) -> str:
    """What identifies the message being answered, so a retried action records nothing twice."""
    message_id = (tracker.latest_message or {}).get("message_id")
    if message_id:
        return str(message_id)
    last = next((e for e in reversed(tracker.events) if e.get("event") == "user"), None)
    return str(last.get("message_id") or last.get("timestamp")) if last else uuid.uuid4().hex


def _history(tracker: Tracker) -> List[Dict[str, Any]]:
    """The conversation so far (user and bot texts), for the clerk who takes a hand-off."""
    return [
        {"who": e["event"], "text": e.get("text") or "", "at": e.get("timestamp", "")}
        for e in tracker.events
        if e.get("event") in ("user", "bot") and e.get("text")
    ]


def answer_for(tracker: Tracker) -> Answer:
    """The core's answer to the latest message, given what the conversation has in focus."""
    from shouwen_core.turn import answer

    message = tracker.latest_message or {}
    return answer(
        consultant(),
        message.get("text") or "",
        message,
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
            buttons = [b.as_dict() for b in reply.buttons]
            custom = {"asks": reply.asks} if reply.asks else None
            dispatcher.utter_message(text=reply.text, buttons=buttons or None, custom=custom)
        if answer.kind == "error":
            return []  # keep what the conversation had in focus
        offered = [b.value for r in answer.replies for b in r.buttons if b.value]
        events: List[EventType] = [SlotSet("offered", offered or None)]
        events += [SlotSet(k, answer.focus.get(k) or None) for k in FOCUS_KEYS]
        try:  # a records failure never costs the reply; Records keeps the record in its outbox
            record_answer(
                records(),
                sender=tracker.sender_id,
                message_id=_message_id(tracker),
                text=(tracker.latest_message or {}).get("original_text")
                or (tracker.latest_message or {}).get("text")
                or "",
                answer=answer,
                history=_history(tracker) if answer.handoff else (),
                catalog=consultant().catalog,
            )
        except Exception as exc:  # the log is masked: an error text may quote what was said
            logger.error("records not written for sender %s: %s", mask(tracker.sender_id), mask(repr(exc)))
        return events
