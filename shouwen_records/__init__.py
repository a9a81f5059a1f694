"""Shouwen records: what the halls follow up, in a SQL database (SQLite by default, PostgreSQL by URL).

    conversations (action server) ─ Records.submit(kind, ...) ─┬─ database (tickets, ratings, …)
                                                               └─ outbox/records.jsonl when the
                                                                  database is briefly unavailable,
                                                                  replayed on the next write
    gateway / clerk panel / CLI ── tickets, ratings, gaps, handoffs, dashboard, export, clerks

Plain SQLAlchemy Core that runs on SQLAlchemy 1.4 (the Rasa venv) and 2.x (the gateway venv).
Every record a conversation writes carries an idempotency key, so a retried or replayed write
is one row. Personal data is masked on the way in, except a ticket's contact (kept for the
follow-up call) and a hand-off's sender (needed to reach the person); lists and exports mask both.
"""

from .db import connect, database_url
from .gaps import overlay_source
from .records import Records

__all__ = ["Records", "connect", "database_url", "overlay_source"]
