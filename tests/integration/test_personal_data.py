"""Personal data never rests in clear: each written form of a phone or an ID number, sent through
/api/chat, is found masked (or not at all) in everything the stack writes — Redis's transcript and
its append-only file, the records database and its WAL, every part's log."""

from __future__ import annotations

import json
import time
from pathlib import Path

import redis

from tests.integration.support import chat

FORMS = [
    "13812345678",
    "+86 138 1234 5678",
    "+86-138-1234-5678",
    "138-1234-5678",
    "137-1357-2468",
    "137 1357 2468",
    "１３８１２３４５６７８",
    "020-83456789",
    "(020)83456789",
    "110101199003071234",
    "110101 19900307 7777",
    "11010519491231002X",
]


def written(run_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in run_dir.rglob("*") if p.is_file())


def spellings(form: str) -> list[bytes]:
    """The form as UTF-8 and as JSON writes it (full-width digits escaped)."""
    return [form.encode(), json.dumps(form)[1:-1].encode()]


def test_each_form_of_a_phone_or_id_number_rests_masked(stack):
    for i, form in enumerate(FORMS):
        chat(stack.base, f"it-pii-form-{i}", f"我的号码是{form}，社保卡丢了怎么补办")
        chat(stack.base, f"it-pii-form-{i}", f"{form}这个号码帮我记一下")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # records are written in the background, the AOF every second
        data = written(stack.run_dir)
        if "帮我记一下".encode() in data:
            break
        time.sleep(1)
    time.sleep(2)
    data = written(stack.run_dir)
    stored = b"".join(
        redis.Redis(port=stack.ports["REDIS_PORT"]).get(k) or b""
        for k in redis.Redis(port=stack.ports["REDIS_PORT"]).keys("shouwen*it-pii-form-*")
    )
    assert "帮我记一下".encode() in data and stored
    leaked = [form for form in FORMS if any(s in data or s in stored for s in spellings(form))]
    assert leaked == []
