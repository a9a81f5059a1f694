"""A realistic demo for the dashboard: `python -m shouwen_records.seed [URL]` fills the records
database (default DATABASE_URL) with four weeks of turns across the channels, tickets in every
status (some overdue), ratings with their call-backs, groups of unanswered questions and a
hand-off, then prints the record counts. Keys are fixed, so seeding twice adds nothing."""

from __future__ import annotations

import datetime as dt
import random
import sys

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from . import gaps, handoffs, ratings, tickets, turns
from .db import connect, database_url, ensure_schema, now
from .ids import CHANNELS
from .schema import TABLES

__all__ = ["counts", "seed"]

MATTERS = [
    ("MPS-ID-REISSUE", "居民身份证补领"), ("MPS-PASSPORT", "普通护照签发"), ("HRSS-SSC", "社会保障卡补换"),
    ("MR-BIZ-LICENSE", "个体工商户设立登记"), ("HOUSE-FUND", "住房公积金提取"), ("CIVIL-MARRIAGE", "结婚登记"),
]  # fmt: skip
GAPS = [
    "养狗要办什么证",
    "狗证在哪里办",
    "怎么办理养犬登记证",
    "电动车上牌在哪里",
    "电动自行车上牌要什么",
    "老年卡怎么办",
]
KINDS = ["card"] * 6 + ["case_choice", "follow_up", "referral", "matter_choice", "social"]


def seed(engine: Engine, days: int = 28, rng: random.Random | None = None) -> dict[str, int]:
    rng = rng or random.Random(7)
    ensure_schema(engine)
    start = now() - dt.timedelta(days=days)
    for n in range(days * 12):
        at = start + dt.timedelta(days=n // 12, hours=8 + rng.randrange(10), minutes=rng.randrange(60))
        sender = f"{rng.choice(CHANNELS)}:demo{n // 2}"
        kind = rng.choice(KINDS)
        matter = rng.choice(MATTERS) if kind in ("card", "case_choice", "follow_up") else ("", "")
        turns.record_turn(engine, key=f"seed-turn-{n}", sender=sender, act="ask_materials", kind=kind,
                          matter_id=matter[0], matter_name=matter[1], unanswered=kind == "referral", at=at)  # fmt: skip
        if kind == "referral":
            text = GAPS[n % len(GAPS)]
            gaps.record_question(engine, key=f"seed-q-{n}", text=text, sender=sender, at=at,
                                 candidates=[{"id": MATTERS[0][0], "name": MATTERS[0][1], "score": 0.21}])  # fmt: skip
        if n % 9 == 0:
            level = (5, 5, 4, 4, 3, 2, 1)[n % 7]
            ratings.add_rating(engine, key=f"seed-r-{n}", sender=sender, rating=level, matter_id=matter[0], at=at)
    for i, status in enumerate(["new", "new", "assigned", "assigned", "answered", "closed", "new"]):
        at = start + dt.timedelta(days=3 * i, hours=9)
        ticket_id = tickets.create_ticket(
            engine, key=f"seed-t-{i}", category="report_cannot_get_done", detail="窗口互相推诿，跑了三趟",
            contact=f"1380000{i:04d}", sender=f"web:demo-t{i}", matter_id=MATTERS[i % 6][0],
            matter_name=MATTERS[i % 6][1], complexity="complex" if i % 3 == 0 else "simple", at=at,
        )  # fmt: skip
        if tickets.audit_trail(engine, ticket_id)[-1]["action"] != "created":
            continue  # seeded before
        if status in ("assigned", "answered", "closed"):
            tickets.assign(engine, ticket_id, "zhang", "lead")
        if status in ("answered", "closed"):
            tickets.reply(engine, ticket_id, "已协调两个部门并联办理", "zhang")
        if status == "closed":
            tickets.close(engine, ticket_id, "zhang")
    handoffs.open_handoff(engine, key="seed-h-1", sender="wechat:demo-h1", at=now() - dt.timedelta(minutes=5),
                          history=[{"who": "user", "text": "我要找人工"}, {"who": "bot", "text": "正在为您转接"}])  # fmt: skip
    return counts(engine)


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar() or 0)
            for name, t in TABLES.items()
        }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    engine = connect(args[0] if args else database_url())
    for name, n in seed(engine).items():
        print(f"{name:18s} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
