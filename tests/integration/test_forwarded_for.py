"""X-Forwarded-For is believed only from the proxies the operator names (scripts/stack.proxy_flags):
uvicorn started as the stack starts the gateway, asked who the client is."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts.stack import free_port, proxy_flags

APP = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    host = (scope.get("client") or ("?", 0))[0]
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": host.encode()})
"""


def _client_seen(tmp_path: Path, trusted: str) -> str:
    (tmp_path / "who.py").write_text(APP)
    port = free_port()
    uvicorn = Path(sys.executable).parent / "uvicorn"
    cmd = [str(uvicorn), "who:app", "--host", "127.0.0.1", "--port", str(port), *proxy_flags(trusted)]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                req = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"X-Forwarded-For": "203.0.113.9"})
                with urllib.request.urlopen(req, timeout=5) as resp:
                    return resp.read().decode()
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize(("trusted", "seen"), [("", "127.0.0.1"), ("127.0.0.1", "203.0.113.9")])
def test_forwarded_for_counts_only_from_a_named_proxy(tmp_path, trusted, seen):
    assert _client_seen(tmp_path, trusted) == seen
