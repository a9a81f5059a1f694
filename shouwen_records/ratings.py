"""好差评: five levels per conversation and matter. A 差评 (levels 1–2) opens a call-back task due
the same day, in the same transaction, so that no bad rating goes without one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shouwen_core.pii import mask
from shouwen_core.services import RATINGS

from .db import as_datetime, insert_once, now, today
from .ids import channel_of, conversation_of
from .schema import callbacks, ratings

__all__ = ["BAD_LEVELS", "LEVELS", "add_rating", "complete_callback", "level_of", "list_callbacks"]

# 非常满意 = 5 … 非常不满意 = 1 (shouwen_core.services.RATINGS, best first).
LEVELS = {label: 5 - i for i, label in enumerate(RATINGS)}
BAD_LEVELS = (1, 2)


def level_of(rating: str | int) -> int:
    """A level 1–5 from its label (满意) or number; ValueError otherwise."""
    level = LEVELS.get(rating, 0) if isinstance(rating, str) else int(rating)
    if not 1 <= level <= 5:
        raise ValueError(f"not a rating: {rating!r}")
    return level


def add_rating(
    engine: Engine,
    *,
    key: str,
    sender: str,
    rating: str | int,
    matter_id: str = "",
    reason: str = "",
    channel: str = "",
    at: str | dt.datetime | None = None,
) -> int:
    """Store a rating (idempotent on `key`); a 差评 gets a call-back task due that day."""
    level = level_of(rating)
    when = as_datetime(at)
    values = {
        "key": key,
        "conversation": conversation_of(sender),
        "channel": channel or channel_of(sender),
        "matter_id": matter_id,
        "level": level,
        "label": RATINGS[5 - level],
        "reason": mask(reason)[:1000],
        "at": when,
    }

    def _callback(conn: Connection, rating_id: int) -> None:
        if level in BAD_LEVELS and not _called_back_today(conn, conversation_of(sender), when):
            conn.execute(
                callbacks.insert().values(rating_id=rating_id, due_date=when.date(), status="open", created_at=when)
            )

    return insert_once(engine, ratings, values, _callback)


def _called_back_today(conn: Connection, conversation: str, when: dt.datetime) -> bool:
    """A call-back for this conversation is already due that day: one call settles several bad
    ratings (five 差评 in a row, or forged payloads, made five calls)."""
    if not conversation:
        return False
    found = conn.execute(
        sa.select(callbacks.c.id)
        .join(ratings, ratings.c.id == callbacks.c.rating_id)
        .where(ratings.c.conversation == conversation, callbacks.c.due_date == when.date())
        .limit(1)
    ).first()
    return found is not None


def list_callbacks(engine: Engine, *, status: str | None = "open", on: dt.date | None = None) -> list[dict[str, Any]]:
    """Call-back tasks with their rating; `late` when still open after their day."""
    on = on or today()
    query = (
        sa.select(callbacks, ratings.c.level, ratings.c.label, ratings.c.reason, ratings.c.matter_id,
                  ratings.c.channel, ratings.c.conversation)
        .join(ratings, ratings.c.id == callbacks.c.rating_id)
        .order_by(callbacks.c.due_date, callbacks.c.id)
    )  # fmt: skip
    if status:
        query = query.where(callbacks.c.status == status)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(query)]
    for row in rows:
        row["late"] = row["status"] == "open" and row["due_date"] < on
    return rows


def complete_callback(engine: Engine, callback_id: int, clerk: str, note: str = "") -> None:
    with engine.begin() as conn:
        done = conn.execute(
            callbacks.update()
            .where(callbacks.c.id == callback_id)
            .values(status="done", clerk=clerk, note=mask(note), done_at=now())
        )
        if done.rowcount != 1:
            raise ValueError(f"no call-back {callback_id}")
