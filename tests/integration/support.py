"""Plain HTTP helpers the integration tests share (urllib only: nothing between the test and the wire)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from scripts.stack import port_open

__all__ = ["_request", "chat", "port_open"]


def _request(
    url: str, body: bytes | None = None, content_type: str = "application/json", headers: dict | None = None
) -> tuple[int, dict]:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def chat(base: str, sender: str, message: str) -> tuple[int, dict]:
    return _request(f"{base}/api/chat", json.dumps({"sender": sender, "message": message}).encode())
