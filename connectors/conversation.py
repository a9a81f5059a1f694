"""The one conversation service every channel adapter calls (REST chat, WeChat, widget, clerk panel).

A channel turns its own message format into `turn(sender, text)` and the returned `Turn` back into
its own format. Sender ids are `<channel>:<id>` (web:…, wechat:…, api:…, hall:…) so that the
records and the dashboard can tell the channels apart; the gateway keeps no conversation state of
its own: Rasa's Redis tracker store holds it.

Every turn carries a turn id: the client's (the widget sends one per message and repeats it when
it retries after a network error) or a new one. Rasa answers a turn id it has handled already
from the transcript (bot/turn_once_channel.py), so a repeat is never processed twice, whichever
gateway or Rasa server it reaches.

A turn's replies are the core's own type (shouwen_core.reply.Reply, Button), read back from what
the action sent through Rasa; every channel renders those. A message longer than the one limit
(shouwen_core.text.MAX_MESSAGE_CHARS) is cut here, once, and the first reply tells the person.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field, fields
from typing import Any

from shouwen_core.pii import mask
from shouwen_core.replies import T
from shouwen_core.reply import Button, Reply
from shouwen_core.text import MAX_MESSAGE_CHARS

from .rasa_client import RasaClient, RasaUnavailable

__all__ = ["CHANNELS", "Conversation", "Turn", "channel_of", "sender_id"]

logger = logging.getLogger(__name__)

CHANNELS = ("web", "wechat", "api", "hall")


# What a button carries through Rasa: the fields of the core's Button (title, payload, url …).
_BUTTON_FIELDS = frozenset(f.name for f in fields(Button))


@dataclass(frozen=True)
class Turn:
    sender: str
    replies: list[Reply] = field(default_factory=list)
    # False when Rasa could not be reached: the replies then point to 12345 / a clerk.
    answered: bool = True


def sender_id(channel: str, raw: str) -> str:
    """`wechat` + an openid → `wechat:<openid>`; an id that already carries a channel is kept."""
    return raw if channel_of(raw) else f"{channel}:{raw}"


def channel_of(sender: str) -> str:
    prefix = sender.split(":", 1)[0] if ":" in sender else ""
    return prefix if prefix in CHANNELS else ""


def _button(raw: dict[str, Any]) -> Button:
    given = {k: str(v) for k, v in raw.items() if k in _BUTTON_FIELDS and v is not None}
    return Button(**{"title": "", "payload": "", **given})


def _replies(raw: list[dict[str, Any]]) -> list[Reply]:
    """Rasa's REST output (what action_consult sent: Reply.as_dict) back as the core's replies."""
    out: list[Reply] = []
    for r in raw:
        buttons = [_button(b) for b in r.get("buttons") or [] if isinstance(b, dict)]
        custom: dict[str, Any] = r["custom"] if isinstance(r.get("custom"), dict) else {}
        if r.get("text") or buttons:
            out.append(Reply(str(r.get("text") or ""), buttons, str(custom.get("asks") or "")))
        elif custom.get("asks") and out:
            # Rasa sends a message's custom part as a message of its own, right after the text.
            out[-1].asks = str(custom["asks"])
    return out


class Conversation:
    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa

    async def turn(
        self, sender: str, text: str, metadata: dict[str, Any] | None = None, turn_id: str | None = None
    ) -> Turn:
        message = (text or "").replace("\x00", "").strip()
        if not message:
            return Turn(sender, [Reply(T.EMPTY)])
        notes: list[Reply] = []
        if len(message) > MAX_MESSAGE_CHARS:
            message = message[:MAX_MESSAGE_CHARS]
            notes.append(Reply(T.MESSAGE_CUT.format(limit=MAX_MESSAGE_CHARS)))
        try:
            raw = await self.rasa.send(sender, message, {**(metadata or {}), "turn_id": turn_id or uuid.uuid4().hex})
        except RasaUnavailable as exc:
            logger.warning("rasa unavailable for sender %s: %s", mask(sender), exc)
            return Turn(sender, [*notes, Reply(T.NOT_UNDERSTOOD)], answered=False)
        return Turn(sender, [*notes, *(_replies(raw) or [Reply(T.NOT_UNDERSTOOD)])])
