"""The 好差评 page behind the QR code at a hall window: `/rate?window=Z01` (public, no login).

    GET  /rate?window=Z01[&matter=ID]   five levels (非常满意 … 非常不满意) and an optional reason; the
                                        form carries a signed one-time nonce (valid NONCE_HOURS)
    POST /rate                          add_rating(channel "hall", key from the nonce): a double
                                        submit or a reload is one record; a 差评 opens the same-day
                                        call-back (shouwen_records.ratings); rate-limited per address

The wording is in shouwen_core/replies.py (Pages); the QR code itself is at /clerk/qr.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from itsdangerous import BadSignature
from starlette.concurrency import run_in_threadpool

from shouwen_core.replies import Pages
from shouwen_core.services import RATINGS
from shouwen_records.ratings import BAD_LEVELS, add_rating

from ..clerk.auth import signer
from ..clerk.html import esc, page
from ..deps import DbDep, LiveDep, RedisDep, SettingsDep
from ..security import rate_limit

__all__ = ["router"]

router = APIRouter(tags=["hall"], include_in_schema=False)

NONCE_HOURS = 2
WINDOW_ID = re.compile(r"^[A-Za-z0-9-]{1,16}$")
SALT = "hall-rating"


def _form(request: Request, window: str, matter: str, error: str = "", status: int = 200) -> HTMLResponse:
    nonce = signer(request, SALT).dumps({"w": window, "m": matter, "n": secrets.token_hex(12)})
    levels = "".join(
        f'<label><input type="radio" name="level" value="{5 - i}" required> {esc(label)}</label>'
        for i, label in enumerate(RATINGS)
    )
    err = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    where = f'<p class="muted">{esc(Pages.RATE_WINDOW.format(window=window))}</p>' if window else ""
    body = (
        f"<h1>{esc(Pages.RATE_TITLE)}</h1>{where}<p>{esc(Pages.RATE_INTRO)}</p>{err}"
        f'<form method="post" action="/rate"><input type="hidden" name="nonce" value="{esc(nonce)}">'
        f'<fieldset class="levels"><legend>{esc(Pages.RATE_LEVELS_LABEL)}</legend>{levels}</fieldset>'
        f'<p><label for="reason">{esc(Pages.RATE_REASON_LABEL)}</label>'
        f'<textarea id="reason" name="reason" maxlength="500" aria-describedby="reason-hint"></textarea>'
        f'<small id="reason-hint" class="muted">{esc(Pages.RATE_REASON_HINT)}</small></p>'
        f'<button type="submit" class="button primary">{esc(Pages.RATE_SUBMIT)}</button></form>'
    )
    return page(Pages.RATE_TITLE, body, status_code=status, body_class="public")


@router.get("/rate")
async def rate_form(
    request: Request, settings: SettingsDep, redis: RedisDep, live: LiveDep, window: str = "", matter: str = ""
) -> HTMLResponse:
    await rate_limit(request, settings, redis)
    window = window if WINDOW_ID.match(window) else ""
    matter = matter if live.current().catalog.matter(matter) else ""
    return _form(request, window, matter)


@router.post("/rate")
async def rate(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    redis: RedisDep,
    nonce: Annotated[str, Form(max_length=400)] = "",
    level: Annotated[int, Form(ge=0, le=5)] = 0,
    reason: Annotated[str, Form(max_length=500)] = "",
) -> HTMLResponse:
    await rate_limit(request, settings, redis)
    try:
        data = signer(request, SALT).loads(nonce, max_age=NONCE_HOURS * 3600)
        window, matter, one_time = str(data["w"]), str(data["m"]), str(data["n"])
    except (BadSignature, KeyError, TypeError):
        body = f'<h1>{esc(Pages.RATE_TITLE)}</h1><p class="error" role="alert">{esc(Pages.RATE_EXPIRED)}</p>'
        return page(Pages.RATE_TITLE, body, status_code=400, body_class="public")
    if not 1 <= level <= 5:
        return _form(request, window, matter, Pages.RATE_PICK, 422)
    await run_in_threadpool(
        lambda: add_rating(
            db,
            key=f"hall-rate-{one_time}",
            sender=f"hall:{window or 'hall'}-{one_time}",
            rating=level,
            matter_id=matter,
            reason=reason.strip(),
            channel="hall",
        )
    )
    after = Pages.RATE_THANKS_BAD if level in BAD_LEVELS else Pages.RATE_THANKS_GOOD
    body = f"<h1>{esc(Pages.RATE_THANKS)}</h1><p>{esc(after)}</p>"
    return page(Pages.RATE_THANKS, body, body_class="public")
