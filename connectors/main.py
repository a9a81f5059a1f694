"""The gateway application: settings, clients and routers; `uvicorn connectors.main:app`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from redis.asyncio import Redis

import shouwen_records as records_db
from shouwen_core.live import LiveCatalog
from shouwen_core.pii import install_log_masking
from shouwen_core.replies import T

from .conversation import Conversation
from .limits import BodyLimit
from .rasa_client import RasaClient
from .routers import api_router
from .settings import Settings


def catalog_facts(live: LiveCatalog) -> dict[str, Any]:
    """What /healthz says of the catalog: never where it lives on the server's disk."""
    snap = live.snapshot
    return {
        "ok": bool(snap.catalog.matters),
        "version": snap.catalog.version,
        "matters": len(snap.catalog.matters),
        "overlay_version": snap.overlay_version,
    }


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.db = records_db.connect(settings.database_url or None)
        app.state.live = LiveCatalog(overlay=records_db.overlay_source(settings.database_url or None))
        app.state.redis = Redis.from_url(settings.redis_url)
        app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout)
        app.state.conversation = Conversation(app.state.rasa)
        yield
        await app.state.rasa.aclose()
        await app.state.redis.aclose()

    # uvicorn has configured its loggers by the time it imports the app: mask what they write
    # (access lines, the 500 handler's traceback) and what the root logger writes.
    install_log_masking("uvicorn", "uvicorn.error", "uvicorn.access")
    app = FastAPI(title="Shouwen gateway", version="0.1.0", lifespan=lifespan)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "X-API-Key"],
            max_age=600,
        )
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.include_router(api_router)
    return app


async def invalid_request(request: Request, exc: Exception) -> JSONResponse:
    """422 that says which field is wrong and why, never echoing what was sent: an echo of
    "<script>" is served back, and an unpaired surrogate ("\\ud800") could not even be encoded
    (FastAPI's own handler then failed with a 500 and reset the connection)."""
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    detail = [
        {
            "loc": [_clean(part) for part in e.get("loc", ())],
            "msg": _clean(e.get("msg", "")),
            "type": _clean(e.get("type", "")),
        }
        for e in errors
    ]
    return JSONResponse({"detail": detail, "message": T.BAD_REQUEST}, status_code=422)


def _clean(value: object) -> str:
    """Text that can be sent whatever it holds (a lone surrogate becomes "?")."""
    return str(value).encode("utf-8", "replace").decode("utf-8")


app = create_app()
