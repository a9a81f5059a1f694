"""Alembic environment of the records database: run by shouwen_records.migrate with the
connection it opened (config.attributes["connection"]), or from the URL in the config."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from shouwen_records.schema import metadata

config = context.config


def _run(connection: sa.engine.Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things: later migrations batch-copy tables there.
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
