"""The catalog REST API on the real gateway app with a real redis-server: search, detail, reload
(API key), rate limits and CORS."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from connectors.main import create_app
from connectors.settings import Settings
from tests.conftest import SAMPLE

KEY = "k-test-123"


@pytest.fixture
def catalog_copy(tmp_path, monkeypatch):
    path = tmp_path / "catalog"
    shutil.copytree(SAMPLE, path)
    monkeypatch.setenv("SHOUWEN_CATALOG", str(path))
    monkeypatch.setenv("SHOUWEN_RELOAD_CHECK", "3600")
    return path


def client(redis_url: str, **overrides) -> TestClient:
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # each test counts its own requests
    settings = Settings(redis_url=redis_url, api_keys=(KEY,), **overrides)
    return TestClient(create_app(settings))


def test_search_ranks_the_matter_a_person_means(redis_url, catalog_copy):
    with client(redis_url) as c:
        r = c.get("/api/matters", params={"q": "护照过期了怎么换"})
    assert r.status_code == 200
    body = r.json()
    assert body["matters"] and "护照" in body["matters"][0]["name"]
    assert body["matters"] == sorted(body["matters"], key=lambda m: -m["score"])
    assert len(body["matters"]) <= 5


def test_detail_gives_the_card_and_unknown_ids_a_clear_404(redis_url, catalog_copy):
    with client(redis_url) as c:
        top = c.get("/api/matters", params={"q": "身份证丢了"}).json()["matters"][0]
        r = c.get(f"/api/matters/{top['id']}")
        missing = c.get("/api/matters/NO-SUCH-ID")
        bad_case = c.get(f"/api/matters/{top['id']}", params={"case": "nope"})
    assert r.status_code == 200
    assert r.json()["matter"]["id"] == top["id"]
    assert any("材料" in part for part in r.json()["card"])
    assert missing.status_code == 404 and "NO-SUCH-ID" in missing.json()["detail"]
    assert bad_case.status_code == 404


def test_reload_needs_a_key_and_picks_up_a_changed_catalog(redis_url, catalog_copy):
    matters_file = next(catalog_copy.glob("matters/*.json"))
    data = json.loads(matters_file.read_text(encoding="utf-8"))
    first = data[0]
    first["aliases"] = [*first.get("aliases", []), "蓝鲸卡片"]
    with client(redis_url) as c:
        before = c.get("/api/matters", params={"q": "蓝鲸卡片"}).json()["matters"]
        assert not before or before[0]["id"] != first["id"] or before[0]["score"] < 0.5
        matters_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert c.post("/api/catalog/reload").status_code == 401
        assert c.post("/api/catalog/reload", headers={"X-API-Key": "wrong"}).status_code == 401
        r = c.post("/api/catalog/reload", headers={"X-API-Key": KEY})
        assert r.status_code == 200 and r.json()["matters"] >= 150
        after = c.get("/api/matters", params={"q": "蓝鲸卡片"}).json()["matters"]
    assert after[0]["id"] == first["id"]


def test_a_broken_catalog_is_refused_and_the_old_one_keeps_serving(redis_url, catalog_copy):
    with client(redis_url) as c:
        next(catalog_copy.glob("matters/*.json")).write_text("{not json", encoding="utf-8")
        r = c.post("/api/catalog/reload", headers={"X-API-Key": KEY})
        assert r.status_code == 400 and "loaded one stays" in r.json()["detail"]
        assert c.get("/api/matters", params={"q": "护照过期"}).json()["matters"]


def test_rate_limit_per_address_answers_429_with_a_pointer(redis_url, catalog_copy):
    with client(redis_url, rate_per_ip=3) as c:
        codes = [c.get("/api/matters", params={"q": "社保卡"}).status_code for _ in range(5)]
        keyed = c.get("/api/matters", params={"q": "社保卡"}, headers={"X-API-Key": KEY})
        limited = c.get("/api/matters", params={"q": "社保卡"})
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    assert keyed.status_code == 200  # a machine client with a key is not held to the per-address limit
    assert "12345" in limited.json()["detail"] and int(limited.headers["retry-after"]) > 0


def test_chat_is_limited_per_sender(redis_url, catalog_copy):
    with client(redis_url, rate_per_sender=2, rate_per_ip=0, rasa_url="http://127.0.0.1:9", rasa_timeout=0.5) as c:
        codes = [c.post("/api/chat", json={"sender": "web:abc", "message": "你好"}).status_code for _ in range(3)]
        other = c.post("/api/chat", json={"sender": "web:xyz", "message": "你好"})
    assert codes[2] == 429 and codes[0] != 429
    assert other.status_code != 429


def test_cors_allows_only_configured_origins(redis_url, catalog_copy):
    with client(redis_url, cors_origins=("https://www.example.gov.cn",)) as c:
        ok = c.options(
            "/api/chat",
            headers={"Origin": "https://www.example.gov.cn", "Access-Control-Request-Method": "POST"},
        )
        other = c.options(
            "/api/chat", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
        )
    assert ok.headers.get("access-control-allow-origin") == "https://www.example.gov.cn"
    assert "access-control-allow-origin" not in other.headers


def test_a_body_over_the_cap_gets_413_declared_or_streamed(redis_url, catalog_copy):
    big = b'{"sender": "web:x", "message": "' + b"a" * 3000 + b'"}'
    with client(redis_url, max_body_bytes=2000) as c:
        declared = c.post("/api/chat", content=big, headers={"content-type": "application/json"})
        streamed = c.post(
            "/api/chat", content=iter([big[:1500], big[1500:]]), headers={"content-type": "application/json"}
        )
        wrong_type = c.post("/api/chat", content=b"sender=x", headers={"content-type": "text/plain"})
    assert declared.status_code == 413 and "2000" in declared.json()["detail"]
    assert streamed.status_code == 413
    assert wrong_type.status_code == 422
