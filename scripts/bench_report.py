"""reports/bench.md and its plots from the result dict of scripts/bench.py (see there for phases).

    write_report(result, reports)   bench_latency.png, bench_memory.png, bench_soak.png,
                                    bench_training.png (+ linker_scaling.png from bench_linker.py)
                                    and bench.md: the summary of goals first, then the details

Goals (issues 8 and 14) are judged here, in one table (`GOALS`), so a changed goal is changed in one place.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scripts.bench_sections import sections, table

__all__ = ["summary", "write_report"]

GB_KB = 2 * 1024 * 1024
Row = tuple[str, str, str, str]


def _level(result: dict[str, Any], path: str, c: int) -> dict[str, Any]:
    return next((r for r in result.get("paths", []) if r["path"] == path and r["concurrency"] == c), {})


def _verdict(ok: bool, miss: str) -> str:
    return "goal met" if ok else f"goal **NOT met** — {miss}"


def _ratio(r: dict[str, Any], name: str, title: str, unit: str, why: str) -> Row:
    """One ratio of issue 14 (bench.RATIOS), measured side by side with the stock stack."""
    x = r["compare"]["ratios"][name]
    fig = f"{x['value']:.2f}× ({x['numerator']} / {x['denominator']} {unit})"
    return (title, fig, x["goal"] + "×", _verdict(x["met"], why))


def _encoder_note(r: dict[str, Any]) -> str:
    """The largest part of the turn from scripts/bench_profile.py, when it has been run."""
    try:
        rasa = r["profile"]["profile"]["patched"]["ms_per_turn"]["rasa"]
    except KeyError:
        return ""
    part, ms = max(rasa.items(), key=lambda kv: kv[1])
    return f"; the largest part of Shouwen's turn is {part}, {ms:.0f} ms CPU (see where a chat turn's time goes)"


def _goal_ratio_p50(r: dict[str, Any]) -> Row:
    at = {(x["path"], x["concurrency"]): x for x in r["compare"]["rows"]}
    gap = at["chat", 1]["p50_ms"] - at["parse", 1]["p50_ms"]
    why = (
        f"the turn adds {gap:.0f} ms to the parse (Redis tracker and lock, the policies, the action-server "
        f"call, the gateway hop); 1.3× leaves {at['parse', 1]['p50_ms'] * 0.3:.0f} ms"
    )
    return _ratio(r, "chat_p50_over_parse_p50_c1", "chat turn p50 ÷ bare parse p50 (c=1, side by side)", "ms", why)


def _goal_ratio_p95(r: dict[str, Any]) -> Row:
    why = "one Rasa process serves turns one at a time: at c=8 a turn waits for the others, and a turn costs more"
    return _ratio(r, "chat_p95_over_parse_p95_c8", "chat turn p95 ÷ bare parse p95 (c=8, side by side)", "ms", why)


def _goal_stock(r: dict[str, Any]) -> Row:
    at = {(x["path"], x["concurrency"]): x for x in r["compare"]["rows"]}
    why = (
        f"a stock turn takes {at['stock', 1]['p50_ms']} ms (p50, c=1) against Shouwen's {at['chat', 1]['p50_ms']} ms; "
        "the stock stack runs Rasa's own action-response check (about 30 ms CPU a turn, see the check below) "
        "where Shouwen has a matter linker" + _encoder_note(r)
    )
    title = "Shouwen turns/s ÷ stock Rasa stack turns/s (c=8, side by side)"
    return _ratio(r, "chat_rps_over_stock_rps_c8", title, "turns/s", why)


def _goal_p95(r: dict[str, Any]) -> Row:
    p95, c1 = _level(r, "chat", 8)["p95_ms"], _level(r, "chat", 1)["p50_ms"]
    why = (
        f"by {p95 - 150:.0f} ms: one Rasa process serves turns one at a time (about one core, "
        f"{_level(r, 'chat', 8)['throughput_rps']} turns/s), so at c=8 a turn waits for the others: "
        f"≈ 8 × {c1:.0f} ms"
    )
    parse8 = _level(r, "parse", 8)
    if parse8:
        why += f"; bare parse alone has p95 {parse8['p95_ms']} ms at c=8"
    if "scale_out" in r:
        two = next(x for x in r["scale_out"]["paths"] if x["concurrency"] == 8)
        mb = sum(r["scale_out"]["memory_kb"].values()) / 1024
        why += f"; two Rasa servers: p95 {two['p95_ms']} ms at {mb:.0f} MB (see Scale-out)"
    return ("chat turn p95 at c=8 (issue 8)", f"{p95} ms", "< 150 ms", _verdict(p95 < 150, why))


def _goal_wechat(r: dict[str, Any]) -> Row:
    rows = [x for x in r.get("paths", []) if x["path"] == "wechat"] + [r["wechat_fallback"]]
    worst = max(x["max_ms"] for x in rows)
    fb = r["wechat_fallback"]
    answered = fb["outcomes"].get("passive", 0) + fb["async_delivered"]
    ok = worst <= 4500 and answered == fb["requests"] and fb["errors"] == 0
    fig = f"max {worst / 1000:.2f} s; burst: {fb['outcomes'].get('passive', 0)} passive + {fb['async_delivered']}/"
    fig += f"{fb['outcomes'].get('async', 0)} async delivered of {fb['requests']}"
    return (
        "WeChat reply never over 4.5 s, async fallback under load",
        fig,
        "≤ 4.5 s, all answered",
        _verdict(ok, "see the WeChat section"),
    )


def _goal_linker(r: dict[str, Any]) -> Row:
    sizes = (r["linker"].get("scaling") or {}).get("sizes") or []
    if not sizes:
        return ("linker at 20,000 matters", "not measured (../shared/data absent)", "< 5 ms", "n/a")
    big = sizes[-1]
    fig = f"p50 {big['linker_ms_p50']} ms, mean {big['linker_ms_mean']} ms, p95 {big['linker_ms_p95']} ms"
    why = f"mean over by {big['linker_ms_mean'] - 5:.1f} ms"
    return (
        f"linker per question at {big['matters']:,} matters",
        fig,
        "< 5 ms (mean)",
        _verdict(big["linker_ms_mean"] < 5, why),
    )


def _goal_growth(r: dict[str, Any]) -> Row:
    g = (r["linker"].get("scaling") or {}).get("time_growth_per_matter_growth")
    if g is None:
        return ("matcher cost sub-linear", "not measured", "< 1", "n/a")
    return (
        "matcher time growth ÷ catalog growth (150 → 20,000)",
        f"{g}",
        "< 1 (sub-linear)",
        _verdict(g < 1, "grows linearly"),
    )


def _goal_memory(r: dict[str, Any]) -> Row:
    peak = max(sum(m.values()) for k, m in r["memory"].items())
    return (
        "single-node stack resident memory (peak of idle / after load / after soak)",
        f"{peak / 1024:.0f} MB",
        "< 2 GB",
        _verdict(peak < GB_KB, f"by {(peak - GB_KB) / 1024:.0f} MB"),
    )


def _goal_cold(r: dict[str, Any]) -> Row:
    total = r["cold_start"]["total_s"]
    return (
        "cold start (process start → first chat answer)",
        f"{total} s",
        "< 60 s",
        _verdict(total < 60, f"by {total - 60:.0f} s"),
    )


def _goal_soak(r: dict[str, Any]) -> Row:
    s = r["soak"]
    ok = s["errors"] == 0 and s["memory_growth_pct"] <= 10
    fig = f"{s['errors']} errors in {len(s['requests'])} turns, memory {s['memory_growth_pct']:+.1f} %"
    return (
        f"soak {s['rate']:g}/s for {s['seconds']:g} s",
        fig,
        "0 errors, growth ≤ 10 %",
        _verdict(ok, "see the soak section"),
    )


def _goal_wall(r: dict[str, Any]) -> Row:
    w = r["wall_s"]
    return ("`make bench` wall time", f"{w / 60:.1f} min", "< 15 min", _verdict(w < 900, f"by {w - 900:.0f} s"))


def _ref_linker(r: dict[str, Any]) -> Row:
    q = r["linker"]["quality"]
    cells = [f"{n}: top-1 {v['linker']['top1']:.3f} vs {v['bm25']['top1']:.3f}" for n, v in q.items() if "linker" in v]
    return ("reference: linker vs naive name BM25", "; ".join(cells), "—", "reference (no goal)")


def _ref_pipeline(r: dict[str, Any]) -> Row:
    p, s = r["training"]["project"], r["training"]["stock"]
    fig = (
        f"act {p['act_accuracy']:.3f} vs {s['act_accuracy']:.3f}; matter top-1 {p['matter_top1']} vs n/a; "
        f"train CPU {p['train_cpu_s']} vs {s['train_cpu_s']} s"
    )
    return ("reference: project vs stock `rasa init` (same NLU data)", fig, "—", "reference (no goal)")


GOALS: list[Callable[[dict[str, Any]], Row]] = [
    _goal_ratio_p50,
    _goal_ratio_p95,
    _goal_stock,
    _goal_p95,
    _goal_wechat,
    _goal_linker,
    _goal_growth,
    _goal_memory,
    _goal_cold,
    _goal_soak,
    _goal_wall,
    _ref_linker,
    _ref_pipeline,
]


def summary(result: dict[str, Any]) -> str:
    """The goals table: goal, measured, target, met or missed by how much and why."""
    rows = []
    for goal in GOALS:
        try:
            rows.append(list(goal(result)))
        except (KeyError, ValueError, StopIteration, ZeroDivisionError, TypeError) as exc:
            rows.append([goal.__name__[6:], f"not measured ({exc.__class__.__name__}: {exc})", "", "n/a"])
    return table(["goal", "measured", "target", "verdict"], rows)


# ---- plots ------------------------------------------------------------------------------------------


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_latency(result: dict[str, Any], path: Path) -> None:
    plt = _plt()
    names = list(dict.fromkeys(r["path"] for r in result["paths"]))
    levels = sorted({r["concurrency"] for r in result["paths"]})
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        xs = [k + i * width for k in range(len(levels))]
        rows = [_level(result, name, c) for c in levels]  # {} where a path skips a level: no bar
        nan = float("nan")
        ax[0].bar(xs, [r.get("p50_ms", nan) for r in rows], width, label=f"{name} p50")
        ax[0].scatter(xs, [r.get("p95_ms", nan) for r in rows], marker="_", s=200, color="black")
        ax[1].bar(xs, [r.get("throughput_rps", nan) for r in rows], width, label=name)
    for a, title, unit in ((ax[0], "Latency p50 (bar), p95 (—)", "ms"), (ax[1], "Throughput", "requests/s")):
        a.set_xticks([k + 0.4 - width / 2 for k in range(len(levels))], [f"c={c}" for c in levels])
        a.set(title=title, ylabel=unit)
        a.legend(fontsize=8)
    ax[0].set_yscale("log")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_memory(result: dict[str, Any], path: Path) -> None:
    plt = _plt()
    phases = list(result["memory"])
    parts = list(result["memory"][phases[0]])
    fig, ax = plt.subplots(figsize=(7, 3.8))
    bottom = [0.0] * len(phases)
    for part in parts:
        vals = [result["memory"][ph].get(part, 0) / 1024 for ph in phases]
        ax.bar(phases, vals, bottom=bottom, label=part)
        bottom = [b + v for b, v in zip(bottom, vals, strict=True)]
    ax.axhline(2048, color="red", lw=0.8, label="goal 2 GB")
    ax.set(ylabel="MB resident (VmRSS)", title="Single-node stack memory")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _buckets(requests: list[list[Any]], width: float) -> list[tuple[float, float, float]]:
    """(bucket start, p50, p95) of latency in ms per `width` seconds of the soak."""
    from scripts.bench_load import percentile

    groups: dict[int, list[float]] = {}
    for t, lat, _ in requests:
        groups.setdefault(int(t // width), []).append(lat * 1000)
    return [(k * width, percentile(sorted(v), 50), percentile(sorted(v), 95)) for k, v in sorted(groups.items())]


def plot_soak(result: dict[str, Any], path: Path) -> None:
    plt = _plt()
    soak = result["soak"]
    b = _buckets(soak["requests"], 10.0)
    fig, ax = plt.subplots(1, 2, figsize=(11, 3.8))
    ax[0].plot([x[0] for x in b], [x[1] for x in b], label="p50")
    ax[0].plot([x[0] for x in b], [x[2] for x in b], label="p95")
    ax[0].set(xlabel="s", ylabel="ms", title=f"Soak latency ({soak['rate']:g} chat turns/s), per 10 s")
    ax[0].legend(fontsize=8)
    samples = soak["samples"]
    for part in [k for k in samples[0] if k != "t"]:
        ax[1].plot([s["t"] for s in samples], [s[part] / 1024 for s in samples], label=part)
    ax[1].plot(
        [s["t"] for s in samples],
        [sum(v for k, v in s.items() if k != "t") / 1024 for s in samples],
        "k--",
        label="total",
    )
    ax[1].set(xlabel="s", ylabel="MB", title="Resident memory during the soak")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def plot_training(result: dict[str, Any], path: Path) -> None:
    plt = _plt()
    tr = result["training"]
    names = list(tr)
    fig, ax = plt.subplots(1, 3, figsize=(11, 3.4))
    xs = range(len(names))
    ax[0].bar([x - 0.2 for x in xs], [tr[n]["train_s"] for n in names], 0.4, label="wall (niced, beside the soak)")
    ax[0].bar([x + 0.2 for x in xs], [tr[n]["train_cpu_s"] for n in names], 0.4, label="CPU")
    ax[0].set_xticks(list(xs), names)
    ax[0].set(title="Training (rasa train nlu)", ylabel="s")
    ax[0].legend(fontsize=7)
    ax[1].bar(names, [tr[n]["act_accuracy"] for n in names])
    ax[1].set(title="Act (intent) accuracy", ylim=(0, 1))
    ax[2].bar(names, [tr[n]["parse_ms_p50"] for n in names])
    ax[2].set(title="Parse p50 in-process", ylabel="ms")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


# ---- markdown -----------------------------------------------------------------------------------------


def write_report(result: dict[str, Any], reports: Path) -> None:
    """Plots first (the markdown links them), then bench.md; a plot that fails is named, not fatal."""
    plots = {
        "bench_latency.png": plot_latency,
        "bench_memory.png": plot_memory,
        "bench_soak.png": plot_soak,
        "bench_training.png": plot_training,
    }
    failed = []
    for name, fn in plots.items():
        try:
            fn(result, reports / name)
        except (KeyError, ValueError, IndexError, TypeError) as exc:
            failed.append(f"{name}: {exc.__class__.__name__} {exc}")
    profile = reports / "bench_profile.json"  # scripts/bench_profile.py, its own run
    extra = {"profile": json.loads(profile.read_text("utf-8"))} if profile.exists() else {}
    text = sections(result | extra, summary(result | extra), failed)
    (reports / "bench.md").write_text(text, "utf-8")
