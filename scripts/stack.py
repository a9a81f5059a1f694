"""Start the whole single-node stack and keep it running: redis, the action server, the Rasa
server and the gateway. `make run` calls this; the integration tests use `Stack` on free ports.

    records migration (Alembic, DATABASE_URL; then the outbox is written)
    redis-server ──┐
    action server ─┼─ Rasa server (model from models/) ── gateway (PORT, default 8000)
                   └─ each checked for health before the next starts; the first one that fails
                      is named with the tail of its log, and everything started is stopped.

Scale-out on one machine: RASA_WORKERS=2 GATEWAYS=2 make run starts two Rasa servers (each with
its own action server) and two gateways sharing Redis and the records database, with the small
round-robin front (scripts/front.py) on PORT; each gateway spreads turns over the Rasa servers.

Ctrl-C (SIGINT) or SIGTERM stops every part. Logs: .run/logs/<part>.log.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RASA_BIN = ROOT / ".venv-rasa" / "bin"
GW_BIN = ROOT / ".venv" / "bin"

__all__ = ["Stack", "StartError", "free_port", "main", "port_open", "proxy_flags"]


class StartError(RuntimeError):
    """A part of the stack did not start; the message names it."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.3)
        return s.connect_ex(("127.0.0.1", port)) == 0


def _http_ok(url: str, must_contain: str = "") -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            body = resp.read().decode("utf-8", "replace")
            return resp.status == 200 and must_contain in body
    except (urllib.error.URLError, OSError, ValueError):
        return False


@dataclass
class Part:
    name: str
    cmd: list[str]
    ready: Callable[[], bool]
    timeout: float
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None
    log: Path | None = None


def proxy_flags(trusted: str) -> list[str]:
    """uvicorn's flags for X-Forwarded-For: believed only from the proxies named in
    FORWARDED_ALLOW_IPS (an nginx in front, docs/deploy.md). uvicorn's default believes it from
    127.0.0.1, so any local client could rotate it past RATE_PER_IP or lock another address out."""
    if not trusted.strip():
        return ["--no-proxy-headers"]
    return ["--proxy-headers", "--forwarded-allow-ips", trusted.strip()]


