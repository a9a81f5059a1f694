"""The WeChat channel against a real redis-server, with WeChat's own crypto (wechatpy) building the
requests: signatures, safe mode, de-duplication, numbered choices, the async fallback and bad input.

The conversation is a stand-in (`Scripted`) so that timing and buttons are under the test's control;
the end-to-end path through Rasa is tests/integration/test_wechat.py."""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import socket
import subprocess
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
import xmltodict
from fastapi import FastAPI
from redis.asyncio import Redis
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from connectors.conversation import Turn
from connectors.routers import wechat as wechat_router
from connectors.settings import Settings
from connectors.wechat import Codec, CustomerService, Ledger, WeChatChannel
from connectors.wechat.api import WeChatAPIError
from connectors.wechat.render import PIECE_BYTES, numbered, split
from shouwen_core.guard import REFUSALS
from shouwen_core.replies import T
from shouwen_core.reply import Button, Reply
from shouwen_core.text import MAX_MESSAGE_CHARS, ordinal
from tests.connectors.fake_rasa import FakeRasa

pytestmark = pytest.mark.anyio

TOKEN = "test-token"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, like an EncodingAESKey
APPID = "wx0123456789abcdef"
CARD = "【居民身份证补领】一次性告知\n一、需要准备的材料（共2项）：\n咨询电话 12345"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    if not server:
        pytest.skip("redis-server is not installed")
    port = _free_port()
    data: Path = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(data)],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
        if time.monotonic() > deadline:
            proc.terminate()
            pytest.fail("redis-server did not start")
        time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(10)


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    await client.flushdb()
    yield client
    await client.aclose()


class Scripted:
    """A conversation that answers with fixed messages after `delay` seconds and records each turn."""

    def __init__(self, messages: list[Reply] | None = None, delay: float = 0.0) -> None:
        self.messages = messages or [Reply(CARD)]
        self.delay = delay
        self.turns: list[tuple[str, str]] = []

    async def turn(self, sender: str, text: str) -> Turn:
        self.turns.append((sender, text))
        await asyncio.sleep(self.delay)
        return Turn(sender, list(self.messages))


class FakeWeChatAPI:
    """WeChat's token and customer-service endpoints as an httpx MockTransport; `errors` are
    errcodes returned to the next sends, one each."""

    def __init__(self, errors: list[int] | None = None) -> None:
        self.tokens_issued = 0
        self.sent: list[dict] = []
        self.errors = errors or []

    def handler(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/cgi-bin/token":
            self.tokens_issued += 1
            return httpx.Response(200, json={"access_token": f"T{self.tokens_issued}", "expires_in": 7200})
        if self.errors:
            return httpx.Response(200, json={"errcode": self.errors.pop(0), "errmsg": "invalid credential"})
        self.sent.append({"token": request.url.params["access_token"], **json.loads(request.content)})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok"})


def make_app(redis: Redis, conversation: Scripted, api: FakeWeChatAPI | None = None, **settings: object) -> FastAPI:
    app = FastAPI()
    app.include_router(wechat_router.router)
    values = {"wechat_token": TOKEN, "wechat_appid": APPID, "wechat_secret": "s3cret", **settings}
    app.state.settings = Settings(**values)  # type: ignore[arg-type]
    app.state.redis = redis
    app.state.conversation = conversation
    if api is not None:  # the channel the route would build, with its API client talking to the fake
        service = CustomerService(
            "http://wechat.test", APPID, "s3cret", redis, transport=httpx.MockTransport(api.handler)
        )
        channel = WeChatChannel(conversation, Ledger(redis), service, app.state.settings.wechat_reply_budget)  # type: ignore[arg-type]
        app.state.wechat = (Codec(TOKEN), channel)
    return app


def client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test")


def signed(token: str = TOKEN, **extra: str) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), "nonce42"
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce, **extra}


def text_xml(
    content: str, msg_id: int = 1001, openid: str = "oUser1", kind: str = "text", field: str = "Content"
) -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_shouwen]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>1700000000</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
        f"<{field}><![CDATA[{content}]]></{field}><MsgId>{msg_id}</MsgId></xml>"
    )


