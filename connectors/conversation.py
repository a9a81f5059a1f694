"""The one conversation service every channel adapter calls (REST chat, WeChat, widget, clerk panel).

A channel turns its own message format into `turn(sender, text)` and the returned `Turn` back into
its own format. Sender ids are `<channel>:<id>` (web:…, wechat:…, api:…, hall:…) so that the
records and the dashboard can tell the channels apart; the gateway keeps no conversation state of
its own: Rasa's Redis tracker store holds it.

A turn may carry the client's turn id (the widget sends one per message and repeats it when it
retries after a network error). The first request with that id claims it in Redis; a repeat gets
the stored answer, or — while the first is unfinished or died with its gateway — the answer the
shared tracker already holds for it, and only a turn no server handled is sent again.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from shouwen_core.pii import mask
from shouwen_core.replies import T

from .rasa_client import RasaClient, RasaUnavailable

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["CHANNELS", "Button", "Conversation", "Message", "Turn", "channel_of", "sender_id"]

logger = logging.getLogger(__name__)

CHANNELS = ("web", "wechat", "api", "hall")
TURN_TTL = 24 * 3600  # how long a repeated turn id is recognised


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Message:
    text: str = ""
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Turn:
    sender: str
    messages: list[Message] = field(default_factory=list)
    # False when Rasa could not be reached: the messages then point to 12345 / a clerk.
    answered: bool = True


def sender_id(channel: str, raw: str) -> str:
    """`wechat` + an openid → `wechat:<openid>`; an id that already carries a channel is kept."""
    return raw if channel_of(raw) else f"{channel}:{raw}"


def channel_of(sender: str) -> str:
    prefix = sender.split(":", 1)[0] if ":" in sender else ""
    return prefix if prefix in CHANNELS else ""


def _messages(raw: list[dict[str, Any]]) -> list[Message]:
    out = []
    for r in raw:
        buttons = tuple(
            Button(str(b.get("title") or ""), str(b.get("payload") or "")) for b in r.get("buttons") or [] if b
        )
        if r.get("text") or buttons:
            out.append(Message(str(r.get("text") or ""), buttons))
    return out


class Conversation:
    def __init__(self, rasa: RasaClient, max_chars: int = 10_000, redis: Redis | None = None) -> None:
        self.rasa = rasa
        self.max_chars = max_chars
        self.redis = redis

    async def turn(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None, turn_id: str | None = None
    ) -> Turn:
        message = (text or "").replace("\x00", "").strip()
        if not message:
            return Turn(sender, [Message(T.EMPTY)])
        notes: list[Message] = []
        if len(message) > self.max_chars:
            message = message[: self.max_chars]
            notes.append(Message(T.TOO_LONG))
        try:
            raw = await self._once(
                sender, message, {**(metadata or {}), "turn_id": turn_id or uuid.uuid4().hex}, turn_id
            )
        except RasaUnavailable as exc:
            logger.warning("rasa unavailable for sender %s: %s", mask(sender), exc)
            return Turn(sender, [*notes, Message(T.NOT_UNDERSTOOD)], answered=False)
        return Turn(sender, [*notes, *(_messages(raw) or [Message(T.NOT_UNDERSTOOD)])])

    async def _once(
        self, sender: str, message: str, metadata: dict[str, Any], turn_id: str | None
    ) -> list[dict[str, Any]]:
        """Send the turn to Rasa unless a client's repeat of it was handled already."""
        if not turn_id or self.redis is None:
            return await self.rasa.send(sender, message, metadata)
        key = f"shouwen:turn:{sender}:{turn_id}"
        if not await self.redis.set(key, "pending", nx=True, ex=TURN_TTL):
            stored = await self.redis.get(key)
            if stored and stored != b"pending":
                return list(json.loads(stored))
            done = await self.rasa.replies_for_turn(sender, turn_id)
            if done is not None:
                return done
        raw = await self.rasa.send(sender, message, metadata)
        await self.redis.set(key, json.dumps(raw, ensure_ascii=False), ex=TURN_TTL)
        return raw
