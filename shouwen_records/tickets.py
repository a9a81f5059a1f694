"""办不成事 / complaint tickets: created by conversations, clerks or the API, followed through
new → assigned → answered → closed with who and when, every change in `ticket_audit`.

A ticket is due 3 working days after it is taken when simple, 10 when complex (chinese-calendar
holidays and 调休 make-up days, shouwen_core.workdays). It is overdue when not yet answered after
its due date. Closing archives it (archived_at); tickets are never deleted nor purged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shouwen_core.pii import mask
from shouwen_core.services import COMPLEX_DAYS, SIMPLE_DAYS
from shouwen_core.ticket_numbers import find_ticket_number, new_ticket_number
from shouwen_core.workdays import add_working_days

from .db import as_datetime, insert_once, now, today
from .ids import channel_of, conversation_of, mask_contact
from .schema import ticket_audit, tickets

__all__ = [
    "STATUSES",
    "TicketError",
    "assign",
    "audit_trail",
    "close",
    "create_ticket",
    "find_by_number",
    "get_ticket",
    "list_tickets",
    "reply",
    "set_complexity",
]

STATUSES = ("new", "assigned", "answered", "closed")
COMPLEXITY_DAYS = {"simple": SIMPLE_DAYS, "complex": COMPLEX_DAYS}
# Which status may follow which; closing without an answer covers duplicates and withdrawn cases.
_NEXT = {"new": {"assigned", "closed"}, "assigned": {"assigned", "answered", "closed"}, "answered": {"closed"}}


class TicketError(ValueError):
    """A change the ticket's state does not allow (the message says why)."""


def due_date(created: dt.date, complexity: str) -> tuple[dt.date, bool]:
    if complexity not in COMPLEXITY_DAYS:
        raise TicketError(f"complexity must be simple or complex, not {complexity!r}")
    return add_working_days(created, COMPLEXITY_DAYS[complexity])


def create_ticket(
    engine: Engine,
    *,
    key: str,
    category: str,
    detail: str,
    number: str = "",
    contact: str = "",
    sender: str = "",
    matter_id: str = "",
    matter_name: str = "",
    complexity: str = "simple",
    actor: str = "citizen",
    at: str | dt.datetime | None = None,
) -> int:
    """A new ticket (idempotent on `key`); `detail` is masked, `contact` kept for the call-back.
    `number` is the one the person was told (a conversation's ticket); without one (the clerk
    panel, the API) a new one is made."""
    created = as_datetime(at)
    due, exact = due_date(created.date(), complexity)
    values = {
        "key": key,
        "number": number or new_ticket_number(category, created.date()),
        "category": category,
        "matter_id": matter_id,
        "matter_name": matter_name,
        "detail": mask(detail),
        "contact": contact.strip(),
        "sender": sender,
        "conversation": conversation_of(sender) if sender else "",
        "channel": channel_of(sender) or ("hall" if actor != "citizen" else ""),
        "status": "new",
        "complexity": complexity,
        "created_at": created,
        "due_date": due,
        "due_exact": exact,
        "updated_at": created,
        "updated_by": actor,
    }

    def _audit(conn: Connection, ticket_id: int) -> None:
        _log(conn, ticket_id, "created", actor, created, f"{category}; due {due.isoformat()} ({complexity})")

    return insert_once(engine, tickets, values, _audit)


def _log(conn: Connection, ticket_id: int, action: str, actor: str, at: dt.datetime, detail: str = "") -> None:
    conn.execute(
        ticket_audit.insert().values(ticket_id=ticket_id, action=action, actor=actor, at=at, detail=mask(detail))
    )


