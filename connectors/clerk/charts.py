"""Small SVG charts drawn on the server for the dashboard: no JavaScript, no charting library,
readable when printed. Each chart is an <svg role="img"> with a <title> and a <desc> listing its
values, and the dashboard shows the same figures in a table below it.

    hbars(items)                     horizontal bars, label + value (top matters, ratings, tickets)
    stacked_columns(days, series)    one column per day, stacked by channel, with a legend
    line(days, values)               a line with dots (hand-offs per day)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .html import esc

__all__ = ["CHANNEL_COLORS", "PALETTE", "hbars", "line", "stacked_columns"]

PALETTE = ("#1f5fae", "#3d8bd9", "#6aa9e6", "#9cc7f0", "#c7def5")
CHANNEL_COLORS = {"web": "#1f5fae", "wechat": "#2e9b5f", "hall": "#e0912b", "api": "#7a5cc2", "other": "#9aa5b1"}
FONT = 'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, sans-serif"'


def _svg(width: int, height: int, title: str, desc: str, inner: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}" {FONT}>'
        f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>{inner}</svg>"
    )


def _nice_max(value: float) -> float:
    """The top of the axis: four equal round steps (1, 2 or 5 × 10^k each) that reach `value`."""
    for k in range(12):
        for m in (1, 2, 5):
            if m * 10**k * 4 >= value:
                return float(m * 10**k * 4)
    return float(value)


def hbars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    colors: Sequence[str] = PALETTE[:1],
    unit: str = "",
    width: int = 560,
    label_width: int = 180,
) -> str:
    """Horizontal bars, one per (label, value), longest scale at the largest value."""
    row, top = 30, 8
    height = top * 2 + row * max(len(items), 1)
    biggest = max((v for _, v in items), default=0) or 1
    span = width - label_width - 70
    parts = []
    for i, (label, value) in enumerate(items):
        y = top + i * row
        w = max(span * value / biggest, 2 if value else 0)
        color = colors[i % len(colors)]
        short = label if len(label) <= 12 else label[:11] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 19}" text-anchor="end" font-size="14" fill="#33404d">{esc(short)}</text>'
            f'<rect x="{label_width}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" rx="3" fill="{esc(color)}"/>'
            f'<text x="{label_width + w + 6:.1f}" y="{y + 19}" font-size="14" fill="#1b2733">{esc(_num(value))}{esc(unit)}</text>'
        )
    if not items:
        parts.append(
            f'<text x="{width / 2}" y="{top + 19}" text-anchor="middle" font-size="14" fill="#6b7785">暂无数据</text>'
        )
    desc = "；".join(f"{label} {_num(v)}{unit}" for label, v in items)
    return _svg(width, height, title, desc, "".join(parts))


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _axis(width: int, height: int, left: int, top: int, bottom: int, scale_max: float) -> str:
    parts = []
    plot_h = height - top - bottom
    for k in range(5):
        v = scale_max * k / 4
        y = top + plot_h - plot_h * k / 4
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e8ee"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#6b7785">{_num(round(v, 1))}</text>'
        )
    return "".join(parts)


def _day_labels(days: Sequence[str], left: int, step: float, height: int) -> str:
    every = max(1, len(days) // 8)
    return "".join(
        f'<text x="{left + step * i + step / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="12" fill="#6b7785">'
        f"{esc(day[5:])}</text>"
        for i, day in enumerate(days)
        if i % every == 0 or i == len(days) - 1
    )


def stacked_columns(
    days: Sequence[str], series: Mapping[str, Sequence[int]], *, title: str, labels: dict[str, str], width: int = 760
) -> str:
    """Columns per day stacked by series (channels), with a legend on top."""
    height, left, top, bottom = 240, 40, 36, 28
    totals = [sum(s[i] for s in series.values()) for i in range(len(days))]
    scale_max = _nice_max(max(totals, default=0))
    plot_h = height - top - bottom
    step = (width - left - 8) / max(len(days), 1)
    parts = [_axis(width, height, left, top, bottom, scale_max)]
    for i in range(len(days)):
        y = float(top + plot_h)
        for name, values in series.items():
            h = plot_h * values[i] / scale_max
            if h <= 0:
                continue
            y -= h
            parts.append(
                f'<rect x="{left + step * i + step * 0.15:.1f}" y="{y:.1f}" width="{step * 0.7:.1f}" height="{h:.1f}"'
                f' fill="{CHANNEL_COLORS.get(name, "#9aa5b1")}"><title>{esc(days[i])} {esc(labels.get(name, name))}'
                f" {values[i]}</title></rect>"
            )
    parts.append(_day_labels(days, left, step, height))
    x = float(left)
    for name in series:
        label = labels.get(name, name)
        parts.append(
            f'<rect x="{x}" y="8" width="14" height="14" rx="2" fill="{CHANNEL_COLORS.get(name, "#9aa5b1")}"/>'
            f'<text x="{x + 20}" y="20" font-size="13" fill="#33404d">{esc(label)}</text>'
        )
        x += 30 + 14 * len(label)
    desc = "；".join(f"{d} 共{t}" for d, t in zip(days, totals, strict=True))
    return _svg(width, height, title, desc, "".join(parts))


def line(days: Sequence[str], values: Sequence[int], *, title: str, width: int = 560, color: str = "#c2452d") -> str:
    height, left, top, bottom = 220, 40, 14, 28
    scale_max = _nice_max(max(values, default=0))
    plot_h = height - top - bottom
    step = (width - left - 8) / max(len(days), 1)
    points = [(left + step * i + step / 2, top + plot_h - plot_h * v / scale_max) for i, v in enumerate(values)]
    parts = [_axis(width, height, left, top, bottom, scale_max)]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2.5"/>')
        parts += [
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{color}"><title>{esc(d)} {v}</title></circle>'
            for (x, y), d, v in zip(points, days, values, strict=True)
        ]
    parts.append(_day_labels(days, left, step, height))
    desc = "；".join(f"{d} {v}" for d, v in zip(days, values, strict=True))
    return _svg(width, height, title, desc, "".join(parts))
