"""Matcher scaling: ranking time per question and index memory for catalogs of about 150, 2,262 and
20,000 matters, the project's linker side by side with the naive name BM25 (same questions, same run).

The 20,000-matter catalog is built from real catalogs: the Guangdong export, the 广安 name list and
the sample city, repeated for the districts of a fictional province (临江市 + 区县), each copy with
its area in the matter name and department — how a provincial catalog of local implementations
(实施清单) grows. The 150 catalog is the first 150 matters of the sample city.

Questions: eval/sample_city.jsonl and eval/guangdong.jsonl (text only), the same for every size.

    .venv/bin/python scripts/bench_linker.py [--out reports/bench_linker.json] [--plot reports/linker_scaling.png]
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from shouwen_core.catalog import Catalog, load_catalog  # noqa: E402
from shouwen_core.catalog.importers import names as names_importer  # noqa: E402
from shouwen_core.catalog.importers.report import ImportReport  # noqa: E402
from shouwen_core.embed import embedder_status, get_embedder  # noqa: E402
from shouwen_core.linker import Linker  # noqa: E402
from shouwen_core.linker.baseline import NameBM25  # noqa: E402
from shouwen_core.text import normalize  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "catalogs"
GUANGDONG = SHARED / "guangdong_2021" / "policy.jsonl"
GUANGAN = SHARED / "sichuan_guangan_names" / "items.jsonl"
AREAS = ["", "江北区", "江南区", "临港区", "青山县", "石门县", "白沙县", "东湖区"]


def questions() -> list[str]:
    out = []
    for name in ("sample_city.jsonl", "guangdong.jsonl"):
        for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["q"])
    return out


def combined(size: int) -> Catalog:
    """`size` matters from the real catalogs, repeated per area (area in name and department)."""
    sample = load_catalog(ROOT / "catalog" / "sample_city")
    base = list(sample.matters) + list(load_catalog(GUANGDONG).matters)
    base += names_importer.read_matters(GUANGAN, ImportReport(str(GUANGAN), "names"))
    matters = []
    for area in AREAS:
        for m in base:
            if len(matters) >= size:
                break
            if area:
                m = replace(m, id=f"{m.id}@{area}", name=f"{m.name}（{area}）", department=f"{area}{m.department}")
            matters.append(m)
    return replace(sample, matters=matters)


class _CostOnlyPassages:
    """The configured embedder for questions, random unit vectors for passages: the hybrid
    ranking's cost at a size whose real embedding would take many minutes (its quality is
    measured by make eval, not here)."""

    def __init__(self, real: Any) -> None:
        self.real, self.dim, self.name = real, real.dim, "cost-only"
        self.rng = np.random.default_rng(7)

    def encode_queries(self, texts: Any) -> Any:
        return self.real.encode_queries(texts)

    def encode_passages(self, texts: Any) -> Any:
        m = self.rng.standard_normal((len(texts), self.dim)).astype(np.float32)
        return m / np.linalg.norm(m, axis=1, keepdims=True)


def measure_hybrid(catalog: Catalog, qs: list[str]) -> dict[str, Any]:
    """Linker plus dense ranking (the question vector given), and the question's encoding."""
    real = get_embedder()
    if real is None:
        return {"hybrid": "off: " + embedder_status()["reason"]}
    linker = Linker(catalog, embedder=_CostOnlyPassages(real))
    assert linker.dense is not None
    linker.dense.build()
    asked = qs[:300]
    t_enc = time.perf_counter()
    # Keyed as the linker asks: by the normalised question (shouwen_core.text.normalize).
    vectors = {normalize(q): real.encode_queries([normalize(q)])[0] for q in asked}
    encode_ms = (time.perf_counter() - t_enc) * 1000 / len(asked)
    linker.dense.query = vectors.__getitem__  # type: ignore[method-assign]  # encoded above, timed apart
    times = []
    for q in asked:
        t = time.perf_counter()
        linker.link(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "hybrid_rank_ms_p50": round(times[len(times) // 2], 3),
        "hybrid_rank_ms_p95": round(times[int(len(times) * 0.95)], 3),
        "query_encode_ms_mean": round(encode_ms, 2),
        "dense_matrix_mb": round(linker.dense.matrix.nbytes / 2**20, 1),
    }


def measure(catalog: Catalog, qs: list[str]) -> dict[str, Any]:
    gc.collect()
    tracemalloc.start()
    t0 = time.perf_counter()
    linker = Linker(catalog, embedder=None)
    build = time.perf_counter() - t0
    index_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    times = []
    for q in qs:
        t = time.perf_counter()
        linker.link(q)
        times.append((time.perf_counter() - t) * 1000)
    bm25 = NameBM25({m.id: m.name for m in catalog.matters})
    btimes = []
    for q in qs[:200]:
        t = time.perf_counter()
        bm25.rank(q)
        btimes.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "matters": len(catalog.matters),
        "build_s": round(build, 2),
        "index_mb": round(index_bytes / 2**20, 1),
        "linker_ms_mean": round(statistics.fmean(times), 3),
        "linker_ms_p50": round(times[len(times) // 2], 3),
        "linker_ms_p95": round(times[int(len(times) * 0.95)], 3),
        "bm25_ms_mean": round(statistics.fmean(btimes), 3),
        **measure_hybrid(catalog, qs),
    }


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r["matters"] for r in rows]
    fig, ax = plt.subplots(1, 2, figsize=(10, 3.8))
    ax[0].plot(n, [r["linker_ms_p50"] for r in rows], "o-", label="linker p50")
    ax[0].plot(n, [r["linker_ms_p95"] for r in rows], "o--", label="linker p95")
    ax[0].plot(n, [r["bm25_ms_mean"] for r in rows], "s:", label="name BM25 (mean)")
    ax[0].axhline(5, color="red", lw=0.8, label="goal 5 ms")
    ax[0].set(xscale="log", yscale="log", xlabel="matters", ylabel="ms per question", title="Ranking time")
    ax[0].legend(fontsize=8)
    ax[1].plot(n, [r["index_mb"] for r in rows], "o-")
    ax[1].set(xscale="log", xlabel="matters", ylabel="MB (Python heap)", title="Index memory")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "reports" / "bench_linker.json"))
    ap.add_argument("--plot", default=str(ROOT / "reports" / "linker_scaling.png"))
    args = ap.parse_args()
    if not GUANGDONG.exists() or not GUANGAN.exists():
        print(f"skipped: {SHARED} is absent (../shared/data beside the repository)")
        return
    qs = questions()
    rows = []
    for size in (150, 2262, 20000):
        catalog = combined(size) if size != 2262 else load_catalog(GUANGDONG)
        if size == 150:
            catalog = replace(catalog, matters=catalog.matters[:150])
        row = measure(catalog, qs)
        rows.append(row)
        print(
            f"{row['matters']:>6} matters: build {row['build_s']} s, index {row['index_mb']} MB, "
            f"lexical linker p50 {row['linker_ms_p50']} ms p95 {row['linker_ms_p95']} ms, BM25 {row['bm25_ms_mean']} ms"
        )
        if "hybrid_rank_ms_p50" in row:
            print(
                f"{'':>6}         hybrid (lexical + dense) p50 {row['hybrid_rank_ms_p50']} ms p95 "
                f"{row['hybrid_rank_ms_p95']} ms (goal < 10 ms at 20,000), question encoding "
                f"{row['query_encode_ms_mean']} ms, vectors {row['dense_matrix_mb']} MB"
            )
    first, last = rows[0], rows[-1]
    growth = (last["linker_ms_p50"] / first["linker_ms_p50"]) / (last["matters"] / first["matters"])
    result = {"questions": len(qs), "sizes": rows, "time_growth_per_matter_growth": round(growth, 4)}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    plot(rows, Path(args.plot))
    print(f"time grows {growth:.3f}× as fast as the catalog (sub-linear when < 1); written {args.out}, {args.plot}")


if __name__ == "__main__":
    main()
