"""Every records test gets its own migrated SQLite file (no mocks of the database)."""

import pytest

from shouwen_records import Records


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'records.sqlite'}"


@pytest.fixture
def records(url, tmp_path):
    return Records(url, tmp_path / "outbox")


@pytest.fixture
def engine(url):
    from shouwen_records.db import connect, ensure_schema

    engine = connect(url)
    ensure_schema(engine)
    return engine
