"""Load generation and process measurement for `make bench` (scripts/bench.py), gateway venv.

    Path (a name + one coroutine per request)   parse · chat · wechat · suggest
    run_level(path, texts, concurrency, n, s)   closed loop: `concurrency` workers share the
                                                questions; stops after n requests or s seconds
    run_steady(path, texts, rate, seconds, ...) open loop at a fixed rate (the soak): a request starts
                                                every 1/rate s whether or not the last one finished,
                                                so a slow server shows as latency, not as less load
    rss_tree(pid)                               VmRSS of a process and all its descendants (/proc)

Each request gives an `Outcome`: "ok", "passive" / "async" (WeChat), or "error <why>". Every
conversation has its own sender, so Rasa's tracker store sees as many conversations as requests.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from wechatpy.utils import WeChatSigner

__all__ = [
    "Target",
    "chat_path",
    "parse_path",
    "percentile",
    "questions",
    "rasa_rest_path",
    "rss_tree",
    "run_level",
    "run_steady",
    "suggest_path",
    "summarize",
    "wechat_path",
]

Outcome = tuple[float, str]
Request = Callable[[httpx.AsyncClient, str], Awaitable[str]]


@dataclass
class Target:
    """One measured path: a name and how one request is made (the client is shared per level)."""

    name: str
    request: Request
    cookies: dict[str, str] = field(default_factory=dict)


def questions(root: Path) -> list[str]:
    """Realistic varied texts: every question of the sample-city set and the not-a-matter set,
    interleaved so that each level sees both matters and complaints / chit-chat."""
    sets = [root / "eval" / "sample_city.jsonl", root / "eval" / "not_a_matter.jsonl"]
    lists = [[json.loads(x)["q"] for x in p.read_text("utf-8").splitlines() if x.strip()] for p in sets]
    main, other = lists
    out: list[str] = []
    step = max(1, len(main) // max(len(other), 1))
    for i, q in enumerate(main):
        out.append(q)
        if i % step == 0 and other:
            out.append(other[(i // step) % len(other)])
    return out


def _sender() -> str:
    return f"bench-{uuid.uuid4().hex[:16]}"


def parse_path(rasa_url: str) -> Target:
    """The reference: Rasa's bare NLU parse, no dialogue, no actions, no gateway."""

    async def request(client: httpx.AsyncClient, text: str) -> str:
        resp = await client.post(f"{rasa_url}/model/parse", json={"text": text})
        return "ok" if resp.status_code == 200 and "intent" in resp.json() else f"error {resp.status_code}"

    return Target("parse", request)


def rasa_rest_path(rasa_url: str) -> Target:
    """Rasa's REST channel straight, without the gateway: splits the chat turn's overhead into
    Rasa's dialogue + actions (this minus parse) and the gateway (chat minus this)."""

    async def request(client: httpx.AsyncClient, text: str) -> str:
        resp = await client.post(f"{rasa_url}/webhooks/rest/webhook", json={"sender": _sender(), "message": text})
        if resp.status_code != 200:
            return f"error {resp.status_code}"
        return "ok" if resp.json() else "error empty"

    return Target("rasa_rest", request)


def chat_path(gateway: str) -> Target:
    """A full chat turn: gateway → Rasa (REST channel, tracker in Redis) → action server → reply."""

    async def request(client: httpx.AsyncClient, text: str) -> str:
        resp = await client.post(f"{gateway}/api/chat", json={"sender": _sender(), "message": text})
        if resp.status_code != 200:
            return f"error {resp.status_code}"
        return "ok" if resp.json().get("replies") else "error empty"

    return Target("chat", request)


def wechat_message(token: str, text: str) -> tuple[dict[str, str], bytes, str]:
    """(query, body, openid) of a signed plain-mode text message, as WeChat sends it (the same
    message scripts/bench_wechat.py sends, built here for an async client)."""
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    openid = f"o-bench-{uuid.uuid4().hex[:16]}"
    xml = (
        f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>"
    )
    return {"signature": signer.signature, "timestamp": timestamp, "nonce": nonce}, xml.encode(), openid


