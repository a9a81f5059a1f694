"""Clerk sessions: a signed cookie, CSRF tokens, and the dependencies every /clerk route uses.

    login  → cookie `shouwen_clerk` = itsdangerous-signed {u: username, s: random session id},
             HttpOnly, SameSite=Strict, valid SESSION_HOURS; Secure when served over https
    each request → signature and age checked, the session id not revoked (Redis), the account
             still active (records DB): ClerkPage (else 303 → /clerk/login), ClerkApi (else 401)
    POST   → ClerkForm also checks the form's `csrf` field (or an X-CSRF-Token header) against
             HMAC(secret, session id): 403 otherwise
    logout → the session id is revoked in Redis until it would have expired anyway

The secret is SESSION_SECRET. When it is empty a random one is made per process and a warning
logged: sessions then end when the gateway restarts and do not carry over to other gateway
instances, so set SESSION_SECRET in any real deployment (and the same one on every instance).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from redis.exceptions import RedisError
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from shouwen_records.clerks import get_clerk

__all__ = [
    "COOKIE",
    "Clerk",
    "ClerkApi",
    "ClerkForm",
    "ClerkPage",
    "csrf_ok",
    "end_session",
    "login_csrf",
    "login_csrf_ok",
    "set_login_csrf",
    "signer",
    "start_session",
]

logger = logging.getLogger(__name__)

COOKIE = "shouwen_clerk"
LOGIN_CSRF_COOKIE = "shouwen_login_csrf"
SESSION_HOURS = 12  # one working day of a window, with margin
MAX_AGE = SESSION_HOURS * 3600


@dataclass(frozen=True)
class Clerk:
    username: str
    display_name: str
    sid: str
    csrf: str


def _secret(request: Request) -> str:
    state = request.app.state
    secret = getattr(state, "clerk_secret", None)
    if secret is None:
        secret = state.settings.session_secret
        if not secret:
            secret = secrets.token_urlsafe(32)
            logger.warning(
                "SESSION_SECRET is not set: clerk sessions use a random per-process secret and end when "
                "this gateway restarts (and do not work across several gateway instances)"
            )
        state.clerk_secret = secret
    return str(secret)


def signer(request: Request, salt: str) -> URLSafeTimedSerializer:
    """A serializer with the session secret: salts keep session, rating nonces etc. apart."""
    return URLSafeTimedSerializer(_secret(request), salt=salt)


def _csrf_for(request: Request, sid: str) -> str:
    return hmac.new(_secret(request).encode(), f"csrf:{sid}".encode(), hashlib.sha256).hexdigest()[:40]


def _revoked_key(sid: str) -> str:
    return f"shouwen:clerk:revoked:{sid}"


def start_session(request: Request, response: Response, username: str) -> None:
    sid = secrets.token_urlsafe(16)
    token = signer(request, "clerk-session").dumps({"u": username, "s": sid})
    response.set_cookie(
        COOKIE,
        token,
        max_age=MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/clerk")


async def end_session(request: Request, response: Response, clerk: Clerk) -> None:
    try:
        await request.app.state.redis.set(_revoked_key(clerk.sid), "1", ex=MAX_AGE)
    except (RedisError, OSError) as exc:  # the cookie still goes; the signed token expires on its own
        logger.warning("logout not recorded in redis (%s)", exc.__class__.__name__)
    response.delete_cookie(COOKIE, path="/")


def login_csrf(request: Request) -> str:
    """The login form's CSRF value (double-submit: the same value in a cookie and the form)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(16)


def login_csrf_ok(request: Request, given: str) -> bool:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(expected) and hmac.compare_digest(expected, given)


def set_login_csrf(response: Response, value: str) -> None:
    response.set_cookie(LOGIN_CSRF_COOKIE, value, max_age=3600, httponly=True, samesite="strict", path="/clerk")


async def _clerk(request: Request) -> Clerk | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = signer(request, "clerk-session").loads(raw, max_age=MAX_AGE)
        username, sid = str(data["u"]), str(data["s"])
    except (BadSignature, KeyError, TypeError):
        return None
    try:
        if await request.app.state.redis.exists(_revoked_key(sid)):
            return None
    except (RedisError, OSError) as exc:  # Redis down: the signature and the DB check still hold
        logger.warning("session revocation not checked (redis: %s)", exc.__class__.__name__)
    account = await run_in_threadpool(get_clerk, request.app.state.db, username)
    if account is None or not account["active"]:
        return None
    return Clerk(username, account["display_name"], sid, _csrf_for(request, sid))


async def page_clerk(request: Request) -> Clerk:
    clerk = await _clerk(request)
    if clerk is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(303, "login required", headers={"Location": f"/clerk/login?next={quote(target)}"})
    return clerk


async def api_clerk(request: Request) -> Clerk:
    clerk = await _clerk(request)
    if clerk is None:
        raise HTTPException(401, "clerk login required")
    return clerk


def csrf_ok(clerk: Clerk, given: str) -> bool:
    return bool(given) and hmac.compare_digest(clerk.csrf, given)


async def form_clerk(request: Request) -> Clerk:
    """A logged-in clerk whose POST carries the session's CSRF token."""
    clerk = await page_clerk(request)
    given = request.headers.get("x-csrf-token", "")
    if not given and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        given = str((await request.form()).get("csrf", ""))
    if not csrf_ok(clerk, given):
        raise HTTPException(403, "the form is outdated or not from this panel (CSRF check failed): reload the page")
    return clerk


ClerkPage = Annotated[Clerk, Depends(page_clerk)]
ClerkApi = Annotated[Clerk, Depends(api_clerk)]
ClerkForm = Annotated[Clerk, Depends(form_clerk)]
