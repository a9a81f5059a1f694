"""`make bench`: speed, memory and quality of Shouwen, each measured side by side with its reference
in one run on this machine, written to reports/bench.json and reports/bench.md (+ PNG plots).

    1 linker     scripts/bench_linker.py (150 / 2,262 / 20,000 matters) and top-1 / top-3 of the
                 linker against the naive name BM25 on both eval sets
    2 stack      a single-node stack (scripts/stack.Stack) on free ports in a temp run dir, with a
                 fake WeChat API: cold start per part, RSS idle
    3 paths      parse (reference) · rasa_rest · chat · wechat · clerk suggest at c = 1, 8, 32;
                 RSS after load; the WeChat async fallback on a second gateway with a tiny budget
    4 soak       chat turns at SOAK_RATE/s for SOAK_SECONDS (default: half the measured chat
                 throughput at c=8, at most 10/s, for 600 s): errors,
                 latency and RSS over time (every 10 s)
    5 training   beside the soak, at nice 19 (a quiet training of both projects takes longer than
                 the 5 minutes the 15 leave besides the soak): a full `rasa train` of the project
                 and of a stock `rasa init` project (scripts/bench_stock.py) at once on the same
                 NLU data (temp dir), wall and CPU seconds; then both models' act / matter accuracy
                 and parse time (scripts/bench_nlu.py in the Rasa venv)
    6 side by    with the stack still up, a stock Rasa 3.6 stack (scripts/bench_stock.py: the
      side       stock model, Redis tracker store, an action server with one trivial action)
                 started beside it; bare parse, Shouwen's chat turn and the stock REST webhook
                 interleaved over COMPARE_ROUNDS rounds at c = 1, 8; the RATIOS and their goals
    7 scale-out  after the rest: chat at c = 1, 8 on two Rasa servers behind one gateway, with
                 their memory (the p95 goal against the 2 GB goal)

    Where one turn's time goes, and the action-response check with and without:
    scripts/bench_profile.py (its own run, reports/bench_profile.json, shown in bench.md).

    PYTHONPATH=. .venv/bin/python scripts/bench.py        (SOAK_SECONDS=60 for a quick run)
    PYTHONPATH=. .venv/bin/python scripts/bench.py --report   (only redraw bench.md from bench.json)
"""

from __future__ import annotations

import asyncio
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import bench_load as load  # noqa: E402
from scripts.bench_report import write_report  # noqa: E402
from scripts.bench_stock import StockStack, write_project  # noqa: E402
from scripts.stack import Stack, free_port  # noqa: E402
from tests.integration.fake_wechat import WECHAT_ENV, FakeWeChat  # noqa: E402

__all__ = ["main"]

REPORTS = ROOT / "reports"
RASA = ROOT / ".venv-rasa" / "bin" / "rasa"
RASA_PY = ROOT / ".venv-rasa" / "bin" / "python"
LEVELS = (1, 8, 32)
# Requests per concurrency level and the time cap of one level (whichever comes first).
REQUESTS = {1: 50, 8: 160, 32: 224}
LEVEL_SECONDS = 20.0
SOAK_SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
# Turns per second; default: half the chat throughput measured at c=8 in the same run, at most 10.
SOAK_RATE = os.environ.get("SOAK_RATE", "auto")
# Side by side with the stock Rasa stack (phase 6): rounds, and requests per level in each round.
COMPARE_ROUNDS = 3
COMPARE_REQUESTS = {1: 40, 8: 120}
# The ratios of issue 14, judged on the pooled side-by-side levels: (numerator, denominator,
# figure, concurrency, goal comparison, goal). "stock" is the stock stack's REST webhook.
RATIOS = {
    "chat_p50_over_parse_p50_c1": ("chat", "parse", "p50_ms", 1, "<=", 1.3),
    "chat_p95_over_parse_p95_c8": ("chat", "parse", "p95_ms", 8, "<=", 1.2),
    "chat_rps_over_stock_rps_c8": ("chat", "stock", "throughput_rps", 8, ">=", 1.5),
}


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy the machine was (others run tests here)."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"model name\s*:\s*(.+)", cpuinfo)
    rasa_py = subprocess.run([str(RASA_PY), "--version"], capture_output=True, text=True).stdout.strip()
    mem = re.search(r"MemTotal:\s*(\d+)", Path("/proc/meminfo").read_text())
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model.group(1).strip() if model else "unknown",
        "mem_total_mb": int(mem.group(1)) // 1024 if mem else None,
        "kernel": platform.release(),
        "python_gateway": platform.python_version(),
        "python_rasa": rasa_py.replace("Python ", ""),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