def event_xml(event: str, openid: str = "oUser1", created: int = 1700000001) -> str:
    return (
        f"<xml><ToUserName><![CDATA[gh_shouwen]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{created}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event></xml>"
    )


def content_of(xml: str) -> str:
    return str(xmltodict.parse(xml)["xml"]["Content"])


async def post(c: httpx.AsyncClient, xml: str, query: dict[str, str] | None = None) -> httpx.Response:
    return await c.post("/wechat", params=query or signed(), content=xml.encode(), headers={"Content-Type": "text/xml"})


# --- URL verification and configuration -------------------------------------------------------


async def test_url_verification_echoes_echostr(redis: Redis) -> None:
    async with client(make_app(redis, Scripted())) as c:
        ok = await c.get("/wechat", params=signed(echostr="12345echo"))
        bad = await c.get("/wechat", params=signed(token="wrong", echostr="12345echo"))
    assert (ok.status_code, ok.text) == (200, "12345echo")
    assert bad.status_code == 403


async def test_wechat_without_token_is_503_not_configured(redis: Redis) -> None:
    async with client(make_app(redis, Scripted(), wechat_token="")) as c:
        resp = await post(c, text_xml("你好"))
    assert resp.status_code == 503
    assert "not configured" in resp.json()["detail"]


# --- messages ------------------------------------------------------------------------------------


async def test_text_message_gets_passive_reply(redis: Redis) -> None:
    conversation = Scripted()
    async with client(make_app(redis, conversation)) as c:
        resp = await post(c, text_xml("身份证丢了怎么补办"))
    assert resp.status_code == 200
    assert content_of(resp.text) == CARD
    assert "<ToUserName><![CDATA[oUser1]]></ToUserName>" in resp.text
    assert conversation.turns == [("wechat:oUser1", "身份证丢了怎么补办")]


async def test_safe_mode_round_trip(redis: Redis) -> None:
    crypto = WeChatCrypto(TOKEN, AES_KEY, APPID)
    timestamp, nonce = str(int(time.time())), "n0nce"
    encrypted = crypto.encrypt_message(text_xml("护照过期了怎么换"), nonce, timestamp)
    envelope = xmltodict.parse(encrypted)["xml"]
    query = {**signed(), "timestamp": timestamp, "nonce": nonce, "encrypt_type": "aes"}
    query["signature"] = _sign(TOKEN, timestamp, nonce)
    query["msg_signature"] = envelope["MsgSignature"]
    body = f"<xml><ToUserName><![CDATA[gh_shouwen]]></ToUserName><Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>"
    conversation = Scripted()
    async with client(make_app(redis, conversation, wechat_aes_key=AES_KEY)) as c:
        resp = await post(c, body, query)
        tampered = await post(c, body.replace("gh_shouwen", "gh_x"), {**query, "msg_signature": "0" * 40})
    assert resp.status_code == 200
    assert "<Encrypt>" in resp.text and CARD not in resp.text
    reply = xmltodict.parse(resp.text)["xml"]
    plain = crypto.decrypt_message(resp.text, reply["MsgSignature"], reply["TimeStamp"], reply["Nonce"])
    assert content_of(plain) == CARD
    assert conversation.turns == [("wechat:oUser1", "护照过期了怎么换")]
    assert tampered.status_code == 403


def _sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return str(signer.signature)


async def test_voice_uses_recognition_and_asks_again_when_empty(redis: Redis) -> None:
    conversation = Scripted()
    async with client(make_app(redis, conversation)) as c:
        heard = await post(c, text_xml("社保卡丢了怎么办。", 2001, kind="voice", field="Recognition"))
        silent = await post(c, text_xml("", 2002, kind="voice", field="Recognition"))
    assert content_of(heard.text) == CARD
    assert conversation.turns == [("wechat:oUser1", "社保卡丢了怎么办。")]
    assert content_of(silent.text) == T.WECHAT_VOICE_UNCLEAR


