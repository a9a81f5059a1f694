"""Dense vectors of a catalog: matters, their 情形, 一件事 packages and directory entries.

    catalog ─ passages (name; name + aliases + 情形 + themes; each case; each package; each entry)
            ─ embedder.encode_passages, through the on-disk VectorCache (keyed by text, so a
              changed catalog or a new staff alias only embeds what is new)
            ─ one float32 matrix;  question vector · matrix = cosine (exact, no ANN index)

A matter's cosine is the best of its own passages. The index fills in the background when the
cache does not hold every passage yet: until then `ready` is False and the linker answers
lexically, so no question waits for the embedding of a new catalog.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..catalog.model import Catalog

if TYPE_CHECKING:
    from ..embed import Embedder

__all__ = ["DenseIndex", "matter_passages"]

logger = logging.getLogger(__name__)

# Each passage is cut to this many characters: names and aliases say what a matter is.
PASSAGE_CHARS = 160


def _clip(text: str) -> str:
    return " ".join(text.split())[:PASSAGE_CHARS]


def matter_passages(catalog: Catalog) -> tuple[list[str], list[int]]:
    """The passages of every matter and the matter number each belongs to."""
    texts: list[str] = []
    owners: list[int] = []
    for i, m in enumerate(catalog.matters):
        summary = "；".join(dict.fromkeys([m.name, *m.aliases, *(c.name for c in m.cases), *m.themes]))
        for text in dict.fromkeys([_clip(m.name), _clip(summary), *(_clip(a) for a in m.aliases[:6])]):
            if text:
                texts.append(text)
                owners.append(i)
    return texts, owners


class DenseIndex:
    """Cosines of a question against a catalog's matters, cases, packages and directory."""

    def __init__(
        self,
        catalog: Catalog,
        embedder: Embedder,
        passages: Callable[[Sequence[str]], np.ndarray] | None = None,
        lookup: Callable[[Sequence[str]], tuple[np.ndarray, list[int]]] | None = None,
    ) -> None:
        self.catalog = catalog
        self.embedder = embedder
        self._passages = passages or embedder.encode_passages
        self._lookup = lookup
        self.ready = False
        self._done = threading.Event()
        self.error = ""
        self.seconds = 0.0
        texts, owners = matter_passages(catalog)
        self._matter_owner = np.asarray(owners, dtype=np.int32)
        self._case_keys: list[tuple[str, str]] = []
        for m in catalog.matters:
            for c in m.cases:
                self._case_keys.append((m.id, c.id))
                texts.append(_clip("；".join([m.name + "：" + c.name, *c.keywords, c.conditions])))
        self._packages = list(catalog.packages)
        texts.extend(_clip("；".join([p.name, *p.aliases])) for p in self._packages)
        self._departments = list(catalog.departments)
        texts.extend(_clip("；".join([d.name, *d.handles])) for d in self._departments)
        self.texts = texts
        n_m = len(owners)
        self._slices = {
            "matter": slice(0, n_m),
            "case": slice(n_m, n_m + len(self._case_keys)),
            "package": slice(n_m + len(self._case_keys), n_m + len(self._case_keys) + len(self._packages)),
            "department": slice(n_m + len(self._case_keys) + len(self._packages), len(texts)),
        }
        self._case_row = {key: n_m + i for i, key in enumerate(self._case_keys)}
        self.matrix = np.zeros((0, embedder.dim), dtype=np.float32)

    def build(self) -> None:
        """Embed (or read from the cache) every passage; the caller waits."""
        try:
            self._build()
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a build started by `start` (tests, tools); True when the index is ready."""
        self._done.wait(timeout)
        return self.ready

    def _build(self) -> None:
        t0 = time.perf_counter()
        try:
            matrix = np.asarray(self._passages(self.texts), dtype=np.float32)
        except Exception as exc:  # an embedder failing must leave the lexical linker answering
            self.error = str(exc)
            logger.warning("dense index not built, the linker stays lexical: %s", exc)
            return
        if matrix.shape != (len(self.texts), self.embedder.dim):
            self.error = f"embedder returned {matrix.shape}, expected {(len(self.texts), self.embedder.dim)}"
            logger.warning("dense index not built: %s", self.error)
            return
        self.matrix = matrix
        self.seconds = time.perf_counter() - t0
        self.ready = True

    def start(self) -> None:
        """Build now when the cache holds every passage (fast), else in a background thread."""
        if self._lookup is not None:
            try:
                _, missing = self._lookup(self.texts)
            except Exception:
                missing = [0]
            if not missing:
                self.build()
                return
            logger.info("embedding %d new passages in the background", len(missing))
        threading.Thread(target=self.build, name="dense-index", daemon=True).start()

    def query(self, text: str) -> np.ndarray | None:
        if not self.ready:
            return None
        try:
            from ..embed.queries import query_vectors

            return query_vectors(self.embedder, [text])[0]
        except Exception as exc:
            logger.warning("query not embedded, answering lexically: %s", exc)
            return None

    def matter_cosines(self, qv: np.ndarray) -> np.ndarray:
        """Per matter (catalog order), the best cosine of its passages."""
        sims = self.matrix[self._slices["matter"]] @ qv
        best = np.full(len(self.catalog.matters), -1.0, dtype=np.float32)
        np.maximum.at(best, self._matter_owner, sims)
        return best

    def case_cosines(self, qv: np.ndarray, matter_id: str, case_ids: Sequence[str]) -> list[float]:
        rows = [self._case_row.get((matter_id, c), -1) for c in case_ids]
        return [float(self.matrix[r] @ qv) if r >= 0 else 0.0 for r in rows]

    def _rank(self, kind: str, qv: np.ndarray, limit: int) -> list[tuple[int, float]]:
        sims = self.matrix[self._slices[kind]] @ qv
        order = np.argsort(-sims)[:limit]
        return [(int(i), float(sims[i])) for i in order]

    def packages(self, qv: np.ndarray, limit: int = 3) -> list[tuple[str, float]]:
        return [(self._packages[i].id, s) for i, s in self._rank("package", qv, limit)]

    def departments(self, qv: np.ndarray, limit: int = 3) -> list[tuple[str, float]]:
        return [(self._departments[i].id, s) for i, s in self._rank("department", qv, limit)]