# ---- 1 training ------------------------------------------------------------------------------------


def start_niced(cmd: list[str], out: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start `cmd` in its own session at nice 19, and nice that session's scheduler autogroup too:
    with autogroups on (Linux's default), a process's nice value only weighs against processes of
    its own session, so without the autogroup nice a "niced" training still takes half the CPU
    from the stack's processes, which run in sessions of their own."""
    with out.open("wb") as fh:
        proc = subprocess.Popen(
            ["nice", "-n", "19", *cmd], cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        Path(f"/proc/{proc.pid}/autogroup").write_text("19")
    except OSError:  # no autogroups on this kernel: the plain nice value is enough then
        pass
    return proc


def run_niced(cmd: list[str], log: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run `cmd` niced (it shares the machine with the soak): wall seconds, and CPU seconds (user +
    sys of the process and its children, from wait4), which hold when the machine is busy."""
    t0 = time.monotonic()
    proc = start_niced(cmd, log, env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "wall_s": round(time.monotonic() - t0, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "rc": proc.returncode,
    }


def _train(config: Path, domain: Path, data: Path, out: Path, name: str) -> dict[str, Any]:
    """A full `rasa train` (NLU and dialogue, as a Rasa user trains), Rasa's cache off (so both
    pipelines train from scratch)."""
    env = dict(os.environ, RASA_MAX_CACHE_SIZE="0", TF_CPP_MIN_LOG_LEVEL="2", PYTHONPATH=str(ROOT))
    cmd = [str(RASA), "train", "--config", str(config), "--domain", str(domain), "--data", "nlu_data", str(data)]
    cmd += ["--out", str(out), "--fixed-model-name", name, "--quiet"]
    log = out / f"train-{name}.log"
    run = run_niced(cmd, log, env)
    if run["rc"] != 0:
        raise RuntimeError(f"training {name} failed:\n{log.read_text('utf-8', 'replace')[-2000:]}")
    return {"train_s": run["wall_s"], "train_cpu_s": run["cpu_s"], "model": str(out / f"{name}.tar.gz")}


def training(tmp: Path) -> dict[str, Any]:
    """Both projects at once (same conditions, same NLU data: nlu_data/; each its own domain and
    rules: the project's bot/, the stock one's from scripts/bench_stock.py), then their NLU quality
    and parse time on the eval sets. Runs beside the soak at nice 19: 15 minutes do not hold a
    quiet training and a 10-minute soak. The stock model then serves the stock stack (phase 6)."""
    stock = write_project(tmp / "stock")
    with ThreadPoolExecutor(2) as pool:
        jobs = {
            "project": pool.submit(
                _train, ROOT / "config.yml", ROOT / "bot/domain.yml", ROOT / "bot/data", tmp, "project"
            )
        }
        jobs["stock"] = pool.submit(_train, stock / "config.yml", stock / "domain.yml", stock / "data", tmp, "stock")
        out = {name: job.result() for name, job in jobs.items()}
    say(f"trained: project {out['project']['train_s']} s, stock {out['stock']['train_s']} s; evaluating …")
    args = [f"{k}={v['model']}" for k, v in out.items()]
    env = dict(os.environ, PYTHONPATH=str(ROOT), TF_CPP_MIN_LOG_LEVEL="3")
    log = tmp / "bench-nlu.log"
    run = run_niced([str(RASA_PY), "scripts/bench_nlu.py", *args], log, env)
    lines = log.read_text("utf-8", "replace").strip().splitlines()
    found = [line for line in lines if line.startswith('{"')]  # stdout's JSON among stderr's warnings
    if run["rc"] != 0 or not found:
        raise RuntimeError("bench_nlu failed:\n" + "\n".join(lines[-30:]))
    quality = json.loads(found[-1])
    for name in out:
        out[name].update(quality[name])
    say("training and NLU quality done")
    return out


# ---- 2 linker ---------------------------------------------------------------------------------------


def linker_quality() -> dict[str, Any]:
    """Top-1 / top-3 and time per question of the linker and the naive name BM25, same questions."""
    from scripts.linker_eval import SETS
    from shouwen_core.catalog import load_catalog
    from shouwen_core.linker import Linker
    from shouwen_core.linker.baseline import NameBM25

    out: dict[str, Any] = {}
    for name, catalog_path, questions in SETS:
        if not Path(catalog_path).exists():
            out[name] = {"skipped": f"{catalog_path} absent"}
            continue
        catalog = load_catalog(catalog_path)
        items = [json.loads(x) for x in questions.read_text("utf-8").splitlines() if x.strip()]
        items = [i for i in items if "matter" in i]
        rankers = {
            "linker": partial(_linked_ids, Linker(catalog)),
            "bm25": NameBM25({m.id: m.name for m in catalog.matters}).rank,
        }
        out[name] = {"questions": len(items), "matters": len(catalog.matters)}
        for rname, rank in rankers.items():
            out[name][rname] = _score(rank, items)
    return out


def _linked_ids(linker: Any, question: str) -> list[str]:
    return [c.matter.id for c in linker.link(question).matters]


def _score(rank: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    top1 = top3 = 0
    t0 = time.perf_counter()
    for item in items:
        gold = {item["matter"], *item.get("also", [])}
        ranked = rank(item["q"])
        top1 += bool(ranked) and ranked[0] in gold
        top3 += bool(gold & set(ranked[:3]))
    ms = (time.perf_counter() - t0) * 1000 / max(len(items), 1)
    n = max(len(items), 1)
    return {"top1": round(top1 / n, 4), "top3": round(top3 / n, 4), "ms_per_question": round(ms, 3)}


def linker() -> dict[str, Any]:
    """The matcher scaling benchmark (its own script, its own JSON and plot) plus the quality."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "scripts/bench_linker.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    scaling_file = REPORTS / "bench_linker.json"
    scaling = json.loads(scaling_file.read_text()) if done.returncode == 0 and scaling_file.exists() else None
    return {"scaling": scaling, "scaling_log": done.stdout[-1500:], "quality": linker_quality()}


# ---- 3 stack -----------------------------------------------------------------------------------------


def stack_env(tmp: Path, fake: FakeWeChat) -> None:
    """The bench stack's environment (Stack passes os.environ on): its own records DB and run dir,
    the WeChat account in plain mode against the fake API, and rate limits off (0 disables)."""
    os.environ.pop("WECHAT_AES_KEY", None)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{tmp / 'records.sqlite'}",
        SHOUWEN_RUN_DIR=str(tmp),
        WECHAT_TOKEN=WECHAT_ENV["WECHAT_TOKEN"],
        WECHAT_APPID=WECHAT_ENV["WECHAT_APPID"],
        WECHAT_SECRET=WECHAT_ENV["WECHAT_SECRET"],
        WECHAT_API_BASE=fake.base,
        RATE_PER_SENDER="0",
        RATE_PER_IP="0",
        SESSION_SECRET="bench-session-secret-not-for-production",
    )


def start_stack(tmp: Path) -> tuple[Stack, dict[str, Any]]:
    """Start every part and time process start → ready per part, and start → first chat answer."""
    stack = Stack(port=free_port(), rasa_port=free_port(), action_port=free_port(), redis_port=free_port(), run_dir=tmp)
    marks: dict[str, float] = {}

    def echo(line: str) -> None:
        m = re.match(r"\s*(?:starting ([\w-]+)|([\w-]+) ready in)", line)
        if m:
            marks[(m.group(1) and f"{m.group(1)}:start") or f"{m.group(2)}:ready"] = time.monotonic()

    t0 = time.monotonic()
    stack.start(echo)
    started = time.monotonic()
    first = httpx.post(
        f"{stack.url}/api/chat", json={"sender": "bench-first", "message": "身份证丢了怎么补办"}, timeout=60
    )
    answered = time.monotonic()
    parts = {
        p.name: round(marks[f"{p.name}:ready"] - marks[f"{p.name}:start"], 2)
        for p in stack.parts
        if f"{p.name}:ready" in marks
    }
    cold = {
        "parts_s": parts,
        "start_call_s": round(started - t0, 2),
        "first_chat_s": round(answered - started, 3),
        "first_chat_status": first.status_code,
        "total_s": round(answered - t0, 2),
    }
    return stack, cold


def memory(stack: Stack, extra: dict[str, int] | None = None) -> dict[str, int]:
    """Resident KB per part (process tree), plus any extra processes (the second gateway)."""
    out = {p.name: load.rss_tree(p.proc.pid) for p in stack.parts if p.proc and p.proc.poll() is None}
    for name, pid in (extra or {}).items():
        out[name] = load.rss_tree(pid)
    return out


def second_gateway(stack: Stack, budget: float) -> tuple[subprocess.Popen[bytes], str]:
    """A second gateway on the same Rasa and Redis with a tiny WeChat reply budget, its environment
    copied from the running gateway's /proc entry (the same settings but WECHAT_REPLY_BUDGET)."""
    gw = next(p for p in stack.parts if p.name == "gateway")
    assert gw.proc is not None
    raw = Path(f"/proc/{gw.proc.pid}/environ").read_bytes().split(b"\0")
    env = dict(kv.decode().split("=", 1) for kv in raw if b"=" in kv)
    env["WECHAT_REPLY_BUDGET"] = str(budget)
    port = free_port()
    cmd = [str(ROOT / ".venv/bin/uvicorn"), "connectors.main:app", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen([*cmd, "--log-level", "warning"], cwd=ROOT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    proc.terminate()
    raise RuntimeError("second gateway did not start")


async def clerk_login(gateway: str) -> dict[str, str]:
    """A clerk account in the bench DB and its session cookie, through the real login form."""
    from shouwen_records import connect
    from shouwen_records.clerks import create_clerk

    create_clerk(connect(os.environ["DATABASE_URL"]), "bench", "bench-password-123")
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        form = await client.get("/clerk/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        data = {"username": "bench", "password": "bench-password-123", "csrf": csrf.group(1) if csrf else ""}
        await client.post("/clerk/login", data={**data, "next": "/clerk"})
        cookie = client.cookies.get("shouwen_clerk")
    if not cookie:
        raise RuntimeError("clerk login failed")
    return {"shouwen_clerk": cookie}


# ---- 4 paths -----------------------------------------------------------------------------------------


async def suggest_target(gateway: str, texts: list[str]) -> tuple[load.Target, str]:
    """The clerk panel's suggestion endpoint, or GET /api/matters (same linker) when it is not ready."""
    try:
        cookies = await clerk_login(gateway)
        target = load.suggest_path(gateway, cookies)
        async with httpx.AsyncClient(cookies=cookies, timeout=30) as client:
            if await target.request(client, texts[0]) == "ok":
                return target, "/clerk/api/suggest"
    except (RuntimeError, ImportError, ValueError, httpx.HTTPError) as exc:
        say(f"clerk suggest not usable ({exc}); benching /api/matters instead")
    return replace(load.suggest_path(gateway, {}, "/api/matters"), name="suggest"), "/api/matters"


async def paths(stack: Stack, texts: list[str], async_openids: list[str]) -> tuple[list[dict[str, Any]], str]:
    """Every path at every level, the reference (parse) first; a few warm-up requests each."""
    rasa = f"http://127.0.0.1:{stack.rasa_port}"
    suggest, endpoint = await suggest_target(stack.url, texts)
    targets = [
        load.parse_path(rasa),
        load.chat_path(stack.url),
        load.wechat_path(stack.url, WECHAT_ENV["WECHAT_TOKEN"], async_openids),
        suggest,
    ]
    targets.insert(1, load.rasa_rest_path(rasa))
    rows = []
    for target in targets:
        rows += await levels(target, texts, LEVELS if target.name != "rasa_rest" else LEVELS[:2])
    return rows, endpoint


async def levels(
    target: load.Target, texts: list[str], concurrencies: tuple[int, ...], label: str = ""
) -> list[dict[str, Any]]:
    """A short warm-up (not reported), then one closed-loop level per concurrency."""
    await load.run_level(target, texts[-8:], 2, 8, 30)
    rows = []
    for level in concurrencies:
        row = await load.run_level(target, texts, level, REQUESTS[level], LEVEL_SECONDS)
        rows.append(row)
        say(
            f"{label or target.name:>9} c={level:<3} p50 {row['p50_ms']} p95 {row['p95_ms']} ms, errors {row['errors']}"
        )
    return rows


async def fallback(stack: Stack, fake: FakeWeChat, texts: list[str], budget: float) -> dict[str, Any]:
    """A concurrency-32 burst on a gateway whose reply budget is `budget` s: every message must be
    answered either in the passive reply or through the (fake) customer-service API."""
    proc, url = second_gateway(stack, budget)
    openids: list[str] = []
    try:
        row = await load.run_level(load.wechat_path(url, WECHAT_ENV["WECHAT_TOKEN"], openids), texts, 32, 96, 60)
        delivered = await _delivered(fake, openids, 90)
        rss = load.rss_tree(proc.pid)
    finally:
        proc.terminate()
        proc.wait(15)
    return row | {"budget_s": budget, "async_delivered": delivered, "gateway2_rss_kb": rss}


async def _delivered(fake: FakeWeChat, openids: list[str], seconds: float) -> int:
    """How many of the async openids got their answer through the fake API within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        got = sum(1 for o in openids if fake.messages_to(o))
        if got == len(openids) or time.monotonic() > deadline:
            return got
        await asyncio.sleep(0.5)


# ---- 5 soak --------------------------------------------------------------------------------------------


def soak_rate(paths: list[dict[str, Any]]) -> float:
    """SOAK_RATE, or half the chat throughput at c=8 of this run (at most 10/s): a soak tests that
    nothing leaks or breaks over time at a load the stack carries with headroom, not its capacity;
    this machine is shared, and a rate near capacity measures the neighbours' load instead."""
    if SOAK_RATE != "auto":
        return float(SOAK_RATE)
    c8 = next((r["throughput_rps"] for r in paths if r["path"] == "chat" and r["concurrency"] == 8), None)
    return round(min(10.0, 0.5 * c8), 1) if c8 else 5.0


async def soak(stack: Stack, texts: list[str], rate: float) -> dict[str, Any]:
    """Steady chat turns on the single-node stack; RSS of every part every 10 s."""
    run = await load.run_steady(load.chat_path(stack.url), texts, rate, SOAK_SECONDS, 10.0, lambda: memory(stack))
    reqs = run["requests"]
    errors = [k for _, _, k in reqs if k.startswith("error")]
    window = min(60.0, SOAK_SECONDS / 4)
    totals = [(s["t"], sum(v for k, v in s.items() if k != "t")) for s in run["samples"]]
    first = [v for t, v in totals if t <= window] or [totals[0][1]]
    last = [v for t, v in totals if t >= totals[-1][0] - window] or [totals[-1][1]]
    growth = (sum(last) / len(last)) / (sum(first) / len(first)) - 1
    return run | {
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "window_s": window,
        "memory_growth_pct": round(100 * growth, 2),
        "latency": load.summarize([(lat, k) for _, lat, k in reqs], SOAK_SECONDS),
    }


# ---- 6 side by side with a stock Rasa stack --------------------------------------------------------


async def compare(stack: Stack, tmp: Path, model: Path) -> dict[str, Any]:
    """Bare parse, Shouwen's chat turn and the stock stack's REST webhook, interleaved: each round
    runs the three at c=1, then the three at c=8, so the neighbours' load on this shared machine
    falls on all three alike; the rounds are pooled per path and level. Then the RATIOS."""
    stock = StockStack(
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        redis_port=free_port(),
        run_dir=tmp / "stock-run",
        model=model,
        project=tmp / "stock",
    )
    say("side by side: starting the stock Rasa stack …")
    t0 = time.monotonic()
    stock.start()
    started = round(time.monotonic() - t0, 1)
    try:
        targets = [
            load.parse_path(f"http://127.0.0.1:{stack.rasa_port}"),
            load.chat_path(stack.url),
            replace(load.rasa_rest_path(f"http://127.0.0.1:{stock.rasa_port}"), name="stock"),
        ]
        texts = load.questions(ROOT)
        for target in targets:
            await load.run_level(target, texts[-8:], 2, 8, 30)
        rows = await _rounds(targets, texts)
        memory = {p.name: load.rss_tree(p.proc.pid) for p in stock.parts if p.proc}
    finally:
        stock.stop()
    return {"rows": rows, "ratios": ratios(rows), "stock_start_s": started, "stock_memory_kb": memory}


async def _rounds(targets: list[load.Target], texts: list[str]) -> list[dict[str, Any]]:
    pooled: dict[tuple[str, int], list[load.Outcome]] = {}
    wall: dict[tuple[str, int], float] = {}
    for _ in range(COMPARE_ROUNDS):
        for c, n in COMPARE_REQUESTS.items():
            for target in targets:
                row = await load.run_level(target, texts, c, n, LEVEL_SECONDS, keep=True)
                pooled.setdefault((target.name, c), []).extend(row["raw"])
                wall[target.name, c] = wall.get((target.name, c), 0.0) + row["wall_s"]
    rows = []
    for (name, c), outcomes in pooled.items():
        rows.append(load.summarize(outcomes, wall[name, c]) | {"path": name, "concurrency": c})
        r = rows[-1]
        say(f"side by side {name:>6} c={c} p50 {r['p50_ms']} p95 {r['p95_ms']} ms, {r['throughput_rps']}/s")
    return rows


def ratios(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """RATIOS on the pooled rows, each with its goal and whether it is met."""
    at = {(r["path"], r["concurrency"]): r for r in rows}
    out = {}
    for name, (num, den, figure, c, op, goal) in RATIOS.items():
        value = at[num, c][figure] / at[den, c][figure]
        met = value <= goal if op == "<=" else value >= goal
        out[name] = {"value": round(value, 3), "numerator": at[num, c][figure], "denominator": at[den, c][figure]}
        out[name] |= {"goal": f"{'≤' if op == '<=' else '≥'} {goal}", "met": met}
    return out


# ---- main ----------------------------------------------------------------------------------------------


def fake_wechat() -> FakeWeChat:
    """The fake WeChat API with a listen backlog for bursts: a fallback burst sends ~100 answers at
    once, more than http.server's default backlog of 5 connections would take."""
    fake = FakeWeChat()
    fake._server.socket.listen(128)
    return fake.start()


async def measure_stack(tmp: Path, result: dict[str, Any]) -> None:
    """Phases 3-5 on one stack; the training (phase 1) runs beside the soak, at nice 19."""
    fake = fake_wechat()
    stack_env(tmp, fake)
    say("starting the single-node stack (cold) …")
    stack, result["cold_start"] = start_stack(tmp)
    train: asyncio.Task[dict[str, Any]] | None = None
    try:
        texts = load.questions(ROOT)
        result["memory"] = {"idle_kb": memory(stack)}
        async_openids: list[str] = []
        result["paths"], result["suggest_endpoint"] = await paths(stack, texts, async_openids)
        result["memory"]["after_load_kb"] = memory(stack)
        result["wechat_async_main"] = {
            "async": len(async_openids),
            "delivered": await _delivered(fake, async_openids, 60),
        }
        say("WeChat async fallback burst on a second gateway …")
        result["wechat_fallback"] = await fallback(stack, fake, texts, 0.3)
        say("training both pipelines (nice 19) beside the soak …")
        train = asyncio.create_task(asyncio.to_thread(training, tmp))
        trained_at: list[float] = []
        train.add_done_callback(lambda _: trained_at.append(time.monotonic()))
        rate = soak_rate(result["paths"])
        say(f"soak: {rate:g} chat turns/s for {SOAK_SECONDS:g} s …")
        soak_start = time.monotonic()
        result["soak"] = await soak(stack, texts, rate)
        # How much of the soak had the (niced) training beside it.
        beside = min(trained_at[0] if trained_at else time.monotonic(), time.monotonic()) - soak_start
        result["soak"]["training_beside_s"] = round(beside, 1)
        result["memory"]["after_soak_kb"] = memory(stack)
        result["training"] = await train
        result["compare"] = await compare(stack, tmp, Path(result["training"]["stock"]["model"]))
    finally:
        stack.stop()
        fake.stop()
        if train is not None and not train.done():
            await asyncio.wait([train])


async def scale_out(tmp: Path) -> dict[str, Any]:
    """Beside the goals: the chat path at c = 1 and 8 with two Rasa servers (each with its action
    server) behind one gateway, and the memory they take: what the p95 goal would cost in RAM."""
    run_dir = tmp / "scale-out"
    run_dir.mkdir()
    stack = Stack(
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        redis_port=free_port(),
        run_dir=run_dir,
        rasa_workers=2,
    )
    say("scale-out side figure: two Rasa servers …")
    stack.start()
    try:
        rows = await levels(load.chat_path(stack.url), load.questions(ROOT), LEVELS[:2], "chat (2 Rasa)")
        return {"rasa_servers": 2, "gateways": 1, "paths": rows, "memory_kb": memory(stack)}
    finally:
        stack.stop()


def main() -> int:
    if sys.argv[1:] == ["--report"]:  # redraw bench.md and the plots from bench.json, measure nothing
        write_report(json.loads((REPORTS / "bench.json").read_text("utf-8")), REPORTS)
        return 0
    t0 = time.monotonic()
    REPORTS.mkdir(exist_ok=True)
    result: dict[str, Any] = {"command": "make bench", "soak_seconds": SOAK_SECONDS, "machine": machine()}
    result["load_plan"] = {"requests": REQUESTS, "level_seconds": LEVEL_SECONDS, "soak_rate": SOAK_RATE}
    with tempfile.TemporaryDirectory(prefix="shouwen-bench-") as tmp_name:
        say("linker scaling and quality …")
        result["linker"] = linker()
        asyncio.run(measure_stack(Path(tmp_name), result))
        result["scale_out"] = asyncio.run(scale_out(Path(tmp_name)))
    result["machine"]["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    result["wall_s"] = round(time.monotonic() - t0, 1)
    (REPORTS / "bench.json").write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    write_report(result, REPORTS)
    for name, r in result["compare"]["ratios"].items():
        verdict = "goal met" if r["met"] else "goal NOT met"
        say(f"{name}: {r['value']:.2f} ({r['numerator']} / {r['denominator']}), goal {r['goal']}: {verdict}")
    say(f"done in {result['wall_s'] / 60:.1f} min: reports/bench.md, reports/bench.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
