"""TurnOnceRestInput: Rasa's REST channel, answering each turn id once across servers and crashes.

With several Rasa servers sharing one Redis, a client (or a gateway failing over) may send the
same message twice: the first attempt may still be queued in one server, or have been answered by
a server whose reply never arrived. Each message carrying a turn id in its metadata is handled
under a per-conversation Redis lock. Inside it, the turn id is marked as seen; only a turn id seen
before (a repeat) has the stored transcript read, and a turn already there is answered with the
replies it got, without being processed again — first attempts, nearly all turns, cost one SET.
A server that dies holding the lock loses it after LOCK_SECONDS. Without Redis, turns are handled
as plain REST.

credentials.yml: `bot.turn_once_channel.TurnOnceRestInput:` (same URL as `rest`).
"""

from __future__ import annotations

import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

__all__ = ["TurnOnceRestInput"]

logger = logging.getLogger(__name__)

# The tracker store's key (endpoints.yml: key_prefix shouwen + Rasa's "tracker:").
TRACKER_PREFIX = "shouwen:tracker:"
LOCK_PREFIX = "shouwen:turnlock:"
SEEN_PREFIX = "shouwen:turnseen:"
SEEN_SECONDS = 24 * 3600  # how long a repeated turn id is recognised
LOCK_SECONDS = 30.0  # longer than any turn takes; a crashed holder's lock lapses after it
WAIT_SECONDS = 35.0


def _redis_url() -> str | None:
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    if os.environ.get("REDIS_HOST"):
        port = os.environ.get("REDIS_PORT", "6379")
        return f"redis://{os.environ['REDIS_HOST']}:{port}/{os.environ.get('REDIS_DB', '0')}"
    return None


class TurnOnceRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> "TurnOnceRestInput":
        return cls()

    def __init__(self) -> None:
        self._redis: Any = None

    def _client(self) -> Any:
        if self._redis is None and (url := _redis_url()):
            from redis.asyncio import Redis

            self._redis = Redis.from_url(url)
        return self._redis

    async def _answered(self, redis: Any, sender: str, turn_id: str) -> List[Dict[str, Any]] | None:
        """The replies a repeated turn got; None for a turn id never seen (or seen, never handled)."""
        from shouwen_core.pii import mask
        from shouwen_core.turns import replies_after

        if await redis.set(f"{SEEN_PREFIX}{sender}:{turn_id}", "1", nx=True, ex=SEEN_SECONDS):
            return None  # the first attempt
        stored = await redis.get(TRACKER_PREFIX + sender)
        if not stored:
            return None
        events = json.loads(stored).get("events") or []
        return replies_after(events, mask(turn_id))  # the transcript is stored masked

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def once(message: UserMessage) -> None:
            turn_id = str((message.metadata or {}).get("turn_id") or "")
            redis = self._client()
            if not turn_id or redis is None:
                await on_new_message(message)
                return
            from redis.exceptions import LockError, RedisError

            lock = redis.lock(LOCK_PREFIX + message.sender_id, timeout=LOCK_SECONDS, blocking_timeout=WAIT_SECONDS)
            try:
                acquired = await lock.acquire()
            except RedisError as exc:
                logger.warning("turn lock unavailable (%s); handling the turn without it", exc.__class__.__name__)
                acquired = False
            try:
                try:
                    done = await self._answered(redis, message.sender_id, turn_id) if acquired else None
                except RedisError:
                    done = None
                if done is not None and isinstance(message.output_channel, CollectingOutputChannel):
                    logger.info("turn %s answered before; replying from the transcript", turn_id)
                    for reply in done:
                        message.output_channel.messages.append({"recipient_id": message.sender_id, **reply})
                    return
                await on_new_message(message)
            finally:
                if acquired:
                    try:
                        await lock.release()
                    except (LockError, RedisError):
                        pass  # it lapsed: another server may already hold it

        return super().blueprint(once)
