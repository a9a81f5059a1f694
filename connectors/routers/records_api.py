"""The records over REST for the widget and machine clients.

    GET  /api/inbox/{sender}?after=<id>   a clerk's replies to this person after a hand-off, as the
                                          widget polls them: {"messages": [{"id", "text", "at"}]}
                                          (sender checked like /api/chat, rate-limited per sender + IP)
    POST /api/tickets                     a 办不成事 / complaint ticket from a city system (X-API-Key);
                                          idempotent on `key` (or the Idempotency-Key header): a
                                          retried request is one ticket

The sender id is what the widget keeps in the person's browser (a random id): whoever holds it
reads that conversation's clerk replies, as with /api/chat.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from shouwen_records.handoffs import messages_for
from shouwen_records.ids import event_key
from shouwen_records.tickets import create_ticket, get_ticket

from ..deps import DbDep, LiveDep, RedisDep, SettingsDep
from ..security import rate_limit, require_api_key
from .chat import SIGNED_CHANNEL

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["records"])

SENDER_PATTERN = r"^[\w.:@-]+$"


class InboxMessage(BaseModel):
    id: int
    text: str
    at: str


class InboxOut(BaseModel):
    sender: str
    messages: list[InboxMessage]


@router.get("/inbox/{sender}", response_model=InboxOut)
async def inbox(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    redis: RedisDep,
    sender: Annotated[str, Path(min_length=1, max_length=64, pattern=SENDER_PATTERN)],
    after: Annotated[int, Query(ge=0, description="the last message id the client has")] = 0,
) -> InboxOut:
    if sender.lower().startswith(f"{SIGNED_CHANNEL}:"):
        # A WeChat follower hears a clerk through WeChat's API, never by polling: no one may read
        # a follower's replies by naming their openid here.
        raise HTTPException(404, "no inbox for this sender")
    # Its own counter: polling must not use up the person's chat allowance.
    await rate_limit(request, settings, redis, sender=f"inbox:{sender}")
    rows = await run_in_threadpool(messages_for, db, sender, after)
    return InboxOut(
        sender=sender,
        messages=[InboxMessage(id=r["id"], text=r["text"], at=r["at"].isoformat()) for r in rows],
    )


class TicketIn(BaseModel):
    category: Literal["report_cannot_get_done", "complain", "other"] = Field(
        "report_cannot_get_done", description="办不成事, a complaint, or another request for help"
    )
    detail: str = Field(min_length=1, max_length=4000, description="what happened (stored masked)")
    contact: str = Field("", max_length=100, description="a phone number for the answer (masked in lists)")
    sender: str = Field("", max_length=64, pattern=r"^([\w.:@-]+)?$", description="<channel>:<id> if known")
    matter_id: str = Field("", max_length=64, description="the catalog matter, if known")
    complexity: Literal["simple", "complex"] = Field("simple", description="3 or 10 working days to answer")
    key: str = Field("", max_length=64, description="idempotency key: the same key is the same ticket")


class TicketOut(BaseModel):
    id: int
    number: str = Field(description="what the person quotes to ask about it (BC… 办不成事, TS… 投诉, QZ… other)")
    status: str
    due_date: dt.date
    overdue: bool


@router.post("/tickets", response_model=TicketOut, status_code=201)
async def create(
    body: TicketIn,
    request: Request,
    db: DbDep,
    live: LiveDep,
    settings: SettingsDep,
    redis: RedisDep,
    idempotency_key: Annotated[str, Header(max_length=64)] = "",
) -> TicketOut:
    require_api_key(request, settings)
    await rate_limit(request, settings, redis)
    matter = live.current().catalog.matter(body.matter_id) if body.matter_id else None
    if body.matter_id and matter is None:
        raise HTTPException(422, f"no matter {body.matter_id!r} in the catalog")
    given = body.key or idempotency_key
    key = "api-" + (given or event_key(body.sender, body.category, body.detail, body.contact))[:60]
    ticket_id = await run_in_threadpool(
        lambda: create_ticket(
            db,
            key=key,
            category=body.category,
            detail=body.detail,
            contact=body.contact,
            # A ticket from a machine client without a person's id is still counted as the API channel.
            sender=body.sender or f"api:{key[4:20]}",
            matter_id=matter.id if matter else "",
            matter_name=matter.name if matter else "",
            complexity=body.complexity,
            actor="api",
        )
    )
    ticket = await run_in_threadpool(get_ticket, db, ticket_id)
    if ticket is None:  # pragma: no cover - just written
        raise HTTPException(500, "the ticket was not stored")
    return TicketOut(
        id=ticket_id,
        number=ticket["number"],
        status=ticket["status"],
        due_date=ticket["due_date"],
        overdue=ticket["overdue"],
    )
