"""The records a real conversation leaves: a 办不成事 ticket and a 转人工 hand-off, chatted through
the gateway, found in the stack's records database."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from shouwen_records.schema import handoffs, tickets, turns  # noqa: E402
from tests.integration.support import chat  # noqa: E402

pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup` first"
)


def rows(stack, table, **where):
    engine = sa.create_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            query = sa.select(table).where(*(table.c[k] == v for k, v in where.items()))
            return [dict(r._mapping) for r in conn.execute(query)]
    finally:
        engine.dispose()


def test_cannot_get_done_and_handoff_are_in_the_records_database(stack):
    chat(stack.base, "api:it-rec", "跑了三趟了还是办不成，几个部门互相推")
    chat(stack.base, "api:it-rec", "办食品经营许可，窗口让先办消防，消防让先办许可")
    chat(stack.base, "api:it-rec", "13812345678")
    chat(stack.base, "api:it-rec", "我要转人工")
    time.sleep(0.5)
    (ticket,) = rows(stack, tickets, sender="api:it-rec")
    assert ticket["status"] == "new" and ticket["contact"] == "13812345678" and ticket["channel"] == "api"
    assert ticket["due_date"] > ticket["created_at"].date()
    (handoff,) = rows(stack, handoffs, sender="api:it-rec")
    assert handoff["status"] == "waiting"
    said = [h["text"] for h in handoff["history"] if h["who"] == "user"]
    assert "我要转人工" in said and "13812345678" not in " ".join(said)
    assert len(rows(stack, turns, channel="api")) >= 4
