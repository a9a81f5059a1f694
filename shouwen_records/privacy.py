"""Privacy duties: masked CSV export of every table, one person's records on request, and the
retention purge.

    export_csv(engine, table, out)   every row, personal data masked (contacts, sender ids hashed,
                                     password hashes left out)
    export_person(engine, contact)   JSON-able dict of one person's tickets and what their
                                     conversations left (ratings, questions, hand-offs, turns)
    purge(engine, days)              turns, questions and hand-off histories/messages older than
                                     RETENTION_DAYS (default 180) go; tickets, their audit trail,
                                     ratings and call-backs stay
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from typing import Any, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from shouwen_core.pii import mask

from .db import now
from .ids import conversation_of, mask_contact
from .schema import TABLES, handoff_messages, handoffs, questions, ratings, tickets, turns

__all__ = ["DEFAULT_RETENTION_DAYS", "export_csv", "export_person", "purge", "retention_days"]

DEFAULT_RETENTION_DAYS = 180
_SECRET = {"password_hash"}


def retention_days() -> int:
    return int(os.environ.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)


def _masked(column: str, value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, dt.date)):
        return value
    if column == "contact":
        return mask_contact(str(value))
    if column == "sender":
        return conversation_of(str(value))
    return mask(value)


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…) typed in chat).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """The value as text a spreadsheet shows, never runs: a leading formula sign gets a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_csv(engine: Engine, table: str, out: TextIO) -> int:
    """Write `table` as CSV with a header; returns the number of rows. KeyError for an unknown table."""
    t = TABLES[table]
    columns = [c.name for c in t.columns if c.name not in _SECRET]
    writer = csv.writer(out)
    writer.writerow(columns)
    n = 0
    with engine.connect() as conn:
        for row in conn.execute(sa.select(*(t.c[c] for c in columns)).order_by(t.c.id)):
            writer.writerow([_cell(_masked(c, v)) for c, v in zip(columns, row, strict=True)])
            n += 1
    return n


def _rows(conn: sa.engine.Connection, query: sa.Select[Any]) -> list[dict[str, Any]]:
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r._mapping.items()}
        for r in conn.execute(query)
    ]


def export_person(engine: Engine, contact: str) -> dict[str, Any]:
    """Everything kept about the person with this contact (a phone number as they gave it, or a
    sender id such as wechat:openid), for a request to see their data."""
    contact = contact.strip()
    with engine.connect() as conn:
        found = _rows(conn, sa.select(tickets).where(sa.or_(tickets.c.contact == contact, tickets.c.sender == contact)))
        conversations = {t["conversation"] for t in found if t["conversation"]} | {conversation_of(contact)}
        return {
            "contact": contact,
            "exported_at": now().isoformat(),
            "tickets": found,
            "ratings": _rows(conn, sa.select(ratings).where(ratings.c.conversation.in_(conversations))),
            "questions": _rows(conn, sa.select(questions).where(questions.c.conversation.in_(conversations))),
            "handoffs": _rows(conn, sa.select(handoffs).where(handoffs.c.conversation.in_(conversations))),
            "turns": _rows(conn, sa.select(turns).where(turns.c.conversation.in_(conversations))),
        }


def purge(engine: Engine, days: int | None = None, at: dt.datetime | None = None) -> dict[str, int]:
    """Remove transcripts older than `days` (default retention_days()); how many rows per table."""
    cutoff = (at or now()) - dt.timedelta(days=retention_days() if days is None else days)
    with engine.begin() as conn:
        old = sa.select(handoffs.c.id).where(handoffs.c.created_at < cutoff)
        return {
            "turns": conn.execute(turns.delete().where(turns.c.at < cutoff)).rowcount,
            "questions": conn.execute(questions.delete().where(questions.c.at < cutoff)).rowcount,
            "handoff_messages": conn.execute(
                handoff_messages.delete().where(handoff_messages.c.handoff_id.in_(old))
            ).rowcount,
            # The queue row stays for the figures; what was said goes.
            "handoff_histories": conn.execute(
                handoffs.update().where(handoffs.c.created_at < cutoff).values(history=[])
            ).rowcount,
        }
