"""Progress by ticket number: the records as a ProgressBackend (shouwen_core.progress), so that
"查询进度 BC2612037KQ4MX" is answered the way an application number is.

    TicketProgress(others).lookup(number)
        a ticket number (BC/TS/JY/QZ …) → the ticket's state: its due date, or the answer given
        anything else                  → `others` (the city's approval system, the demo store)

The records database is the one DATABASE_URL names at the time of the lookup, as for writing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa

from shouwen_core.pii import mask
from shouwen_core.progress import ProgressBackend, ProgressRecord
from shouwen_core.replies import T
from shouwen_core.ticket_numbers import find_ticket_number

from .db import connect, database_url, ensure_schema
from .tickets import find_by_number

__all__ = ["TicketProgress"]

logger = logging.getLogger(__name__)

_STATUS = {
    "new": T.TICKET_STATUS_NEW,
    "assigned": T.TICKET_STATUS_ASSIGNED,
    "answered": T.TICKET_STATUS_ANSWERED,
    "closed": T.TICKET_STATUS_CLOSED,
}


class TicketProgress:
    def __init__(self, others: ProgressBackend | None = None, url: Callable[[], str] = database_url) -> None:
        self.others = others
        self.url = url

    def lookup(self, application_no: str) -> ProgressRecord | None:
        if find_ticket_number(application_no) != application_no:
            return self.others.lookup(application_no) if self.others else None
        try:
            engine = connect(self.url())
            ensure_schema(engine)
            ticket = find_by_number(engine, application_no)
        except sa.exc.SQLAlchemyError as exc:  # the reply then points to the window and 12345
            logger.warning("ticket %s not looked up: %s", application_no, mask(repr(exc)))
            return None
        return _record(ticket) if ticket is not None else None


def _record(ticket: dict[str, Any]) -> ProgressRecord:
    due = ticket["due_date"].isoformat()
    if ticket["status"] == "answered":
        step = T.TICKET_STEP_ANSWERED.format(answer=ticket["answer"])
    elif ticket["status"] == "closed":
        step = T.TICKET_STEP_CLOSED
    else:
        step = (T.TICKET_STEP_LATE if ticket["overdue"] else T.TICKET_STEP_OPEN).format(due=due)
    matter = ticket["matter_name"]
    return ProgressRecord(
        application_no=ticket["number"],
        matter=T.TICKET_ABOUT_MATTER.format(matter=matter) if matter else T.TICKET_ABOUT,
        status=_STATUS.get(ticket["status"], T.TICKET_STATUS_NEW),
        step=step,
        updated=ticket["updated_at"].date().isoformat(),
    )
