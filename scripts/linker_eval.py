"""Linker-only accuracy on the two matter sets of eval/, split into two fixed halves (even / odd
lines), so a change can be measured on one half and confirmed on the other. Prints aggregate
figures only. `make eval` remains the full, end-to-end measurement.

    .venv/bin/python scripts/linker_eval.py
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shouwen_core.catalog import load_catalog  # noqa: E402
from shouwen_core.linker import Linker  # noqa: E402

GUANGDONG = ROOT.parent / "shared" / "data" / "catalogs" / "guangdong_2021" / "policy.jsonl"
SETS = [
    ("sample_city", ROOT / "catalog" / "sample_city", ROOT / "eval" / "sample_city.jsonl"),
    ("guangdong", GUANGDONG, ROOT / "eval" / "guangdong.jsonl"),
]


def main() -> None:
    for name, catalog, questions in SETS:
        if not Path(catalog).exists():
            print(f"{name}: skipped, {catalog} is absent")
            continue
        linker = Linker(load_catalog(catalog))
        items = [json.loads(line) for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
        items = [i for i in items if "matter" in i]
        halves = {"A": [0, 0, 0], "B": [0, 0, 0]}
        t0 = time.perf_counter()
        for k, item in enumerate(items):
            half = halves["A" if k % 2 == 0 else "B"]
            gold = {item["matter"], *item.get("also", [])}
            ranked = [c.matter.id for c in linker.link(item["q"]).matters]
            half[0] += 1
            half[1] += bool(ranked) and ranked[0] in gold
            half[2] += bool(gold & set(ranked[:3]))
        ms = (time.perf_counter() - t0) / max(len(items), 1) * 1000
        figures = "  ".join(f"half {h}: top1 {v[1] / v[0]:.3f} top3 {v[2] / v[0]:.3f}" for h, v in halves.items())
        print(f"{name}: {figures}  ({ms:.2f} ms/question)")


if __name__ == "__main__":
    main()
