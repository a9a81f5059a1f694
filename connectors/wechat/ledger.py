"""What the WeChat channel remembers, in Redis so that every gateway instance shares it.

- De-duplication. WeChat retries a message it got no answer to (same MsgId; events: same
  FromUserName + CreateTime) up to three times, possibly to another gateway. The first request
  claims the key with SET NX and later records the outcome under it: the passive reply text
  ("answered"), or that the answer goes by the customer-service API ("deferred"). A retry reads
  the outcome; one arriving while the first is still working waits for it briefly.
- Numbered choices. Buttons are sent as "1. … 2. …"; the payload behind each number is kept per
  openid, so that a later "1" can be sent to the conversation as that payload.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from redis.asyncio import Redis

__all__ = ["Ledger"]

WORKING, ANSWERED, DEFERRED = "working", "answered", "deferred"


class Ledger:
    def __init__(self, redis: Redis, seen_ttl: int = 600, choices_ttl: int = 1800, poll: float = 0.1) -> None:
        self.redis = redis
        # WeChat's three retries come within ~15 s; ten minutes covers them with room to spare.
        self.seen_ttl = seen_ttl
        self.choices_ttl = choices_ttl
        self.poll = poll

    async def claim(self, key: str) -> bool:
        """True for the first request with this key: it must handle the message."""
        return bool(await self.redis.set(_seen(key), json.dumps({"state": WORKING}), nx=True, ex=self.seen_ttl))

    async def release(self, key: str) -> None:
        """Give the key up after a failure, so that WeChat's retry is handled afresh."""
        await self.redis.delete(_seen(key))

    async def answered(self, key: str, reply: str) -> None:
        """The passive reply text ("" for "success") that every retry gets too."""
        await self._record(key, {"state": ANSWERED, "reply": reply})

    async def deferred(self, key: str) -> None:
        """The answer goes by the customer-service API: retries get "success"."""
        await self._record(key, {"state": DEFERRED})

    async def reply_for_retry(self, key: str, wait: float) -> str:
        """The first request's passive reply, waiting up to `wait` seconds while it is still being
        worked on; "" ("success") when it was deferred or is not ready in time."""
        deadline = time.monotonic() + wait
        while True:
            outcome = await self._outcome(key)
            if outcome.get("state") == ANSWERED:
                return str(outcome.get("reply") or "")
            if outcome.get("state") != WORKING or time.monotonic() >= deadline:
                return ""
            await asyncio.sleep(self.poll)

    async def save_choices(self, openid: str, payloads: list[str]) -> None:
        """Remember the payloads behind this turn's numbers; a turn without buttons forgets the
        last ones, so that a number always refers to the latest list the person saw."""
        key = _choices(openid)
        if not payloads:
            await self.redis.delete(key)
            return
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.delete(key)
            pipe.hset(key, mapping={str(no): p for no, p in enumerate(payloads, 1)})
            pipe.expire(key, self.choices_ttl)
            await pipe.execute()

    async def choice(self, openid: str, number: int) -> str | None:
        value = await self.redis.hget(_choices(openid), str(number))
        return value.decode() if isinstance(value, bytes) else value

    async def _record(self, key: str, outcome: dict[str, Any]) -> None:
        await self.redis.set(_seen(key), json.dumps(outcome, ensure_ascii=False), ex=self.seen_ttl)

    async def _outcome(self, key: str) -> dict[str, Any]:
        raw = await self.redis.get(_seen(key))
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            data = {}
        return data if isinstance(data, dict) else {}


def _seen(key: str) -> str:
    return f"wechat:seen:{key}"


def _choices(openid: str) -> str:
    return f"wechat:choices:{openid}"
