"""POST /api/chat {"sender", "message"} → the bot's replies, through Rasa's REST channel.

The replies are the core's own type (shouwen_core.reply.Reply and its Button) and the schema says
so: what a button carries is what the core's Button has, without defaults (a button with no link
has no `url`), as `Reply.as_dict` writes it. A request body over MAX_BODY_BYTES is refused before
this route (connectors/limits.py); a message over shouwen_core.text.MAX_MESSAGE_CHARS is cut by
the conversation, which says so in the first reply.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, field_validator

from shouwen_core.reply import Reply
from shouwen_core.text import MAX_MESSAGE_CHARS

from ..deps import ConversationDep, RedisDep, SettingsDep
from ..security import rate_limit

router = APIRouter(prefix="/api", tags=["chat"])
# The channel whose senders are proven by a signature (connectors/routers/wechat.py), never by a body.
SIGNED_CHANNEL = "wechat"


class ChatIn(BaseModel):
    sender: str = Field(min_length=1, max_length=64, pattern=r"^[\w.:@-]+$", description="A stable id of the person")
    message: str = Field(
        description=f"What the person wrote; beyond {MAX_MESSAGE_CHARS} characters it is cut, and the reply says so"
    )
    turn_id: str | None = Field(
        default=None,
        pattern=r"^[\w-]{8,64}$",
        description="The client's id of this message; repeat it when retrying, and the turn is answered once",
    )

    @field_validator("sender")
    @classmethod
    def _not_a_wechat_follower(cls, sender: str) -> str:
        # A WeChat follower's conversation is reached only through the signed WeChat webhook;
        # "wechat:<openid>" here would write into someone else's conversation.
        if sender.lower().startswith(f"{SIGNED_CHANNEL}:"):
            raise ValueError(f"senders of the {SIGNED_CHANNEL} channel come through /wechat only")
        return sender


class ChatOut(BaseModel):
    sender: str
    replies: list[Reply]


@router.post("/chat", response_model=ChatOut, response_model_exclude_defaults=True)
async def chat(
    body: ChatIn, request: Request, conversation: ConversationDep, settings: SettingsDep, redis: RedisDep
) -> ChatOut | JSONResponse:
    await rate_limit(request, settings, redis, sender=body.sender)
    turn = await conversation.turn(body.sender, body.message, turn_id=body.turn_id)
    out = ChatOut(sender=body.sender, replies=turn.replies)
    return out if turn.answered else JSONResponse(out.model_dump(exclude_defaults=True), status_code=503)