def wechat_path(gateway: str, token: str, openids: list[str] | None = None) -> Target:
    """The WeChat callback: "passive" when the answer came in the reply, "async" when the gateway
    replied "success" and sends the answer by the customer-service API. `openids` collects the
    async ones so the caller can check that the fake WeChat API received their answers."""

    async def request(client: httpx.AsyncClient, text: str) -> str:
        query, body, openid = wechat_message(token, text)
        resp = await client.post(f"{gateway}/wechat", params=query, content=body, headers={"Content-Type": "text/xml"})
        if resp.status_code != 200:
            return f"error {resp.status_code}"
        if resp.content == b"success":
            if openids is not None:
                openids.append(openid)
            return "async"
        return "passive" if b"<xml>" in resp.content else "error body"

    return Target("wechat", request)


def suggest_path(gateway: str, cookies: dict[str, str], endpoint: str = "/clerk/api/suggest") -> Target:
    """The clerk panel's suggestion (as typed at the window); needs a logged-in clerk's cookie."""

    async def request(client: httpx.AsyncClient, text: str) -> str:
        resp = await client.get(f"{gateway}{endpoint}", params={"q": text})
        return "ok" if resp.status_code == 200 else f"error {resp.status_code}"

    return Target("suggest", request, cookies)


async def _timed(path: Target, client: httpx.AsyncClient, text: str) -> Outcome:
    started = time.perf_counter()
    try:
        kind = await path.request(client, text)
    except httpx.HTTPError as exc:
        kind = f"error {exc.__class__.__name__}"
    return time.perf_counter() - started, kind


def _client(path: Target, concurrency: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    return httpx.AsyncClient(timeout=30, limits=limits, cookies=path.cookies)


async def run_level(
    path: Target, texts: list[str], concurrency: int, n: int, seconds: float, keep: bool = False
) -> dict[str, Any]:
    """Closed loop at a fixed concurrency: n requests, or fewer if `seconds` run out first. With
    `keep`, the row also holds every (latency, outcome) under "raw", to pool rounds of one level."""
    outcomes: list[Outcome] = []
    counter = iter(range(n))
    deadline = time.perf_counter() + seconds
    async with _client(path, concurrency) as client:

        async def worker() -> None:
            for i in counter:
                if time.perf_counter() > deadline:
                    return
                outcomes.append(await _timed(path, client, texts[i % len(texts)]))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        wall = time.perf_counter() - started
    row = summarize(outcomes, wall) | {"path": path.name, "concurrency": concurrency}
    return row | {"raw": outcomes} if keep else row


async def run_steady(
    path: Target, texts: list[str], rate: float, seconds: float, every: float, sample: Callable[[], dict[str, int]]
) -> dict[str, Any]:
    """Open loop at `rate` requests per second for `seconds`; `sample()` (RSS per part) every
    `every` seconds. Returns per-request (start offset, latency, kind) and the samples."""
    requests: list[tuple[float, float, str]] = []
    samples: list[dict[str, Any]] = []
    tasks: set[asyncio.Task[None]] = set()
    async with _client(path, 64) as client:
        t0 = time.perf_counter()

        async def one(i: int, offset: float) -> None:
            latency, kind = await _timed(path, client, texts[i % len(texts)])
            requests.append((offset, latency, kind))

        i, next_sample = 0, 0.0
        while (now := time.perf_counter() - t0) < seconds:
            if now >= next_sample:
                samples.append({"t": round(now, 1), **sample()})
                next_sample += every
            task = asyncio.create_task(one(i, now))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            i += 1
            await asyncio.sleep(max(0.0, t0 + i / rate - time.perf_counter()))
        await asyncio.gather(*tasks)
        samples.append({"t": round(time.perf_counter() - t0, 1), **sample()})
    return {"requests": sorted(requests), "samples": samples, "rate": rate, "seconds": seconds}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (the value at or above p % of the requests)."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, -(-len(sorted_values) * p // 100) - 1))
    return sorted_values[int(k)]


def summarize(outcomes: list[Outcome], wall: float) -> dict[str, Any]:
    """Latency percentiles (ms) over every request, throughput over the wall time, outcome counts."""
    times = sorted(t * 1000 for t, _ in outcomes)
    kinds = Counter(k for _, k in outcomes)
    errors = {k: v for k, v in kinds.items() if k.startswith("error")}
    return {
        "requests": len(outcomes),
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(outcomes) / wall, 2) if wall else None,
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "max_ms": round(times[-1], 1) if times else None,
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "outcomes": dict(kinds),
    }


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        out.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return out


def _vmrss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_tree(pid: int) -> int:
    """Resident KB of `pid` and its descendants (Rasa and uvicorn may fork helpers)."""
    children = _children()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += _vmrss_kb(p)
        todo.extend(children.get(p, []))
    return total
