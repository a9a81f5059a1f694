"""The WeChat adapter over the one conversation service: what to answer to each `Inbound`, within
WeChat's five seconds.

    handle(msg)
      ├─ a retry (key already claimed) → the first request's reply, or "success"
      ├─ subscribe → welcome; voice without Recognition, images, links ... → a pointer to what works
      ├─ unsubscribe and other silent events → "success"
      └─ text / voice → conversation turn, run as a task:
           ├─ ready within the budget → passive reply (the first piece; more pieces by the API)
           └─ not ready → "success" now; the task keeps running and the answer goes by the API

Tasks are kept in `self._tasks` until done, so that no turn is garbage-collected half-way.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from shouwen_core.pii import mask
from shouwen_core.replies import T
from shouwen_core.text import ordinal

from ..conversation import Conversation, sender_id
from .api import CustomerService, WeChatAPIError
from .ledger import Ledger
from .protocol import Inbound
from .render import numbered, split

__all__ = ["WeChatChannel"]

logger = logging.getLogger(__name__)

FIXED = {"subscribe": T.WECHAT_WELCOME, "other": T.WECHAT_TEXT_ONLY, "silent": ""}
# Pieces after the passive reply wait this long, so that they arrive after it and in order.
FOLLOW_UP_DELAY = 1.0


class WeChatChannel:
    def __init__(
        self, conversation: Conversation, ledger: Ledger, api: CustomerService | None, budget: float = 4.5
    ) -> None:
        self.conversation = conversation
        self.ledger = ledger
        self.api = api  # None without WECHAT_SECRET: then a slow answer gets a polite "ask again".
        self.budget = budget
        self._tasks: set[asyncio.Task[Any]] = set()

    async def handle(self, msg: Inbound) -> str:
        """The passive reply's text; "" means reply "success" (nothing, or sent later by the API)."""
        if not await self.ledger.claim(msg.key):
            logger.info("wechat retry of %s from %s", msg.kind, mask(msg.openid))
            return await self.ledger.reply_for_retry(msg.key, self.budget)
        try:
            if msg.kind in FIXED or (msg.kind == "voice" and not msg.text):
                reply = FIXED.get(msg.kind, T.WECHAT_VOICE_UNCLEAR)
                await self.ledger.answered(msg.key, reply)
                return reply
            return await self._converse(msg)
        except BaseException:
            # Let WeChat's retry handle the message again instead of finding it claimed for good.
            await self.ledger.release(msg.key)
            raise

    async def _converse(self, msg: Inbound) -> str:
        task = self._spawn(self._answer(msg.openid, msg.text))
        try:
            pieces = await asyncio.wait_for(asyncio.shield(task), self.budget)
        except asyncio.TimeoutError:  # builtin TimeoutError only from Python 3.11
            if self.api is None:
                await self.ledger.answered(msg.key, T.WECHAT_SLOW)
                return T.WECHAT_SLOW
            await self.ledger.deferred(msg.key)
            self._spawn(self._send_when_ready(msg.openid, task))
            logger.info("wechat answer to %s deferred to the customer-service API", mask(msg.openid))
            return ""
        first, rest = pieces[0], pieces[1:]
        await self.ledger.answered(msg.key, first)
        if rest and self.api is not None:
            self._spawn(self._send(msg.openid, rest, FOLLOW_UP_DELAY))
        return first

    async def _answer(self, openid: str, text: str) -> list[str]:
        """One conversation turn as WeChat pieces; a bare number picks from the last choices."""
        number = ordinal(text)
        payload = await self.ledger.choice(openid, number) if number else None
        turn = await self.conversation.turn(sender_id("wechat", openid), payload or text)
        body, payloads = numbered(turn.replies)
        await self.ledger.save_choices(openid, payloads)
        return split(body or T.NOT_UNDERSTOOD)

    async def _send_when_ready(self, openid: str, task: asyncio.Task[list[str]]) -> None:
        try:
            pieces = await task
        except Exception as exc:
            logger.warning("wechat deferred turn for %s failed: %s", mask(openid), exc.__class__.__name__)
            return
        await self._send(openid, pieces)

    async def _send(self, openid: str, pieces: list[str], delay: float = 0.0) -> None:
        assert self.api is not None
        await asyncio.sleep(delay)
        for piece in pieces:
            try:
                await self.api.send_text(openid, piece)
            except WeChatAPIError as exc:
                logger.warning("wechat customer-service message to %s failed: %s", mask(openid), exc)
                return

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
