"""Unanswered and low-confidence questions: what the catalog does not cover yet.

Each question is stored masked, with the linker's candidates and a group key: the normalised
text of the first question it resembles (character-bigram Jaccard ≥ GROUP_SIMILARITY among
the open groups), so that staff see the most asked gaps first. One step then closes a gap:

    attach_alias(group or question, matter, alias) → alias_overlay row (+1 version), questions "aliased"
    mark_referral(group or question)               → questions "referral" (answered by a referral)

The linker reloads `overlay_aliases()` when `overlay_version()` changes: no retraining, no restart.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shouwen_core.pii import mask
from shouwen_core.text import bigrams, han_only, normalize

from .db import as_datetime, connect, database_url, insert_once, now
from .ids import channel_of, conversation_of
from .schema import alias_overlay, questions

__all__ = [
    "attach_alias",
    "group_key_for",
    "mark_referral",
    "overlay_aliases",
    "overlay_source",
    "overlay_version",
    "record_question",
    "top_gaps",
]

GROUP_SIMILARITY = 0.5
# Open groups compared with a new question (the most recent ones: old gaps are rarely re-asked).
GROUPS_COMPARED = 500
# How many of the newest open questions are read to find those groups.
RECENT_ROWS = 4 * GROUPS_COMPARED
KEY_CHARS = 200


def _jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


@functools.lru_cache(maxsize=4 * GROUPS_COMPARED)
def _key_grams(key: str) -> frozenset[str]:
    return frozenset(bigrams(key))


def group_key_for(conn: Connection, text: str) -> str:
    """The key of the open group this question resembles, or its own normalised text.

    Both look-ups read only the newest rows (by key index, then by primary key): the cost of a
    question does not grow with the number of questions stored."""
    norm = normalize(text)
    own = han_only(norm)[:KEY_CHARS] or norm[:KEY_CHARS]
    open_rows = sa.select(questions.c.group_key).where(questions.c.status == "open")
    if conn.execute(open_rows.where(questions.c.group_key == own).limit(1)).first() is not None:
        return own
    recent = conn.execute(open_rows.order_by(questions.c.id.desc()).limit(RECENT_ROWS)).scalars()
    grams = set(bigrams(norm))
    best, best_score = own, 0.0
    for key in list(dict.fromkeys(recent))[:GROUPS_COMPARED]:
        score = _jaccard(grams, _key_grams(key))
        if score >= GROUP_SIMILARITY and score > best_score:
            best, best_score = key, score
    return best


def record_question(
    engine: Engine,
    *,
    key: str,
    text: str,
    sender: str = "",
    candidates: Sequence[dict[str, Any]] = (),
    at: str | dt.datetime | None = None,
) -> int:
    """Store a question the catalog did not answer (idempotent on `key`); the text is masked."""
    masked = mask(text)[:2000]
    with engine.connect() as conn:
        group = group_key_for(conn, masked)
    values = {
        "key": key,
        "text": masked,
        "group_key": group,
        "candidates": [
            {"id": str(c.get("id", "")), "name": str(c.get("name", "")), "score": round(float(c.get("score", 0)), 3)}
            for c in candidates
        ],
        "conversation": conversation_of(sender) if sender else "",
        "channel": channel_of(sender),
        "status": "open",
        "at": as_datetime(at),
    }
    return insert_once(engine, questions, values)


def top_gaps(engine: Engine, *, status: str = "open", limit: int = 20) -> list[dict[str, Any]]:
    """Groups of questions, most asked first: count, latest example, ids, best candidates."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(questions).where(questions.c.status == status).order_by(questions.c.id.desc()).limit(10_000)
        ).all()
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        g = groups.setdefault(
            r.group_key,
            {"group_key": r.group_key, "count": 0, "example": r.text, "ids": [], "channels": set(),
             "last_at": r.at, "first_at": r.at, "candidates": {}},
        )  # fmt: skip
        g["count"] += 1
        g["ids"].append(r.id)
        g["first_at"] = r.at
        if r.channel:
            g["channels"].add(r.channel)
        for c in r.candidates or []:
            best = g["candidates"].get(c["id"])
            if best is None or c["score"] > best["score"]:
                g["candidates"][c["id"]] = c
    out = sorted(groups.values(), key=lambda g: (-g["count"], -g["ids"][0]))[:limit]
    for g in out:
        g["channels"] = sorted(g["channels"])
        g["candidates"] = sorted(g["candidates"].values(), key=lambda c: -c["score"])[:5]
    return out


def _target(target: int | str) -> Any:
    """A question id or a group key → the questions it covers."""
    return questions.c.id == target if isinstance(target, int) else questions.c.group_key == target


def attach_alias(engine: Engine, target: int | str, matter_id: str, alias: str | None, actor: str) -> int:
    """Make `alias` (default: the question's normalised text) an alias of the matter, mark the
    question or whole group "aliased", and return the new overlay version."""
    at = now()
    with engine.begin() as conn:
        first = conn.execute(sa.select(questions).where(_target(target)).order_by(questions.c.id)).first()
        if first is None:
            raise ValueError(f"no question {target!r}")
        alias = normalize(mask(alias or first.text)).strip()[:KEY_CHARS]
        if not alias:
            raise ValueError("the alias is empty")
        exists = conn.execute(
            sa.select(alias_overlay.c.id).where(alias_overlay.c.matter_id == matter_id, alias_overlay.c.alias == alias)
        ).first()
        if exists is None:
            conn.execute(
                alias_overlay.insert().values(
                    matter_id=matter_id, alias=alias, group_key=first.group_key, actor=actor, at=at
                )
            )
        conn.execute(
            questions.update().where(_target(target)).values(status="aliased", matter_id=matter_id, resolved_by=actor)
        )
    return overlay_version(engine)


def mark_referral(engine: Engine, target: int | str, actor: str) -> int:
    """The question (or group) is answered by a referral, not a matter; returns how many rows."""
    with engine.begin() as conn:
        done = conn.execute(questions.update().where(_target(target)).values(status="referral", resolved_by=actor))
        return int(done.rowcount)


def overlay_version(engine: Engine) -> int:
    """Grows with every alias added (rows are never removed): the linker reloads when it changes."""
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(alias_overlay.c.id), 0))).scalar() or 0)


def overlay_aliases(engine: Engine) -> dict[str, list[str]]:
    """matter id → aliases staff added, oldest first."""
    out: dict[str, list[str]] = {}
    with engine.connect() as conn:
        for matter_id, alias in conn.execute(
            sa.select(alias_overlay.c.matter_id, alias_overlay.c.alias).order_by(alias_overlay.c.id)
        ):
            out.setdefault(matter_id, []).append(alias)
    return out


def overlay_source(url: str | None = None) -> Callable[[], tuple[int, dict[str, list[str]]]]:
    """The overlay as shouwen_core.live.LiveCatalog polls it: a callable returning (version,
    {matter_id: aliases}). The aliases are read again only when the version moved; a database
    without the tables yet (a fresh install, `rasa train`) is an empty overlay, version 0."""
    url = url or database_url()
    cache: dict[int, dict[str, list[str]]] = {}

    def read() -> tuple[int, dict[str, list[str]]]:
        engine = connect(url)
        if not sa.inspect(engine).has_table(alias_overlay.name):
            return 0, {}
        version = overlay_version(engine)
        if version not in cache:
            cache.clear()
            cache[version] = overlay_aliases(engine)
        return version, cache[version]

    return read
