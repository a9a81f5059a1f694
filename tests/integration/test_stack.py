"""The whole single-node stack, as `make run` starts it (scripts/stack.py), on free ports:
real redis-server, real action server, real Rasa server, real gateway, real HTTP."""

from __future__ import annotations

import json
import re
import signal
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, StartError, free_port  # noqa: E402
from tests.integration.support import _request, chat, port_open  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup` first"
)


def test_healthz_reports_every_part(stack):
    base, _, _ = stack
    status, body = _request(f"{base}/healthz")
    assert status == 200, body
    assert set(body["parts"]) == {"gateway", "redis", "rasa", "actions", "catalog", "semantic"}
    assert all(part["ok"] for part in body["parts"].values())
    assert body["parts"]["catalog"]["matters"] >= 150
    assert "path" not in body["parts"]["catalog"]  # where the catalog lives is not for the public


def test_catalog_question_is_answered_end_to_end(stack):
    base, _, _ = stack
    status, body = chat(base, "it-card", "身份证丢了怎么补办")
    assert status == 200
    text = "\n".join(r["text"] for r in body["replies"])
    assert "身份证" in text and "材料" in text and "12345" in text


def test_follow_up_remembers_the_matter(stack):
    base, _, _ = stack
    chat(base, "it-follow", "护照过期了要带什么")
    status, body = chat(base, "it-follow", "那要多少钱？")
    assert status == 200
    text = body["replies"][0]["text"]
    assert "护照" in text and "收费" in text


def test_case_question_comes_with_buttons_that_work(stack):
    base, _, _ = stack
    _, body = chat(base, "it-case", "我要换领身份证")
    for _ in range(2):  # a choice of matters, then of 情形: press the first button each time
        # (the choice's buttons; a card's own — 全部办理地点 … — ask about the card)
        buttons = [b for r in body["replies"] for b in r.get("buttons", []) if b["payload"].startswith("/choose")]
        if not buttons:
            break
        _, body = chat(base, "it-case", buttons[0]["payload"])
    assert "需要准备的材料" in body["replies"][0]["text"]


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        (b"{not json", 422),
        (json.dumps({"sender": "x"}).encode(), 422),
        (json.dumps({"sender": "", "message": "hi"}).encode(), 422),
        (json.dumps({"sender": "a b<script>", "message": "hi"}).encode(), 422),
    ],
)
def test_malformed_requests_get_a_clear_status(stack, payload, status):
    base, _, _ = stack
    got, body = _request(f"{base}/api/chat", payload)
    assert got == status
    assert "detail" in body


@pytest.mark.parametrize(
    "message", ["", "   ", "办" * 20000, "😀😀😀", "<script>alert(1)</script>", "110101199003071234"]
)
def test_odd_messages_get_a_reply_not_an_error(stack, message):
    base, _, _ = stack
    status, body = chat(base, "it-odd", message)
    assert status == 200
    assert body["replies"] and all(r["text"] for r in body["replies"])


def test_progress_lookup_asks_for_the_number_then_answers(stack):
    base, _, _ = stack
    _, first = chat(base, "it-progress", "我的申请办到哪一步了")
    assert "受理编号" in first["replies"][0]["text"]
    _, second = chat(base, "it-progress", "SL2026110002")
    assert "已办结" in second["replies"][0]["text"]


def test_cannot_get_done_is_taken_with_a_deadline(stack):
    base, _, _ = stack
    chat(base, "it-ticket", "跑了三趟了还是办不成，几个部门互相推")
    chat(base, "it-ticket", "办食品经营许可，窗口让先办消防，消防让先办许可")
    _, done = chat(base, "it-ticket", "13812345678")
    assert "工作日" in done["replies"][0]["text"]
    number = re.search(r"工单编号 ([A-Z0-9]{14})", done["replies"][0]["text"]).group(1)
    _, progress = chat(base, "it-ticket-later", f"查询进度 {number}")  # another day, another conversation
    assert number in progress["replies"][0]["text"] and "已受理" in progress["replies"][0]["text"]


def test_stored_state_survives_in_redis_between_turns(stack):
    """Two turns of one conversation: the gateway keeps nothing, Rasa's tracker is in Redis."""
    base, ports, _ = stack
    import redis

    chat(base, "it-redis", "护照过期了要带什么")
    keys = redis.Redis(port=ports["REDIS_PORT"]).keys("shouwen*")
    assert any(b"it-redis" in k for k in keys), keys


def test_personal_data_is_masked_in_the_stored_transcript(stack):
    base, ports, _ = stack
    import redis

    chat(base, "it-pii", "我的身份证号110101199003071234，电话13812345678，社保卡丢了")
    stored = b"".join(
        redis.Redis(port=ports["REDIS_PORT"]).get(k) or b""
        for k in redis.Redis(port=ports["REDIS_PORT"]).keys("shouwen*it-pii*")
    )
    assert stored
    text = stored.decode()
    assert "110101199003071234" not in text and "13812345678" not in text
    assert "138****5678" in text


@pytest.mark.stops_stack
def test_ctrl_c_stops_every_part(stack):
    _, ports, proc = stack
    proc.send_signal(signal.SIGINT)
    proc.wait(60)
    assert proc.returncode == 0
    time.sleep(1)
    assert not any(port_open(p) for p in ports.values()), ports


def test_a_part_that_cannot_start_is_named(tmp_path):
    stack = Stack(
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        redis_port=free_port(),
        model=tmp_path / "missing.tar.gz",
        run_dir=tmp_path,
    )
    with pytest.raises(StartError, match="rasa: no trained model"):
        stack.start()


def test_a_repeated_turn_id_is_answered_once(stack):
    """A client retrying after a network error repeats its turn id: same answer, one turn in Rasa."""
    body = json.dumps({"sender": "api:it-repeat", "message": "护照过期了怎么换", "turn_id": "turn-abc-123"}).encode()
    first = _request(f"{stack.base}/api/chat", body)
    again = _request(f"{stack.base}/api/chat", body)
    assert first[0] == again[0] == 200 and first[1] == again[1]
    tracker_url = f"http://127.0.0.1:{stack.ports['RASA_PORT']}/conversations/api:it-repeat/tracker"
    with urllib.request.urlopen(tracker_url, timeout=30) as resp:
        events = json.loads(resp.read())["events"]
    assert [e["text"] for e in events if e.get("event") == "user"] == ["护照过期了怎么换"]


def _listening(port: int) -> set[str]:
    """The local addresses a TCP socket listens on at `port` (from /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_rasa_the_action_server_and_redis_listen_on_loopback_only(stack):
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    for port in (stack.ports["RASA_PORT"], stack.ports["ACTION_PORT"], stack.ports["REDIS_PORT"]):
        addresses = _listening(port)
        assert addresses and addresses <= loopback, (port, addresses)
