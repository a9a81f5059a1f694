"""WeChat's wire protocol for one Official Account: signatures, plain and safe (AES) mode, and
XML → `Inbound`. Pure functions over bytes and query parameters, no I/O, so the router stays thin
and the tests can build real signed and encrypted requests with wechatpy itself.

Safe mode is on when WECHAT_AES_KEY and WECHAT_APPID are set; a request then says
`encrypt_type=aes` and carries `msg_signature`, and the reply is encrypted the same way. A request
without `encrypt_type` is read as plain (WeChat's "compatible" mode sends both).
"""

from __future__ import annotations

import binascii
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass

from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

__all__ = ["FRESH_SECONDS", "SILENT_EVENTS", "BadMessage", "BadSignature", "Codec", "ConfigError", "Inbound"]

# Events the person did not address to us (a link-menu click, an automatic location report, a
# template-message receipt): answering them would be noise, so they get "success".
SILENT_EVENTS = frozenset({"unsubscribe", "view", "location", "templatesendjobfinish", "masssendjobfinish"})


# A signed request's timestamp must be this close to now (WeChat sends it as it calls).
FRESH_SECONDS = 300
# What an openid (and an account's original id, gh_…) may look like.
_OPENID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class BadSignature(Exception):
    """The request was not signed with our token: not from WeChat."""


class BadMessage(Exception):
    """The body is not a WeChat message we can read (the reason never quotes the body)."""


class ConfigError(Exception):
    """The WeChat settings cannot work (e.g. an AES key that is not 43 characters of base64)."""


@dataclass(frozen=True)
class Inbound:
    """One message from a person, reduced to what the channel needs."""

    kind: str  # text, voice, subscribe, silent (events to ignore), other (image, link, click ...)
    openid: str  # FromUserName: the person
    account: str  # ToUserName: our Official Account, the sender of the reply
    text: str  # the text, or the voice Recognition ("" when WeChat recognised nothing)
    key: str  # de-duplication key: MsgId, or FromUserName + CreateTime for events
    encrypted: bool = False  # the request came in safe mode, so the reply must too


class Codec:
    def __init__(self, token: str, aes_key: str = "", appid: str = "") -> None:
        self.token = token
        self.crypto: WeChatCrypto | None = None
        if aes_key and appid:
            try:
                self.crypto = WeChatCrypto(token, aes_key, appid)
            except (AssertionError, ValueError, binascii.Error) as exc:
                raise ConfigError("WECHAT_AES_KEY must be the 43-character EncodingAESKey") from exc

    def verify(self, query: Mapping[str, str], now: float | None = None) -> None:
        """Our signature over a fresh timestamp: a request recorded once and sent again later (a
        replay) is refused; within the window, the message id's de-duplication answers it once."""
        try:
            check_signature(self.token, query.get("signature", ""), query.get("timestamp", ""), query.get("nonce", ""))
        except InvalidSignatureException as exc:
            raise BadSignature("signature does not match WECHAT_TOKEN") from exc
        stamp = query.get("timestamp", "")
        if not stamp.isdigit() or abs((time.time() if now is None else now) - int(stamp)) > FRESH_SECONDS:
            raise BadSignature(f"timestamp outside ±{FRESH_SECONDS} s of now")

    def decode(self, body: bytes, query: Mapping[str, str]) -> Inbound:
        """Signature already verified; decrypt when the request is in safe mode, then parse."""
        encrypted = query.get("encrypt_type", "raw").lower() == "aes"
        xml: str | bytes = body
        if encrypted:
            if self.crypto is None:
                raise BadMessage("safe-mode request but WECHAT_AES_KEY / WECHAT_APPID are not set")
            try:
                xml = self.crypto.decrypt_message(
                    body, query.get("msg_signature", ""), query.get("timestamp", ""), query.get("nonce", "")
                )
            except InvalidSignatureException as exc:
                raise BadSignature("msg_signature does not match") from exc
            except Exception as exc:  # expat, base64, padding, app id: all mean "not a message of ours"
                raise BadMessage(f"cannot decrypt: {exc.__class__.__name__}") from exc
        return _inbound(xml, encrypted)

    def reply(self, inbound: Inbound, text: str, query: Mapping[str, str]) -> str:
        """The passive reply XML, encrypted when the request was."""
        xml = TextReply(source=inbound.account, target=inbound.openid, content=text).render()
        if inbound.encrypted and self.crypto is not None:
            return str(self.crypto.encrypt_message(xml, query.get("nonce", ""), query.get("timestamp") or None))
        return str(xml)


def _inbound(xml: str | bytes, encrypted: bool) -> Inbound:
    try:
        msg = parse_message(xml)
        openid, account, created = msg.source, msg.target, msg.time
        msg_id = msg.id
    except Exception as exc:  # xmltodict/expat, a missing MsgType, a non-numeric field ...
        raise BadMessage(f"not a WeChat message: {exc.__class__.__name__}") from exc
    if msg is None or not isinstance(openid, str) or not openid or not isinstance(account, str) or not account:
        raise BadMessage("missing FromUserName or ToUserName")
    if not _OPENID.fullmatch(openid) or not _OPENID.fullmatch(account):
        # An openid is 28 characters of [A-Za-z0-9_-]; "web:…" or 30,000 characters are no one's.
        raise BadMessage("FromUserName / ToUserName is not an openid")
    if not msg_id and not created:
        raise BadMessage("missing MsgId and CreateTime")
    key = f"id:{msg_id}" if msg_id else f"ev:{openid}:{created}"
    kind, text = _kind(msg)
    return Inbound(kind, openid, account, text, key, encrypted)


def _kind(msg: object) -> tuple[str, str]:
    kind = getattr(msg, "type", "unknown")
    if kind == "text":
        return "text", _text(getattr(msg, "content", ""))
    if kind == "voice":
        return "voice", _text(getattr(msg, "recognition", ""))
    if kind == "event":
        event = str(getattr(msg, "event", "")).lower()
        if event in ("subscribe", "subscribe_scan"):
            return "subscribe", ""
        if event in SILENT_EVENTS:
            return "silent", ""
    return "other", ""


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
