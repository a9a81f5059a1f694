"""Fusion of the lexical and dense signals into one calibrated probability per candidate.

    candidate pool = lexical top-N ∪ dense top-N
    features(candidate, pool)  → logistic model → P(this matter is the one the person means)

The features are relative to the question's own pool (gaps to the best other candidate, ranks),
never to a catalog's absolute score range, so one fitted model and one set of thresholds serve
every catalog. `scripts/fit_fusion.py` fits the weights on questions generated from catalog
fields plus the dev half of eval/ and writes `fusion.json` beside this module; the other half
of eval/ reports. Without the dense signal a second model, fitted the same way on the lexical
features alone, gives the probability.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DENSE_FEATURES", "LEXICAL_FEATURES", "FusionModel", "Raw", "features"]

WEIGHTS_FILE = Path(__file__).with_name("fusion.json")


@dataclass
class Raw:
    """What the two signals say of one candidate."""

    lex: float = 0.0  # GramIndex score (after the look-up penalty)
    coverage: float = 0.0
    phrase: float = 0.0
    cos: float | None = None  # best cosine of the matter's passages; None without the dense signal


LEXICAL_FEATURES = ("lex", "coverage", "phrase", "lex_gap", "lex_lead", "lex_first", "lex_rank")
DENSE_FEATURES = (*LEXICAL_FEATURES, "cos", "cos_gap", "cos_lead", "cos_first", "cos_rank", "both_first")


def _ranks(values: Sequence[float]) -> list[int]:
    order = sorted(range(len(values)), key=lambda i: -values[i])
    rank = [0] * len(values)
    for r, i in enumerate(order):
        rank[i] = r
    return rank


def features(pool: Sequence[Raw], dense: bool) -> list[dict[str, float]]:
    """The feature vector of every candidate of one question's pool."""
    out: list[dict[str, float]] = [{} for _ in pool]
    signals = [("lex", [r.lex for r in pool])]
    if dense:
        signals.append(("cos", [r.cos if r.cos is not None else 0.0 for r in pool]))
    for name, values in signals:
        ranks = _ranks(values)
        order = sorted(values, reverse=True)
        best = order[0] if order else 0.0
        second = order[1] if len(order) > 1 else best  # a pool of one tells nothing of separation
        for i, v in enumerate(values):
            # The best other candidate: the second best for the leader, the leader for the rest.
            best_other = second if ranks[i] == 0 else best
            f = out[i]
            f[name] = v
            f[f"{name}_gap"] = v - best  # ≤ 0: how far behind the best of the pool
            f[f"{name}_lead"] = v - best_other  # > 0 only for the best: how far ahead
            f[f"{name}_first"] = 1.0 if ranks[i] == 0 and v > 0 else 0.0  # a signal that says nothing leads nothing
            f[f"{name}_rank"] = math.log1p(ranks[i])
    for i, r in enumerate(pool):
        out[i]["coverage"] = r.coverage
        out[i]["phrase"] = r.phrase
        if dense:
            out[i]["both_first"] = out[i]["lex_first"] * out[i]["cos_first"]
    return out


class FusionModel:
    """A logistic model over `features`; weights from fusion.json (or given)."""

    def __init__(self, names: Sequence[str], weights: Sequence[float], bias: float) -> None:
        self.names = tuple(names)
        self.weights = tuple(float(w) for w in weights)
        self.bias = float(bias)

    def prob(self, f: dict[str, float]) -> float:
        z = self.bias + sum(w * f.get(n, 0.0) for n, w in zip(self.names, self.weights, strict=True))
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    @classmethod
    def load(cls, dense: bool, path: Path = WEIGHTS_FILE) -> FusionModel:
        key = "dense" if dense else "lexical"
        if path.exists():
            data = json.loads(path.read_text(encoding="utf-8"))
            if key in data:
                m = data[key]
                return cls(m["features"], m["weights"], m["bias"])
        # Unfitted: a hand-set model that ranks like the lexical score and the cosine.
        names = DENSE_FEATURES if dense else LEXICAL_FEATURES
        hand = {"lex": 6.0, "lex_lead": 6.0, "cos": 8.0, "cos_lead": 8.0}
        return cls(names, [hand.get(n, 0.0) for n in names], -6.0 if not dense else -11.0)

    def as_dict(self) -> dict[str, object]:
        return {"features": list(self.names), "weights": list(self.weights), "bias": self.bias}
