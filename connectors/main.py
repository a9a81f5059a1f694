"""The gateway application: settings, clients and routers; `uvicorn connectors.main:app`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any

from fastapi import FastAPI
from redis.asyncio import Redis

from shouwen_core.catalog import CatalogError, load_catalog
from shouwen_core.pii import MaskingFilter
from shouwen_core.settings import catalog_path

from .conversation import Conversation
from .rasa_client import RasaClient
from .routers import api_router
from .settings import Settings


@lru_cache(maxsize=1)
def catalog_facts() -> dict[str, Any]:
    try:
        cat = load_catalog(catalog_path())
    except CatalogError as exc:
        return {"ok": False, "detail": str(exc)}
    return {"ok": bool(cat.matters), "path": str(catalog_path()), "version": cat.version, "matters": len(cat.matters)}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.rasa = RasaClient(settings.rasa_url, settings.rasa_timeout)
        app.state.redis = Redis.from_url(settings.redis_url)
        app.state.conversation = Conversation(app.state.rasa, settings.max_message_chars)
        yield
        await app.state.rasa.aclose()
        await app.state.redis.aclose()

    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())
    app = FastAPI(title="Shouwen gateway", version="0.1.0", lifespan=lifespan)
    app.include_router(api_router)
    return app


app = create_app()
