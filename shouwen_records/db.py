"""Engines for the records database, on SQLAlchemy 1.4 (Rasa venv) and 2.x (gateway venv) alike.

DATABASE_URL names the database; the default is the SQLite file .run/records.sqlite. SQLite runs
in WAL mode with a busy timeout so that the action server and the gateway can write at the same
time. The schema comes from Alembic (migrate.py); where Alembic is not installed (the Rasa venv)
and the tables are absent, `ensure_schema` creates them from the metadata, as unit tests need.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from shouwen_core.settings import ROOT

from .schema import metadata

__all__ = [
    "as_datetime",
    "connect",
    "database_url",
    "ensure_schema",
    "insert_once",
    "new_id",
    "now",
    "run_dir",
    "today",
]

# Milliseconds a writer waits for another process's lock before SQLite reports "locked".
BUSY_TIMEOUT_MS = 5000

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def run_dir() -> Path:
    """SHOUWEN_RUN_DIR, else .run in the repository: where the default database and outbox live."""
    return Path(os.environ.get("SHOUWEN_RUN_DIR") or ROOT / ".run")


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / '.run' / 'records.sqlite'}"


def now() -> dt.datetime:
    """Local wall-clock time, to the second: what a clerk reads and what due dates count from."""
    return dt.datetime.now().replace(microsecond=0)


def today() -> dt.date:
    return dt.date.today()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    try:
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA journal_mode = WAL")
        # In WAL mode NORMAL loses nothing when a process dies (only a power cut can take the last
        # commits), and a commit does not wait for fsync: a turn's records cost a write, not a flush.
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.execute("PRAGMA foreign_keys = ON")
    finally:
        cur.close()


def connect(url: str | None = None) -> Engine:
    """One engine per URL and process (engines pool connections; make them once)."""
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            # SQLAlchemy 1.4 needs future=True for the 2.0-style API used here; 2.x has only that.
            extra: dict[str, Any] = {"future": True} if sa.__version__.startswith("1.") else {}
            parsed = sa.engine.make_url(url)
            if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
                # SQLAlchemy 1.4 opens a file database anew per use (NullPool): a connection and its
                # pragmas per record. Keep a few open, shareable across the action server's threads.
                extra.update(poolclass=sa.pool.QueuePool, connect_args={"check_same_thread": False})
            engine = sa.create_engine(url, pool_pre_ping=True, **extra)
            if engine.dialect.name == "sqlite":
                sa.event.listen(engine, "connect", _sqlite_pragmas)
            _engines[url] = engine
        return engine


def ensure_schema(engine: Engine) -> None:
    """Make sure the tables exist: Alembic where installed, else (Rasa venv, tests) the metadata."""
    if set(metadata.tables) <= set(sa.inspect(engine).get_table_names()):
        return
    try:
        from .migrate import upgrade_engine
    except ImportError:  # no alembic here: the gateway's `migrate` will stamp these tables later
        metadata.create_all(engine)
        return
    upgrade_engine(engine)


def as_datetime(value: str | dt.datetime | None) -> dt.datetime:
    """A record's time: given (a datetime, or ISO text from the outbox) or now."""
    if value is None:
        return now()
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(value)


def insert_once(
    engine: Engine,
    table: sa.Table,
    values: dict[str, Any],
    then: Callable[[Connection, int], None] | None = None,
) -> int:
    """Insert a row keyed by `values["key"]` (and what `then` adds in the same transaction); a key
    already stored returns that row's id instead: a retried submission is one record."""
    try:
        with engine.begin() as conn:
            row_id = new_id(conn.execute(table.insert().values(**values)))
            if then is not None:
                then(conn, row_id)
            return row_id
    except sa.exc.IntegrityError:
        # PostgreSQL aborts the failed transaction: look the row up in a fresh one.
        with engine.connect() as conn:
            existing = conn.execute(sa.select(table.c.id).where(table.c.key == values["key"])).scalar()
        if existing is None:
            raise
        return int(existing)


def new_id(result: sa.engine.CursorResult[Any]) -> int:
    """The primary key an INSERT made (1.4 and 2.x both offer inserted_primary_key)."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the insert returned no primary key")
    return int(key[0])
