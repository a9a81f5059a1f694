"""Records: what a conversation writes (tickets, ratings, questions, hand-offs, turns), never lost.

    submit(kind, **values) ─ database ok?  ─ yes → row (a key already stored → the same row)
                                           │       then replay what the outbox kept
                                           └ no  → outbox (fsync'd), replayed later

The action server keeps one Records per process; `replay()` also runs at startup
(`python -m shouwen_records.migrate`) and from `./shouwen records migrate`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import connect, database_url, ensure_schema, now, run_dir
from .gaps import record_question
from .handoffs import open_handoff
from .outbox import Outbox, Unavailable
from .ratings import add_rating
from .tickets import create_ticket
from .turns import record_turn

__all__ = ["WRITERS", "Records"]

logger = logging.getLogger(__name__)

WRITERS: dict[str, Callable[..., int]] = {
    "ticket": create_ticket,
    "rating": add_rating,
    "question": record_question,
    "handoff": open_handoff,
    "turn": record_turn,
}


class Records:
    def __init__(self, url: str | None = None, outbox_dir: Path | None = None) -> None:
        self.url = url or database_url()
        self.outbox = Outbox((outbox_dir or run_dir() / "outbox") / "records.jsonl")
        self._schema_ok = False

    @property
    def engine(self) -> Engine:
        return connect(self.url)

    def _write(self, kind: str, values: dict[str, Any]) -> int:
        if kind not in WRITERS:
            raise KeyError(f"unknown record kind {kind!r}")
        try:
            if not self._schema_ok:
                ensure_schema(self.engine)
                self._schema_ok = True
            return WRITERS[kind](self.engine, **values)
        except sa.exc.IntegrityError as exc:
            # Not an outage (a stored key is not an error, see insert_once): keeping it would not help.
            raise ValueError(f"{kind} rejected by the database: {exc.orig}") from exc
        except sa.exc.DBAPIError as exc:
            raise Unavailable(f"{type(exc.orig).__name__}: {exc.orig}") from exc

    def submit(self, kind: str, /, **values: Any) -> int | None:
        """Write one record; its id, or None when the database is unavailable and it was kept
        in the outbox. `values` are the writer's keyword arguments and must include `key`."""
        values.setdefault("at", now().isoformat())
        try:
            row_id = self._write(kind, values)
        except Unavailable as exc:
            logger.warning("records database unavailable (%s): %s kept in the outbox", exc, kind)
            self.outbox.append(kind, values)
            return None
        self.replay()
        return row_id

    def replay(self) -> int:
        """Write what the outbox kept; how many records were written."""
        if not self.outbox.pending():
            return 0
        written = self.outbox.drain(self._write)
        if written:
            logger.info("records outbox: %d kept records written", written)
        return written
