"""The catalog every process serves from, kept current without a restart or a retrained model.

A `LiveCatalog` holds the loaded catalog (with staff's alias overlay applied) and its linker. At
most every `check_every` seconds a caller's `current()` compares the catalog files' signature and
the overlay's version with what was loaded; when either changed, a background thread rebuilds and
swaps in the new pair, and callers keep the old one until then, so no question waits for the
index. A catalog that fails to load is logged and the old one stays in service.

The overlay is whatever callable returns `(version, {matter_id: [aliases]})`: the records database
(`shouwen_records.overlay_source`) in the running stack, nothing in tests that do not need it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .catalog import CatalogError, load_catalog
from .catalog.model import Catalog
from .city import adopt
from .linker import Linker
from .settings import catalog_path

__all__ = ["LiveCatalog", "Overlay", "Snapshot"]

logger = logging.getLogger(__name__)

Overlay = Callable[[], tuple[int, dict[str, list[str]]]]


def _signature(path: Path) -> tuple[tuple[str, int, int], ...]:
    files = sorted(path.rglob("*.json")) if path.is_dir() else [path]
    out = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out.append((str(f), st.st_mtime_ns, st.st_size))
    return tuple(out)


@dataclass(frozen=True)
class Snapshot:
    catalog: Catalog
    linker: Linker
    signature: tuple[tuple[str, int, int], ...]
    overlay_version: int
    loaded_at: float


class LiveCatalog:
    def __init__(
        self,
        path: Path | str | None = None,
        overlay: Overlay | None = None,
        check_every: float | None = None,
        on_swap: Callable[[Snapshot], None] | None = None,
    ) -> None:
        self.path = Path(path) if path else catalog_path()
        self.overlay = overlay
        self.check_every = (
            check_every if check_every is not None else float(os.environ.get("SHOUWEN_RELOAD_CHECK", "5"))
        )
        self.on_swap = on_swap
        self._lock = threading.Lock()
        self._rebuilding = False
        self._checked = time.monotonic()
        self._last_overlay: tuple[int, dict[str, list[str]]] = (0, {})
        self._snapshot = self._build()  # the first load fails loudly: a process without a catalog is no use

    def _overlay(self) -> tuple[int, dict[str, list[str]]]:
        """The overlay now; while its store is down, the one loaded last (aliases are not dropped)."""
        if self.overlay is None:
            return 0, {}
        try:
            self._last_overlay = self.overlay()
        except Exception as exc:  # the overlay's store being down must not stop answering
            logger.warning("alias overlay unavailable, keeping the last one: %s", exc)
        return self._last_overlay

    def _build(self) -> Snapshot:
        signature = _signature(self.path)
        version, aliases = self._overlay()
        catalog = load_catalog(self.path).with_aliases(aliases)
        adopt(catalog)  # the city's hotline and windows in every sentence, its phones public
        return Snapshot(catalog, Linker(catalog), signature, version, time.time())

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def current(self) -> Snapshot:
        """The snapshot to answer with; starts a rebuild in the background when the sources changed."""
        now = time.monotonic()
        if now - self._checked >= self.check_every:
            self._checked = now
            if self.stale():
                self._rebuild_in_background()
        return self._snapshot

    def stale(self) -> bool:
        snap = self._snapshot
        if _signature(self.path) != snap.signature:
            return True
        if self.overlay is None:
            return False
        try:
            version, _ = self.overlay()
        except Exception:
            return False
        return version != snap.overlay_version

    def reload(self) -> Snapshot:
        """Rebuild now (the caller waits); raises CatalogError and keeps the old snapshot if it fails."""
        fresh = self._build()
        with self._lock:
            self._snapshot = fresh
        logger.info("catalog reloaded: %d matters, overlay v%d", len(fresh.catalog.matters), fresh.overlay_version)
        if self.on_swap:
            self.on_swap(fresh)
        return fresh

    def _rebuild_in_background(self) -> None:
        with self._lock:
            if self._rebuilding:
                return
            self._rebuilding = True

        def work() -> None:
            try:
                self.reload()
            except (CatalogError, OSError) as exc:
                logger.error("catalog reload failed, keeping the loaded one: %s", exc)
            finally:
                with self._lock:
                    self._rebuilding = False

        threading.Thread(target=work, name="catalog-reload", daemon=True).start()
