"""Question vectors, memoised: a turn encodes its question once however many parts ask.

DIET's sentence feature (bot/sentence_featurizer.py) and the linker's dense signal encode the
same normalised text one after the other; the second asks here and gets the first's vector.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from shouwen_core.embed.base import Embedder

__all__ = ["MEMO_SIZE", "query_vectors"]

MEMO_SIZE = 512
_memo: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_lock = threading.Lock()


def query_vectors(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """encode_queries(texts), taking the recent ones from the memo; float32 (n, dim)."""
    keys = [(embedder.name, t) for t in texts]
    with _lock:
        found = {k: _memo[k] for k in keys if k in _memo}
        for k in found:
            _memo.move_to_end(k)
    missing = list(dict.fromkeys(t for k, t in zip(keys, texts, strict=True) if k not in found))
    if missing:
        fresh = embedder.encode_queries(missing)
        with _lock:
            for text, vector in zip(missing, fresh, strict=True):
                found[(embedder.name, text)] = vector
                if len(missing) <= 8:  # a turn's question, not a training batch
                    _memo[(embedder.name, text)] = vector
                    if len(_memo) > MEMO_SIZE:
                        _memo.popitem(last=False)
    if not keys:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([found[k] for k in keys]).astype(np.float32)
