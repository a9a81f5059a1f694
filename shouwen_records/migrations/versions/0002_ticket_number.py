"""Tickets get the number a person quotes (BC2612037KQ4MX): a unique column; tickets taken
before it get a number of their kind and day now.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shouwen_core.ticket_numbers import new_ticket_number

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_tickets = sa.table(
    "tickets",
    sa.column("id", sa.Integer),
    sa.column("category", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("number", sa.String),
)


def upgrade() -> None:
    op.add_column("tickets", sa.Column("number", sa.String(length=16), server_default="", nullable=False))
    conn = op.get_bind()
    taken: set[str] = set()
    for ticket_id, category, created_at in conn.execute(
        sa.select(_tickets.c.id, _tickets.c.category, _tickets.c.created_at)
    ).all():
        number = new_ticket_number(category, created_at.date())
        while number in taken:  # the index below must not meet two equal numbers
            number = new_ticket_number(category, created_at.date())
        taken.add(number)
        conn.execute(_tickets.update().where(_tickets.c.id == ticket_id).values(number=number))
    op.create_index("ix_tickets_number", "tickets", ["number"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_tickets_number", table_name="tickets")
    op.drop_column("tickets", "number")
