"""The service requests around a consultation: progress lookup, complaints and 办不成事, the
hand-off to a clerk, and 好差评. Each is a short flow whose state lives in the conversation's
focus (Rasa slots in Redis), never in this process:

    ask_progress ─ number given? ─ yes → ProgressBackend.lookup → status / pointer
                                   no  → ask for it (awaiting=application_no)
    complain / report_cannot_get_done → what happened? (awaiting=ticket_detail)
                                      → a contact?     (awaiting=contact)
                                      → ticket with a reply deadline in working days (3 simple / 10 complex)
    rate ─ 5 levels; 不满意 / 非常不满意 → same-day call-back promised
    request_human → hand-off, with what happens meanwhile

Tickets, ratings and hand-offs are returned on the Answer for the caller to persist.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from .entities import PHONE, first
from .pii import mask
from .progress import ProgressBackend, find_application_no
from .replies import T
from .reply import Button, Reply
from .ticket_numbers import new_ticket_number
from .workdays import add_working_days

__all__ = [
    "COMPLEX_DAYS",
    "LEAVABLE",
    "RATINGS",
    "SIMPLE_DAYS",
    "ServiceDesk",
    "ServiceResult",
    "cannot_get_done",
    "find_phone",
    "suggests",
]

RATINGS = ("非常满意", "满意", "基本满意", "不满意", "非常不满意")
BAD_RATINGS = ("不满意", "非常不满意")
# 办不成事反映: simple cases answered within 3 working days, complex ones within 10.
SIMPLE_DAYS, COMPLEX_DAYS = 3, 10
# What a 办不成事 sounds like, whatever act DIET gave it: several trips, sent back and forth.
_CANNOT_GET_DONE = re.compile(
    r"办不成|没办成|办不下来|没办下来|跑了.{0,3}[趟次回]|来回跑|推来推去|互相推诿|踢皮球|不给办"
)
# Everyday ways of giving a rating, longest first, → one of the five levels.
_RATING_WORDS = sorted(
    {
        **{r: r for r in RATINGS},
        "很满意": "非常满意", "特别满意": "非常满意", "五星": "非常满意", "5星": "非常满意", "好评": "满意",
        "比较满意": "满意", "还不错": "满意", "四星": "满意", "一般": "基本满意", "还行": "基本满意",
        "凑合": "基本满意", "三星": "基本满意", "差评": "不满意", "两星": "不满意", "不太满意": "不满意",
        "很不满意": "非常不满意", "特别不满意": "非常不满意", "一星": "非常不满意", "太差": "非常不满意",
    }.items(),
    key=lambda kv: -len(kv[0]),
)  # fmt: skip
# A suggestion to the halls ("建议大厅多放几把椅子", "希望你们周末也开门"), not a question.
_SUGGESTION = re.compile(
    r"(?:我|想|提|有)(?:个|一个|点|一点|条|几条)?(?:小)?建议|^建议|建议(?:你们|大厅|窗口|中心|政府|增加|多|设|开通|延长)|"
    r"希望(?:你们|大厅|窗口|中心|政府|以后|能|可以)"
)
# A flow waiting for these may be left for a new question (consult.Consultant._asks_anew).
LEAVABLE = ("ticket_detail", "contact", "contact_again")
_NO_CONTACT = re.compile(r"不留|不用|不需要|匿名|算了|不方便")
_SOCIAL = {"greet", "goodbye", "thank", "request_human"}


@dataclass
class ServiceResult:
    replies: list[Reply]
    kind: str
    focus: dict[str, str] = field(default_factory=dict)  # what to remember (replaces these keys)
    ticket: dict[str, Any] | None = None
    rating: str | None = None
    handoff: bool = False


def rating_in(text: str) -> str | None:
    """The rating level a message gives in words (滿意，解答得很清楚 → 满意), or None."""
    from .text import normalize

    norm = normalize(text)
    return next((level for word, level in _RATING_WORDS if word in norm), None)


def suggests(text: str) -> bool:
    """The message makes a suggestion to the halls."""
    return bool(_SUGGESTION.search(text))


def find_phone(text: str) -> str:
    """The first phone number written in the message, or ""."""
    phone = first(text, PHONE)
    return phone.value if phone else ""


def cannot_get_done(text: str) -> bool:
    """The message reports a 办不成事 (several trips, sent back and forth), whatever else it names."""
    return bool(_CANNOT_GET_DONE.search(text))


class ServiceDesk:
    def __init__(self, progress: ProgressBackend | None = None, today: dt.date | None = None) -> None:
        self.progress = progress
        self._today = today

    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def handle(self, text: str, intent: str, entities: dict[str, str], focus: dict[str, str]) -> ServiceResult | None:
        """A ServiceResult when the message belongs to a service flow, else None."""
        awaiting = focus.get("awaiting", "")
        # A flow waiting for an answer takes it first, whatever act DIET saw in it.
        if awaiting == "ticket_detail" and intent not in _SOCIAL and text.strip():
            return ServiceResult(
                [Reply(T.TICKET_ASK_CONTACT, asks="contact")],
                "ticket_contact",
                {"awaiting": "contact", "ticket_detail": mask(text.strip())[:500]},
            )
        if awaiting in ("contact", "contact_again") and intent not in _SOCIAL:
            phone = entities.get("PHONE") or find_phone(text)
            if phone or _NO_CONTACT.search(text) or awaiting == "contact_again":
                # Asked twice and still no number: the report is filed without one, never held back.
                return self._ticket(focus, phone)
            return ServiceResult(
                [Reply(T.TICKET_ASK_CONTACT_AGAIN, asks="contact")], "ticket_contact", {"awaiting": "contact_again"}
            )
        if awaiting == "application_no" or intent == "ask_progress":
            number = entities.get("application_no") or entities.get("APPLICATION_NO") or find_application_no(text)
            number = find_application_no(number) if number else None  # never a phone or an ID number
            if number:
                return self._progress(number)
            if intent == "ask_progress":
                return ServiceResult([Reply(T.PROGRESS_ASK)], "progress_ask", {"awaiting": "application_no"})
        if intent not in _SOCIAL and suggests(text) and not cannot_get_done(text):
            return self._suggestion(text)
        if intent in ("complain", "report_cannot_get_done"):
            kind = "report_cannot_get_done" if cannot_get_done(text) else intent
            ask = T.TICKET_ASK_CANNOT.format(simple=SIMPLE_DAYS, complex=COMPLEX_DAYS)
            return ServiceResult(
                [Reply(ask if kind == "report_cannot_get_done" else T.TICKET_ASK_DETAIL)],
                "ticket_detail",
                {"awaiting": "ticket_detail", "ticket_kind": kind, "ticket_detail": ""},
            )
        if intent == "rate":
            # The words as written win over an entity DIET cut from them ("非常不满意" → "不满意");
            # a button's payload carries the level itself.
            rating = rating_in(text) if not text.startswith("/") else None
            if rating is None and entities.get("rating") in RATINGS:
                rating = entities["rating"]
            if rating is None:
                return ServiceResult([self.rating_offer()], "rate_ask")
            if rating in BAD_RATINGS:
                return ServiceResult([Reply(T.RATE_BAD)], "rated", rating=rating)
            return ServiceResult([Reply(T.RATE_THANKS)], "rated", rating=rating)
        if intent == "request_human":
            return ServiceResult([Reply(T.HANDOFF)], "handoff", {"awaiting": ""}, handoff=True)
        return None

    def leave(self, focus: dict[str, str]) -> ServiceResult:
        """The person turned to a new question while a flow waited (see LEAVABLE): a report whose
        details were given is filed without a contact; one still without details is dropped."""
        if focus.get("awaiting") in ("contact", "contact_again") and focus.get("ticket_detail"):
            filed = self._ticket(focus, "")
            return ServiceResult(
                [Reply(T.TICKET_LEFT.format(reply=filed.replies[0].text))], "ticket", filed.focus, filed.ticket
            )
        return ServiceResult([], "left", {"awaiting": "", "ticket_kind": "", "ticket_detail": ""})

    def _suggestion(self, text: str) -> ServiceResult:
        """建议: thanked and recorded as a ticket of its own kind for the hall's managers."""
        today = self.today()
        ticket = {
            "kind": "suggest",
            "detail": mask(text.strip())[:500],
            "matter": "",
            "contact": "",
            "created": today.isoformat(),
        }
        return ServiceResult([Reply(T.SUGGESTION_THANKS)], "suggestion", {"awaiting": ""}, ticket=ticket)

    @staticmethod
    def rating_offer() -> Reply:
        return Reply(T.RATE_ASK, [Button(r, f'/rate{{"rating":"{r}"}}', r) for r in RATINGS])

    def _progress(self, number: str) -> ServiceResult:
        record = self.progress.lookup(number) if self.progress else None
        if record is None:
            return ServiceResult([Reply(T.PROGRESS_UNKNOWN.format(no=number))], "progress_unknown", {"awaiting": ""})
        text = T.PROGRESS_FOUND.format(
            no=record.application_no,
            matter=record.matter,
            status=record.status,
            step=record.step,
            updated=record.updated,
        )
        if record.next_action:
            text += T.PROGRESS_NEXT.format(action=record.next_action)
        text += T.PROGRESS_PHONE.format(phone=record.phone or T.HOTLINE)
        return ServiceResult([Reply(text)], "progress", {"awaiting": ""})

    def _ticket(self, focus: dict[str, str], phone: str) -> ServiceResult:
        today = self.today()
        simple_due, simple_exact = add_working_days(today, SIMPLE_DAYS)
        complex_due, complex_exact = add_working_days(today, COMPLEX_DAYS)
        exact = simple_exact and complex_exact
        kind = focus.get("ticket_kind") or "complain"
        # Made here, not by the records, so that the reply can give the person the number to quote.
        number = new_ticket_number(kind, today)
        ticket = {
            "number": number,
            "kind": kind,
            "detail": focus.get("ticket_detail", ""),
            "matter": focus.get("matter", ""),
            "contact": mask(phone) if phone else "",
            "created": today.isoformat(),
            "due_simple": simple_due.isoformat(),
            "due_complex": complex_due.isoformat(),
            "due_exact": exact,
        }
        text = T.TICKET_DONE.format(
            number=number,
            simple=SIMPLE_DAYS,
            simple_due=simple_due.isoformat(),
            complex=COMPLEX_DAYS,
            complex_due=complex_due.isoformat(),
        )
        if not exact:
            # A year whose holidays are not yet published (chinese-calendar): weekends only.
            text += T.DUE_ESTIMATE
        if not phone:
            text += T.TICKET_NO_CONTACT
        reset = {"awaiting": "", "ticket_kind": "", "ticket_detail": ""}
        return ServiceResult([Reply(text)], "ticket", reset, ticket=ticket)
