"""One router per channel or resource, collected in `api_router`."""

from fastapi import APIRouter

from . import (
    catalog_api,
    chat,
    clerk,
    clerk_review,
    clerk_work,
    hall_rating,
    health,
    notice,
    records_api,
    wechat,
    widget,
)

api_router = APIRouter()
api_router.include_router(health.router)
api_router.include_router(chat.router)
api_router.include_router(wechat.router)
api_router.include_router(catalog_api.router)
api_router.include_router(widget.router)
api_router.include_router(notice.router)
for _clerk_router in (records_api, hall_rating, clerk, clerk_work, clerk_review):
    api_router.include_router(_clerk_router.router)

__all__ = ["api_router"]
