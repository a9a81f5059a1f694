"""Scale-out with real processes: two Rasa servers (each with its action server) and two gateways
sharing one redis-server and one records database, behind the round-robin front (scripts/front.py),
as `RASA_WORKERS=2 GATEWAYS=2 make run` starts them.

1. One conversation served alternately by both gateways (and so by both Rasa servers) loses no turn.
2. Conversations keep going while one Rasa server and one gateway are killed mid-conversation:
   every turn is answered, none is lost or repeated, and no ticket is lost.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import Stack, free_port  # noqa: E402
from shouwen_records.schema import tickets  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup` first"
)


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("scaled")
    saved = dict(os.environ)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{run_dir / 'records.sqlite'}",
        SHOUWEN_PROGRESS_DB=str(run_dir / "progress.sqlite"),
        SHOUWEN_RUN_DIR=str(run_dir),
        RATE_PER_SENDER="0",
        RATE_PER_IP="0",
    )
    stack = Stack(
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        redis_port=free_port(),
        run_dir=run_dir,
        rasa_workers=2,
        gateways=2,
    )
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        os.environ.clear()
        os.environ.update(saved)


def post(url: str, body: dict, timeout: float = 60) -> dict:
    req = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.loads(resp.read())


def say(base: str, sender: str, message: str, attempts: int = 6) -> dict:
    """What a client does: one turn id per message, repeated on a network error or a 503."""
    body = {"sender": sender, "message": message, "turn_id": uuid.uuid4().hex}
    for attempt in range(attempts):
        try:
            return post(f"{base}/api/chat", body)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5 * (attempt + 1))
    raise AssertionError(f"{sender}: {message!r} got no answer after {attempts} attempts")


def user_turns(stack: Stack, sender: str) -> list[str]:
    url = f"http://127.0.0.1:{stack.rasa_ports[-1]}/conversations/{sender}/tracker"
    with urllib.request.urlopen(url, timeout=30) as resp:
        events = json.loads(resp.read())["events"]
    return [e.get("text") for e in events if e.get("event") == "user"]


def text_of(answer: dict) -> str:
    return "\n".join(r["text"] for r in answer["replies"])


def test_both_gateways_serve_one_conversation_alternately(scaled):
    gws = [f"http://127.0.0.1:{p}" for p in scaled.gateway_ports]
    sender = "api:alternate"
    first = say(gws[0], sender, "护照过期了怎么换")
    assert "护照" in text_of(first)
    follow = say(gws[1], sender, "要多久")
    assert "工作日" in text_of(follow) or "日" in text_of(follow)
    fee = say(gws[0], sender, "多少钱")
    assert "元" in text_of(fee) or "免费" in text_of(fee) or "收费" in text_of(fee)
    assert user_turns(scaled, sender) == ["护照过期了怎么换", "要多久", "多少钱"]


def test_a_clerk_signed_in_on_one_gateway_is_signed_in_on_the_other(scaled):
    import httpx

    from shouwen_records import connect
    from shouwen_records.clerks import create_clerk

    create_clerk(connect(os.environ["DATABASE_URL"]), "scale-clerk", "scale-password-123")
    first, second = (f"http://127.0.0.1:{p}" for p in scaled.gateway_ports)
    with httpx.Client(base_url=first, timeout=30) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/clerk/login").text)
        data = {"username": "scale-clerk", "password": "scale-password-123", "csrf": csrf.group(1) if csrf else ""}
        client.post("/clerk/login", data={**data, "next": "/clerk"})
        cookie = client.cookies.get("shouwen_clerk")
    assert cookie, "login failed on the first gateway"
    panel = httpx.get(f"{second}/clerk", cookies={"shouwen_clerk": cookie}, timeout=30)
    assert panel.status_code == 200 and "/clerk/login" not in str(panel.url)
    assert 'action="/clerk/login"' not in panel.text


def test_killing_a_rasa_server_and_a_gateway_loses_and_repeats_no_turn(scaled):
    base = scaled.url
    script = ["身份证丢了怎么补办", "要多久", "在哪办", "多少钱", "社保卡丢了咋办", "能网上办吗"]
    senders = [f"api:kill-{i}" for i in range(6)]
    answers: dict[str, list[dict]] = {s: [] for s in senders}
    halfway = threading.Barrier(len(senders) + 1)
    errors: list[BaseException] = []

    def converse(sender: str) -> None:
        try:
            for i, message in enumerate(script):
                if i == 2:
                    halfway.wait(120)
                answers[sender].append(say(base, sender, message))
        except BaseException as exc:  # reported below with the sender
            errors.append(exc)

    threads = [threading.Thread(target=converse, args=(s,)) for s in senders]
    for t in threads:
        t.start()
    halfway.wait(120)
    scaled.kill("rasa-1")
    scaled.kill("gateway-1")
    # A complaint during the outage: the ticket must be stored once.
    ticket_sender = "api:kill-ticket"
    for message in ("跑了三趟了还是办不成", "办营业执照窗口让我回去等，等了一个月没消息", "13900001111"):
        say(base, ticket_sender, message)
    for t in threads:
        t.join(300)
    assert not errors, errors
    for sender in senders:
        assert len(answers[sender]) == len(script), sender
        assert all(a["replies"] and a["replies"][0]["text"] for a in answers[sender]), sender
        assert user_turns(scaled, sender) == script, sender
    engine = sa.create_engine(os.environ["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            stored = conn.execute(sa.select(tickets).where(tickets.c.sender == ticket_sender)).fetchall()
    finally:
        engine.dispose()
    assert len(stored) == 1
