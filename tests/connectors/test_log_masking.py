"""The gateway's logs carry no personal data: uvicorn's access lines and its traceback of a 500."""

from __future__ import annotations

import logging
import logging.config
from collections.abc import Iterator

import pytest
from uvicorn.config import LOGGING_CONFIG

from connectors.main import create_app
from connectors.settings import Settings
from shouwen_core.pii import MaskingFilter


@pytest.fixture
def uvicorn_logging() -> Iterator[None]:
    """uvicorn's own logging set-up, as `uvicorn connectors.main:app` makes it before the import."""
    logging.config.dictConfig(LOGGING_CONFIG)
    yield
    root = logging.getLogger()
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            for f in [f for f in target.filters if isinstance(f, MaskingFilter)]:
                target.removeFilter(f)
        logger.handlers.clear()
    for target in (root, *root.handlers):
        for f in [f for f in target.filters if isinstance(f, MaskingFilter)]:
            target.removeFilter(f)


def test_access_lines_and_a_500_traceback_are_masked(uvicorn_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logging.config.dictConfig(LOGGING_CONFIG)  # its handlers write to the captured streams
    create_app(Settings())
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/api/inbox/web:x?tel=+86-138-1234-5678", "1.1", 200
    )
    try:
        raise ValueError("no record for 110101 19900307 7777")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    out = capsys.readouterr()
    assert "+86-138-****-5678" in out.out and '" 200' in out.out
    assert "Traceback" in out.err and "110*** ******** 7777" in out.err
    assert "1234-5678" not in out.out + out.err and "19900307" not in out.err
