"""One row per answered turn, for the dashboard: which channel, which act, what kind of answer,
which matter. No text and no sender id: the conversation is a hash (ids.conversation_of)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from .db import as_datetime, insert_once
from .ids import channel_of, conversation_of
from .schema import turns

__all__ = ["record_turn"]


def record_turn(
    engine: Engine,
    *,
    key: str,
    sender: str,
    act: str,
    kind: str,
    matter_id: str = "",
    matter_name: str = "",
    unanswered: bool = False,
    at: str | dt.datetime | None = None,
) -> int:
    values = {
        "key": key,
        "conversation": conversation_of(sender),
        "channel": channel_of(sender),
        "act": act[:40],
        "kind": kind[:32],
        "matter_id": matter_id,
        "matter_name": matter_name,
        "unanswered": unanswered,
        "at": as_datetime(at),
    }
    return insert_once(engine, turns, values)
