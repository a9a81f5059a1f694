"""The naive reference every quality and speed figure is set against: BM25 over the character
bigrams of matter names only (no aliases, no lexicon, no pinyin). `make eval` and `make bench`
compute it in the same run as the project's linker."""

from __future__ import annotations

import math
from collections import Counter

from ..text import bigrams, normalize

__all__ = ["NameBM25"]


class NameBM25:
    """The naive reference: BM25 over character bigrams of matter names only."""

    def __init__(self, names: dict[str, str], k1: float = 1.5, b: float = 0.75) -> None:
        self._grams = lambda t: bigrams(normalize(t))
        self.docs = {mid: Counter(self._grams(name)) for mid, name in names.items()}
        self.avg = sum(sum(c.values()) for c in self.docs.values()) / max(len(self.docs), 1)
        df: Counter[str] = Counter(g for c in self.docs.values() for g in c)
        n = len(self.docs)
        self.idf = {g: math.log(1 + (n - f + 0.5) / (f + 0.5)) for g, f in df.items()}
        self.k1, self.b = k1, b

    def rank(self, question: str, limit: int = 3) -> list[str]:
        q = set(self._grams(question))
        scores = []
        for mid, c in self.docs.items():
            length = sum(c.values())
            s = 0.0
            for g in q & c.keys():
                tf = c[g]
                s += self.idf[g] * tf * (self.k1 + 1) / (tf + self.k1 * (1 - self.b + self.b * length / self.avg))
            if s > 0:
                scores.append((s, mid))
        scores.sort(reverse=True)
        return [mid for _, mid in scores[:limit]]
