"""One real stack for the whole integration session (scripts/stack.py on free ports), shared by every
module: redis-server, action server, Rasa server and gateway, as `make run` starts them.

Tests that stop the stack are marked `stops_stack` and run last."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.stack import free_port  # noqa: E402
from tests.integration.fake_wechat import WECHAT_ENV, FakeWeChat  # noqa: E402

MODEL = ROOT / "models" / "shouwen.tar.gz"
TEST_API_KEY = "test-key-0123456789abcdef"


@dataclass
class RunningStack:
    base: str
    ports: dict[str, int]
    proc: subprocess.Popen
    env: dict[str, str]
    run_dir: Path

    def __iter__(self):  # `base, ports, proc = stack`
        return iter((self.base, self.ports, self.proc))


def pytest_configure(config):
    config.addinivalue_line("markers", "stops_stack: the test stops the shared stack, so it runs last")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.get_closest_marker("stops_stack") is not None)


@pytest.fixture(scope="session")
def fake_wechat():
    """WeChat's API on a local port; the stack's gateway sends customer-service messages to it."""
    fake = FakeWeChat().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, fake_wechat):
    if not MODEL.exists():
        pytest.skip("no trained model: run `make setup` first")
    ports = {"PORT": free_port(), "RASA_PORT": free_port(), "ACTION_PORT": free_port(), "REDIS_PORT": free_port()}
    run_dir = tmp_path_factory.mktemp("stack")
    extra = {
        # Every process of this stack shares one records database and one progress store in run_dir.
        "DATABASE_URL": f"sqlite:///{run_dir / 'records.sqlite'}",
        "SHOUWEN_PROGRESS_DB": str(run_dir / "progress.sqlite"),
        "SHOUWEN_RUN_DIR": str(run_dir),
        # The WeChat channel in safe mode, its API pointing at the fake WeChat server.
        **WECHAT_ENV,
        "WECHAT_API_BASE": fake_wechat.base,
        "API_KEYS": TEST_API_KEY,
        "SHOUWEN_RELOAD_CHECK": "1",
    }
    env = {**os.environ, **{k: str(v) for k, v in ports.items()}, **extra}
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), "scripts/stack.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{ports['PORT']}"
    deadline = time.monotonic() + 400
    output = []
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        output.append(line)
        if "Shouwen is running" in line:
            break
        if proc.poll() is not None:
            pytest.fail("stack did not start:\n" + "".join(output) + proc.stdout.read())
    else:
        proc.send_signal(signal.SIGINT)
        pytest.fail("stack not ready in time:\n" + "".join(output))
    yield RunningStack(base, ports, proc, env, run_dir)
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)
