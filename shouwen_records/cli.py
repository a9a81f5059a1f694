"""`./shouwen records …`: the records database from the operator's command line.

records migrate                    upgrade the schema (Alembic), write what the outbox kept
records clerk-add USERNAME [--name N]   a clerk account; password from stdin or a prompt
records export --contact X         one person's records as JSON (a data request)
records export --table T [-o F]    one table as masked CSV
records purge [--days N]           drop transcripts older than RETENTION_DAYS (not tickets)
records stats [--days N]           the dashboard figures as JSON
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys

import sqlalchemy as sa

from .db import connect, database_url, ensure_schema
from .schema import TABLES

__all__ = ["add_parser", "run"]


def add_parser(sub: argparse._SubParsersAction) -> None:
    rec = sub.add_parser("records", help="records database").add_subparsers(dest="sub", required=True)
    rec.add_parser("migrate", help="upgrade the schema, then write what the outbox kept")
    c = rec.add_parser("clerk-add", help="add a clerk account (password from stdin or a prompt)")
    c.add_argument("username")
    c.add_argument("--name", default="", help="display name")
    e = rec.add_parser("export", help="one person's records (JSON) or one table (masked CSV)")
    what = e.add_mutually_exclusive_group(required=True)
    what.add_argument("--contact", help="phone number or sender id")
    what.add_argument("--table", choices=sorted(TABLES))
    e.add_argument("-o", "--out", help="file to write (default: stdout)")
    p = rec.add_parser("purge", help="remove transcripts older than the retention period")
    p.add_argument("--days", type=int, default=None, help="retention in days (default RETENTION_DAYS or 180)")
    s = rec.add_parser("stats", help="dashboard figures as JSON")
    s.add_argument("--days", type=int, default=30)


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise ValueError("the passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


def run(args: argparse.Namespace) -> int:
    """Run one records command; errors are one line on stderr and exit status 2."""
    try:
        if args.sub == "migrate":
            from .migrate import main as migrate

            return migrate([])
        engine = connect()
        ensure_schema(engine)
        if args.sub == "clerk-add":
            from .clerks import create_clerk

            clerk_id = create_clerk(engine, args.username, _password(), args.name)
            print(f"clerk {args.username} added (id {clerk_id})")
        elif args.sub == "export":
            from .privacy import export_csv, export_person

            out = open(args.out, "w", encoding="utf-8", newline="") if args.out else sys.stdout
            try:
                if args.contact:
                    json.dump(export_person(engine, args.contact), out, ensure_ascii=False, indent=1, default=str)
                    out.write("\n")
                else:
                    export_csv(engine, args.table, out)
            finally:
                if out is not sys.stdout:
                    out.close()
        elif args.sub == "purge":
            from .privacy import purge, retention_days

            days = retention_days() if args.days is None else args.days
            if days < 1:
                raise ValueError("--days must be at least 1")
            removed = purge(engine, days)
            print(f"purged records older than {days} days: " + ", ".join(f"{k} {v}" for k, v in removed.items()))
        elif args.sub == "stats":
            from .dashboard import summary

            print(json.dumps(summary(engine, args.days), ensure_ascii=False, indent=1))
        return 0
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except sa.exc.SQLAlchemyError as exc:
        print(
            f"error: records database {database_url()!r}: {type(exc).__name__}: {exc.args[0] if exc.args else exc}",
            file=sys.stderr,
        )
        return 2
