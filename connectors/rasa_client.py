"""The client of the Rasa servers (REST channel, status, tracker), so routes stay thin.

RASA_URL may list several servers (comma-separated), all sharing one Redis tracker and lock store:
turns go round-robin, and a server that cannot be reached is skipped. A turn sent to a server that
then failed may or may not have been handled; before it is sent again, the shared tracker is asked
whether a user message with the same turn id is already there, and its bot replies are returned
instead — so a crash costs no turn and repeats none.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from redis.asyncio import Redis

__all__ = ["RasaClient", "RasaUnavailable", "replies_after"]

logger = logging.getLogger(__name__)

# Rasa's conversation lock in Redis (lock_store.key_prefix in endpoints.yml + Rasa's "lock:").
LOCK_PREFIX = "shouwenlock:lock:"
# How long a repeat waits for a turn another server may still be working on.
SETTLE_SECONDS = 20.0


class RasaUnavailable(Exception):
    """No Rasa server answered in time, or each answered with an error."""


def replies_after(events: list[dict[str, Any]], turn_id: str) -> list[dict[str, Any]] | None:
    """The bot messages that answered the user message carrying `turn_id`, as the REST channel
    returns them; None when no such user message is in the events."""
    out: list[dict[str, Any]] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if out is not None:
                break
            if (event.get("metadata") or {}).get("turn_id") == turn_id:
                out = []
        elif kind == "bot" and out is not None:
            reply: dict[str, Any] = {"text": event.get("text") or ""}
            buttons = (event.get("data") or {}).get("buttons")
            if buttons:
                reply["buttons"] = buttons
            out.append(reply)
    return out


class RasaClient:
    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
        redis: Redis | None = None,
    ) -> None:
        self.redis = redis
        self.urls = [u.strip().rstrip("/") for u in base_url.split(",") if u.strip()]
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._turn = itertools.cycle(range(len(self.urls)))

    def _order(self) -> list[str]:
        start = next(self._turn)
        return self.urls[start:] + self.urls[:start]

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        payload = {"sender": sender, "message": message, "metadata": metadata or {}}
        turn_id = (metadata or {}).get("turn_id")
        failures: list[str] = []
        delivered = False  # a request may have reached a server that failed afterwards
        for url in self._order():
            if delivered and turn_id:
                try:
                    done = await self.replies_for_turn(sender, turn_id, url)
                except RasaUnavailable:
                    done = None
                if done is not None:
                    return done
            try:
                resp = await self._http.post(f"{url}/webhooks/rest/webhook", json=payload)
                resp.raise_for_status()
                data = resp.json()
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                failures.append(f"{url}: {exc.__class__.__name__}")
                continue
            except (httpx.HTTPError, ValueError) as exc:
                failures.append(f"{url}: {exc.__class__.__name__}")
                delivered = True
                continue
            if failures:
                logger.warning("rasa failover: %s; answered by %s", "; ".join(failures), url)
            return data if isinstance(data, list) else []
        raise RasaUnavailable("; ".join(failures) or "no Rasa server configured")

    async def _settled(self, sender: str) -> None:
        """Wait while a Rasa server holds this conversation's lock (it may be answering the very turn
        being repeated); a crashed server's lock lapses with Rasa's lock lifetime."""
        if self.redis is None:
            return
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline and await self.redis.exists(LOCK_PREFIX + sender):
            await asyncio.sleep(0.1)

    async def replies_for_turn(self, sender: str, turn_id: str, url: str | None = None) -> list[dict[str, Any]] | None:
        """The replies already given to `turn_id`, read from the shared tracker once no server is
        working on the conversation; None if no server handled it."""
        await self._settled(sender)
        base = url or self._order()[0]
        try:
            resp = await self._http.get(
                f"{base}/conversations/{quote(sender, safe='')}/tracker", params={"include_events": "AFTER_RESTART"}
            )
            resp.raise_for_status()
            events = resp.json().get("events") or []
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            raise RasaUnavailable(f"{base}: {exc.__class__.__name__}") from exc
        return replies_after(events, turn_id)

    async def status(self) -> dict[str, Any]:
        """The status of the first server that answers, with how many of them are up."""
        up: list[dict[str, Any]] = []
        errors = []
        for url in self.urls:
            try:
                resp = await self._http.get(f"{url}/status")
                resp.raise_for_status()
                data = resp.json()
                up.append(data if isinstance(data, dict) else {})
            except (httpx.HTTPError, ValueError) as exc:
                errors.append(f"{url}: {exc.__class__.__name__}")
        if not up:
            raise RasaUnavailable("; ".join(errors) or "no Rasa server configured")
        return {**up[0], "servers": len(self.urls), "servers_up": len(up)}

    async def aclose(self) -> None:
        await self._http.aclose()
