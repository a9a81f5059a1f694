"""API keys for machine clients and rate limits per sender and per IP, counted in Redis.

Counters are fixed one-minute windows (`INCR` + `EXPIRE`), shared by every gateway instance; when
Redis itself is down the request is let through (answering matters more than counting) and the
fault is logged. A valid API key lifts the per-IP limit (a city system behind one address).
"""

from __future__ import annotations

import hmac
import logging
import time

from fastapi import HTTPException, Request
from redis.asyncio import Redis
from redis.exceptions import RedisError

from shouwen_core.pii import mask
from shouwen_core.replies import T

from .settings import Settings

__all__ = ["client_ip", "has_api_key", "rate_limit", "require_api_key"]

logger = logging.getLogger(__name__)
WINDOW = 60


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def has_api_key(request: Request, settings: Settings) -> bool:
    given = request.headers.get("x-api-key", "")
    return bool(given) and any(hmac.compare_digest(given, key) for key in settings.api_keys)


def require_api_key(request: Request, settings: Settings) -> None:
    if not settings.api_keys:
        raise HTTPException(503, "no API keys are configured on this gateway (set API_KEYS)")
    if not has_api_key(request, settings):
        raise HTTPException(401, "a valid X-API-Key header is required", headers={"WWW-Authenticate": "X-API-Key"})


async def _waits(redis: Redis, checks: list[tuple[str, int]]) -> int:
    """Count this request against every (key, limit) in one round trip; the seconds to wait when
    any of them is over its limit in this window, else 0."""
    window = int(time.time()) // WINDOW
    names = [f"shouwen:rate:{key}:{window}" for key, _ in checks]
    try:
        async with redis.pipeline(transaction=True) as pipe:
            for name in names:
                pipe.incr(name)
                pipe.expire(name, WINDOW + 1)
            counts = (await pipe.execute())[::2]
    except (RedisError, OSError) as exc:
        logger.warning("rate limit not counted (redis: %s)", exc.__class__.__name__)
        return 0
    over = [key for (key, limit), count in zip(checks, counts, strict=True) if int(count) > limit]
    if not over:
        return 0
    logger.info("rate limited %s", ", ".join(mask(key) for key in over))
    return WINDOW - int(time.time()) % WINDOW


async def rate_limit(request: Request, settings: Settings, redis: Redis, sender: str = "") -> None:
    """429 with Retry-After and a pointer when the sender or the address asks too often."""
    checks: list[tuple[str, int]] = []
    if sender and settings.rate_per_sender > 0:
        checks.append((f"sender:{sender}", settings.rate_per_sender))
    if settings.rate_per_ip > 0 and not has_api_key(request, settings):
        checks.append((f"ip:{client_ip(request)}", settings.rate_per_ip))
    wait = await _waits(redis, checks) if checks else 0
    if wait:
        raise HTTPException(429, T.RATE_LIMITED, headers={"Retry-After": str(wait)})
