"""Schema migrations with Alembic, run programmatically: no alembic.ini.

    python -m shouwen_records.migrate [URL]    upgrade DATABASE_URL (or URL) to the latest schema,
                                               then write what the outbox kept

scripts/stack.py runs it (in the gateway venv) before the action server starts. A database whose
tables were made from the metadata without Alembic (the Rasa venv's fallback) is stamped first.
"""

from __future__ import annotations

import sys
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

from .db import connect, database_url
from .schema import metadata

__all__ = ["HEAD", "upgrade", "upgrade_engine"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "head"


def _config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade_engine(engine: Engine, revision: str = HEAD) -> None:
    cfg = _config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        tables = set(sa.inspect(conn).get_table_names())
        if "alembic_version" not in tables and set(metadata.tables) <= tables:
            command.stamp(cfg, _made_at(conn))
        command.upgrade(cfg, revision)


# The column each later migration added, newest first: a schema made from the metadata (no
# Alembic) has the columns of the code that made it, and is stamped at that revision.
_ADDED = (("0002", "tickets", "number"),)


def _made_at(conn: sa.engine.Connection) -> str:
    insp = sa.inspect(conn)
    for revision, table, column in _ADDED:
        if column in {c["name"] for c in insp.get_columns(table)}:
            return revision
    return "0001"


def upgrade(url: str | None = None, revision: str = HEAD) -> None:
    """Bring the database at `url` (default DATABASE_URL) to `revision`."""
    upgrade_engine(connect(url or database_url()), revision)


def main(argv: list[str] | None = None) -> int:
    from .records import Records

    args = sys.argv[1:] if argv is None else argv
    url = args[0] if args else database_url()
    try:
        upgrade(url)
        written = Records(url).replay()
    except sa.exc.SQLAlchemyError as exc:
        print(f"error: records database {connect(url).url!r}: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        return 2
    print(f"records database ready ({connect(url).url.render_as_string()}); outbox records written: {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
