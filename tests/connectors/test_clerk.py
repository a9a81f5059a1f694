"""The clerk panel, the hall's rating page and the records API on the real gateway app, with a real
redis-server and a migrated SQLite records database: login and CSRF, suggestions and the card,
the printable notice, hand-offs answered into the widget's inbox, tickets with their audit trail,
gaps turned into aliases, the dashboard, masked CSV exports, ratings submitted once, the QR code."""

from __future__ import annotations

import csv
import io
import re
import time

import pytest
from fastapi.testclient import TestClient

from connectors.main import create_app
from connectors.settings import Settings
from shouwen_records import connect
from shouwen_records.clerks import create_clerk
from shouwen_records.gaps import overlay_version, record_question, top_gaps
from shouwen_records.handoffs import open_handoff
from shouwen_records.migrate import upgrade
from shouwen_records.ratings import list_callbacks
from shouwen_records.seed import seed
from shouwen_records.tickets import audit_trail, get_ticket

KEY = "k-clerk-test"
USER, PASSWORD = "zhang", "correct-horse-9"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def db_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    upgrade(url)
    create_clerk(connect(url), USER, PASSWORD, "张敏")
    monkeypatch.setenv("SHOUWEN_RELOAD_CHECK", "0.2")
    return url


@pytest.fixture
def app_client(redis_url, db_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    settings = Settings(redis_url=redis_url, database_url=db_url, api_keys=(KEY,), session_secret="s" * 40)
    with TestClient(create_app(settings)) as c:
        yield c


def login(c: TestClient, user: str = USER, password: str = PASSWORD):
    form = c.get("/clerk/login")
    token = CSRF.search(form.text).group(1)
    return c.post(
        "/clerk/login",
        data={"username": user, "password": password, "csrf": token, "next": "/clerk"},
        follow_redirects=False,
    )


@pytest.fixture
def clerk(app_client):
    r = login(app_client)
    assert r.status_code == 303 and r.headers["location"] == "/clerk"
    return app_client


def csrf_of(c: TestClient, path: str = "/clerk") -> str:
    return CSRF.search(c.get(path).text).group(1)


def test_pages_redirect_to_login_and_the_api_answers_401(app_client):
    r = app_client.get("/clerk/tickets", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/clerk/login?next=/clerk/tickets")
    assert app_client.get("/clerk/api/suggest", params={"q": "身份证"}).status_code == 401
    assert app_client.get("/clerk/export/tickets.csv", follow_redirects=False).status_code == 303


def test_wrong_password_is_refused_and_the_cookie_is_httponly_strict(app_client):
    assert login(app_client, password="wrong-password").status_code == 401
    assert "shouwen_clerk" not in app_client.cookies
    r = login(app_client)
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
    assert app_client.get("/clerk").status_code == 200


def test_a_post_without_the_csrf_token_is_rejected(clerk):
    r = clerk.post("/clerk/tickets", data={"detail": "x", "nonce": "0" * 32}, follow_redirects=False)
    assert r.status_code == 403
    r = clerk.post("/clerk/logout", data={"csrf": "forged"}, follow_redirects=False)
    assert r.status_code == 403


def test_logout_ends_the_session(clerk):
    token = csrf_of(clerk)
    old = clerk.cookies.get("shouwen_clerk")
    assert clerk.post("/clerk/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    clerk.cookies.set("shouwen_clerk", old)  # a copied cookie no longer works either
    assert clerk.get("/clerk", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("question", ["身份证丢了怎么补办", "护照过期了怎么换"])
def test_suggest_gives_ranked_matters_and_the_card(clerk, question):
    r = clerk.get("/clerk/api/suggest", params={"q": question})
    assert r.status_code == 200
    body = r.json()
    assert body["matters"] and body["matters"] == sorted(body["matters"], key=lambda m: -m["score"])
    assert body["chosen"] == body["matters"][0]["id"]
    assert "所需材料" in body["card_html"] and "办理时限" in body["card_html"] and "收费" in body["card_html"]
    assert "%" in body["candidates_html"]


def test_suggest_refers_an_out_of_catalog_question(clerk):
    body = clerk.get("/clerk/api/suggest", params={"q": "邻居家装修太吵了晚上睡不着"}).json()
    assert body["kind"] in ("referral", "matter_choice")
    if body["kind"] == "referral":
        assert "12345" in body["referral_html"]


def test_suggest_escapes_what_was_typed(clerk):
    body = clerk.get("/clerk/api/suggest", params={"q": "<script>alert(1)</script>身份证"}).json()
    assert "<script>" not in "".join(str(v) for k, v in body.items() if k.endswith("html"))


def test_card_for_a_case_and_the_printable_notice(clerk, app_client):
    live = app_client.app.state.live
    matter = next(m for m in live.current().catalog.matters if m.cases and m.materials)
    case = matter.cases[0]
    r = clerk.get("/clerk/api/card", params={"matter": matter.id, "case": case.id})
    assert r.status_code == 200 and case.name in r.json()["card_html"]
    page = clerk.get(f"/clerk/notice/{matter.id}", params={"case": case.id})
    assert page.status_code == 200
    assert "一次性告知单" in page.text and matter.name in page.text and 'type="checkbox"' in page.text
    for m in [*matter.materials, *case.materials]:
        assert m.name.replace("&", "&amp;") in page.text
    if matter.where.online_url:
        assert "<svg" in page.text
    assert clerk.get("/clerk/notice/NO-SUCH").status_code == 404


def test_a_clerk_answer_to_a_handoff_reaches_the_inbox(clerk, db_url):
    engine = connect(db_url)
    hid = open_handoff(engine, key="h-1", sender="web:abc123",
                       history=[{"who": "user", "text": "我的电话13812345678，转人工"}, {"who": "bot", "text": "正在转接"}])  # fmt: skip
    queue = clerk.get("/clerk/handoffs")
    assert "转人工" in queue.text and "138****5678" in queue.text and "13812345678" not in queue.text
    token = csrf_of(clerk, "/clerk/handoffs")
    assert clerk.post(f"/clerk/handoffs/{hid}/take", data={"csrf": token}, follow_redirects=False).status_code == 303
    r = clerk.post(f"/clerk/handoffs/{hid}/answer", data={"csrf": token, "text": "您好，请带身份证到3号窗口"})
    assert r.status_code == 200 and "回复已发送" in r.text
    inbox = clerk.get("/api/inbox/web:abc123", params={"after": 0}).json()
    assert [m["text"] for m in inbox["messages"]] == ["您好，请带身份证到3号窗口"]
    last = inbox["messages"][0]["id"]
    assert clerk.get("/api/inbox/web:abc123", params={"after": last}).json()["messages"] == []
    assert clerk.get("/api/inbox/web:other").json()["messages"] == []
    assert clerk.get("/api/inbox/bad%20sender").status_code == 422
    # a WeChat follower's replies go out through WeChat's API: no one reads them by naming the openid
    assert clerk.get("/api/inbox/wechat:oVictim123").status_code == 404
    assert clerk.post(f"/clerk/handoffs/{hid}/close", data={"csrf": token}, follow_redirects=False).status_code == 303


def test_ticket_create_assign_answer_close_with_audit(clerk, db_url):
    token = csrf_of(clerk, "/clerk/tickets/new")
    nonce = re.search(r'name="nonce" value="([0-9a-f]+)"', clerk.get("/clerk/tickets/new").text).group(1)
    form = {"csrf": token, "nonce": nonce, "category": "report_cannot_get_done", "detail": "两个窗口都说不归他们管",
            "contact": "13900001111", "complexity": "simple"}  # fmt: skip
    first = clerk.post("/clerk/tickets", data=form, follow_redirects=False)
    again = clerk.post("/clerk/tickets", data=form, follow_redirects=False)  # a double click
    assert first.status_code == 303 and first.headers["location"] == again.headers["location"]
    ticket_id = int(re.search(r"/clerk/tickets/(\d+)", first.headers["location"]).group(1))
    listing = clerk.get("/clerk/tickets").text
    number = get_ticket(connect(db_url), ticket_id)["number"]
    assert f">{number}</a>" in listing and "13900001111" not in listing
    for step, data in (
        ("assign", {}),
        ("reply", {"answer": "已协调不动产登记中心受理"}),
        ("close", {"note": "群众满意"}),
    ):
        r = clerk.post(f"/clerk/tickets/{ticket_id}/{step}", data={"csrf": token, **data}, follow_redirects=False)
        assert r.status_code == 303, step
    engine = connect(db_url)
    assert get_ticket(engine, ticket_id)["status"] == "closed"
    assert [a["action"] for a in audit_trail(engine, ticket_id)] == ["created", "assigned", "answered", "closed"]
    assert all(a["actor"] in (USER,) for a in audit_trail(engine, ticket_id))
    detail = clerk.get(f"/clerk/tickets/{ticket_id}").text
    assert "处理记录" in detail and "已协调不动产登记中心受理" in detail
    late = clerk.post(f"/clerk/tickets/{ticket_id}/assign", data={"csrf": token}, follow_redirects=False)
    assert late.status_code == 409


def test_api_tickets_need_a_key_and_are_idempotent(app_client):
    body = {"detail": "网上申请一直提交失败", "contact": "13700002222", "key": "city-sys-42"}
    assert app_client.post("/api/tickets", json=body).status_code == 401
    a = app_client.post("/api/tickets", json=body, headers={"X-API-Key": KEY})
    b = app_client.post("/api/tickets", json=body, headers={"X-API-Key": KEY})
    assert a.status_code == 201 and a.json()["id"] == b.json()["id"] and a.json()["status"] == "new"
    assert a.json()["number"].startswith("BC") and a.json()["number"] == b.json()["number"]
    bad = app_client.post("/api/tickets", json={"detail": ""}, headers={"X-API-Key": KEY})
    assert bad.status_code == 422


def test_attaching_a_gap_as_an_alias_takes_effect_without_restart(clerk, app_client, db_url):
    engine = connect(db_url)
    target = app_client.app.state.live.current().catalog.matters[3]
    question = "蓝鲸小卡片怎么弄"
    for i in range(2):
        record_question(engine, key=f"q-{i}", text=question, sender=f"web:u{i}")
    before = overlay_version(engine)
    gaps_page = clerk.get("/clerk/gaps")
    assert question in gaps_page.text and "2 次" in gaps_page.text
    token = CSRF.search(gaps_page.text).group(1)
    group = top_gaps(engine)[0]["group_key"]
    r = clerk.post("/clerk/gaps/alias", data={"csrf": token, "group": group, "matter_id": target.id, "alias": question})
    assert r.status_code == 200 and "已生效" in r.text
    assert overlay_version(engine) > before
    assert top_gaps(engine) == []
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = app_client.get("/api/matters", params={"q": question}).json()["matters"]
        if found and found[0]["id"] == target.id:
            break
        time.sleep(0.3)
    assert found[0]["id"] == target.id


def test_marking_a_gap_as_referral(clerk, db_url):
    engine = connect(db_url)
    record_question(engine, key="q-ref", text="小区停车位被占了怎么办", sender="web:r")
    token = csrf_of(clerk, "/clerk/gaps")
    group = top_gaps(engine)[0]["group_key"]
    r = clerk.post("/clerk/gaps/referral", data={"csrf": token, "group": group})
    assert r.status_code == 200 and "已标记为转介" in r.text and top_gaps(engine) == []


def test_dashboard_renders_charts_from_seeded_records(clerk, db_url):
    seed(connect(db_url))
    r = clerk.get("/clerk/dashboard")
    assert r.status_code == 200
    assert r.text.count("<svg") >= 5 and "解决率" in r.text and "满意率" in r.text and "逾期工单" in r.text
    assert "/clerk/export/tickets.csv" in r.text


def test_csv_exports_are_masked(clerk, db_url):
    seed(connect(db_url))
    r = clerk.get("/clerk/export/tickets.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows and all(not re.search(r"1[3-9]\d{9}", row["contact"]) for row in rows)
    assert all("demo" not in row["sender"] for row in rows)
    clerks_csv = clerk.get("/clerk/export/clerks.csv").text
    assert "password" not in clerks_csv and "scrypt" not in clerks_csv
    assert clerk.get("/clerk/export/nope.csv").status_code == 404


def test_rating_page_submitted_twice_is_one_rating(app_client, db_url):
    form = app_client.get("/rate", params={"window": "Z01"})
    assert form.status_code == 200 and "非常满意" in form.text and "非常不满意" in form.text
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text).group(1)
    data = {"nonce": nonce, "level": "1", "reason": "等了很久，电话13812345678"}
    first = app_client.post("/rate", data=data)
    second = app_client.post("/rate", data=data)
    assert first.status_code == 200 and second.status_code == 200 and "感谢" in first.text
    calls = list_callbacks(connect(db_url))
    assert len(calls) == 1 and calls[0]["channel"] == "hall" and "13812345678" not in calls[0]["reason"]
    assert app_client.post("/rate", data={**data, "nonce": "forged"}).status_code == 400
    assert app_client.post("/rate", data={"nonce": nonce}).status_code == 422


def test_qr_code_of_the_rating_page(clerk):
    page = clerk.get("/clerk/qr", params={"window": "Z01"})
    assert page.status_code == 200 and "<svg" in page.text and "/rate?window=Z01" in page.text
    svg = clerk.get("/clerk/qr.svg", params={"window": "Z01"})
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "xmlns" in svg.text
    assert clerk.get("/clerk/qr", params={"window": "<b>"}).status_code == 400


def test_assets_and_security_headers(app_client, clerk):
    assert app_client.get("/clerk/static/clerk.css").status_code == 200
    assert app_client.get("/clerk/static/../main.py").status_code == 404
    r = clerk.get("/clerk")
    assert "script-src 'self'" in r.headers["content-security-policy"] and r.headers["cache-control"] == "no-store"
