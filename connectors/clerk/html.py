"""Server-rendered HTML for the clerk panel: the page layout and small helpers.

Every value that comes from a person, the catalog or the database goes through `esc` (html.escape
with quotes), so pages are XSS-safe without a template engine. Pages carry a strict Content
Security Policy: scripts and styles only from the gateway itself, no inline script.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from typing import Any

from fastapi.responses import HTMLResponse

from .auth import Clerk

__all__ = ["CHANNEL_LABELS", "NAV", "esc", "fmt_time", "hidden_csrf", "page", "table"]

# How the panel names the channels of the sender ids (web:, wechat:, hall:, api:).
CHANNEL_LABELS = {"web": "网站", "wechat": "微信", "hall": "大厅", "api": "接口", "other": "其他", "": "其他"}

NAV = (
    ("/clerk", "咨询助手"),
    ("/clerk/handoffs", "转人工"),
    ("/clerk/tickets", "工单与回访"),
    ("/clerk/gaps", "未答问题"),
    ("/clerk/dashboard", "统计"),
    ("/clerk/qr", "评价二维码"),
)
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
ASSETS = "/clerk/static"


def esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def fmt_time(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return esc(value)


def hidden_csrf(clerk: Clerk) -> str:
    return f'<input type="hidden" name="csrf" value="{esc(clerk.csrf)}">'


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    caption: str = "",
    cls: str = "",
    row_classes: Sequence[str] = (),
) -> str:
    """A table; cells are HTML already (callers escape what they put in); `row_classes` by position."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = ""
    for i, row in enumerate(rows):
        rc = row_classes[i] if i < len(row_classes) and row_classes[i] else ""
        body += (f'<tr class="{esc(rc)}">' if rc else "<tr>") + "".join(f"<td>{c}</td>" for c in row) + "</tr>"
    if not body:
        body = f'<tr><td colspan="{len(headers)}" class="empty">暂无记录</td></tr>'
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="data {esc(cls)}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _nav(active: str, badges: dict[str, int]) -> str:
    links = []
    for href, label in NAV:
        current = ' aria-current="page"' if href == active else ""
        badge = badges.get(href, 0)
        extra = f' <span class="badge" aria-label="{badge} 个等待">{badge}</span>' if badge else ""
        links.append(f'<a href="{href}"{current}>{esc(label)}{extra}</a>')
    return "".join(links)


def page(
    title: str,
    body: str,
    clerk: Clerk | None = None,
    *,
    active: str = "",
    badges: dict[str, int] | None = None,
    flash: str = "",
    status_code: int = 200,
    body_class: str = "",
) -> HTMLResponse:
    header = ""
    if clerk is not None:
        header = (
            '<header class="top"><div class="brand"><span class="logo" aria-hidden="true">首</span>'
            "<span>首问 · 窗口辅助</span></div>"
            f'<nav aria-label="主导航">{_nav(active, badges or {})}</nav>'
            f'<form class="who" method="post" action="/clerk/logout">{hidden_csrf(clerk)}'
            f'<span>{esc(clerk.display_name)}</span><button type="submit" class="link">退出</button></form></header>'
        )
    note = f'<div class="flash" role="status">{esc(flash)}</div>' if flash else ""
    html = (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · 首问</title>"
        f'<link rel="stylesheet" href="{ASSETS}/clerk.css">'
        f'<script src="{ASSETS}/clerk.js" defer></script></head>'
        f'<body class="{esc(body_class)}">{header}<main id="main">{note}{body}</main></body></html>'
    )
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)
