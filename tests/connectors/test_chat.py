"""POST /api/chat: the core's replies as the schema, a long message cut once (and said so)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis

from connectors.routers import chat as chat_router
from connectors.settings import Settings
from shouwen_core.replies import T
from shouwen_core.text import MAX_MESSAGE_CHARS
from tests.connectors.fake_rasa import FakeRasa

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    await client.flushdb()
    yield client
    await client.aclose()


async def chat(redis: Redis, rasa: FakeRasa, message: str) -> httpx.Response:
    app = FastAPI()
    app.include_router(chat_router.router)
    app.state.settings, app.state.redis, app.state.conversation = Settings(), redis, rasa.conversation()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw.test") as c:
        return await c.post("/api/chat", json={"sender": "web:chat-test", "message": message})


async def test_a_message_over_the_limit_is_cut_once_and_the_person_is_told(redis: Redis) -> None:
    rasa = FakeRasa()
    got = await chat(redis, rasa, "我的情况是这样的：" + "办" * 3 * MAX_MESSAGE_CHARS)
    assert got.status_code == 200
    assert rasa.received == [("我的情况是这样的：" + "办" * MAX_MESSAGE_CHARS)[:MAX_MESSAGE_CHARS]]
    first, answer = got.json()["replies"]
    assert first["text"] == T.MESSAGE_CUT.format(limit=MAX_MESSAGE_CHARS) and "2000" in first["text"]
    assert answer["text"] == "【居民身份证补领】一次性告知"


async def test_a_message_at_the_limit_is_sent_whole_without_a_note(redis: Redis) -> None:
    rasa = FakeRasa()
    got = await chat(redis, rasa, "办" * MAX_MESSAGE_CHARS)
    assert rasa.received == ["办" * MAX_MESSAGE_CHARS]
    assert [r["text"] for r in got.json()["replies"]] == ["【居民身份证补领】一次性告知"]


async def test_replies_are_the_cores_written_as_reply_as_dict(redis: Redis) -> None:
    buttons = [
        {"title": "居民身份证补领", "payload": '/choose_matter{"matter":"A"}'},
        {"title": "打印告知单", "payload": "", "url": "/notice/LJ-GA-010"},  # a field the core's Button has
    ]
    rasa = FakeRasa([{"text": "您想办的是下面哪一项？", "buttons": buttons}, {"text": "另一条"}])
    got = await chat(redis, rasa, "身份证")
    assert got.json()["replies"] == [{"text": "您想办的是下面哪一项？", "buttons": buttons}, {"text": "另一条"}]


async def test_a_reply_asking_for_a_contact_says_so_to_the_channel(redis: Redis) -> None:
    # How Rasa's REST channel sends utter_message(text=…, custom={"asks": "contact"}): two messages.
    rasa = FakeRasa([{"text": T.TICKET_ASK_CONTACT}, {"custom": {"asks": "contact"}}])
    got = await chat(redis, rasa, "在三号窗口，说材料不全")
    assert got.json()["replies"] == [{"text": T.TICKET_ASK_CONTACT, "asks": "contact"}]


async def test_the_widget_script_carries_its_captions_from_the_one_wording_source() -> None:
    from connectors.routers import widget
    from shouwen_core.catalog.model import CitySettings
    from shouwen_core.replies import Widget, configure

    app = FastAPI()
    app.include_router(widget.router)
    transport = httpx.ASGITransport(app=app)
    configure(CitySettings(hotline="96345"))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://gw.test") as c:
            got = await c.get("/widget.js")
            again = await c.get("/widget.js", headers={"If-None-Match": got.headers["ETag"]})
    finally:
        configure(CitySettings())
    assert got.status_code == 200 and got.headers["content-type"].startswith("application/javascript")
    assert widget.TEXT_SLOT not in got.text and Widget.TITLE in got.text
    assert "96345" in got.text and '"privacyContact"' in got.text
    assert again.status_code == 304


async def test_a_wechat_followers_conversation_cannot_be_written_through_the_chat_api(redis: Redis) -> None:
    rasa = FakeRasa()
    app = FastAPI()
    app.include_router(chat_router.router)
    app.state.settings, app.state.redis, app.state.conversation = Settings(), redis, rasa.conversation()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as c:
        got = await c.post("/api/chat", json={"sender": "wechat:oVictim123", "message": "要多久"})
        also = await c.post("/api/chat", json={"sender": "WeChat:oVictim123", "message": "要多久"})
    assert got.status_code == also.status_code == 422 and rasa.received == []


async def test_a_bad_request_is_a_422_that_echoes_nothing(redis: Redis) -> None:
    from connectors.main import create_app

    app = create_app(Settings())
    app.state.settings, app.state.redis, app.state.conversation = Settings(), redis, FakeRasa().conversation()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as c:
        surrogate = await c.post(
            "/api/chat",
            content=b'{"sender":"api:x","message":"\\ud800","turn_id":"<script>x</script>"}',
            headers={"content-type": "application/json"},
        )
        script = await c.post("/api/chat", json={"sender": "<script>alert(1)</script>", "message": "hi"})
    for got in (surrogate, script):
        assert got.status_code == 422 and "<script>" not in got.text and "12345" in got.json()["message"]


async def test_the_address_make_run_prints_leads_to_the_demo_page() -> None:
    from connectors.routers import widget

    app = FastAPI()
    app.include_router(widget.router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw.test") as c:
        home = await c.get("/")
        demo = await c.get("/", follow_redirects=True)
    assert home.status_code == 303 and home.headers["location"] == "/demo"
    assert demo.status_code == 200 and "widget.js" in demo.text
