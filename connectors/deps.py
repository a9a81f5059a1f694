"""Shared dependencies of the routes, as Annotated aliases (SettingsDep, RasaDep, RedisDep)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from redis.asyncio import Redis
from sqlalchemy.engine import Engine

from shouwen_core.live import LiveCatalog

from .conversation import Conversation
from .rasa_client import RasaClient
from .settings import Settings

__all__ = ["ConversationDep", "DbDep", "LiveDep", "RasaDep", "RedisDep", "SettingsDep"]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_rasa(request: Request) -> RasaClient:
    return request.app.state.rasa


def get_redis(request: Request) -> Redis:
    return request.app.state.redis


def get_db(request: Request) -> Engine:
    return request.app.state.db


def get_live(request: Request) -> LiveCatalog:
    return request.app.state.live


def get_conversation(request: Request) -> Conversation:
    return request.app.state.conversation


SettingsDep = Annotated[Settings, Depends(get_settings)]
RasaDep = Annotated[RasaClient, Depends(get_rasa)]
RedisDep = Annotated[Redis, Depends(get_redis)]
ConversationDep = Annotated[Conversation, Depends(get_conversation)]
LiveDep = Annotated[LiveCatalog, Depends(get_live)]
DbDep = Annotated[Engine, Depends(get_db)]
