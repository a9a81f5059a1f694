"""POST /api/chat {"sender", "message"} → the bot's replies, through Rasa's REST channel."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from shouwen_core.pii import mask
from shouwen_core.replies import T

from ..deps import RasaDep, SettingsDep
from ..rasa_client import RasaUnavailable

router = APIRouter(prefix="/api", tags=["chat"])
logger = logging.getLogger(__name__)


class ChatIn(BaseModel):
    sender: str = Field(min_length=1, max_length=64, pattern=r"^[\w.:@-]+$", description="A stable id of the person")
    message: str = Field(max_length=100_000, description="What the person wrote")


class ButtonOut(BaseModel):
    title: str
    payload: str


class ReplyOut(BaseModel):
    text: str = ""
    buttons: list[ButtonOut] = []


class ChatOut(BaseModel):
    sender: str
    replies: list[ReplyOut]


@router.post("/chat", response_model=ChatOut)
async def chat(body: ChatIn, rasa: RasaDep, settings: SettingsDep) -> ChatOut | JSONResponse:
    message = body.message.strip()
    if not message:
        return ChatOut(sender=body.sender, replies=[ReplyOut(text=T.EMPTY)])
    replies: list[ReplyOut] = []
    if len(message) > settings.max_message_chars:
        message = message[: settings.max_message_chars]
        replies.append(ReplyOut(text=T.TOO_LONG))
    try:
        raw = await rasa.send(body.sender, message)
    except RasaUnavailable as exc:
        logger.warning("rasa unavailable for sender %s: %s", mask(body.sender), exc)
        out = ChatOut(sender=body.sender, replies=[ReplyOut(text=T.NOT_UNDERSTOOD)])
        return JSONResponse(out.model_dump(), status_code=503)
    for r in raw:
        replies.append(ReplyOut(text=r.get("text") or "", buttons=[ButtonOut(**b) for b in r.get("buttons") or []]))
    if not replies:
        replies.append(ReplyOut(text=T.NOT_UNDERSTOOD))
    return ChatOut(sender=body.sender, replies=replies)