@pytest.mark.parametrize(
    ("xml", "expected"),
    [
        (event_xml("subscribe"), T.WECHAT_WELCOME),
        (event_xml("unsubscribe"), None),
        (event_xml("VIEW"), None),
        (event_xml("CLICK"), T.WECHAT_TEXT_ONLY),
        (event_xml("something_new"), T.WECHAT_TEXT_ONLY),
        (text_xml("http://x/1.jpg", 3001, kind="image", field="PicUrl"), T.WECHAT_TEXT_ONLY),
        (text_xml("23.1", 3002, kind="location", field="Location_X"), T.WECHAT_TEXT_ONLY),
        (text_xml("标题", 3003, kind="link", field="Title"), T.WECHAT_TEXT_ONLY),
    ],
)
async def test_events_and_other_types_get_a_clear_reply(redis: Redis, xml: str, expected: str | None) -> None:
    conversation = Scripted()
    async with client(make_app(redis, conversation)) as c:
        resp = await post(c, xml)
    assert resp.status_code == 200
    if expected is None:
        assert resp.text == "success"
    else:
        assert content_of(resp.text) == expected
    assert conversation.turns == []


# --- de-duplication --------------------------------------------------------------------------------


async def test_wechat_retry_gets_same_answer_and_is_handled_once(redis: Redis) -> None:
    conversation = Scripted()
    async with client(make_app(redis, conversation)) as c:
        first = await post(c, text_xml("身份证丢了怎么补办", 4001))
        conversation.messages = [Reply("a different answer 12345")]
        retry = await post(c, text_xml("身份证丢了怎么补办", 4001))
    assert content_of(first.text) == content_of(retry.text) == CARD
    assert len(conversation.turns) == 1


async def test_retry_while_first_is_working_waits_for_its_answer(redis: Redis) -> None:
    conversation = Scripted(delay=0.4)
    async with client(make_app(redis, conversation)) as c:
        first, retry = await asyncio.gather(post(c, text_xml("开饭店", 4002)), post(c, text_xml("开饭店", 4002)))
    assert content_of(first.text) == content_of(retry.text) == CARD
    assert len(conversation.turns) == 1


async def test_event_retry_is_deduplicated_by_sender_and_time(redis: Redis) -> None:
    async with client(make_app(redis, Scripted())) as c:
        first = await post(c, event_xml("subscribe", created=1700000100))
        again = await post(c, event_xml("subscribe", created=1700000100))
        other = await post(c, event_xml("subscribe", openid="oUser2", created=1700000100))
    assert content_of(first.text) == content_of(again.text) == content_of(other.text) == T.WECHAT_WELCOME
    assert await redis.exists("wechat:seen:ev:oUser1:1700000100", "wechat:seen:ev:oUser2:1700000100") == 2


async def test_ledger_claim_is_set_nx(redis: Redis) -> None:
    ledger = Ledger(redis)
    assert await ledger.claim("id:1") is True
    assert await ledger.claim("id:1") is False
    assert await ledger.reply_for_retry("id:1", 0.2) == ""  # still working: "success" after the wait
    await ledger.answered("id:1", "答复")
    assert await ledger.reply_for_retry("id:1", 0.2) == "答复"
    await ledger.deferred("id:1")
    assert await ledger.reply_for_retry("id:1", 0.2) == ""
    assert 0 < await redis.ttl("wechat:seen:id:1") <= 600


# --- numbered choices ---------------------------------------------------------------------------

CHOICES = [
    Reply(
        "您想办的是下面哪一项？",
        [
            Button("居民身份证补领", '/choose_matter{"matter":"A"}'),
            Button("居民身份证换领", '/choose_matter{"matter":"B"}'),
        ],
    )
]


async def test_buttons_become_numbered_choices_answered_by_number(redis: Redis) -> None:
    conversation = Scripted(CHOICES)
    async with client(make_app(redis, conversation)) as c:
        asked = await post(c, text_xml("身份证", 5001))
        conversation.messages = [Reply(CARD)]
        await post(c, text_xml("２", 5002))
        await post(c, text_xml("一", 5003))  # a turn without buttons forgot the list: sent as typed
    assert content_of(asked.text).endswith("回复数字选择：\n1. 居民身份证补领\n2. 居民身份证换领")
    assert [t for _, t in conversation.turns] == ["身份证", '/choose_matter{"matter":"B"}', "一"]
    assert not await redis.exists("wechat:choices:oUser1")


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1", 1),
        ("１", 1),
        ("一", 1),
        ("第二个", 2),
        ("3.", 3),
        (" 10 ", 10),
        ("十", 10),
        ("12345", None),
        ("一下", None),
    ],
)
def test_a_reply_to_numbered_choices_is_read_by_the_core_ordinal(text: str, number: int | None) -> None:
    assert ordinal(text) == number


