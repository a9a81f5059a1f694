"""Alembic migrations build the same schema as the metadata, on SQLite and (when installed) PostgreSQL."""

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from shouwen_records import Records
from shouwen_records.migrate import main, upgrade
from shouwen_records.schema import metadata


def shape(engine):
    insp = sa.inspect(engine)
    return {
        t: (
            sorted((c["name"], c["nullable"]) for c in insp.get_columns(t)),
            sorted(i["name"] for i in insp.get_indexes(t)),
            sorted(tuple(u["column_names"]) for u in insp.get_unique_constraints(t)),
        )
        for t in insp.get_table_names()
        if t != "alembic_version"
    }


def test_upgrade_from_empty_matches_the_metadata(tmp_path):
    migrated = sa.create_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    upgrade(str(migrated.url))
    made = sa.create_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    metadata.create_all(made)
    assert shape(migrated) == shape(made) and set(shape(made)) == set(metadata.tables)


def test_tables_made_without_alembic_are_stamped_then_upgraded(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    metadata.create_all(sa.create_engine(url))  # what the Rasa venv does without alembic
    assert main([url]) == 0
    assert "outbox records written: 0" in capsys.readouterr().out
    with sa.create_engine(url).connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == "0002"


def test_tables_made_by_older_code_without_alembic_get_the_later_migrations(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.sqlite'}"
    upgrade(url, "0001")  # the tables of the code before ticket numbers, as if made without Alembic
    with sa.create_engine(url).begin() as conn:
        conn.execute(sa.text("drop table alembic_version"))
    upgrade(url)
    assert "number" in {c["name"] for c in sa.inspect(sa.create_engine(url)).get_columns("tickets")}


@pytest.fixture(scope="module")
def postgres():
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL test skipped: initdb/pg_ctl not found on PATH")
    pytest.importorskip("psycopg2", reason="PostgreSQL test skipped: psycopg2 not installed")
    from scripts.stack import free_port

    as_user: list[str] = []
    # Not under pytest's tmp dir: that one is private to the user running the tests.
    data, port = Path(tempfile.mkdtemp(prefix="shouwen-pg-")), free_port()
    if os.geteuid() == 0:  # initdb refuses root: run the server as the postgres account if there is one
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("PostgreSQL test skipped: running as root and no postgres account to run initdb as")
        shutil.chown(data, "postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_user, initdb, "-D", str(data), "-U", "shouwen", "--auth=trust"], check=True, capture_output=True
    )
    subprocess.run(
        [*as_user, pg_ctl, "-D", str(data), "-l", str(data / "log"), "-w", "start",
         "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    time.sleep(0.5)
    yield f"postgresql+psycopg2://shouwen@127.0.0.1:{port}/postgres"
    subprocess.run([*as_user, pg_ctl, "-D", str(data), "-m", "fast", "stop"], capture_output=True)
    shutil.rmtree(data, ignore_errors=True)


def test_postgresql_migrates_and_takes_records_once(postgres, tmp_path):
    upgrade(postgres)
    records = Records(postgres, tmp_path / "outbox")
    ticket = {"category": "complain", "detail": "x", "contact": "13812345678", "sender": "web:pg"}
    first = records.submit("ticket", key="pg-1", **ticket)
    assert records.submit("ticket", key="pg-1", **ticket) == first
    assert records.submit("rating", key="pg-r", sender="web:pg", rating=1) is not None
    assert records.submit("question", key="pg-q", text="养狗要办什么证", sender="web:pg") is not None
    from shouwen_records import dashboard, privacy

    assert dashboard.summary(records.engine)["tickets"]["new"] == 1
    assert privacy.purge(records.engine, 1)["turns"] == 0
    assert set(shape(records.engine)) == set(metadata.tables)
