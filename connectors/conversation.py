"""The one conversation service every channel adapter calls (REST chat, WeChat, widget, clerk panel).

A channel turns its own message format into `turn(sender, text)` and the returned `Turn` back into
its own format. Sender ids are `<channel>:<id>` (web:…, wechat:…, api:…, hall:…) so that the
records and the dashboard can tell the channels apart; the gateway keeps no conversation state of
its own: Rasa's Redis tracker store holds it.

Every turn carries a turn id: the client's (the widget sends one per message and repeats it when
it retries after a network error) or a new one. Rasa answers a turn id it has handled already
from the transcript (bot/turn_once_channel.py), so a repeat is never processed twice, whichever
gateway or Rasa server it reaches.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from shouwen_core.pii import mask
from shouwen_core.replies import T

from .rasa_client import RasaClient, RasaUnavailable

__all__ = ["CHANNELS", "Button", "Conversation", "Message", "Turn", "channel_of", "sender_id"]

logger = logging.getLogger(__name__)

CHANNELS = ("web", "wechat", "api", "hall")


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
    def __init__(self, rasa: RasaClient, max_chars: int = 10_000) -> None:
        self.rasa = rasa
        self.max_chars = max_chars

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
            raw = await self.rasa.send(sender, message, {**(metadata or {}), "turn_id": turn_id or uuid.uuid4().hex})
        except RasaUnavailable as exc:
            logger.warning("rasa unavailable for sender %s: %s", mask(sender), exc)
            return Turn(sender, [*notes, Message(T.NOT_UNDERSTOOD)], answered=False)
        return Turn(sender, [*notes, *(_messages(raw) or [Message(T.NOT_UNDERSTOOD)])])
