"""Plain HTTP helpers the integration tests share (urllib only: nothing between the test and the wire)."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request

__all__ = ["_port_open", "_request", "chat"]


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


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
