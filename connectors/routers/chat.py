"""POST /api/chat {"sender", "message"} → the bot's replies, through Rasa's REST channel."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..deps import ConversationDep, RedisDep, SettingsDep
from ..security import rate_limit

router = APIRouter(prefix="/api", tags=["chat"])


class ChatIn(BaseModel):
    sender: str = Field(min_length=1, max_length=64, pattern=r"^[\w.:@-]+$", description="A stable id of the person")
    message: str = Field(max_length=100_000, description="What the person wrote")
    turn_id: str | None = Field(
        default=None,
        pattern=r"^[\w-]{8,64}$",
        description="The client's id of this message; repeat it when retrying, and the turn is answered once",
    )


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
async def chat(
    body: ChatIn, request: Request, conversation: ConversationDep, settings: SettingsDep, redis: RedisDep
) -> ChatOut | JSONResponse:
    await rate_limit(request, settings, redis, sender=body.sender)
    turn = await conversation.turn(body.sender, body.message, turn_id=body.turn_id)
    out = ChatOut(
        sender=body.sender,
        replies=[
            ReplyOut(text=m.text, buttons=[ButtonOut(title=b.title, payload=b.payload) for b in m.buttons])
            for m in turn.messages
        ],
    )
    return out if turn.answered else JSONResponse(out.model_dump(), status_code=503)
