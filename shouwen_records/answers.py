"""What one answered message leaves in the records: the bridge from shouwen_core.consult.Answer
(which only says what to persist) to Records.submit, for the action server.

    every answer          → turn
    answer.unanswered, or a choice between matters (low confidence)
                          → question, with the linker's candidates
    answer.ticket         → ticket (办不成事 / complaint), contact as the person typed it
    answer.rating         → rating (a 差评 → same-day call-back)
    answer.handoff        → hand-off, with the conversation so far

Keys come from the sender and the message's id, so Rasa retrying the action writes nothing twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from shouwen_core.catalog.model import Catalog
from shouwen_core.consult import Answer
from shouwen_core.entities import PHONE, first

from .ids import event_key
from .records import Records

__all__ = ["record_answer"]


def record_answer(
    records: Records,
    *,
    sender: str,
    message_id: str,
    text: str,
    answer: Answer,
    history: Sequence[dict[str, Any]] = (),
    catalog: Catalog | None = None,
) -> None:
    """Submit every record the answer calls for (each is written or kept in the outbox)."""

    def key(kind: str) -> str:
        return event_key(sender, message_id, kind)

    matter = answer.matter
    records.submit(
        "turn",
        key=key("turn"),
        sender=sender,
        act=answer.act,
        kind=answer.kind,
        matter_id=matter.id if matter else "",
        matter_name=matter.name if matter else "",
        unanswered=answer.unanswered,
    )
    low_confidence = answer.kind == "matter_choice"
    if (answer.unanswered or low_confidence) and text and not text.startswith("/"):
        candidates = [c.as_dict() for c in answer.link.matters[:5]] if answer.link else []
        records.submit("question", key=key("question"), text=text, sender=sender, candidates=candidates)
    if answer.ticket:
        ticket = answer.ticket
        # The core masks the contact for the conversation; staff need the number to call back.
        typed = first(text, PHONE)
        records.submit(
            "ticket",
            key=key("ticket"),
            number=ticket.get("number") or "",
            category=ticket.get("kind") or "complain",
            detail=ticket.get("detail") or "",
            contact=typed.value if typed else ticket.get("contact") or "",
            sender=sender,
            matter_id=ticket.get("matter") or "",
            matter_name=_name(catalog, ticket.get("matter") or ""),
        )
    if answer.rating:
        records.submit(
            "rating",
            key=key("rating"),
            sender=sender,
            rating=answer.rating,
            matter_id=answer.focus.get("matter", ""),
            reason=text if not text.startswith("/") else "",
        )
    if answer.handoff:
        bot = [{"who": "bot", "text": r.text} for r in answer.replies]
        records.submit("handoff", key=key("handoff"), sender=sender, history=[*history, *bot])


def _name(catalog: Catalog | None, matter_id: str) -> str:
    matter = catalog.matter(matter_id) if catalog and matter_id else None
    return matter.name if matter else ""
