"""转人工: the queue of people waiting for a clerk, and the clerk's messages back to them.

    open_handoff (conversation) → waiting ─ take (clerk) → taken ─ close → closed
    post_message (clerk)  → handoff_messages; each channel delivers them: the widget polls
                            messages_for(sender, after_id), WeChat sends them by the
                            customer-service API.

The history is the conversation so far as the clerk needs it ({who: user|bot, text, at}), masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shouwen_core.pii import mask

from .db import as_datetime, insert_once, new_id, now
from .ids import channel_of, conversation_of
from .schema import handoff_messages, handoffs

__all__ = ["close_handoff", "get_handoff", "list_handoffs", "messages_for", "open_handoff", "post_message", "take"]

HISTORY_TURNS = 40


def open_handoff(
    engine: Engine,
    *,
    key: str,
    sender: str,
    history: Sequence[dict[str, Any]] = (),
    at: str | dt.datetime | None = None,
) -> int:
    """Queue a person for a clerk (idempotent on `key`), with the last turns masked."""
    kept = [
        {"who": "user" if h.get("who") == "user" else "bot", "text": mask(h.get("text") or ""), "at": h.get("at", "")}
        for h in list(history)[-HISTORY_TURNS:]
    ]
    values = {
        "key": key,
        "sender": sender,
        "conversation": conversation_of(sender),
        "channel": channel_of(sender),
        "status": "waiting",
        "history": kept,
        "created_at": as_datetime(at),
    }
    return insert_once(engine, handoffs, values)


def _set(engine: Engine, handoff_id: int, allowed: tuple[str, ...], **values: Any) -> None:
    with engine.begin() as conn:
        done = conn.execute(
            handoffs.update().where(handoffs.c.id == handoff_id, handoffs.c.status.in_(allowed)).values(**values)
        )
        if done.rowcount != 1:
            raise ValueError(f"hand-off {handoff_id} is not {' or '.join(allowed)}")


def take(engine: Engine, handoff_id: int, clerk: str) -> None:
    """A clerk takes a waiting person (only one clerk can: the update checks the status)."""
    _set(engine, handoff_id, ("waiting",), status="taken", clerk=clerk, taken_at=now())


def close_handoff(engine: Engine, handoff_id: int) -> None:
    _set(engine, handoff_id, ("waiting", "taken"), status="closed", closed_at=now())


def get_handoff(engine: Engine, handoff_id: int) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(sa.select(handoffs).where(handoffs.c.id == handoff_id)).first()
    return dict(row._mapping) if row is not None else None


def list_handoffs(engine: Engine, *, status: str | None = "waiting", limit: int = 100) -> list[dict[str, Any]]:
    """The queue, oldest first (the person waiting longest is served first)."""
    query = sa.select(handoffs).order_by(handoffs.c.created_at, handoffs.c.id).limit(limit)
    if status:
        query = query.where(handoffs.c.status == status)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def post_message(engine: Engine, handoff_id: int, clerk: str, text: str) -> int:
    """A clerk's message to the person, stored masked like everything else (a clerk who repeats the
    person's ID number back does not keep it in the records); the channel delivers it."""
    text = mask(text)
    with engine.begin() as conn:
        sender = conn.execute(sa.select(handoffs.c.sender).where(handoffs.c.id == handoff_id)).scalar()
        if sender is None:
            raise ValueError(f"no hand-off {handoff_id}")
        result = conn.execute(
            handoff_messages.insert().values(handoff_id=handoff_id, sender=sender, clerk=clerk, text=text, at=now())
        )
        return new_id(result)


def messages_for(engine: Engine, sender: str, after_id: int = 0) -> list[dict[str, Any]]:
    """Clerk messages to `sender` with an id above `after_id`, in order (what a poll returns)."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(handoff_messages.c.id, handoff_messages.c.handoff_id, handoff_messages.c.clerk,
                      handoff_messages.c.text, handoff_messages.c.at)
            .where(handoff_messages.c.sender == sender, handoff_messages.c.id > after_id)
            .order_by(handoff_messages.c.id)
        )  # fmt: skip
        return [dict(r._mapping) for r in rows]
