"""The client of the Rasa servers (REST channel, status), so routes stay thin.

RASA_URL may list several servers (comma-separated), all sharing one Redis tracker and lock store:
turns go round-robin, and a server that cannot be reached or fails is skipped for the next one.
A turn sent to a server that then failed may or may not have been handled; it is sent again with
the same turn id, and the Rasa side (bot/turn_once_channel.py) answers a turn it already handled
from the transcript — so a crash costs no turn and repeats none.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import httpx

__all__ = ["RasaClient", "RasaUnavailable"]

logger = logging.getLogger(__name__)


class RasaUnavailable(Exception):
    """No Rasa server answered in time, or each answered with an error."""


class RasaClient:
    def __init__(
        self,
        base_url: str,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.urls = [u.strip().rstrip("/") for u in base_url.split(",") if u.strip()]
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._turn = itertools.cycle(range(len(self.urls)))

    def _order(self) -> list[str]:
        start = next(self._turn)
        return self.urls[start:] + self.urls[:start]

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        payload = {"sender": sender, "message": message, "metadata": metadata or {}}
        failures: list[str] = []
        for url in self._order():
            try:
                resp = await self._http.post(f"{url}/webhooks/rest/webhook", json=payload)
                resp.raise_for_status()
                data = resp.json()
            except (httpx.HTTPError, ValueError) as exc:
                failures.append(f"{url}: {exc.__class__.__name__}")
                continue
            if failures:
                logger.warning("rasa failover: %s; answered by %s", "; ".join(failures), url)
            return data if isinstance(data, list) else []
        raise RasaUnavailable("; ".join(failures) or "no Rasa server configured")

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
