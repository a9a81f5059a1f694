"""A content-addressed on-disk cache of passage vectors, one folder per embedder name.

Vectors live in shard files `<folder>/shard-*.npz` (keys = sha1 of the text, vectors float32),
each written to a temporary file and moved into place with os.replace under a unique name, so
two processes may write at once and a reader never sees half a file. A corrupt shard is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from shouwen_core.embed.base import Embedder

__all__ = ["VectorCache", "text_key"]

log = logging.getLogger(__name__)
FLUSH_EVERY = 4096


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "embedder"


class VectorCache:
    """Passage vectors of `embedder`, computed once and kept under root/<safe embedder name>/."""

    def __init__(self, embedder: Embedder, root: Path | str | None = None) -> None:
        if root is None:
            from shouwen_core.embed.settings import embed_settings

            root = embed_settings().vector_cache
        self.embedder = embedder
        self.dim = int(embedder.dim)
        self.folder = Path(root) / _safe(embedder.name)
        self._lock = threading.Lock()
        self._index: dict[str, int] = {}
        self._blocks: list[np.ndarray] = []
        self._matrix = np.zeros((0, self.dim), dtype=np.float32)
        self._pending: list[tuple[list[str], np.ndarray]] = []
        self._load()

    def __len__(self) -> int:
        return len(self._index)

    def _load(self) -> None:
        if not self.folder.is_dir():
            return
        for path in sorted(self.folder.glob("shard-*.npz")):
            try:
                with np.load(path, allow_pickle=False) as data:
                    keys = [str(k) for k in data["keys"]]
                    vecs = np.asarray(data["vectors"], dtype=np.float32)
                if vecs.shape != (len(keys), self.dim):
                    raise ValueError(f"shape {vecs.shape} for {len(keys)} keys of dim {self.dim}")
            except Exception as exc:
                log.warning("vector cache: skipping corrupt shard %s (%s)", path.name, exc)
                continue
            self._add(keys, vecs)

    def _add(self, keys: list[str], vecs: np.ndarray) -> None:
        base = len(self._matrix) + sum(len(b) for b in self._blocks)
        fresh = [i for i, k in enumerate(keys) if k not in self._index]
        for j, i in enumerate(fresh):
            self._index[keys[i]] = base + j
        if fresh:
            self._blocks.append(vecs[fresh])

    def _rows(self) -> np.ndarray:
        if self._blocks:
            self._matrix = np.concatenate([self._matrix, *self._blocks])
            self._blocks = []
        return self._matrix

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, list[int]]:
        """(n, dim) matrix of the cached vectors (zero rows where missing) and the missing indexes."""
        with self._lock:
            rows = self._rows()
            out = np.zeros((len(texts), self.dim), dtype=np.float32)
            missing: list[int] = []
            for i, text in enumerate(texts):
                row = self._index.get(text_key(text))
                if row is None:
                    missing.append(i)
                else:
                    out[i] = rows[row]
            return out, missing

    def passages(
        self,
        texts: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        batch: int = 64,
    ) -> np.ndarray:
        """(n, dim) passage vectors in order; only uncached texts are encoded, `batch` at a time."""
        out, missing = self.lookup(texts)
        todo: dict[str, list[int]] = {}
        for i in missing:
            todo.setdefault(text_key(texts[i]), []).append(i)
        keys = list(todo)
        total = len(keys)
        if progress:
            progress(0, total)
        for start in range(0, total, max(1, batch)):
            chunk = keys[start : start + batch]
            vecs = np.asarray(self.embedder.encode_passages([texts[todo[k][0]] for k in chunk]), dtype=np.float32)
            for k, v in zip(chunk, vecs, strict=True):
                out[todo[k]] = v
            with self._lock:
                self._add(chunk, vecs)
                self._pending.append((chunk, vecs))
                if sum(len(c) for c, _ in self._pending) >= FLUSH_EVERY:
                    self._flush_locked()
            if progress:
                progress(min(start + batch, total), total)
        self.flush()
        return out

    def flush(self) -> None:
        """Write the vectors computed since the last flush as one new shard."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._pending:
            return
        keys = np.array([k for c, _ in self._pending for k in c], dtype="U40")
        vecs = np.concatenate([v for _, v in self._pending]).astype(np.float32)
        self._pending = []
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"shard-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        tmp = self.folder / f".{name}.tmp"
        try:
            with open(tmp, "wb") as fh:
                np.savez(fh, keys=keys, vectors=vecs)
            os.replace(tmp, self.folder / f"{name}.npz")
        except OSError as exc:
            log.warning("vector cache: could not write %s (%s)", self.folder, exc)
            tmp.unlink(missing_ok=True)