def test_numbered_continues_across_messages() -> None:
    text, payloads = numbered([*CHOICES, Reply("", [Button("都不是", "/none_of_these")])])
    assert text.endswith("回复数字选择：\n3. 都不是")
    assert payloads == ['/choose_matter{"matter":"A"}', '/choose_matter{"matter":"B"}', "/none_of_these"]


def test_long_text_is_split_into_pieces_wechat_accepts() -> None:
    text = (
        "\n".join(f"{i}. 材料名称很长很长的一项材料，需要原件和复印件各一份" for i in range(200)) + "\n" + "办" * 3000
    )
    pieces = split(text)
    assert len(pieces) > 2
    assert all(len(p.encode()) <= PIECE_BYTES for p in pieces)
    assert pieces[0].endswith(T.WECHAT_CONTINUED)
    assert "".join(pieces).replace(T.WECHAT_CONTINUED, "").replace("\n", "") == text.replace("\n", "")


# --- the customer-service API -------------------------------------------------------------------


async def test_slow_answer_is_success_now_and_sent_later_by_the_api(redis: Redis) -> None:
    conversation, api = Scripted(delay=0.3), FakeWeChatAPI()
    app = make_app(redis, conversation, api, wechat_reply_budget=0.05)
    async with client(app) as c:
        started = time.monotonic()
        resp = await post(c, text_xml("身份证丢了怎么补办", 6001))
        elapsed = time.monotonic() - started
        retry = await post(c, text_xml("身份证丢了怎么补办", 6001))
        await _until(lambda: api.sent)
    assert (resp.text, retry.text) == ("success", "success")
    assert elapsed < 0.3
    assert api.sent == [{"token": "T1", "touser": "oUser1", "msgtype": "text", "text": {"content": CARD}}]
    assert len(conversation.turns) == 1
    assert await redis.get(f"wechat:token:{APPID}") == b"T1"
    assert 6000 < await redis.ttl(f"wechat:token:{APPID}") <= 6900


