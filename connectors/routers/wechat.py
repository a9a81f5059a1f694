"""GET/POST /wechat: the WeChat Official Account callback (URL verification and messages).

The route checks the request (configured, content type, size, signature, XML) and leaves the
answer to `connectors.wechat.WeChatChannel`. Every refusal is a short JSON `detail` with a clear
status and a log line without the body: 503 not configured, 415 not XML, 413 over 64 KB, 403 bad
signature, 400 unreadable XML.
"""

from __future__ import annotations

import logging
import time

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from redis.exceptions import RedisError

from shouwen_core.pii import mask

from ..settings import Settings
from ..wechat import BadMessage, BadSignature, Codec, ConfigError, CustomerService, Ledger, WeChatChannel

router = APIRouter(tags=["wechat"])

logger = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
XML_TYPES = ("text/xml", "application/xml", "")


class NotConfigured(Exception):
    """WECHAT_TOKEN is unset or the WeChat settings cannot work."""


def _wechat(request: Request) -> tuple[Codec, WeChatChannel]:
    """The codec and channel, built once per process from the settings on first use."""
    state = request.app.state
    if getattr(state, "wechat", None) is None:
        settings: Settings = state.settings
        if not settings.wechat_token:
            raise NotConfigured("WeChat channel not configured: set WECHAT_TOKEN")
        try:
            codec = Codec(settings.wechat_token, settings.wechat_aes_key, settings.wechat_appid)
        except ConfigError as exc:
            raise NotConfigured(f"WeChat channel misconfigured: {exc}") from exc
        api = None
        if settings.wechat_appid and settings.wechat_secret:
            api = CustomerService(settings.wechat_api_base, settings.wechat_appid, settings.wechat_secret, state.redis)
        channel = WeChatChannel(state.conversation, Ledger(state.redis), api, settings.wechat_reply_budget)
        state.wechat = (codec, channel)
    return state.wechat


def _refuse(status: int, detail: str, request: Request) -> JSONResponse:
    client = request.client.host if request.client else "?"
    logger.warning("wechat %s %s from %s: %s", request.method, status, client, mask(detail))
    return JSONResponse({"detail": detail}, status_code=status)


async def _body(request: Request) -> bytes | None:
    """The body, or None once it passes MAX_BODY (read no further than that)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return body


@router.get("/wechat", response_model=None)
async def verify(request: Request) -> Response:
    """WeChat's URL verification: echo `echostr` when the signature is ours."""
    query = dict(request.query_params)
    try:
        codec, _ = _wechat(request)
        codec.verify(query)
    except NotConfigured as exc:
        return _refuse(503, str(exc), request)
    except BadSignature as exc:
        return _refuse(403, str(exc), request)
    if not query.get("echostr"):
        return _refuse(400, "missing echostr", request)
    return PlainTextResponse(query["echostr"])


@router.post("/wechat", response_model=None)
async def receive(request: Request) -> Response:
    """A message or event: a passive reply (XML, encrypted in safe mode) or "success"."""
    query = dict(request.query_params)
    started = time.monotonic()
    try:
        codec, channel = _wechat(request)
    except NotConfigured as exc:
        return _refuse(503, str(exc), request)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in XML_TYPES:
        return _refuse(415, "WeChat messages are XML (text/xml)", request)
    body = await _body(request)
    if body is None:
        return _refuse(413, f"body over {MAX_BODY} bytes", request)
    try:
        codec.verify(query)
        msg = codec.decode(body, query)
    except BadSignature as exc:
        return _refuse(403, str(exc), request)
    except BadMessage as exc:
        return _refuse(400, str(exc), request)
    try:
        reply = await channel.handle(msg)
    except RedisError as exc:
        return _refuse(503, f"store unavailable: {exc.__class__.__name__}", request)
    logger.info(
        "wechat %s from %s answered in %.0f ms (%s)",
        msg.kind,
        mask(msg.openid),
        (time.monotonic() - started) * 1000,
        "passive" if reply else "success",
    )
    if not reply:
        return PlainTextResponse("success")
    return Response(codec.reply(msg, reply, query), media_type="application/xml")
