"""Every action test writes its records to its own SQLite file (SQLAlchemy 1.4 in this venv)."""

import pytest


@pytest.fixture(autouse=True)
def records_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'records.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SHOUWEN_RUN_DIR", str(tmp_path))
    return url
