"""A small client for the two WeChat API calls the channel needs: the access token and the
customer-service text message (客服消息), used when an answer is not ready within the passive-reply
budget or is too long for one reply.

The access token is shared by every gateway through Redis, stored with its lifetime (less a
margin); one gateway fetches it at a time (a short SET NX lock), because each fetch invalidates
the previous token after a few minutes. A send that WeChat rejects with 40001/42001/40014
(invalid or expired token) drops the cached token and is tried once more with a fresh one. A send
that fails on the way (network, HTTP error, errcode -1 "system busy") is tried again after
RETRY_DELAYS: an answer sent twice costs less than an answer lost.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from redis.asyncio import Redis

__all__ = ["RETRY_DELAYS", "TOKEN_ERRORS", "CustomerService", "WeChatAPIError", "WeChatUnreachable"]

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
BUSY = -1  # WeChat's "system busy, try again"
RETRY_DELAYS = (0.5, 2.0)


class WeChatAPIError(Exception):
    """WeChat's API was unreachable or answered with an errcode."""


class WeChatUnreachable(WeChatAPIError):
    """A failure on the way or a busy WeChat: worth trying again."""


class CustomerService:
    def __init__(
        self,
        base_url: str,
        appid: str,
        secret: str,
        redis: Redis,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.appid = appid
        self.secret = secret
        self.redis = redis
        self.timeout = timeout
        self.transport = transport
        self.token_key = f"wechat:token:{appid}"

    async def send_text(self, openid: str, text: str) -> None:
        body = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        for delay in (*RETRY_DELAYS, None):
            try:
                await self._send(body)
                return
            except WeChatUnreachable:
                if delay is None:
                    raise
                await asyncio.sleep(delay)

    async def _send(self, body: dict[str, Any]) -> None:
        for attempt in (1, 2):
            token = await self.access_token()
            data = await self._call("POST", "/cgi-bin/message/custom/send", {"access_token": token}, body)
            errcode = int(data.get("errcode") or 0)
            if errcode == 0:
                return
            if errcode in TOKEN_ERRORS and attempt == 1:
                await self._forget(token)
                continue
            error = WeChatUnreachable if errcode == BUSY else WeChatAPIError
            raise error(f"custom/send errcode {errcode}: {data.get('errmsg', '')}")

    async def access_token(self) -> str:
        """The cached token, or a fresh one fetched by whichever gateway holds the lock."""
        deadline = time.monotonic() + self.timeout
        while True:
            cached = await self.redis.get(self.token_key)
            if cached:
                return cached.decode() if isinstance(cached, bytes) else str(cached)
            if await self.redis.set(f"{self.token_key}:lock", "1", nx=True, ex=int(self.timeout) + 1):
                try:
                    return await self._fetch()
                finally:
                    await self.redis.delete(f"{self.token_key}:lock")
            if time.monotonic() >= deadline:
                raise WeChatAPIError("access token: another gateway is fetching it and did not finish")
            await asyncio.sleep(0.1)

    async def _fetch(self) -> str:
        params = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        data = await self._call("GET", "/cgi-bin/token", params)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise WeChatAPIError(f"token errcode {data.get('errcode')}: {data.get('errmsg', '')}")
        # Refresh five minutes early so that no send uses a token that expires on the way.
        lifetime = max(int(data.get("expires_in") or 7200) - 300, 60)
        await self.redis.set(self.token_key, token, ex=lifetime)
        return token

    async def _forget(self, token: str) -> None:
        """Drop the cached token unless another gateway has already replaced it."""
        cached = await self.redis.get(self.token_key)
        if cached in (token, token.encode()):
            await self.redis.delete(self.token_key)

    async def _call(
        self, method: str, path: str, params: dict[str, str], body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as http:
                resp = await http.request(
                    method,
                    f"{self.base_url}{path}",
                    params=params,
                    # WeChat shows \uXXXX escapes literally in some APIs: send the characters as UTF-8.
                    content=json.dumps(body, ensure_ascii=False).encode() if body is not None else None,
                    headers={"Content-Type": "application/json; charset=utf-8"} if body is not None else None,
                )
                resp.raise_for_status()
                data = resp.json()
        except (httpx.HTTPError, ValueError) as exc:
            # The URL carries the secret or the token: name the error class only.
            raise WeChatUnreachable(f"{path}: {exc.__class__.__name__}") from exc
        return data if isinstance(data, dict) else {}
