"""Rasa's REST channel as an httpx MockTransport: records what the gateway sent, answers `replies`."""

from __future__ import annotations

import json
from typing import Any

import httpx

from connectors.conversation import Conversation
from connectors.rasa_client import RasaClient


class FakeRasa:
    def __init__(self, replies: list[dict[str, Any]] | None = None) -> None:
        self.replies = replies if replies is not None else [{"text": "【居民身份证补领】一次性告知"}]
        self.received: list[str] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.received.append(json.loads(request.content)["message"])
        return httpx.Response(200, json=self.replies)

    def conversation(self) -> Conversation:
        return Conversation(RasaClient("http://rasa.test", transport=httpx.MockTransport(self.handler)))
