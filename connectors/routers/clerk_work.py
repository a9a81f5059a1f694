"""The clerk's follow-up work: people waiting for a human, 办不成事 / complaint tickets, call-backs.

    GET  /clerk/handoffs                       the queue (waiting and taken), each with its masked history
    POST /clerk/handoffs/{id}/take|answer|close answer = post_message (the widget polls /api/inbox;
                                               WeChat senders also get it by the customer-service API)
    GET  /clerk/tickets[?status=&archived=1]   open tickets, overdue first and flagged; open call-backs
    GET  /clerk/tickets/new?matter=&q=         a new ticket from the panel
    POST /clerk/tickets                        create (idempotent on the form's nonce)
    GET  /clerk/tickets/{id}                   one ticket, its audit trail and the next steps
    POST /clerk/tickets/{id}/assign|reply|close|complexity
    POST /clerk/callbacks/{id}/done            a 差评 call-back made

Every POST checks the session's CSRF token and answers with a redirect (post/redirect/get), so a
reload never repeats an action; messages after a redirect are codes, never reflected text.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from shouwen_records import handoffs as hq
from shouwen_records import tickets as tk
from shouwen_records.ids import mask_contact
from shouwen_records.ratings import complete_callback, list_callbacks

from ..clerk.auth import Clerk, ClerkForm, ClerkPage
from ..clerk.html import CHANNEL_LABELS, esc, fmt_time, hidden_csrf, page, table
from ..deps import DbDep, LiveDep, RedisDep, SettingsDep
from ..wechat import CustomerService, WeChatAPIError
from .clerk import badges

__all__ = ["CATEGORIES", "router"]

logger = logging.getLogger(__name__)
router = APIRouter(tags=["clerk panel"], include_in_schema=False)

CATEGORIES = {"report_cannot_get_done": "办不成事", "complain": "投诉", "other": "其他求助"}
STATUS_LABELS = {"new": "待受理", "assigned": "办理中", "answered": "已答复", "closed": "已办结"}
DONE = {
    "taken": "已接入，请在下方回复群众。",
    "sent": "回复已发送。",
    "sent-wechat-failed": "回复已保存，但微信客服消息发送失败：请稍后重试或电话联系。",
    "closed": "已结束。",
    "created": "工单已登记。",
    "assigned": "已分派给您。",
    "replied": "答复已记录。",
    "ticket-closed": "工单已办结归档。",
    "complexity": "办理时限已重新计算。",
    "callback": "回访已完成。",
}
NONCE = re.compile(r"^[0-9a-f]{32}$")
Text = Annotated[str, Form(max_length=4000)]


def _flash(done: str) -> str:
    return DONE.get(done, "")


def _status(status: str) -> str:
    return f'<span class="status {esc(status)}">{esc(STATUS_LABELS.get(status, status))}</span>'


# ---- hand-offs --------------------------------------------------------------------------------------


def _bubbles(history: list[dict[str, Any]], sent: list[dict[str, Any]]) -> str:
    items = [
        f'<div class="msg {"user" if h.get("who") == "user" else "bot"}"><span class="who">'
        f"{'群众' if h.get('who') == 'user' else '智能助手'}</span>{esc(h.get('text'))}</div>"
        for h in history
    ]
    items += [
        f'<div class="msg clerk"><span class="who">工作人员 {esc(m["clerk"])} · {fmt_time(m["at"])}</span>{esc(m["text"])}</div>'
        for m in sent
    ]
    return '<div class="chat" aria-label="对话记录">' + ("".join(items) or '<p class="muted">无对话记录</p>') + "</div>"


def _handoff_block(h: dict[str, Any], sent: list[dict[str, Any]], clerk: Clerk) -> str:
    hid = h["id"]
    state = "等待接入" if h["status"] == "waiting" else f"{esc(h['clerk'])} 接待中"
    actions = []
    if h["status"] == "waiting":
        actions.append(
            f'<form method="post" action="/clerk/handoffs/{hid}/take" class="inline">{hidden_csrf(clerk)}'
            '<button type="submit" class="button primary">接入</button></form>'
        )
    if h["status"] == "waiting" or h["clerk"] == clerk.username:
        actions.append(
            f'<form method="post" action="/clerk/handoffs/{hid}/answer" class="grow">{hidden_csrf(clerk)}'
            f'<label for="answer-{hid}">回复群众</label><textarea id="answer-{hid}" name="text" required maxlength="2000"'
            ' placeholder="直接回答群众的问题；涉及材料可先在“咨询助手”中查询。"></textarea>'
            '<div class="actions"><button type="submit" class="button primary">发送</button></div></form>'
        )
    actions.append(
        f'<form method="post" action="/clerk/handoffs/{hid}/close" class="inline" data-confirm="结束这次人工服务？">'
        f'{hidden_csrf(clerk)}<button type="submit" class="button danger small">结束</button></form>'
    )
    return (
        f'<section class="panel handoff" id="h{hid}" aria-labelledby="h{hid}-t">'
        f'<h2 id="h{hid}-t">#{hid} · {esc(CHANNEL_LABELS.get(h["channel"], h["channel"]))}'
        f' <span class="muted">会话 {esc(h["conversation"][:16])}… · {fmt_time(h["created_at"])} · {state}</span></h2>'
        f'{_bubbles(h["history"] or [], sent)}<div class="row">{"".join(actions)}</div></section>'
    )


@router.get("/clerk/handoffs")
def handoffs_page(clerk: ClerkPage, db: DbDep, done: str = "") -> HTMLResponse:
    queue = hq.list_handoffs(db, status="waiting") + hq.list_handoffs(db, status="taken")
    blocks = []
    for h in queue:
        sent = [m for m in hq.messages_for(db, h["sender"]) if m["handoff_id"] == h["id"]]
        blocks.append(_handoff_block(h, sent, clerk))
    body = (
        '<div class="row"><h1 class="grow">转人工队列</h1><a class="button small" href="/clerk/handoffs">刷新</a></div>'
        '<p class="muted">群众在网站或微信中要求人工服务后出现在这里，等待最久的在前。对话中的个人信息已隐去。</p>'
        + ("".join(blocks) or '<p class="panel placeholder">现在没有等待人工服务的群众。</p>')
    )
    return page("转人工", body, clerk, active="/clerk/handoffs", badges=badges(db), flash=_flash(done))


def _back(hid: int, done: str) -> RedirectResponse:
    return RedirectResponse(f"/clerk/handoffs?done={done}#h{hid}", status_code=303)


def _found(row: dict[str, Any] | None, what: str) -> dict[str, Any]:
    """The row looked up, or a 404 naming what was asked for."""
    if row is None:
        raise HTTPException(404, f"no {what}")
    return row


@router.post("/clerk/handoffs/{hid}/take")
def take(hid: int, clerk: ClerkForm, db: DbDep) -> RedirectResponse:
    _found(hq.get_handoff(db, hid), f"hand-off {hid}")
    try:
        hq.take(db, hid, clerk.username)
    except ValueError as exc:
        raise HTTPException(409, "另一位工作人员已接入，或已结束") from exc
    return _back(hid, "taken")


@router.post("/clerk/handoffs/{hid}/answer")
async def answer(
    hid: int, clerk: ClerkForm, db: DbDep, settings: SettingsDep, redis: RedisDep, text: Text
) -> RedirectResponse:
    body = text.strip()
    found = _found(await run_in_threadpool(hq.get_handoff, db, hid), f"hand-off {hid}")
    if not body:
        return _back(hid, "")
    if found["status"] == "closed" or (found["status"] == "taken" and found["clerk"] != clerk.username):
        raise HTTPException(409, "这次人工服务已结束，或由另一位工作人员接待")
    if found["status"] == "waiting":
        await run_in_threadpool(hq.take, db, hid, clerk.username)
    await run_in_threadpool(hq.post_message, db, hid, clerk.username, body)
    done = "sent"
    sender = str(found["sender"])
    if sender.startswith("wechat:") and settings.wechat_appid and settings.wechat_secret:
        # The widget polls /api/inbox; a WeChat follower only hears from us through the API.
        api = CustomerService(settings.wechat_api_base, settings.wechat_appid, settings.wechat_secret, redis)
        try:
            await api.send_text(sender.split(":", 1)[1], body)
        except WeChatAPIError as exc:
            logger.warning("hand-off %s: wechat customer-service message not sent (%s)", hid, exc)
            done = "sent-wechat-failed"
    return _back(hid, done)


@router.post("/clerk/handoffs/{hid}/close")
def close_handoff(hid: int, clerk: ClerkForm, db: DbDep) -> RedirectResponse:
    _found(hq.get_handoff(db, hid), f"hand-off {hid}")
    try:
        hq.close_handoff(db, hid)
    except ValueError as exc:
        raise HTTPException(409, "已经结束") from exc
    return RedirectResponse("/clerk/handoffs?done=closed", status_code=303)


# ---- tickets and call-backs ------------------------------------------------------------------------


def _ticket_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    out = []
    for t in rows:
        due = fmt_time(t["due_date"]) + ("" if t["due_exact"] else "*")
        due_cell = f'<span class="late">{due} 已逾期</span>' if t["overdue"] else due
        detail = t["detail"] if len(t["detail"]) <= 40 else t["detail"][:39] + "…"
        out.append(
            [
                f'<a href="/clerk/tickets/{t["id"]}">{esc(t["number"])}</a>',
                esc(CATEGORIES.get(t["category"], t["category"])),
                esc(t["matter_name"] or "—"),
                esc(detail),
                esc(t["contact"] or "—"),
                _status(t["status"]),
                fmt_time(t["created_at"]),
                due_cell,
                esc(t["assignee"] or "—"),
            ]
        )
    return out


def _tickets_table(rows: list[dict[str, Any]]) -> str:
    return table(
        ["编号", "类别", "事项", "情况", "联系方式", "状态", "登记时间", "答复期限", "承办人"],
        _ticket_rows(rows),
        row_classes=["overdue" if t["overdue"] else "" for t in rows],
    )


@router.get("/clerk/tickets")
def tickets_page(clerk: ClerkPage, db: DbDep, status: str = "", archived: int = 0, done: str = "") -> HTMLResponse:
    rows = tk.list_tickets(db, status=status or None, archived=bool(archived))
    overdue = sum(1 for t in rows if t["overdue"])
    filters = "".join(
        f'<a class="button small{" primary" if status == s else ""}" href="/clerk/tickets?status={s}">{esc(label)}</a>'
        for s, label in (("", "未办结"), *STATUS_LABELS.items())
    )
    calls = list_callbacks(db, status="open")
    call_rows = [
        [
            f"#{c['id']}",
            esc(c["label"]),
            esc(c["reason"] or "—"),
            esc(CHANNEL_LABELS.get(c["channel"], c["channel"])),
            esc(c["matter_id"] or "—"),
            f'<span class="late">{fmt_time(c["due_date"])} 逾期</span>' if c["late"] else fmt_time(c["due_date"]),
            f'<form method="post" action="/clerk/callbacks/{c["id"]}/done" class="row">{hidden_csrf(clerk)}'
            f'<input type="text" name="note" aria-label="回访情况 #{c["id"]}" placeholder="回访情况" maxlength="500" class="grow">'
            '<button type="submit" class="button small">完成</button></form>',
        ]
        for c in calls
    ]
    body = (
        '<div class="row"><h1 class="grow">“办不成事”与投诉工单</h1>'
        '<a class="button primary" href="/clerk/tickets/new">登记工单</a></div>'
        f'<p class="muted">一般问题 3 个工作日、复杂问题 10 个工作日内答复（已扣除节假日，含调休）。'
        f'当前列表 {len(rows)} 件，<span class="late">逾期 {overdue} 件</span>。带 * 的期限超出节假日表，按周一至周五推算。</p>'
        f'<div class="actions noprint">{filters}<a class="button small" href="/clerk/tickets?archived=1&amp;status=closed">已归档</a></div>'
        f'<div class="panel">{_tickets_table(rows)}</div>'
        '<h2>差评回访</h2><p class="muted">群众给出“不满意”“非常不满意”后自动生成，当天回访。</p>'
        f'<div class="panel">{table(["编号", "评价", "原因", "渠道", "事项", "回访期限", "处理"], call_rows)}</div>'
    )
    return page("工单与回访", body, clerk, active="/clerk/tickets", badges=badges(db), flash=_flash(done))


@router.get("/clerk/tickets/new")
def new_ticket(clerk: ClerkPage, db: DbDep, live: LiveDep, matter: str = "", q: str = "") -> HTMLResponse:
    found = live.current().catalog.matter(matter) if matter else None
    options = "".join(f'<option value="{esc(k)}">{esc(v)}</option>' for k, v in CATEGORIES.items())
    matter_field = (
        f'<input type="hidden" name="matter_id" value="{esc(found.id)}"><p><strong>事项：</strong>{esc(found.name)}'
        f' <span class="muted">（{esc(found.department)}）</span></p>'
        if found
        else '<p><label for="matter_name">事项（如已知）</label><input type="text" id="matter_name" name="matter_name" maxlength="200"></p>'
    )
    body = (
        '<div class="panel narrowish"><h1>登记“办不成事”工单</h1>'
        f'<form method="post" action="/clerk/tickets">{hidden_csrf(clerk)}'
        f'<input type="hidden" name="nonce" value="{secrets.token_hex(16)}">'
        f'<p><label for="category">类别</label><select id="category" name="category">{options}</select></p>'
        f"{matter_field}"
        f'<p><label for="detail">情况说明</label><textarea id="detail" name="detail" required maxlength="4000">{esc(q)}</textarea></p>'
        '<p><label for="contact">联系电话（回复群众用；列表中隐去）</label><input type="tel" id="contact" name="contact" maxlength="100"></p>'
        '<fieldset class="levels"><legend>复杂程度</legend>'
        '<label><input type="radio" name="complexity" value="simple" checked> 一般（3 个工作日内答复）</label>'
        '<label><input type="radio" name="complexity" value="complex"> 复杂（10 个工作日内答复）</label></fieldset>'
        '<div class="actions"><button type="submit" class="button primary">登记</button>'
        '<a class="button" href="/clerk/tickets">取消</a></div></form></div>'
    )
    return page("登记工单", body, clerk, active="/clerk/tickets", badges=badges(db))


@router.post("/clerk/tickets")
def create(
    clerk: ClerkForm,
    db: DbDep,
    live: LiveDep,
    detail: Text,
    nonce: Annotated[str, Form(max_length=64)] = "",
    category: Annotated[str, Form(max_length=64)] = "report_cannot_get_done",
    matter_id: Annotated[str, Form(max_length=64)] = "",
    matter_name: Annotated[str, Form(max_length=200)] = "",
    contact: Annotated[str, Form(max_length=100)] = "",
    complexity: Annotated[str, Form(max_length=16)] = "simple",
) -> RedirectResponse:
    if (
        not NONCE.match(nonce)
        or category not in CATEGORIES
        or complexity not in tk.COMPLEXITY_DAYS
        or not detail.strip()
    ):
        raise HTTPException(400, "the ticket form is incomplete: reload it and fill in 情况说明")
    found = live.current().catalog.matter(matter_id) if matter_id else None
    ticket_id = tk.create_ticket(
        db,
        key=f"clerk-{nonce}",
        category=category,
        detail=detail.strip(),
        contact=contact,
        matter_id=found.id if found else "",
        matter_name=found.name if found else matter_name.strip(),
        complexity=complexity,
        actor=clerk.username,
    )
    return RedirectResponse(f"/clerk/tickets/{ticket_id}?done=created", status_code=303)


@router.get("/clerk/tickets/{ticket_id}")
def ticket_page(ticket_id: int, clerk: ClerkPage, db: DbDep, done: str = "", error: str = "") -> HTMLResponse:
    t = _found(tk.get_ticket(db, ticket_id), f"ticket {ticket_id}")
    trail = [
        [fmt_time(a["at"]), esc(STATUS_LABELS.get(a["action"], a["action"])), esc(a["actor"]), esc(a["detail"])]
        for a in tk.audit_trail(db, ticket_id)
    ]
    csrf = hidden_csrf(clerk)
    quick: list[str] = []  # one-click steps, side by side
    forms: list[str] = []  # steps with something to write
    if t["status"] in ("new", "assigned") and t["assignee"] != clerk.username:
        quick.append(
            f'<form method="post" action="/clerk/tickets/{ticket_id}/assign" class="inline">{csrf}'
            '<button type="submit" class="button primary">由我承办</button></form>'
        )
    if t["status"] == "assigned":
        forms.append(
            f'<form method="post" action="/clerk/tickets/{ticket_id}/reply">{csrf}'
            '<label for="answer">给群众的答复（电话或短信答复后记录）</label>'
            '<textarea id="answer" name="answer" required maxlength="4000"></textarea>'
            '<div class="actions"><button type="submit" class="button primary">记录答复</button></div></form>'
        )
    if t["status"] in ("new", "assigned"):
        other = "complex" if t["complexity"] == "simple" else "simple"
        quick.append(
            f'<form method="post" action="/clerk/tickets/{ticket_id}/complexity" class="inline">{csrf}'
            f'<input type="hidden" name="complexity" value="{other}"><button type="submit" class="button small">'
            f"改为{'复杂（10 个工作日）' if other == 'complex' else '一般（3 个工作日）'}</button></form>"
        )
    if t["status"] != "closed":
        forms.append(
            f'<form method="post" action="/clerk/tickets/{ticket_id}/close" class="row">{csrf}'
            '<div class="grow"><label for="note">办结说明</label><input type="text" id="note" name="note" maxlength="500"></div>'
            '<button type="submit" class="button danger">办结归档</button></form>'
        )
    overdue = ' <span class="late">已逾期</span>' if t["overdue"] else ""
    facts = [
        ("类别", esc(CATEGORIES.get(t["category"], t["category"]))),
        ("工单编号", esc(t["number"])),
        ("状态", _status(t["status"]) + overdue),
        ("事项", esc(t["matter_name"] or "—")),
        ("情况", esc(t["detail"])),
        (
            "联系电话",
            esc(t["contact"] or "未留")
            + f' <span class="muted">（列表中显示为 {esc(mask_contact(t["contact"]))}）</span>'
            if t["contact"]
            else "未留",
        ),
        ("渠道", esc(CHANNEL_LABELS.get(t["channel"], t["channel"]))),
        ("登记时间", fmt_time(t["created_at"])),
        ("答复期限", fmt_time(t["due_date"]) + f"（{'复杂' if t['complexity'] == 'complex' else '一般'}）"),
        ("承办人", esc(t["assignee"] or "—")),
        ("答复", esc(t["answer"] or "—")),
    ]
    body = (
        f'<p><a href="/clerk/tickets">← 返回工单列表</a></p><div class="panel"><h1>工单 #{ticket_id}</h1>'
        + '<dl class="facts">'
        + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
        + "</dl>"
        + (
            f'<div class="steps"><div class="actions">{"".join(quick)}</div>{"".join(forms)}</div>'
            if quick or forms
            else ""
        )
        + "</div>"
        + f'<div class="panel">{table(["时间", "操作", "操作人", "说明"], trail, caption="处理记录（全程留痕）")}</div>'
    )
    flash = _flash(done) or (esc(error) if error else "")
    return page(f"工单 #{ticket_id}", body, clerk, active="/clerk/tickets", badges=badges(db), flash=flash)


def _ticket_step(ticket_id: int, done: str, step: Any) -> RedirectResponse:
    try:
        step()
    except tk.TicketError as exc:
        raise HTTPException(409, str(exc)) from exc
    return RedirectResponse(f"/clerk/tickets/{ticket_id}?done={done}", status_code=303)


@router.post("/clerk/tickets/{ticket_id}/assign")
def assign(ticket_id: int, clerk: ClerkForm, db: DbDep) -> RedirectResponse:
    return _ticket_step(ticket_id, "assigned", lambda: tk.assign(db, ticket_id, clerk.username, clerk.username))


@router.post("/clerk/tickets/{ticket_id}/reply")
def reply(ticket_id: int, clerk: ClerkForm, db: DbDep, answer: Text) -> RedirectResponse:
    if not answer.strip():
        raise HTTPException(400, "the answer is empty")
    return _ticket_step(ticket_id, "replied", lambda: tk.reply(db, ticket_id, answer.strip(), clerk.username))


@router.post("/clerk/tickets/{ticket_id}/close")
def close_ticket(
    ticket_id: int, clerk: ClerkForm, db: DbDep, note: Annotated[str, Form(max_length=500)] = ""
) -> RedirectResponse:
    return _ticket_step(ticket_id, "ticket-closed", lambda: tk.close(db, ticket_id, clerk.username, note.strip()))


@router.post("/clerk/tickets/{ticket_id}/complexity")
def complexity(
    ticket_id: int, clerk: ClerkForm, db: DbDep, complexity: Annotated[str, Form(max_length=16)]
) -> RedirectResponse:
    return _ticket_step(ticket_id, "complexity", lambda: tk.set_complexity(db, ticket_id, complexity, clerk.username))


@router.post("/clerk/callbacks/{callback_id}/done")
def callback_done(
    callback_id: int, clerk: ClerkForm, db: DbDep, note: Annotated[str, Form(max_length=500)] = ""
) -> RedirectResponse:
    try:
        complete_callback(db, callback_id, clerk.username, note.strip())
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from exc
    return RedirectResponse("/clerk/tickets?done=callback", status_code=303)
