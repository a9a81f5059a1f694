"""A database that is briefly unavailable loses nothing (outbox, replayed), and duplicates are one record."""

import os
import shutil
import sqlite3

import sqlalchemy as sa

from shouwen_records import Records
from shouwen_records.schema import ratings, tickets

TICKET = {"category": "complain", "detail": "窗口互相推", "contact": "13812345678", "sender": "web:x"}


def count(records, table):
    with records.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def test_duplicate_submissions_make_one_record(records):
    first = records.submit("ticket", key="same", **TICKET)
    assert records.submit("ticket", key="same", **TICKET) == first
    assert count(records, tickets) == 1


def test_a_missing_database_directory_keeps_records_in_the_outbox_until_it_is_back(tmp_path):
    db_dir = tmp_path / "db"
    records = Records(f"sqlite:///{db_dir / 'records.sqlite'}", tmp_path / "outbox")
    assert records.submit("ticket", key="t1", **TICKET) is None
    assert records.submit("rating", key="r1", sender="web:x", rating="不满意") is None
    assert records.submit("ticket", key="t1", **TICKET) is None  # a retry while down
    assert records.outbox.pending()
    db_dir.mkdir()
    assert records.submit("ticket", key="t2", **TICKET) is not None  # back: this write replays the rest
    assert not records.outbox.pending()
    assert count(records, tickets) == 2 and count(records, ratings) == 1


def test_a_locked_database_spools_and_a_restart_replays(tmp_path, records):
    records.submit("ticket", key="t0", **TICKET)
    path = records.engine.url.database
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        records.engine.dispose()
        # busy_timeout would wait 5 s: a shorter one keeps the test quick.
        with records.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA busy_timeout = 100")
        assert records.submit("rating", key="r1", sender="web:x", rating=1) is None
    finally:
        blocker.rollback()
        blocker.close()
    restarted = Records(records.url, records.outbox.path.parent)  # a new process at startup
    assert restarted.replay() == 1
    assert count(restarted, ratings) == 1 and restarted.replay() == 0


def test_a_read_only_database_spools(tmp_path, records):
    records.submit("ticket", key="t0", **TICKET)
    records.engine.dispose()
    ro = tmp_path / "ro"
    ro.mkdir()
    shutil.copy(records.engine.url.database, ro / "records.sqlite")
    (ro / "records.sqlite").chmod(0o444)
    ro.chmod(0o555)
    try:
        frozen = Records(f"sqlite:///{ro / 'records.sqlite'}", tmp_path / "outbox2")
        if os.geteuid() == 0:
            return  # root writes anyway: the other outage tests cover this path
        assert frozen.submit("ticket", key="t1", **TICKET) is None and frozen.outbox.pending()
    finally:
        ro.chmod(0o755)


def test_an_unwritable_record_moves_aside_and_does_not_block_the_rest(records):
    records.outbox.append("ticket", {"key": "bad"})  # missing fields: never writable
    records.outbox.append("ticket", {"key": "ok", **TICKET})
    assert records.replay() == 1
    assert records.outbox.path.with_name("records.jsonl.rejected").read_text().count('"bad"') == 1
    assert count(records, tickets) == 1
