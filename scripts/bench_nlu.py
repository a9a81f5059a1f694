"""NLU quality and parse time of trained models side by side, for `make bench` (Rasa venv).

    .venv-rasa/bin/python scripts/bench_nlu.py NAME=MODEL.tar.gz [NAME=MODEL.tar.gz ...]  → JSON on stdout

For each model, on eval/sample_city.jsonl + eval/not_a_matter.jsonl (never trained on):
  act accuracy   the raw NLU intent against the gold act (no correction by the core, unlike
                 `make eval`, so that a pipeline is compared with a pipeline)
  matter top-1   the first of the parse's `matters` (the project's MatterLinker) or, failing that,
                 a `matter` entity; a pipeline without a linker has neither and scores n/a
  parse ms       Agent.parse_message per question, p50 / p95 wall, after one warm-up parse, and
                 the CPU ms per parse of this process (all threads): the figure that holds when
                 the machine is busy (make bench runs this beside the soak, at nice 19)
  load s         Agent.load of the model
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

__all__ = ["evaluate", "main"]


def _quiet() -> None:
    """stdout carries the JSON only: TensorFlow, Rasa's structlog and warnings are muted."""
    import structlog

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))


def _items() -> list[dict[str, Any]]:
    out = []
    for name in ("sample_city.jsonl", "not_a_matter.jsonl"):
        for line in (ROOT / "eval" / name).read_text("utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line))
    return out


def _matter(parse: dict[str, Any]) -> str | None:
    if parse.get("matters"):
        return str(parse["matters"][0]["id"])
    ents = [e for e in parse.get("entities") or [] if e.get("entity") == "matter"]
    return str(ents[0]["value"]) if ents else None


async def evaluate(model: Path, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Load `model`, parse every item, and score act and matter against the gold labels."""
    from rasa.core.agent import Agent

    t0 = time.perf_counter()
    agent = Agent.load(str(model))
    load_s = time.perf_counter() - t0
    await agent.parse_message("身份证丢了怎么补办")  # the first parse builds the TF graph
    acts = matters = with_matter = linked = 0
    times = []
    cpu0 = time.process_time()
    for item in items:
        t = time.perf_counter()
        parse = await agent.parse_message(item["q"])
        times.append((time.perf_counter() - t) * 1000)
        acts += ((parse.get("intent") or {}).get("name")) == item.get("act")
        if "matter" in item:
            with_matter += 1
            got = _matter(parse)
            linked += got is not None
            matters += got in {item["matter"], *item.get("also", [])}
    cpu_ms = (time.process_time() - cpu0) * 1000 / len(items)
    times.sort()
    return {
        "questions": len(items),
        "load_s": round(load_s, 2),
        "act_accuracy": round(acts / len(items), 4),
        "matter_top1": round(matters / with_matter, 4) if linked else None,
        "matter_questions": with_matter,
        "parse_ms_p50": round(times[len(times) // 2], 2),
        "parse_ms_p95": round(times[int(len(times) * 0.95)], 2),
        "parse_cpu_ms_mean": round(cpu_ms, 2),
    }


async def _run(models: dict[str, Path]) -> dict[str, Any]:
    items = _items()
    return {name: await evaluate(path, items) for name, path in models.items()}


def main(argv: list[str]) -> int:
    _quiet()
    models = dict((a.split("=", 1)[0], Path(a.split("=", 1)[1])) for a in argv)
    print(json.dumps(asyncio.run(_run(models)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