@dataclass
class Stack:
    port: int = 8000
    rasa_port: int = 5005
    action_port: int = 5055
    redis_port: int = 6379
    host: str = "127.0.0.1"
    model: Path = ROOT / "models" / "shouwen.tar.gz"
    run_dir: Path = ROOT / ".run"
    catalog: str | None = None
    # Start our own redis-server unless one already answers on redis_port.
    own_redis: bool = True
    # Scale-out on one machine: Rasa servers (each with its own action server) and gateways, all
    # sharing one Redis and one records database; more than one gateway puts scripts/front.py on
    # `port`. The first instance uses the configured ports, the others free ones.
    rasa_workers: int = 1
    gateways: int = 1
    parts: list[Part] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rasa_ports = [self.rasa_port] + [free_port() for _ in range(self.rasa_workers - 1)]
        self.action_ports = [self.action_port] + [free_port() for _ in range(self.rasa_workers - 1)]
        self.gateway_ports = [self.port] if self.gateways == 1 else [free_port() for _ in range(self.gateways)]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            PYTHONPATH=str(ROOT),
            REDIS_HOST="127.0.0.1",
            REDIS_PORT=str(self.redis_port),
            REDIS_DB="0",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            ACTION_ENDPOINT_URL=f"http://127.0.0.1:{self.action_port}/webhook",
            ACTION_SERVER_URL=f"http://127.0.0.1:{self.action_port}",
            RASA_URL=",".join(f"http://127.0.0.1:{p}" for p in self.rasa_ports),
            TF_CPP_MIN_LOG_LEVEL="2",
            PYTHONUNBUFFERED="1",
        )
        if self.catalog:
            env["SHOUWEN_CATALOG"] = self.catalog
        if self.gateways > 1 and not env.get("SESSION_SECRET"):
            # A clerk signed in through one gateway must be signed in on the others (the front sends
            # each request anywhere). Production sets SESSION_SECRET; here one is made per start.
            env["SESSION_SECRET"] = secrets.token_urlsafe(32)
        return env

    def plan(self) -> list[Part]:
        parts = []
        if self.own_redis and not port_open(self.redis_port):
            redis_server = shutil.which("redis-server")
            if not redis_server:
                raise StartError("redis: redis-server is not installed (make setup installs it with apt-get)")
            data = self.run_dir / f"redis-{self.redis_port}"
            data.mkdir(parents=True, exist_ok=True)
            parts.append(
                Part(
                    "redis",
                    [
                        redis_server,
                        "--port",
                        str(self.redis_port),
                        "--bind",
                        "127.0.0.1",
                        "--dir",
                        str(data),
                        "--save",
                        "60 1",
                        "--appendonly",
                        "yes",
                    ],
                    lambda: port_open(self.redis_port),
                    20,
                )
            )
        if not self.model.exists():
            raise StartError(f"rasa: no trained model at {self.model} (make model trains it)")
        rasa_urls = ",".join(f"http://127.0.0.1:{p}" for p in self.rasa_ports)
        for i, (rasa_port, action_port) in enumerate(zip(self.rasa_ports, self.action_ports, strict=True)):
            suffix = f"-{i + 1}" if self.rasa_workers > 1 else ""
            parts.append(self._actions_part(f"actions{suffix}", action_port))
            parts.append(self._rasa_part(f"rasa{suffix}", rasa_port, action_port))
        for i, port in enumerate(self.gateway_ports):
            suffix = f"-{i + 1}" if self.gateways > 1 else ""
            parts.append(self._gateway_part(f"gateway{suffix}", port, rasa_urls))
        if self.gateways > 1:
            backends = [arg for port in self.gateway_ports for arg in ("--backend", f"127.0.0.1:{port}")]
            parts.append(
                Part(
                    "front",
                    [str(GW_BIN / "python"), "scripts/front.py", "--listen", f"{self.host}:{self.port}", *backends],
                    lambda: _http_ok(f"http://127.0.0.1:{self.port}/healthz"),
                    30,
                )
            )
        return parts

    def _actions_part(self, name: str, port: int) -> Part:
        return Part(
            name,
            [str(RASA_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)],
            lambda: _http_ok(f"http://127.0.0.1:{port}/health"),
            120,
            # rasa-sdk listens on 0.0.0.0 unless told: the action server is internal (ACTION_HOST
            # opens it to other nodes when Rasa servers run elsewhere, see docs/deploy.md).
            env={"SANIC_HOST": os.environ.get("ACTION_HOST", "127.0.0.1")},
        )

    def _rasa_part(self, name: str, port: int, action_port: int) -> Part:
        cmd = [str(RASA_BIN / "rasa"), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(port)]
        cmd += ["-m", str(self.model), "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
        return Part(
            name,
            cmd,
            lambda: _http_ok(f"http://127.0.0.1:{port}/status", "model_file"),
            240,
            env={"ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook"},
        )

    def _gateway_part(self, name: str, port: int, rasa_urls: str) -> Part:
        host = self.host if self.gateways == 1 else "127.0.0.1"  # behind the front, loopback only
        cmd = [str(GW_BIN / "uvicorn"), "connectors.main:app", "--host", host, "--port", str(port)]
        return Part(
            name,
            [*cmd, *proxy_flags(os.environ.get("FORWARDED_ALLOW_IPS", "")), "--log-level", "warning"],
            lambda: _http_ok(f"http://127.0.0.1:{port}/healthz"),
            60,
            env={"RASA_URL": rasa_urls},
        )

    def start(self, echo: Callable[[str], None] = lambda s: None) -> None:
        logs = self.run_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        env = self._env()
        plan = self.plan()
        self._migrate(env, echo)
        for part in plan:
            part.log = logs / f"{part.name}-{self.port}.log"
            echo(f"starting {part.name} …")
            t0 = time.monotonic()
            with part.log.open("wb") as fh:
                part.proc = subprocess.Popen(
                    part.cmd,
                    cwd=ROOT,
                    env={**env, **part.env},
                    stdout=fh,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            self.parts.append(part)
            while not part.ready():
                if part.proc.poll() is not None:
                    self.stop()
                    raise StartError(f"{part.name} exited with status {part.proc.returncode}:\n{self._tail(part)}")
                if time.monotonic() - t0 > part.timeout:
                    self.stop()
                    raise StartError(f"{part.name} not ready after {part.timeout:.0f} s:\n{self._tail(part)}")
                time.sleep(0.3)
            echo(f"  {part.name} ready in {time.monotonic() - t0:.1f} s")
        self._warm_up()

    @staticmethod
    def _migrate(env: dict[str, str], echo: Callable[[str], None]) -> None:
        """The action server only inserts: the records schema must be current before it starts."""
        echo("migrating the records database …")
        done = subprocess.run(
            [str(GW_BIN / "python"), "-m", "shouwen_records.migrate"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            raise StartError(f"records: migration failed:\n{(done.stderr or done.stdout).strip()[-2000:]}")

    def _warm_up(self) -> None:
        """The first parse after a start is slow (TensorFlow graph); pay it here, not on a citizen."""
        for port in self.rasa_ports:
            req = urllib.request.Request(
                f"http://127.0.0.1:{port}/model/parse",
                data='{"text": "身份证丢了怎么补办"}'.encode(),
                headers={"Content-Type": "application/json"},
            )
            try:
                urllib.request.urlopen(req, timeout=60).read()
            except (urllib.error.URLError, OSError):
                pass

    def part(self, name: str) -> Part:
        return next(p for p in self.parts if p.name == name)

    def kill(self, name: str) -> None:
        """Kill one part at once (SIGKILL to its process group), as a crash would: for reliability tests."""
        proc = self.part(name).proc
        if proc and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    @staticmethod
    def _tail(part: Part, lines: int = 25) -> str:
        if part.log is None or not part.log.exists():
            return ""
        text = part.log.read_text("utf-8", "replace").splitlines()[-lines:]
        return "\n".join("    " + line for line in text)

    def stop(self) -> None:
        for part in reversed(self.parts):
            if part.proc and part.proc.poll() is None:
                try:
                    os.killpg(part.proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for part in reversed(self.parts):
            if part.proc:
                try:
                    part.proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(part.proc.pid, signal.SIGKILL)
        self.parts.clear()

    def dead(self) -> list[str]:
        return [p.name for p in self.parts if p.proc and p.proc.poll() is not None]


def main() -> int:
    stack = Stack(
        port=int(os.environ.get("PORT", "8000")),
        rasa_port=int(os.environ.get("RASA_PORT", "5005")),
        action_port=int(os.environ.get("ACTION_PORT", "5055")),
        redis_port=int(os.environ.get("REDIS_PORT", "6379")),
        host=os.environ.get("HOST", "127.0.0.1"),
        catalog=os.environ.get("SHOUWEN_CATALOG"),
        rasa_workers=max(1, int(os.environ.get("RASA_WORKERS", "1"))),
        gateways=max(1, int(os.environ.get("GATEWAYS", "1"))),
    )
    stopping = False

    def _stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    try:
        stack.start(echo=print)
    except StartError as exc:
        print(f"\nShouwen did not start: {exc}", file=sys.stderr)
        return 1
    print(f"\nShouwen is running: {stack.url}  (health: {stack.url}/healthz, API docs: {stack.url}/docs)")
    print(
        f"  chat widget demo: {stack.url}/demo   clerk panel: {stack.url}/clerk   (an account: ./shouwen records clerk-add NAME)"
    )
    print("Press Ctrl-C to stop.")
    try:
        while not stopping:
            dead = stack.dead()
            if dead:
                print(
                    f"\n{', '.join(dead)} stopped unexpectedly; see .run/logs/. Stopping everything.", file=sys.stderr
                )
                stack.stop()
                return 1
            time.sleep(0.5)
    finally:
        print("\nstopping …")
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
