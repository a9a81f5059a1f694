"""A fake WeChat API on a local port for the integration tests: it issues access tokens for the
test app id and secret, and records every customer-service message it receives, so a test can
check what the gateway sent and how often it fetched a token."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["WECHAT_ENV", "FakeWeChat"]

# The Official Account the integration stack is configured with (safe mode on: AES key + app id).
WECHAT_ENV = {
    "WECHAT_TOKEN": "shouwen-test-token",
    "WECHAT_AES_KEY": "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
    "WECHAT_APPID": "wx5823bf96d3bd56c7",
    "WECHAT_SECRET": "shouwen-test-secret",
}


class FakeWeChat:
    def __init__(self) -> None:
        self.tokens_issued = 0
        self.sent: list[dict] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeWeChat:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def messages_to(self, openid: str) -> list[str]:
        with self._lock:
            return [m["text"]["content"] for m in self.sent if m.get("touser") == openid]

    def _token(self, query: dict[str, str]) -> dict:
        if query.get("appid") != WECHAT_ENV["WECHAT_APPID"] or query.get("secret") != WECHAT_ENV["WECHAT_SECRET"]:
            return {"errcode": 40013, "errmsg": "invalid appid"}
        with self._lock:
            self.tokens_issued += 1
            return {"access_token": f"fake-token-{self.tokens_issued}", "expires_in": 7200}

    def _send(self, query: dict[str, str], body: bytes) -> dict:
        with self._lock:
            if query.get("access_token") != f"fake-token-{self.tokens_issued}":
                return {"errcode": 40001, "errmsg": "invalid credential"}
            self.sent.append(json.loads(body))
        return {"errcode": 0, "errmsg": "ok"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                self._json(fake._token(query) if url.path == "/cgi-bin/token" else {"errcode": 404})

            def do_POST(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                query = dict(urllib.parse.parse_qsl(url.query))
                ok = url.path == "/cgi-bin/message/custom/send"
                self._json(fake._send(query, body) if ok else {"errcode": 404})

            def _json(self, data: dict) -> None:
                payload = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: object) -> None:  # quiet test output
                pass

        return Handler
