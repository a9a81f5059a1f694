"""A real redis-server on a free loopback port, for tests that need Redis itself (not a fake)."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scripts.stack import free_port, port_open

__all__ = ["redis_server"]


@contextmanager
def redis_server(data_dir: Path) -> Iterator[str]:
    """Start redis-server in `data_dir`; yields its URL; skips the test when it is not installed."""
    binary = shutil.which("redis-server")
    if not binary:
        pytest.skip("redis-server is not installed (make setup installs it)")
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(data_dir), "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if port_open(port):
                break
            time.sleep(0.05)
        else:
            pytest.fail("redis-server did not start")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(10)
