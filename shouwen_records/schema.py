"""The tables of the records database. Alembic migrations (migrations/versions) create the same
schema; tests/records/test_migrate.py keeps the two equal.

Times are naive local wall-clock datetimes (the halls' time zone): due dates, "today" and the
dashboard's days are all local. `conversation` is a one-way hash of the sender id (see ids.py) so
that rows of one conversation join without storing who it was.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = ["TABLES", "metadata"]

# Named constraints: Alembic can only alter (batch-copy on SQLite) constraints that have names.
metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _key() -> sa.Column:
    # Idempotency key: a retried or replayed submission of the same event is one row.
    return sa.Column("key", sa.String(64), nullable=False, unique=True)


tickets = sa.Table(
    "tickets",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _key(),
    # What the person quotes (shouwen_core.ticket_numbers): random and unique. The default only
    # lets migration 0002 add the column to a table that has rows (SQLite adds no NOT NULL without one).
    sa.Column("number", sa.String(16), nullable=False, server_default=""),
    sa.Column("category", sa.String(64), nullable=False),
    sa.Column("matter_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("matter_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Column("contact", sa.String(100), nullable=False, server_default=""),
    sa.Column("sender", sa.String(200), nullable=False, server_default=""),
    sa.Column("conversation", sa.String(40), nullable=False, server_default=""),
    sa.Column("channel", sa.String(16), nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("complexity", sa.String(16), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("due_exact", sa.Boolean, nullable=False),
    sa.Column("assignee", sa.String(64), nullable=False, server_default=""),
    sa.Column("answer", sa.Text, nullable=False, server_default=""),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("updated_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("archived_at", sa.DateTime, nullable=True),
    sa.Index("ix_tickets_status_due", "status", "due_date"),
    sa.Index("ix_tickets_contact", "contact"),
    sa.Index("ix_tickets_number", "number", unique=True),
)

ticket_audit = sa.Table(
    "ticket_audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("ticket_id", sa.Integer, sa.ForeignKey("tickets.id"), nullable=False, index=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
)

ratings = sa.Table(
    "ratings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _key(),
    sa.Column("conversation", sa.String(40), nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False, server_default=""),
    sa.Column("matter_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("level", sa.Integer, nullable=False),
    sa.Column("label", sa.String(16), nullable=False),
    sa.Column("reason", sa.Text, nullable=False, server_default=""),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
)

callbacks = sa.Table(
    "callbacks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("rating_id", sa.Integer, sa.ForeignKey("ratings.id"), nullable=False, unique=True),
    sa.Column("due_date", sa.Date, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("clerk", sa.String(64), nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("done_at", sa.DateTime, nullable=True),
)

questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _key(),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("group_key", sa.String(200), nullable=False, index=True),
    sa.Column("candidates", sa.JSON, nullable=False),
    sa.Column("conversation", sa.String(40), nullable=False, server_default=""),
    sa.Column("channel", sa.String(16), nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("matter_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("resolved_by", sa.String(64), nullable=False, server_default=""),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
)

alias_overlay = sa.Table(
    "alias_overlay",
    metadata,
    # Rows are only ever added: max(id) is the overlay version the linker watches.
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("matter_id", sa.String(64), nullable=False),
    sa.Column("alias", sa.String(200), nullable=False),
    sa.Column("group_key", sa.String(200), nullable=False, server_default=""),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("matter_id", "alias", name="uq_alias_overlay_matter_alias"),
)

handoffs = sa.Table(
    "handoffs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _key(),
    sa.Column("sender", sa.String(200), nullable=False, index=True),
    sa.Column("conversation", sa.String(40), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False, server_default=""),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("history", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False, index=True),
    sa.Column("clerk", sa.String(64), nullable=False, server_default=""),
    sa.Column("taken_at", sa.DateTime, nullable=True),
    sa.Column("closed_at", sa.DateTime, nullable=True),
)

handoff_messages = sa.Table(
    "handoff_messages",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id"), nullable=False, index=True),
    sa.Column("sender", sa.String(200), nullable=False, index=True),
    sa.Column("clerk", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
)

turns = sa.Table(
    "turns",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _key(),
    sa.Column("conversation", sa.String(40), nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False, server_default=""),
    sa.Column("act", sa.String(40), nullable=False, server_default=""),
    sa.Column("kind", sa.String(32), nullable=False, server_default=""),
    sa.Column("matter_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("matter_name", sa.String(200), nullable=False, server_default=""),
    sa.Column("unanswered", sa.Boolean, nullable=False),
    sa.Column("at", sa.DateTime, nullable=False, index=True),
)

clerks = sa.Table(
    "clerks",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(64), nullable=False, unique=True),
    sa.Column("display_name", sa.String(100), nullable=False),
    sa.Column("password_hash", sa.String(300), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
)

TABLES = {t.name: t for t in metadata.sorted_tables}
