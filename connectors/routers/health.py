"""GET /healthz: every part of the stack, each with ok and a detail; 503 when one is down."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ..deps import LiveDep, RasaDep, RedisDep, SettingsDep

router = APIRouter(tags=["health"])


async def _redis(redis: Any) -> dict[str, Any]:
    try:
        await asyncio.wait_for(redis.ping(), 2)
        return {"ok": True}
    except Exception as exc:  # any failure is a health fact, not an error of this route
        return {"ok": False, "detail": f"redis: {exc.__class__.__name__}: {exc}"}


async def _rasa(rasa: Any) -> dict[str, Any]:
    try:
        status = await rasa.status()
        model = status.get("model_file") or status.get("model_id")
        return {"ok": bool(model), "model": model} if model else {"ok": False, "detail": "no model loaded"}
    except Exception as exc:
        return {"ok": False, "detail": f"rasa: {exc}"}


async def _actions(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            resp = await client.get(f"{url}/health")
        return {"ok": resp.status_code == 200}
    except httpx.HTTPError as exc:
        return {"ok": False, "detail": f"action server: {exc.__class__.__name__}"}


def _semantic(live: Any) -> dict[str, Any]:
    """The dense signal: off is not down (the linker answers lexically), but it is said."""
    from shouwen_core.embed import embedder_status

    dense = live.current().linker.dense
    ready = bool(dense is not None and dense.ready)
    return {"ok": True, "mode": "hybrid" if ready else "lexical", "index_ready": ready, **embedder_status()}


@router.get("/healthz")
async def healthz(settings: SettingsDep, rasa: RasaDep, redis: RedisDep, live: LiveDep) -> JSONResponse:
    from ..main import catalog_facts

    redis_part, rasa_part, actions_part = await asyncio.gather(
        _redis(redis), _rasa(rasa), _actions(settings.action_url)
    )
    parts = {
        "gateway": {"ok": True},
        "redis": redis_part,
        "rasa": rasa_part,
        "actions": actions_part,
        "catalog": catalog_facts(live),
        "semantic": _semantic(live),
    }
    ok = all(p["ok"] for p in parts.values())
    return JSONResponse({"ok": ok, "parts": parts}, status_code=200 if ok else 503)
