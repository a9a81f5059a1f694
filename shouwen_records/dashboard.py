"""The figures of the supervision dashboard (/clerk/dashboard), over the last `days` days.

A conversation is the turns of one sender id (hashed) within the window. It is resolved when its
last turn was a guidance card (or package / follow-up) or a referral and it had no hand-off.
Queries are plain SQL that SQLite and PostgreSQL both run; per-conversation figures are
computed here from the window's turns.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import today
from .ratings import LEVELS
from .schema import handoffs, ratings, tickets, turns
from .tickets import STATUSES

__all__ = ["RESOLVED_KINDS", "summary"]

RESOLVED_KINDS = ("card", "package", "follow_up", "referral")


def _since(days: int, on: dt.date) -> dt.datetime:
    return dt.datetime.combine(on - dt.timedelta(days=days - 1), dt.time())


def summary(engine: Engine, days: int = 30, on: dt.date | None = None) -> dict[str, Any]:
    """Every dashboard figure in one read:

    per_day        [{day, channel, conversations}]
    top_matters    [{matter_id, matter_name, turns}] (10)
    conversations, resolved, resolution_rate, turns, unanswered, unanswered_rate
    handoffs       {total, waiting, per_day: {day: n}}
    ratings        {label: n} for the five levels, best first
    tickets        {status: n}, overdue
    """
    on = on or today()
    since = _since(days, on)
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(turns.c.conversation, turns.c.channel, turns.c.kind, turns.c.matter_id, turns.c.matter_name,
                      turns.c.unanswered, turns.c.at)
            .where(turns.c.at >= since)
            .order_by(turns.c.at, turns.c.id)
        ).all()  # fmt: skip
        handed = conn.execute(
            sa.select(handoffs.c.conversation, handoffs.c.status, handoffs.c.created_at).where(
                handoffs.c.created_at >= since
            )
        ).all()
        rated: dict[int, int] = dict(
            conn.execute(
                sa.select(ratings.c.level, sa.func.count()).where(ratings.c.at >= since).group_by(ratings.c.level)
            ).all()
        )
        by_status: dict[str, int] = dict(
            conn.execute(sa.select(tickets.c.status, sa.func.count()).group_by(tickets.c.status)).all()
        )
        overdue = conn.execute(
            sa.select(sa.func.count()).where(tickets.c.status.in_(("new", "assigned")), tickets.c.due_date < on)
        ).scalar()

    per_day: dict[tuple[str, str], set[str]] = defaultdict(set)
    last_kind: dict[str, str] = {}
    matters: Counter[tuple[str, str]] = Counter()
    for r in rows:
        per_day[(r.at.date().isoformat(), r.channel or "other")].add(r.conversation)
        last_kind[r.conversation] = r.kind
        if r.matter_id:
            matters[(r.matter_id, r.matter_name)] += 1
    with_handoff = {h.conversation for h in handed}
    resolved = sum(1 for c, kind in last_kind.items() if kind in RESOLVED_KINDS and c not in with_handoff)
    unanswered = sum(1 for r in rows if r.unanswered)
    handoff_days = Counter(h.created_at.date().isoformat() for h in handed)
    return {
        "days": days,
        "since": since.date().isoformat(),
        "per_day": [
            {"day": day, "channel": channel, "conversations": len(c)} for (day, channel), c in sorted(per_day.items())
        ],
        "top_matters": [{"matter_id": m, "matter_name": name, "turns": n} for (m, name), n in matters.most_common(10)],
        "conversations": len(last_kind),
        "resolved": resolved,
        "resolution_rate": round(resolved / len(last_kind), 3) if last_kind else 0.0,
        "turns": len(rows),
        "unanswered": unanswered,
        "unanswered_rate": round(unanswered / len(rows), 3) if rows else 0.0,
        "handoffs": {
            "total": len(handed),
            "waiting": sum(1 for h in handed if h.status == "waiting"),
            "per_day": dict(sorted(handoff_days.items())),
        },
        "ratings": {label: int(rated.get(level, 0)) for label, level in LEVELS.items()},
        "tickets": {s: int(by_status.get(s, 0)) for s in STATUSES},
        "overdue": int(overdue or 0),
    }
