"""Supervision in the clerk panel: the questions the catalog did not answer, the dashboard, and CSV
exports of every records table.

    GET  /clerk/gaps                      top groups of unanswered / low-confidence questions, with the
                                          candidates the linker offered then and offers now
    POST /clerk/gaps/alias                attach a group to a matter as a new alias (alias overlay:
                                          every process's LiveCatalog reloads within
                                          SHOUWEN_RELOAD_CHECK seconds, no retraining, no restart)
    POST /clerk/gaps/referral             mark a group as answered by a referral
    GET  /clerk/dashboard?days=30         figures of shouwen_records.dashboard.summary as SVG charts
    GET  /clerk/export/{table}.csv        one table, personal data masked (shouwen_records.privacy)
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from shouwen_records.dashboard import summary
from shouwen_records.db import today
from shouwen_records.gaps import attach_alias, mark_referral, overlay_version, top_gaps
from shouwen_records.privacy import export_csv
from shouwen_records.schema import TABLES

from ..clerk import charts
from ..clerk.auth import ClerkForm, ClerkPage
from ..clerk.html import CHANNEL_LABELS, esc, fmt_time, hidden_csrf, page, table
from ..deps import DbDep, LiveDep
from .clerk import badges

__all__ = ["router"]

router = APIRouter(tags=["clerk panel"], include_in_schema=False)

TABLE_LABELS = {
    "tickets": "工单",
    "ticket_audit": "工单处理记录",
    "ratings": "评价",
    "callbacks": "差评回访",
    "questions": "未答问题",
    "alias_overlay": "新增别名",
    "handoffs": "转人工",
    "handoff_messages": "人工回复",
    "turns": "对话轮次",
    "clerks": "工作人员账号",
}
STATUS_LABELS = {"new": "待受理", "assigned": "办理中", "answered": "已答复", "closed": "已办结"}
RATING_COLORS = ("#1e7b45", "#52a46b", "#9aa5b1", "#e0912b", "#c8161e")
GROUP = Annotated[str, Form(max_length=200)]


# ---- unanswered questions ----------------------------------------------------------------------------


def _candidate_options(g: dict[str, Any], live_candidates: list[tuple[str, str, float]]) -> str:
    seen: dict[str, tuple[str, float]] = {}
    for mid, name, score in live_candidates:
        seen.setdefault(mid, (name, score))
    for c in g["candidates"]:
        seen.setdefault(c["id"], (c["name"], c["score"]))
    return "".join(
        f'<option value="{esc(mid)}"{" selected" if i == 0 else ""}>{esc(name)}（{round(score * 100)}%）</option>'
        for i, (mid, (name, score)) in enumerate(seen.items())
    )


def _gap_block(n: int, g: dict[str, Any], live: LiveDep, csrf: str) -> str:
    link = live.current().linker.link(g["example"], limit=5)
    current = [(c.matter.id, c.matter.name, c.score) for c in link.matters]
    options = _candidate_options(g, current)
    sel = f"matter-{n}"
    channels = "、".join(CHANNEL_LABELS.get(c, c) for c in g["channels"]) or "—"
    return (
        f'<section class="panel gap" aria-labelledby="gap-{n}-t"><div class="row"><h2 class="grow" id="gap-{n}-t">'
        f'“{esc(g["example"])}” <span class="badge">{g["count"]} 次</span></h2>'
        f'<span class="muted">渠道 {esc(channels)} · 最近 {fmt_time(g["last_at"])}</span></div>'
        f'<form method="post" action="/clerk/gaps/alias" class="row">{csrf}'
        f'<input type="hidden" name="group" value="{esc(g["group_key"])}">'
        f'<div class="grow"><label for="{sel}">对应事项</label><select id="{sel}" name="matter_id" required>{options}</select></div>'
        f'<div class="grow"><label for="s-{n}">搜索其他事项</label><input type="search" id="s-{n}" data-matter-search="{sel}"'
        ' placeholder="输入事项名称或关键词"></div>'
        f'<div class="grow"><label for="a-{n}">作为别名</label><input type="text" id="a-{n}" name="alias" maxlength="200"'
        f' value="{esc(g["example"])}"></div>'
        '<button type="submit" class="button primary">设为别名</button></form>'
        f'<form method="post" action="/clerk/gaps/referral" class="actions">{csrf}'
        f'<input type="hidden" name="group" value="{esc(g["group_key"])}">'
        '<button type="submit" class="button small">不属于目录：标记为转介</button></form></section>'
    )


@router.get("/clerk/gaps")
def gaps_page(clerk: ClerkPage, db: DbDep, live: LiveDep, done: str = "", matter: str = "", n: int = 0) -> HTMLResponse:
    groups = top_gaps(db, limit=30)
    csrf = hidden_csrf(clerk)
    flash = ""
    if done == "alias":
        found = live.current().catalog.matter(matter)
        name = found.name if found else matter
        flash = f"已设为“{name}”的别名，已生效（约5秒内，无需重新训练或重启）。"
    elif done == "referral":
        flash = f"已标记为转介（{n} 条问题）。"
    body = (
        '<h1>未答问题</h1><p class="muted">目录没有答上或把握不大的问题（个人信息已隐去），相似问法已合并，问得最多的在前。'
        f"选定正确事项后“设为别名”，各渠道即刻按新说法识别。当前别名版本 v{overlay_version(db)}。</p>"
        + (
            "".join(_gap_block(i, g, live, csrf) for i, g in enumerate(groups))
            or '<p class="panel placeholder">没有待处理的问题。</p>'
        )
    )
    return page("未答问题", body, clerk, active="/clerk/gaps", badges=badges(db), flash=flash)


@router.post("/clerk/gaps/alias")
def gap_alias(
    clerk: ClerkForm,
    db: DbDep,
    live: LiveDep,
    group: GROUP,
    matter_id: Annotated[str, Form(max_length=64)],
    alias: Annotated[str, Form(max_length=200)] = "",
) -> RedirectResponse:
    if live.current().catalog.matter(matter_id) is None:
        raise HTTPException(400, f"no matter {matter_id!r} in the catalog")
    try:
        attach_alias(db, group, matter_id, alias.strip() or None, clerk.username)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc
    return RedirectResponse(f"/clerk/gaps?done=alias&matter={quote(matter_id)}", status_code=303)


@router.post("/clerk/gaps/referral")
def gap_referral(clerk: ClerkForm, db: DbDep, group: GROUP) -> RedirectResponse:
    count = mark_referral(db, group, clerk.username)
    return RedirectResponse(f"/clerk/gaps?done=referral&n={count}", status_code=303)


# ---- dashboard -------------------------------------------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _days(since: str, on: dt.date) -> list[str]:
    start = dt.date.fromisoformat(since)
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((on - start).days + 1)]


def _kpi(label: str, value: str, bad: bool = False) -> str:
    return f'<div class="kpi{" bad" if bad else ""}"><div class="v">{esc(value)}</div><div class="k">{esc(label)}</div></div>'


@router.get("/clerk/dashboard")
def dashboard(clerk: ClerkPage, db: DbDep, days: int = 30) -> HTMLResponse:
    days = min(max(days, 1), 366)
    on = today()
    s = summary(db, days=days, on=on)
    day_list = _days(s["since"], on)
    channels = sorted(
        {r["channel"] for r in s["per_day"]}, key=lambda c: list(CHANNEL_LABELS).index(c) if c in CHANNEL_LABELS else 99
    )
    per = {(r["day"], r["channel"]): r["conversations"] for r in s["per_day"]}
    series = {c: [per.get((d, c), 0) for d in day_list] for c in channels}
    rated = sum(s["ratings"].values())
    satisfied = sum(v for k, v in list(s["ratings"].items())[:3])
    kpis = (
        _kpi("会话数", str(s["conversations"]))
        + _kpi("解决率", _pct(s["resolution_rate"]))
        + _kpi("未答率", _pct(s["unanswered_rate"]), s["unanswered_rate"] > 0.2)
        + _kpi(f"转人工（等待 {s['handoffs']['waiting']}）", str(s["handoffs"]["total"]), s["handoffs"]["waiting"] > 0)
        + _kpi("满意率", _pct(satisfied / rated) if rated else "—")
        + _kpi("逾期工单", str(s["overdue"]), s["overdue"] > 0)
    )
    top = [(m["matter_name"] or m["matter_id"], m["turns"]) for m in s["top_matters"]]
    ratings = list(s["ratings"].items())
    tickets = [(STATUS_LABELS.get(k, k), v) for k, v in s["tickets"].items()] + [("其中逾期", s["overdue"])]
    handoff_days = [s["handoffs"]["per_day"].get(d, 0) for d in day_list]
    channel_totals = [(CHANNEL_LABELS.get(c, c), sum(v)) for c, v in series.items()]
    range_links = "".join(
        f'<a class="button small{" primary" if days == d else ""}" href="/clerk/dashboard?days={d}">近{d}天</a>'
        for d in (7, 30, 90)
    )
    exports = "".join(
        f'<a class="button small" href="/clerk/export/{name}.csv">{esc(TABLE_LABELS.get(name, name))}</a>'
        for name in TABLES
    )
    figures = (
        f'<section class="panel wide"><h2>每日会话数（按渠道）</h2>'
        f"{charts.stacked_columns(day_list, series, title='每日会话数（按渠道）', labels=CHANNEL_LABELS)}</section>"
        f'<section class="panel"><h2>问得最多的事项</h2>{charts.hbars(top, title="问得最多的事项（对话轮次）", label_width=200)}</section>'
        f'<section class="panel"><h2>评价分布</h2>{charts.hbars(ratings, title="评价分布", colors=RATING_COLORS, label_width=110)}</section>'
        f'<section class="panel"><h2>工单状态</h2>'
        f"{charts.hbars(tickets, title='工单状态', colors=('#e0912b', '#1f5fae', '#1e7b45', '#9aa5b1', '#c8161e'), label_width=110)}</section>"
        f'<section class="panel"><h2>每日转人工</h2>{charts.line(day_list, handoff_days, title="每日转人工次数")}</section>'
    )
    tables = (
        '<details class="panel tables"><summary>查看数据表</summary>'
        + table(["渠道", "会话数"], [[esc(k), str(v)] for k, v in channel_totals], caption="按渠道")
        + table(["事项", "对话轮次"], [[esc(k), str(v)] for k, v in top], caption="问得最多的事项")
        + table(["评价", "数量"], [[esc(k), str(v)] for k, v in ratings], caption="评价分布")
        + table(["状态", "数量"], [[esc(k), str(v)] for k, v in tickets], caption="工单")
        + "</details>"
    )
    body = (
        f'<div class="row"><h1 class="grow">服务统计 <span class="muted">{esc(s["since"])} 至 {on.isoformat()}</span></h1>'
        f'<div class="actions">{range_links}</div></div>'
        f'<div class="kpis">{kpis}</div><div class="charts">{figures}</div>{tables}'
        '<section class="panel"><h2>导出 CSV（个人信息已隐去）</h2>'
        f'<div class="actions">{exports}</div></section>'
        f'<p class="muted">解决率：以办事指南或转介结束、且未转人工的会话占比；未答率：目录未答上的对话轮次占比。'
        f"共 {s['turns']} 轮对话，{s['unanswered']} 轮未答上。</p>"
    )
    return page("服务统计", body, clerk, active="/clerk/dashboard", badges=badges(db))


@router.get("/clerk/export/{name}.csv")
def export(name: str, clerk: ClerkPage, db: DbDep) -> Response:
    if name not in TABLES:
        raise HTTPException(404, f"no table {name!r}; tables: {', '.join(TABLES)}")
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads UTF-8 Chinese only with a BOM
    export_csv(db, name, out)
    stamp = today().isoformat()
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="shouwen-{name}-{stamp}.csv"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
