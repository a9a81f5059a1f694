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
    max_message_chars: int = field(default_factory=lambda: int(_env("MAX_MESSAGE_CHARS", "10000")))
