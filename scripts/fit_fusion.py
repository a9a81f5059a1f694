"""Fit the fusion model (shouwen_core/linker/fusion.json) and report it on held-out questions.

    training  = questions generated from catalog fields (aliases, 情形, names in a question frame)
                + the dev half of eval/sample_city.jsonl and eval/guangdong.jsonl (even lines)
    report    = the other half (odd lines) and eval/guangdong_heldout.jsonl, never fitted on

For every question, the candidate pool of both signals (Linker.pool) gives one row per candidate,
labelled 1 for the gold matter; a logistic regression (numpy, L2) is fitted for the dense
features and for the lexical ones alone. The report prints top-1 of the fused ranking and how
well the probability of the top candidate is calibrated, with the share answered and right at
each threshold, from which CONFIDENT / PLAUSIBLE are chosen (linker.py).

    .venv/bin/python scripts/fit_fusion.py            # fit, write fusion.json, report
    .venv/bin/python scripts/fit_fusion.py --report   # report the committed weights only
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shouwen_core.catalog import load_catalog  # noqa: E402
from shouwen_core.catalog.model import Catalog  # noqa: E402
from shouwen_core.linker import Linker  # noqa: E402
from shouwen_core.linker.fusion import DENSE_FEATURES, LEXICAL_FEATURES, WEIGHTS_FILE, FusionModel, features  # noqa: E402

GUANGDONG = ROOT.parent / "shared" / "data" / "catalogs" / "guangdong_2021" / "policy.jsonl"
FRAMES = ("{}需要什么材料", "{}怎么办理", "我想办{}", "{}在哪里办", "请问{}要多久", "{}")


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def generated(catalog: Catalog, n: int, seed: int = 7) -> list[dict[str, Any]]:
    """Questions made from catalog fields: an alias or a 情形 in a question frame."""
    rng = random.Random(seed)
    out = []
    for m in rng.sample(catalog.matters, min(n, len(catalog.matters))):
        phrases = [*m.aliases, *(c.name for c in m.cases if len(c.name) >= 4)]
        phrase = rng.choice(phrases) if phrases and rng.random() < 0.7 else m.name
        out.append({"q": rng.choice(FRAMES).format(phrase), "matter": m.id})
    return out


def rows(linker: Linker, items: list[dict[str, Any]], dense: bool) -> list[tuple[list[dict[str, float]], list[int]]]:
    out = []
    for item in items:
        gold = {item["matter"], *item.get("also", [])} if "matter" in item else set()
        qv = linker.query_vector(item["q"]) if dense else None
        pool = linker.pool(item["q"], qv)
        if not pool:
            out.append(([], []))
            continue
        feats = features([raw for _, raw, _ in pool], dense)
        out.append((feats, [int(m.id in gold) for m, _, _ in pool]))
    return out


def fit(data: list[tuple[list[dict[str, float]], list[int]]], names: tuple[str, ...], l2: float = 1e-3) -> FusionModel:
    x = np.array([[f[n] for n in names] for feats, _ in data for f in feats], dtype=np.float64)
    y = np.array([lab for _, labels in data for lab in labels], dtype=np.float64)
    mu, sd = x.mean(0), x.std(0) + 1e-9
    z = (x - mu) / sd
    w = np.zeros(z.shape[1])
    b = 0.0
    pos = max(y.sum(), 1.0)
    for _ in range(3000):  # plain gradient descent on the mean log-loss: small data, stable
        p = 1 / (1 + np.exp(-(z @ w + b)))
        g = p - y
        w -= 0.5 * (z.T @ g / len(y) + l2 * w)
        b -= 0.5 * g.mean()
    del pos
    # Back to raw feature units, so the model needs no scaler at run time.
    return FusionModel(names, list(w / sd), float(b - (w * mu / sd).sum()))


def report(name: str, data: list[tuple[list[dict[str, float]], list[int]]], model: FusionModel) -> dict[str, Any]:
    tops = []
    for feats, labels in data:
        if not feats:
            tops.append((0.0, 0.0, False, False))
            continue
        probs = [model.prob(f) for f in feats]
        order = sorted(range(len(probs)), key=lambda i: -probs[i])
        second = probs[order[1]] if len(order) > 1 else 0.0
        tops.append((probs[order[0]], second, bool(labels[order[0]]), any(labels[i] for i in order[:3])))
    n = len(tops)
    out: dict[str, Any] = {
        "set": name,
        "n": n,
        "top1": round(sum(t[2] for t in tops) / n, 3),
        "top3": round(sum(t[3] for t in tops) / n, 3),
    }
    bins = []
    for lo, hi in ((0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01)):
        inside = [t for t in tops if lo <= t[0] < hi]
        if inside:
            bins.append(
                f"[{lo:.1f},{min(hi, 1):.1f}) n={len(inside)} mean p={np.mean([t[0] for t in inside]):.2f} right={np.mean([t[2] for t in inside]):.2f}"
            )
    out["calibration"] = bins
    out["thresholds"] = {
        f"{th:.2f}": {
            "answered": round(sum(t[0] >= th for t in tops) / n, 3),
            "right_when_answered": round(
                sum(t[2] for t in tops if t[0] >= th) / max(1, sum(t[0] >= th for t in tops)), 3
            ),
        }
        for th in (0.3, 0.4, 0.5, 0.6, 0.7)
    }
    return out


def main() -> int:
    only_report = "--report" in sys.argv
    t0 = time.perf_counter()
    catalogs = {"sample_city": load_catalog(ROOT / "catalog" / "sample_city")}
    if GUANGDONG.exists():
        catalogs["guangdong"] = load_catalog(GUANGDONG)
    else:
        print(f"guangdong skipped: {GUANGDONG} absent")
    linkers = {}
    for name, catalog in catalogs.items():
        print(f"[fit] indexing {name} ({len(catalog.matters)} matters) …", flush=True)
        linker = Linker(catalog)
        if linker.dense is not None:
            while not linker.dense.ready and not linker.dense.error:
                time.sleep(1)
        print(f"[fit] {name}: dense {'ready' if linker.semantic else 'off'} ({time.perf_counter() - t0:.0f} s)")
        linkers[name] = linker
    train: dict[bool, list[Any]] = {False: [], True: []}
    held: dict[str, dict[bool, list[Any]]] = {}
    for name, linker in linkers.items():
        items = read(ROOT / "eval" / f"{name}.jsonl")
        dev, test = items[0::2], items[1::2]
        sets = {f"{name}/test": test}
        heldout = ROOT / "eval" / f"{name}_heldout.jsonl"
        if heldout.exists():
            sets[f"{name}_heldout"] = read(heldout)
        for dense in (False, True):
            if dense and not linker.semantic:
                continue
            # Questions no matter answers teach the model that a best candidate can still be wrong.
            outside = []
            if name == "sample_city":
                outside = [
                    i for f in ("out_of_catalog", "not_a_matter") for i in read(ROOT / "eval" / f"{f}.jsonl")[0::2]
                ]
            train[dense] += rows(linker, dev + generated(linker.catalog, 300) + outside, dense)
            for set_name, set_items in sets.items():
                held.setdefault(set_name, {})[dense] = rows(linker, set_items, dense)
    models = {}
    for dense in (False, True):
        if only_report or not train[dense]:
            models[dense] = FusionModel.load(dense)
        else:
            models[dense] = fit(train[dense], DENSE_FEATURES if dense else LEXICAL_FEATURES)
    if not only_report:
        data = {("dense" if d else "lexical"): m.as_dict() for d, m in models.items() if train[d]}
        WEIGHTS_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"[fit] written {WEIGHTS_FILE.relative_to(ROOT)} from {sum(len(v) for v in train.values())} questions")
    for set_name, by_dense in held.items():
        for dense, data in by_dense.items():
            r = report(set_name + (" dense" if dense else " lexical"), data, models[dense])
            print(json.dumps(r, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
