"""One router per channel or resource, collected in `api_router`."""

from fastapi import APIRouter

from . import catalog_api, chat, health

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(chat.router)
api_router.include_router(catalog_api.router)

__all__ = ["api_router"]
