"""The WeChat Official Account channel end to end: signed (and encrypted) WeChat callbacks over real
HTTP to the stack's gateway, answered by the real Rasa and action servers; the customer-service
API is the local fake WeChat server (tests/integration/fake_wechat.py)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
import xmltodict
from redis import Redis
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import free_port  # noqa: E402
from tests.integration.fake_wechat import WECHAT_ENV  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup` first"
)

TOKEN, APPID = WECHAT_ENV["WECHAT_TOKEN"], WECHAT_ENV["WECHAT_APPID"]
CRYPTO = WeChatCrypto(TOKEN, WECHAT_ENV["WECHAT_AES_KEY"], APPID)


def _openid() -> str:
    return f"o-it-{uuid.uuid4().hex[:12]}"


def _signed(token: str = TOKEN, **extra: str) -> dict[str, str]:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce, **extra}


def _message(openid: str, kind: str, fields: dict[str, str], msg_id: int | None = None) -> str:
    parts = "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in fields.items())
    ident = f"<MsgId>{msg_id}</MsgId>" if msg_id else ""
    return (
        f"<xml><ToUserName><![CDATA[gh_shouwen]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>{parts}{ident}</xml>"
    )


def _text(openid: str, content: str, msg_id: int | None = None) -> str:
    return _message(openid, "text", {"Content": content}, msg_id or int(time.time_ns() % 10**15))


def _post(base: str, body: str | bytes, query: dict[str, str] | None = None) -> tuple[int, str, float]:
    data = body.encode() if isinstance(body, str) else body
    url = f"{base}/wechat?{urllib.parse.urlencode(query if query is not None else _signed())}"
    req = urllib.request.Request(url, data=data, headers={"Content-Type": "text/xml"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), time.monotonic() - started


def _content(xml: str) -> str:
    return str(xmltodict.parse(xml)["xml"]["Content"])


def _user_turns(stack, openid: str, text: str) -> int:
    url = f"http://127.0.0.1:{stack.ports['RASA_PORT']}/conversations/wechat:{openid}/tracker"
    with urllib.request.urlopen(url, timeout=10) as resp:
        events = json.loads(resp.read())["events"]
    return sum(1 for e in events if e.get("event") == "user" and e.get("text") == text)


def test_wechat_url_verification(stack):
    url = f"{stack.base}/wechat?{urllib.parse.urlencode(_signed(echostr='5837397749'))}"
    with urllib.request.urlopen(url, timeout=10) as resp:
        assert (resp.status, resp.read()) == (200, b"5837397749")


def test_wechat_catalog_question_gets_the_card_as_passive_reply(stack):
    openid = _openid()
    status, body, elapsed = _post(stack.base, _text(openid, "身份证丢了怎么补办"))
    assert status == 200, body
    assert f"<ToUserName><![CDATA[{openid}]]></ToUserName>" in body
    card = _content(body)
    assert "身份证" in card and "材料" in card and "12345" in card
    assert elapsed < 4.5


def test_wechat_safe_mode_reply_decrypts(stack):
    openid = _openid()
    query = _signed(encrypt_type="aes")
    envelope = xmltodict.parse(
        CRYPTO.encrypt_message(_text(openid, "护照过期了要带什么"), query["nonce"], query["timestamp"])
    )
    query["msg_signature"] = envelope["xml"]["MsgSignature"]
    encrypted = f"<xml><ToUserName><![CDATA[gh_shouwen]]></ToUserName><Encrypt><![CDATA[{envelope['xml']['Encrypt']}]]></Encrypt></xml>"
    status, body, _ = _post(stack.base, encrypted, query)
    assert status == 200, body
    reply = xmltodict.parse(body)["xml"]
    assert "Content" not in reply
    plain = CRYPTO.decrypt_message(body, reply["MsgSignature"], reply["TimeStamp"], reply["Nonce"])
    assert "护照" in _content(plain)


def test_wechat_voice_recognition_is_the_question(stack):
    openid = _openid()
    voice = _message(openid, "voice", {"MediaId": "m1", "Format": "amr", "Recognition": "护照过期了怎么换。"}, 77001)
    status, body, _ = _post(stack.base, voice)
    assert status == 200 and "护照" in _content(body)
    unheard = _message(openid, "voice", {"MediaId": "m2", "Format": "amr", "Recognition": ""}, 77002)
    assert "再说一遍" in _content(_post(stack.base, unheard)[1])


def test_wechat_subscribe_welcomes_and_unsubscribe_is_silent(stack):
    openid = _openid()
    status, body, _ = _post(stack.base, _message(openid, "event", {"Event": "subscribe", "EventKey": ""}))
    assert status == 200 and "12345" in _content(body) and "身份证丢了怎么补办" in _content(body)
    time.sleep(1.1)  # a later CreateTime: events are de-duplicated by sender and time
    assert _post(stack.base, _message(openid, "event", {"Event": "unsubscribe"}))[:2] == (200, "success")
    assert "12345" in _content(_post(stack.base, _message(openid, "image", {"PicUrl": "http://x/1.jpg"}, 77003))[1])


def test_wechat_retry_gets_same_answer_and_is_handled_once(stack):
    openid, question = _openid(), "开饭店要办什么证"
    message = _text(openid, question, 88001)
    first = _post(stack.base, message)
    retry = _post(stack.base, message, _signed())
    assert first[0] == retry[0] == 200
    assert _content(first[1]) == _content(retry[1])
    assert _user_turns(stack, openid, question) == 1


def test_wechat_numbered_choice_answered_with_a_number(stack):
    openid = _openid()
    asked = _content(_post(stack.base, _text(openid, "身份证"))[1])
    assert "回复数字选择：\n1. " in asked
    first_title = asked.split("\n1. ", 1)[1].split("\n", 1)[0]
    card = _content(_post(stack.base, _text(openid, "1"))[1])
    assert first_title in card and "材料" in card


@pytest.mark.parametrize(
    ("body", "query", "status"),
    [
        ("<xml><ToUserName>gh</ToUserName>", None, 400),
        ("<xml><MsgType>text</MsgType></xml>", None, 400),
        ("<xml/>", "forged", 403),
        ("<xml>" + "办" * 30_000 + "</xml>", None, 413),
    ],
)
def test_wechat_bad_input_gets_a_clear_status(stack, body, query, status):
    got, text, _ = _post(stack.base, body, _signed(token="forged") if query else None)
    assert got == status
    assert "detail" in json.loads(text) and "Traceback" not in text


def test_wechat_slow_answer_goes_by_the_customer_service_api(stack, fake_wechat, tmp_path):
    """A second gateway with a 10 ms budget: "success" at once, the card later through the fake
    WeChat API, the access token fetched once and cached in Redis."""
    port = free_port()
    env = {
        **stack.env,
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
        "RASA_URL": f"http://127.0.0.1:{stack.ports['RASA_PORT']}",
        "REDIS_URL": f"redis://127.0.0.1:{stack.ports['REDIS_PORT']}/0",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{stack.ports['ACTION_PORT']}",
        "WECHAT_REPLY_BUDGET": "0.01",
    }
    log = (tmp_path / "gateway-slow.log").open("wb")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "uvicorn"), "connectors.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(lambda: _healthy(base), 60, "second gateway did not start")
        tokens_before = fake_wechat.tokens_issued
        openid = _openid()
        questions = ["身份证丢了怎么补办", "护照过期了要带什么"]
        for no, question in enumerate(questions):
            message = _text(openid, question, 99000 + no)
            status, body, elapsed = _post(base, message)
            assert (status, body) == (200, "success")
            assert elapsed < 1.0
            assert _post(base, message)[:2] == (200, "success")  # WeChat's retry: not a second turn

        # Wait for the end of both answers: each ends with its numbered buttons (全部办理地点 …).
        def arrived() -> bool:
            joined = _joined(fake_wechat, openid)
            return "护照" in joined and joined.count("回复数字选择") >= 2

        _wait_for(arrived, 30, "answers did not arrive")
        time.sleep(1)  # anything a retry might have sent twice would arrive by now
        assert _joined(fake_wechat, openid).count("【居民身份证补领】") == 1
        assert fake_wechat.tokens_issued == max(tokens_before, 1)
        redis = Redis(port=stack.ports["REDIS_PORT"])
        assert redis.get(f"wechat:token:{APPID}") == f"fake-token-{fake_wechat.tokens_issued}".encode()
        assert 0 < redis.ttl(f"wechat:token:{APPID}") <= 7200
        assert _user_turns(stack, openid, questions[0]) == 1
    finally:
        proc.terminate()
        proc.wait(15)
        log.close()


def _joined(fake_wechat, openid: str) -> str:
    return "\n".join(fake_wechat.messages_to(openid))


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_for(condition, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.2)
