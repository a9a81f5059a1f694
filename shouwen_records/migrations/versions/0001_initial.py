"""The initial records schema: tickets and their audit trail, ratings and call-backs, unanswered
questions and the alias overlay, hand-offs and clerk messages, dashboard turns, clerk accounts.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alias_overlay",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("matter_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("group_key", sa.String(length=200), server_default="", nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alias_overlay")),
        sa.UniqueConstraint("matter_id", "alias", name="uq_alias_overlay_matter_alias"),
    )
    op.create_table(
        "clerks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clerks")),
        sa.UniqueConstraint("username", name=op.f("uq_clerks_username")),
    )
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("conversation", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=16), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("history", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("clerk", sa.String(length=64), server_default="", nullable=False),
        sa.Column("taken_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoffs")),
        sa.UniqueConstraint("key", name=op.f("uq_handoffs_key")),
    )
    op.create_index(op.f("ix_handoffs_created_at"), "handoffs", ["created_at"], unique=False)
    op.create_index(op.f("ix_handoffs_sender"), "handoffs", ["sender"], unique=False)
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("group_key", sa.String(length=200), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("conversation", sa.String(length=40), server_default="", nullable=False),
        sa.Column("channel", sa.String(length=16), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("matter_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("resolved_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
        sa.UniqueConstraint("key", name=op.f("uq_questions_key")),
    )
    op.create_index(op.f("ix_questions_at"), "questions", ["at"], unique=False)
    op.create_index(op.f("ix_questions_group_key"), "questions", ["group_key"], unique=False)
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("conversation", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=16), server_default="", nullable=False),
        sa.Column("matter_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint("key", name=op.f("uq_ratings_key")),
    )
    op.create_index(op.f("ix_ratings_at"), "ratings", ["at"], unique=False)
    op.create_index(op.f("ix_ratings_conversation"), "ratings", ["conversation"], unique=False)
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("matter_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("matter_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.Column("contact", sa.String(length=100), server_default="", nullable=False),
        sa.Column("sender", sa.String(length=200), server_default="", nullable=False),
        sa.Column("conversation", sa.String(length=40), server_default="", nullable=False),
        sa.Column("channel", sa.String(length=16), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("complexity", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("due_exact", sa.Boolean(), nullable=False),
        sa.Column("assignee", sa.String(length=64), server_default="", nullable=False),
        sa.Column("answer", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), server_default="", nullable=False),
        sa.Column("archived_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("key", name=op.f("uq_tickets_key")),
    )
    op.create_index("ix_tickets_contact", "tickets", ["contact"], unique=False)
    op.create_index("ix_tickets_status_due", "tickets", ["status", "due_date"], unique=False)
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("conversation", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=16), server_default="", nullable=False),
        sa.Column("act", sa.String(length=40), server_default="", nullable=False),
        sa.Column("kind", sa.String(length=32), server_default="", nullable=False),
        sa.Column("matter_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("matter_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("unanswered", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turns")),
        sa.UniqueConstraint("key", name=op.f("uq_turns_key")),
    )
    op.create_index(op.f("ix_turns_at"), "turns", ["at"], unique=False)
    op.create_index(op.f("ix_turns_conversation"), "turns", ["conversation"], unique=False)
    op.create_table(
        "callbacks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("clerk", sa.String(length=64), server_default="", nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["rating_id"], ["ratings.id"], name=op.f("fk_callbacks_rating_id_ratings")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_callbacks_rating_id")),
    )
    op.create_table(
        "handoff_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("clerk", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], name=op.f("fk_handoff_messages_handoff_id_handoffs")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_messages")),
    )
    op.create_index(op.f("ix_handoff_messages_handoff_id"), "handoff_messages", ["handoff_id"], unique=False)
    op.create_index(op.f("ix_handoff_messages_sender"), "handoff_messages", ["sender"], unique=False)
    op.create_table(
        "ticket_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("detail", sa.Text(), server_default="", nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_audit_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_audit")),
    )
    op.create_index(op.f("ix_ticket_audit_ticket_id"), "ticket_audit", ["ticket_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_ticket_audit_ticket_id"), table_name="ticket_audit")
    op.drop_table("ticket_audit")
    op.drop_index(op.f("ix_handoff_messages_sender"), table_name="handoff_messages")
    op.drop_index(op.f("ix_handoff_messages_handoff_id"), table_name="handoff_messages")
    op.drop_table("handoff_messages")
    op.drop_table("callbacks")
    op.drop_index(op.f("ix_turns_conversation"), table_name="turns")
    op.drop_index(op.f("ix_turns_at"), table_name="turns")
    op.drop_table("turns")
    op.drop_index("ix_tickets_status_due", table_name="tickets")
    op.drop_index("ix_tickets_contact", table_name="tickets")
    op.drop_table("tickets")
    op.drop_index(op.f("ix_ratings_conversation"), table_name="ratings")
    op.drop_index(op.f("ix_ratings_at"), table_name="ratings")
    op.drop_table("ratings")
    op.drop_index(op.f("ix_questions_group_key"), table_name="questions")
    op.drop_index(op.f("ix_questions_at"), table_name="questions")
    op.drop_table("questions")
    op.drop_index(op.f("ix_handoffs_sender"), table_name="handoffs")
    op.drop_index(op.f("ix_handoffs_created_at"), table_name="handoffs")
    op.drop_table("handoffs")
    op.drop_table("clerks")
    op.drop_table("alias_overlay")
