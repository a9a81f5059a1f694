"""The catalog over REST for machine clients and the panels: search, matter detail, reload.

    GET  /api/matters?q=…&limit=5     ranked candidates (the same linker the bot uses), packages, departments
    GET  /api/matters/{id}[?case=…]   the matter and its 一次性告知 card as text
    POST /api/catalog/reload          re-read the catalog and staff's aliases now (X-API-Key)

Reads are open (the catalog is public information) and rate-limited per address; reload needs a key.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel

from shouwen_core.catalog import CatalogError
from shouwen_core.guidance import full_card

from ..deps import LiveDep, RedisDep, SettingsDep
from ..security import rate_limit, require_api_key

router = APIRouter(prefix="/api", tags=["catalog"])


class CandidateOut(BaseModel):
    id: str
    name: str
    score: float
    department: str
    case: str | None = None
    case_name: str | None = None


class NamedOut(BaseModel):
    id: str
    name: str
    score: float


class SearchOut(BaseModel):
    q: str
    confident: bool
    matters: list[CandidateOut]
    packages: list[NamedOut]
    departments: list[NamedOut]


class ReloadOut(BaseModel):
    version: str
    matters: int
    overlay_version: int


@router.get("/matters", response_model=SearchOut)
async def search(
    request: Request,
    live: LiveDep,
    settings: SettingsDep,
    redis: RedisDep,
    q: Annotated[str, Query(max_length=2000, description="the question, in the person's words")],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SearchOut:
    await rate_limit(request, settings, redis)
    result = live.current().linker.link(q, limit=limit)
    return SearchOut(
        q=q,
        confident=result.confident,
        matters=[
            CandidateOut(
                id=c.matter.id,
                name=c.matter.name,
                score=c.score,
                department=c.matter.department,
                case=c.case.id if c.case else None,
                case_name=c.case.name if c.case else None,
            )
            for c in result.matters
        ],
        packages=[NamedOut(id=p.id, name=p.name, score=s) for p, s in result.packages],
        departments=[NamedOut(id=d.id, name=d.name, score=s) for d, s in result.departments],
    )


@router.get("/matters/{matter_id}")
async def detail(
    matter_id: str, request: Request, live: LiveDep, settings: SettingsDep, redis: RedisDep, case: str = ""
) -> dict[str, Any]:
    await rate_limit(request, settings, redis)
    catalog = live.current().catalog
    matter = catalog.matter(matter_id)
    if matter is None:
        raise HTTPException(404, f"no matter {matter_id!r} in catalog {catalog.version or ''}".strip())
    chosen = matter.case(case) if case else None
    if case and chosen is None:
        raise HTTPException(404, f"matter {matter_id!r} has no case {case!r}")
    return {
        "matter": matter.to_dict(),
        "case": chosen.id if chosen else None,
        "card": [reply.text for reply in full_card(catalog, matter, chosen)],
    }


@router.post("/catalog/reload", response_model=ReloadOut)
async def reload(request: Request, live: LiveDep, settings: SettingsDep) -> ReloadOut:
    require_api_key(request, settings)
    try:
        snap = live.reload()
    except (CatalogError, OSError) as exc:
        raise HTTPException(400, f"catalog not reloaded, the loaded one stays in service: {exc}") from exc
    return ReloadOut(
        version=snap.catalog.version, matters=len(snap.catalog.matters), overlay_version=snap.overlay_version
    )
