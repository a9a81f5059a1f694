"""Fixtures of the gateway tests: a real redis-server per test module."""

from __future__ import annotations

import pytest

from tests.redis_server import redis_server


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
