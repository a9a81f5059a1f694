"""A small client for the Rasa server's REST channel and status, so routes stay thin and tests
can hand in a real local server or an httpx MockTransport."""

from __future__ import annotations

from typing import Any

import httpx

__all__ = ["RasaClient", "RasaUnavailable"]


class RasaUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def send(self, sender: str, message: str, metadata: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        payload = {"sender": sender, "message": message, "metadata": metadata or {}}
        try:
            resp = await self._http.post("/webhooks/rest/webhook", json=payload)
            resp.raise_for_status()
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc) or exc.__class__.__name__) from exc
        return data if isinstance(data, list) else []

    async def status(self) -> dict[str, Any]:
        try:
            resp = await self._http.get("/status")
            resp.raise_for_status()
            data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(str(exc) or exc.__class__.__name__) from exc
        return data if isinstance(data, dict) else {}

    async def aclose(self) -> None:
        await self._http.aclose()
