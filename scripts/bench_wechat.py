"""Measure the WeChat path's reply time: N signed text messages (real catalog questions, varied by
matter and by what is asked) to a running gateway's /wechat, each from its own openid, and print
p50 / p95 / max reply time and how many answers went async (reply "success", answer later by the
customer-service API).

    .venv/bin/python scripts/bench_wechat.py --base http://127.0.0.1:8000 --token "$WECHAT_TOKEN" [-n 200] [-c 1]

WeChat's own limit is 5 s per passive reply; the gateway answers "success" after
WECHAT_REPLY_BUDGET (4.5 s) and sends the answer later, so `max` should stay under 5 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wechatpy.utils import WeChatSigner

from shouwen_core.catalog import load_catalog
from shouwen_core.settings import catalog_path

__all__ = ["main", "questions"]

ASKS = ("{}要带什么材料", "{}在哪里办", "{}要多久能办好", "{}收费吗", "我想办{}", "{}怎么办理")
EVERYDAY = ("身份证丢了怎么补办", "护照过期了要带什么", "开饭店要办什么证", "孩子出生要上户口", "社保卡丢了怎么办")


def questions(n: int, seed: int = 7) -> list[str]:
    """n questions: matter names and their aliases (俗称) asked in several ways, plus everyday ones."""
    catalog = load_catalog(catalog_path())
    names = [m.name for m in catalog.matters] + [a for m in catalog.matters for a in m.aliases]
    rng = random.Random(seed)
    return [rng.choice(EVERYDAY) if i % 10 == 0 else rng.choice(ASKS).format(rng.choice(names)) for i in range(n)]


def _send(base: str, token: str, text: str) -> tuple[float, str]:
    """(seconds, "passive" | "async" | "error <status>") for one signed text message."""
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signer = WeChatSigner()
    signer.add_data(token, timestamp, nonce)
    query = urllib.parse.urlencode({"signature": signer.signature, "timestamp": timestamp, "nonce": nonce})
    openid = f"o-bench-{uuid.uuid4().hex[:16]}"
    xml = (
        f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
        f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{text}]]></Content><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>"
    )
    req = urllib.request.Request(f"{base}/wechat?{query}", data=xml.encode(), headers={"Content-Type": "text/xml"})
    started = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        outcome = "async" if body == b"success" else "passive"
    except urllib.error.HTTPError as err:
        outcome = f"error {err.code}"
    except (urllib.error.URLError, OSError) as err:
        outcome = f"error {err.__class__.__name__}"
    return time.monotonic() - started, outcome


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000", help="the gateway's base URL")
    parser.add_argument("--token", required=True, help="WECHAT_TOKEN of that gateway")
    parser.add_argument("-n", type=int, default=200, help="messages to send (default 200)")
    parser.add_argument("-c", "--concurrency", type=int, default=1, help="messages in flight at once (default 1)")
    args = parser.parse_args(argv)

    texts = questions(args.n)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.concurrency)) as pool:
        results = list(pool.map(lambda t: _send(args.base.rstrip("/"), args.token, t), texts))
    wall = time.monotonic() - started

    times = sorted(t for t, _ in results)
    outcomes = [o for _, o in results]
    errors = [o for o in outcomes if o.startswith("error")]
    p95 = times[min(len(times) - 1, round(0.95 * len(times)) - 1)]
    print(f"WeChat path: {len(results)} messages, concurrency {args.concurrency}, {wall:.1f} s wall")
    print(
        f"reply time  p50 {statistics.median(times) * 1000:.0f} ms  p95 {p95 * 1000:.0f} ms  max {times[-1] * 1000:.0f} ms"
    )
    print(f"passive {outcomes.count('passive')}  async (success + customer-service API) {outcomes.count('async')}")
    if errors:
        print(f"errors {len(errors)}: {sorted(set(errors))}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
