"""The citizen's printable 一次性告知单: `GET /notice/{matter_id}?case=` (public, no login).

The chat card's "打印告知单" button links here (shouwen_core.guidance.notice_url): the whole card,
every hall with its full hours, on one printable page, the same page the clerk prints at the window
(/clerk/notice) without the clerk-only parts (经办人, the way back into the panel). Rate-limited
per address like the other public pages.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse

from shouwen_core.hours import local_today
from shouwen_core.replies import T

from ..clerk.cards import notice_body
from ..clerk.html import page
from ..deps import LiveDep, RedisDep, SettingsDep
from ..security import rate_limit

__all__ = ["router"]

router = APIRouter(tags=["citizen"], include_in_schema=False)


@router.get("/notice/{matter_id}")
async def notice(
    request: Request,
    live: LiveDep,
    settings: SettingsDep,
    redis: RedisDep,
    matter_id: Annotated[str, Path(max_length=64)],
    case: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    await rate_limit(request, settings, redis)
    catalog = live.current().catalog
    matter = catalog.matter(matter_id)
    if matter is None:
        raise HTTPException(404, T.NOTICE_UNKNOWN)
    chosen = matter.case(case) if case else None
    return page(
        f"一次性告知单 · {matter.name}",
        notice_body(catalog, matter, chosen, None, local_today()),
        body_class="print-page",
    )
