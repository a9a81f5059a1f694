"""Embed a catalog's passages into the vector cache (.models/vectors), with progress and timing.

`make setup` runs it for the configured catalog, so that the servers start with every vector
cached instead of each embedding the catalog in the background. A second run reads the cache.

    .venv/bin/python scripts/embed_catalog.py [CATALOG]     (default: SHOUWEN_CATALOG or the sample city)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shouwen_core.catalog import load_catalog  # noqa: E402
from shouwen_core.embed import VectorCache, embedder_status, get_embedder  # noqa: E402
from shouwen_core.linker.dense import DenseIndex  # noqa: E402
from shouwen_core.settings import catalog_path  # noqa: E402


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else catalog_path()
    embedder = get_embedder()
    if embedder is None:
        print(f"[embed] semantic matching off ({embedder_status()['reason']}); the linker works lexically")
        return 0
    t0 = time.perf_counter()
    catalog = load_catalog(path)
    cache = VectorCache(embedder)
    index = DenseIndex(catalog, embedder)
    _, missing = cache.lookup(index.texts)
    print(
        f"[embed] {path.name}: {len(catalog.matters)} matters, {len(index.texts)} passages, {len(missing)} not cached"
    )
    t1 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - t1, 1e-9)
        print(f"\r[embed] {done}/{total} passages ({rate:.0f}/s)", end="" if done < total else "\n", flush=True)

    cache.passages(index.texts, progress=progress if missing else None)
    print(f"[embed] done in {time.perf_counter() - t0:.1f} s ({embedder.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
