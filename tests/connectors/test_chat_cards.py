"""The chat card's buttons in the channels: the public printable notice the "打印告知单" link opens
(no login, the whole card, no clerk-only parts), and the link button as a line of WeChat text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from connectors.main import create_app
from connectors.settings import Settings
from connectors.wechat.render import numbered
from shouwen_core.guidance import card
from shouwen_core.reply import Button, Reply
from shouwen_records.migrate import upgrade


@pytest.fixture
def app_client(redis_url, tmp_path):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    db_url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    upgrade(db_url)
    settings = Settings(redis_url=redis_url, database_url=db_url, session_secret="s" * 40)
    with TestClient(create_app(settings)) as c:
        yield c


def test_the_cards_notice_link_opens_the_whole_notice_without_a_login(app_client):
    catalog = app_client.app.state.live.current().catalog
    matter = next(m for m in catalog.matters if m.cases and len(m.where.halls) > 1)
    case = matter.cases[0]
    link = card(catalog, matter, case)[-1].buttons[-1].url
    page = app_client.get(link, follow_redirects=False)
    assert page.status_code == 200 and "一次性告知单" in page.text and matter.name in page.text
    assert case.name in page.text and 'type="checkbox"' in page.text
    for hw in matter.where.halls:
        hall = catalog.hall(hw.hall)
        assert hall.name in page.text and hall.hours in page.text
    assert "经办人" not in page.text and 'href="/clerk"' not in page.text and "退出" not in page.text
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_notice_for_no_matter_is_404_with_a_pointer(app_client):
    r = app_client.get("/notice/NO-SUCH")
    assert r.status_code == 404 and "12345" in r.text


def test_wechat_prints_a_link_button_as_a_line_after_the_numbered_choices():
    reply = Reply(
        "【居民身份证补领】一次性告知",
        [Button("全部办理地点", '/ask_where{"matter":"A"}'), Button("打印告知单", "", url="/notice/A")],
    )
    body, payloads = numbered([reply], base="https://gov.example/")
    assert payloads == ['/ask_where{"matter":"A"}']
    assert body.endswith("回复数字选择：\n1. 全部办理地点\n打印告知单：https://gov.example/notice/A")


def test_wechat_leaves_out_a_gateway_path_it_cannot_make_absolute():
    body, payloads = numbered([Reply("卡片", [Button("打印告知单", "", url="/notice/A")])])
    assert body == "卡片" and payloads == []
    body, _ = numbered([Reply("卡片", [Button("网上办", "", url="https://zwfw.example/a")])])
    assert body == "卡片\n网上办：https://zwfw.example/a"
