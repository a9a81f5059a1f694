"""Gateway settings, one object per process, from environment variables (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

__all__ = ["Settings"]


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class Settings:
    rasa_url: str = field(default_factory=lambda: _env("RASA_URL", "http://127.0.0.1:5005"))
    action_url: str = field(default_factory=lambda: _env("ACTION_SERVER_URL", "http://127.0.0.1:5055"))
    redis_url: str = field(default_factory=lambda: _env("REDIS_URL", "redis://127.0.0.1:6379/0"))
    # Seconds the gateway waits for Rasa before it answers with a pointer (12345, a clerk).
    rasa_timeout: float = field(default_factory=lambda: float(_env("RASA_TIMEOUT", "10")))
    # Largest request body any route accepts (413 above it); WeChat has its own, smaller cap. It
    # only turns away absurd requests: a long message is cut at shouwen_core.text.MAX_MESSAGE_CHARS.
    max_body_bytes: int = field(default_factory=lambda: int(_env("MAX_BODY_BYTES", str(1 << 20))))
    # Records database (tickets, ratings, unanswered questions, hand-offs, clerk accounts).
    database_url: str = field(default_factory=lambda: _env("DATABASE_URL", ""))
    # WeChat Official Account: token for signatures; AES key + app id for safe mode; secret for the
    # customer-service API (access token cached in Redis); its base URL is configurable for tests.
    wechat_token: str = field(default_factory=lambda: _env("WECHAT_TOKEN", ""))
    wechat_aes_key: str = field(default_factory=lambda: _env("WECHAT_AES_KEY", ""))
    wechat_appid: str = field(default_factory=lambda: _env("WECHAT_APPID", ""))
    wechat_secret: str = field(default_factory=lambda: _env("WECHAT_SECRET", ""))
    wechat_api_base: str = field(default_factory=lambda: _env("WECHAT_API_BASE", "https://api.weixin.qq.com"))
    # Seconds a passive WeChat reply may take before the answer goes by the customer-service API.
    wechat_reply_budget: float = field(default_factory=lambda: float(_env("WECHAT_REPLY_BUDGET", "4.5")))
    # Browser origins the widget may be embedded on (comma-separated; empty = same origin only).
    cors_origins: tuple[str, ...] = field(
        default_factory=lambda: tuple(o.strip() for o in _env("CORS_ORIGINS", "").split(",") if o.strip())
    )
    # API keys for machine clients (comma-separated) and the signing secret of clerk sessions.
    api_keys: tuple[str, ...] = field(
        default_factory=lambda: tuple(k.strip() for k in _env("API_KEYS", "").split(",") if k.strip())
    )
    session_secret: str = field(default_factory=lambda: _env("SESSION_SECRET", ""))
    # Requests per minute per sender and per IP, counted in Redis.
    rate_per_sender: int = field(default_factory=lambda: int(_env("RATE_PER_SENDER", "30")))
    rate_per_ip: int = field(default_factory=lambda: int(_env("RATE_PER_IP", "120")))