async def test_long_answer_sends_the_rest_by_the_api(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("connectors.wechat.channel.FOLLOW_UP_DELAY", 0)
    long_card = "\n".join(f"{i}. 一项需要准备的材料（原件一份）" for i in range(150))
    conversation, api = Scripted([Reply(long_card)]), FakeWeChatAPI()
    async with client(make_app(redis, conversation, api)) as c:
        resp = await post(c, text_xml("开饭店要办什么证", 6002))
        await _until(lambda: api.sent)
    first = content_of(resp.text)
    assert first.endswith(T.WECHAT_CONTINUED) and len(first.encode()) <= PIECE_BYTES
    assert long_card.endswith(api.sent[-1]["text"]["content"])


async def test_expired_token_is_fetched_again_once(redis: Redis) -> None:
    api = FakeWeChatAPI(errors=[42001])
    service = CustomerService("http://wechat.test", APPID, "s3cret", redis, transport=httpx.MockTransport(api.handler))
    await service.send_text("oUser1", "您好")
    await service.send_text("oUser1", "再次您好")
    assert api.tokens_issued == 2
    assert [s["token"] for s in api.sent] == ["T2", "T2"]


async def _until(condition: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "<xml><FromUserName>oUser1",
        "not xml at all",
        "<xml><MsgType>text</MsgType><Content>hi</Content></xml>",  # no FromUserName
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType></xml>",  # no id/time
        "<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><MsgType>text</MsgType><MsgId>x</MsgId></xml>",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "13812345678">]><xml><FromUserName>&a;</FromUserName></xml>',
        "",
    ],
)
async def test_malformed_xml_is_400_and_logged_without_the_body(
    redis: Redis, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    body = body.replace("oUser1", "13812345678")
    with caplog.at_level(logging.INFO):
        async with client(make_app(redis, Scripted())) as c:
            resp = await post(c, body)
    assert resp.status_code == 400
    assert "Traceback" not in resp.text and "detail" in resp.json()
    assert "13812345678" not in caplog.text


async def test_bad_signature_is_403(redis: Redis) -> None:
    async with client(make_app(redis, Scripted())) as c:
        forged = await post(c, text_xml("你好"), signed(token="guess"))
        unsigned = await c.post("/wechat", content=text_xml("你好").encode(), headers={"Content-Type": "text/xml"})
    assert forged.status_code == unsigned.status_code == 403


async def test_oversized_body_is_413(redis: Redis) -> None:
    async with client(make_app(redis, Scripted())) as c:
        resp = await post(c, text_xml("办" * 30_000))
    assert resp.status_code == 413


async def test_a_message_over_the_limit_is_cut_once_and_the_person_is_told(redis: Redis) -> None:
    rasa = FakeRasa()
    async with client(make_app(redis, rasa.conversation())) as c:  # type: ignore[arg-type]
        resp = await post(c, text_xml("办" * (MAX_MESSAGE_CHARS + 500)))
    assert rasa.received == ["办" * MAX_MESSAGE_CHARS]
    assert content_of(resp.text).startswith(T.MESSAGE_CUT.format(limit=MAX_MESSAGE_CHARS) + "\n\n【居民身份证补领】")


async def test_wrong_content_type_is_415_and_wrong_method_405(redis: Redis) -> None:
    async with client(make_app(redis, Scripted())) as c:
        as_json = await c.post("/wechat", params=signed(), json={"text": "你好"})
        put = await c.put("/wechat", params=signed(), content=b"<xml/>")
    assert as_json.status_code == 415
    assert put.status_code == 405


async def test_safe_mode_request_without_aes_key_is_400(redis: Redis) -> None:
    async with client(make_app(redis, Scripted())) as c:
        resp = await post(c, "<xml><Encrypt>abc</Encrypt></xml>", signed(encrypt_type="aes", msg_signature="x"))
    assert resp.status_code == 400
    assert "WECHAT_AES_KEY" in resp.json()["detail"]


def test_wechat_wording_never_refuses_and_points_somewhere() -> None:
    for name in dir(T):
        if name.startswith("WECHAT_") and name not in ("WECHAT_CHOICES", "WECHAT_CHOICE"):
            text = getattr(T, name)
            assert not [p for p in REFUSALS if p in text], name
            assert "12345" in text, name


async def test_a_send_that_fails_on_the_way_is_tried_again(redis: Redis, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("connectors.wechat.api.RETRY_DELAYS", (0, 0))
    api, failures = FakeWeChatAPI(errors=[-1]), {"left": 1}

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/custom/send") and failures["left"]:
            failures["left"] -= 1
            raise httpx.ConnectError("connection reset")
        return api.handler(request)

    service = CustomerService("http://wechat.test", APPID, "s3cret", redis, transport=httpx.MockTransport(flaky))
    await service.send_text("oUser1", "您好")  # a reset, then "system busy", then delivered
    assert [s["text"]["content"] for s in api.sent] == ["您好"]


async def test_a_send_wechat_refuses_is_not_repeated(redis: Redis) -> None:
    api = FakeWeChatAPI(errors=[45015, 45015, 45015])  # out of the 48-hour reply window
    service = CustomerService("http://wechat.test", APPID, "s3cret", redis, transport=httpx.MockTransport(api.handler))
    with pytest.raises(WeChatAPIError, match="45015"):
        await service.send_text("oUser1", "您好")
    assert api.errors == [45015, 45015] and not api.sent


async def test_a_signature_over_an_old_timestamp_is_refused(redis: Redis) -> None:
    old = str(int(time.time()) - 3600)
    query = {"signature": _sign(TOKEN, old, "n1"), "timestamp": old, "nonce": "n1"}
    async with client(make_app(redis, Scripted())) as c:
        resp = await post(c, text_xml("护照过期了怎么换"), query)
    assert resp.status_code == 403


@pytest.mark.parametrize("openid", ["web:victim", "o" * 30_000, "o<b>"])
async def test_a_from_user_that_is_not_an_openid_is_refused(redis: Redis, openid: str) -> None:
    async with client(make_app(redis, Scripted())) as c:
        resp = await post(c, text_xml("护照过期了怎么换", openid=openid), signed())
    assert resp.status_code == 400