def _change(engine: Engine, ticket_id: int, status: str, actor: str, detail: str, **values: Any) -> None:
    at = now()
    with engine.begin() as conn:
        current = conn.execute(sa.select(tickets.c.status).where(tickets.c.id == ticket_id)).scalar()
        if current is None:
            raise TicketError(f"no ticket {ticket_id}")
        if current == "closed" or (status != current and status not in _NEXT.get(current, set())):
            raise TicketError(f"ticket {ticket_id} is {current}: it cannot become {status}")
        if status == "closed":
            values["archived_at"] = at
        conn.execute(
            tickets.update()
            .where(tickets.c.id == ticket_id)
            .values(status=status, updated_at=at, updated_by=actor, **values)
        )
        _log(conn, ticket_id, status if status != current else "updated", actor, at, detail)


def assign(engine: Engine, ticket_id: int, clerk: str, actor: str) -> None:
    _change(engine, ticket_id, "assigned", actor, f"to {clerk}", assignee=clerk)


def reply(engine: Engine, ticket_id: int, answer: str, actor: str) -> None:
    """Record the answer given to the person (by phone or message)."""
    _change(engine, ticket_id, "answered", actor, answer, answer=mask(answer))


def close(engine: Engine, ticket_id: int, actor: str, note: str = "") -> None:
    """Close and archive: the ticket stays, read-only, in lists with archived=True."""
    _change(engine, ticket_id, "closed", actor, note)


def set_complexity(engine: Engine, ticket_id: int, complexity: str, actor: str) -> None:
    """Simple ↔ complex: the due date is counted again from the day the ticket was taken."""
    ticket = get_ticket(engine, ticket_id)
    if ticket is None:
        raise TicketError(f"no ticket {ticket_id}")
    due, exact = due_date(ticket["created_at"].date(), complexity)
    _change(
        engine,
        ticket_id,
        ticket["status"],
        actor,
        f"{complexity}; due {due.isoformat()}",
        complexity=complexity,
        due_date=due,
        due_exact=exact,
    )


def _public(row: Any, on: dt.date, masked: bool) -> dict[str, Any]:
    out = dict(row._mapping)
    out["overdue"] = out["status"] in ("new", "assigned") and out["due_date"] < on
    out["archived"] = out["archived_at"] is not None
    if masked:
        out["contact"] = mask_contact(out["contact"])
        out["sender"] = out["conversation"]
    return out


def get_ticket(engine: Engine, ticket_id: int, on: dt.date | None = None) -> dict[str, Any] | None:
    """One ticket in full (contact as given: the clerk following it up calls it)."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(tickets).where(tickets.c.id == ticket_id)).first()
    return _public(row, on or today(), masked=False) if row is not None else None


def find_by_number(engine: Engine, text: str, on: dt.date | None = None) -> dict[str, Any] | None:
    """The ticket whose number the text quotes, contact masked (the person asking may not be the
    one who left it), or None."""
    number = find_ticket_number(text)
    if number is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(sa.select(tickets).where(tickets.c.number == number)).first()
    return _public(row, on or today(), masked=True) if row is not None else None


def list_tickets(
    engine: Engine,
    *,
    status: str | None = None,
    overdue: bool | None = None,
    archived: bool = False,
    on: dt.date | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Tickets for a list (contact masked), overdue first, then by due date."""
    on = on or today()
    query = sa.select(tickets)
    if status:
        query = query.where(tickets.c.status == status)
    if not archived:
        query = query.where(tickets.c.archived_at.is_(None))
    if overdue is not None:
        late = sa.and_(tickets.c.status.in_(("new", "assigned")), tickets.c.due_date < on)
        query = query.where(late if overdue else sa.not_(late))
    query = query.order_by(tickets.c.due_date, tickets.c.id).limit(limit)
    with engine.connect() as conn:
        rows = [_public(r, on, masked=True) for r in conn.execute(query)]
    return sorted(rows, key=lambda r: not r["overdue"])


def audit_trail(engine: Engine, ticket_id: int) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(ticket_audit).where(ticket_audit.c.ticket_id == ticket_id).order_by(ticket_audit.c.id)
        )
        return [dict(r._mapping) for r in rows]
