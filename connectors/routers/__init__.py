"""One router per channel or resource, collected in `api_router`."""

from fastapi import APIRouter

from . import chat, health

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(chat.router)

__all__ = ["api_router"]
