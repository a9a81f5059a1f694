"""The clerk panel at the window: login, the suggestion panel, the printable 一次性告知单, the QR code
of the rating page.

    GET/POST /clerk/login, POST /clerk/logout     session cookie + CSRF (connectors/clerk/auth.py)
    GET  /clerk                                   the suggestion panel (type the person's question)
    GET  /clerk/api/suggest?q=                    top matters with scores, the card of the best one,
                                                  related 一件事 packages, the referral (HTML fragments)
    GET  /clerk/api/card?matter=&case=            the card of a chosen matter / 情形
    GET  /clerk/notice/{matter_id}?case=          the one-page 一次性告知单 to print
    GET  /clerk/qr?window=Z01, /clerk/qr.svg      the QR code of /rate?window=… for a hall window
    GET  /clerk/static/{clerk.css|clerk.js}       the panel's assets (public: the login page needs them)

Answers come from the same core as the bot (shouwen_core.consult.Consultant, the live catalog), so
what the clerk reads is what the chat says. Other panel pages: clerk_work.py (hand-offs, tickets,
call-backs) and clerk_review.py (unanswered questions, dashboard, CSV export).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from shouwen_core import turn
from shouwen_core.consult import Consultant
from shouwen_core.linker import PLAUSIBLE
from shouwen_records.clerks import verify_clerk
from shouwen_records.db import today
from shouwen_records.handoffs import list_handoffs

from ..clerk.auth import ClerkApi, ClerkForm, ClerkPage, end_session, login_csrf, login_csrf_ok, set_login_csrf
from ..clerk.auth import start_session as _start_session
from ..clerk.cards import candidates_html, card_html, notice_body, packages_for, packages_html, qr_svg, referral_html
from ..clerk.html import esc, page
from ..deps import DbDep, LiveDep, RedisDep, SettingsDep
from ..security import rate_limit

__all__ = ["WINDOW_ID", "badges", "router"]

router = APIRouter(tags=["clerk panel"], include_in_schema=False)

STATIC = Path(__file__).resolve().parent.parent / "clerk" / "static"
ASSET_TYPES = {"clerk.css": "text/css; charset=utf-8", "clerk.js": "application/javascript; charset=utf-8"}
WINDOW_ID = re.compile(r"^[A-Za-z0-9-]{1,16}$")
Q = Annotated[str, Query(max_length=2000)]


def badges(db: Any) -> dict[str, int]:
    """Counts shown in the navigation (people waiting for a clerk)."""
    return {"/clerk/handoffs": len(list_handoffs(db, status="waiting"))}


def _safe_next(target: str) -> str:
    return target if target.startswith("/clerk") and "//" not in target and "\\" not in target else "/clerk"


# ---- assets and login ---------------------------------------------------------------------------


@router.get("/clerk/static/{name}")
def asset(name: str) -> FileResponse:
    if name not in ASSET_TYPES:
        raise HTTPException(404, "not found")
    return FileResponse(
        STATIC / name,
        media_type=ASSET_TYPES[name],
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


def _login_page(request: Request, next_: str, error: str = "", status: int = 200) -> HTMLResponse:
    token = login_csrf(request)
    err = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    body = (
        '<div class="narrow panel"><h1>首问 · 窗口辅助登录</h1>'
        '<p class="muted">政务服务大厅工作人员使用。账号由管理员用 <code>./shouwen records clerk-add</code> 开通。</p>'
        f'{err}<form method="post" action="/clerk/login">'
        f'<input type="hidden" name="csrf" value="{esc(token)}"><input type="hidden" name="next" value="{esc(next_)}">'
        '<p><label for="username">账号</label><input type="text" id="username" name="username" autocomplete="username" required autofocus></p>'
        '<p><label for="password">密码</label><input type="password" id="password" name="password" autocomplete="current-password" required></p>'
        '<button type="submit" class="button primary">登录</button></form></div>'
    )
    response = page("登录", body, status_code=status)
    set_login_csrf(response, token)
    return response


@router.get("/clerk/login")
def login_form(request: Request, next: str = "/clerk") -> HTMLResponse:
    return _login_page(request, _safe_next(next))


@router.post("/clerk/login", response_model=None)
async def login(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    redis: RedisDep,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/clerk",
) -> Response:
    target = _safe_next(next)
    if not login_csrf_ok(request, csrf):
        return _login_page(request, target, "登录表单已过期，请重新输入账号和密码。", 403)
    await rate_limit(request, settings, redis, sender=f"clerk-login:{username.strip()[:64]}")
    account = await run_in_threadpool(verify_clerk, db, username.strip(), password)
    if account is None:
        return _login_page(request, target, "账号或密码不正确。", 401)
    response = RedirectResponse(target, status_code=303)
    _start_session(request, response, account["username"])
    return response


@router.post("/clerk/logout")
async def logout(request: Request, clerk: ClerkForm) -> RedirectResponse:
    response = RedirectResponse("/clerk/login", status_code=303)
    await end_session(request, response, clerk)
    return response


# ---- the suggestion panel -------------------------------------------------------------------------


@router.get("/clerk")
def panel(clerk: ClerkPage, db: DbDep, q: Q = "") -> HTMLResponse:
    body = (
        '<div class="ask"><section class="side panel" aria-labelledby="ask-h">'
        '<h1 id="ask-h">群众问什么？</h1>'
        '<label for="question" class="sr-only">群众的问题</label>'
        f'<textarea id="question" name="q" placeholder="输入或粘贴群众的原话，例如：身份证丢了怎么补办" autofocus>{esc(q)}</textarea>'
        '<p class="hint">边输入边匹配目录事项；点选事项查看完整办事指南。</p>'
        '<p id="suggest-status" class="hint" role="status" aria-live="polite"></p>'
        '<div id="cands" aria-label="匹配的事项"></div>'
        '<div class="actions"><a id="ticket-link" class="button small" href="/clerk/tickets/new">登记“办不成事”工单</a></div>'
        '</section><section class="main" aria-label="办事指南">'
        '<div id="referral"></div>'
        '<div id="card" class="panel" tabindex="-1"><p class="placeholder">在左侧输入群众的问题，这里显示办事指南。</p></div>'
        '<div id="packages"></div></section></div>'
    )
    return page("咨询助手", body, clerk, active="/clerk", badges=badges(db))


@router.get("/clerk/api/suggest")
def suggest(clerk: ClerkApi, live: LiveDep, q: Q = "") -> dict[str, Any]:
    text = q.strip()
    if not text:
        return {"q": q, "matters": [], "candidates_html": "", "status": ""}
    snap = live.current()
    link = snap.linker.link(text, limit=5)
    # The same turn function as chat (no parse here: the act is the catalog's to find).
    answer = turn.answer(Consultant(snap.catalog, snap.linker), text, {"link": link.as_dict()})
    matter = answer.matter
    case = answer.case
    if matter is None and link.top and link.top.score >= PLAUSIBLE:
        matter, case = link.top.matter, link.top.case
    out: dict[str, Any] = {
        "q": q,
        "kind": answer.kind,
        "matters": [
            {"id": c.matter.id, "name": c.matter.name, "score": c.score, "case": c.case.id if c.case else None}
            for c in link.matters
        ],
        "packages": [{"id": p.id, "name": p.name, "score": s} for p, s in link.packages],
        "chosen": matter.id if matter else None,
        "candidates_html": candidates_html(link, matter.id if matter else ""),
        "card_html": card_html(snap.catalog, matter, case) if matter else "",
        "packages_html": packages_html(snap.catalog, packages_for(snap.catalog, link, matter)),
        "referral_html": referral_html([r.text for r in answer.replies]) if answer.kind == "referral" else "",
    }
    if answer.kind == "referral":
        out["status"] = "目录中没有对应事项：请按右侧转介信息告知，并可登记工单跟进。"
    elif matter is not None:
        out["status"] = f"最可能：{matter.name}" + ("" if link.confident else "（不确定，请与群众核实）")
    else:
        out["status"] = "请从下列事项中确认群众要办的事。"
    return out


@router.get("/clerk/api/card")
def matter_card(
    clerk: ClerkApi, live: LiveDep, matter: Annotated[str, Query(max_length=64)], case: str = "", q: Q = ""
) -> dict[str, Any]:
    snap = live.current()
    found = snap.catalog.matter(matter)
    if found is None:
        raise HTTPException(404, f"no matter {matter!r}")
    chosen = found.case(case) if case else None
    if chosen is None and case == "" and q:
        chosen = snap.linker.detect_case(found, q)
    link = snap.linker.link(q, limit=5) if q.strip() else None
    packages = (
        packages_for(snap.catalog, link, found)
        if link
        else [p for p in snap.catalog.packages if any(s.matter == found.id for s in p.steps)][:3]
    )
    return {
        "matter": found.id,
        "case": chosen.id if chosen else None,
        "card_html": card_html(snap.catalog, found, chosen),
        "packages_html": packages_html(snap.catalog, packages),
    }


@router.get("/clerk/notice/{matter_id}")
def notice(matter_id: str, clerk: ClerkPage, live: LiveDep, case: str = "") -> HTMLResponse:
    catalog = live.current().catalog
    matter = catalog.matter(matter_id)
    if matter is None:
        raise HTTPException(404, f"no matter {matter_id!r}")
    chosen = matter.case(case) if case else None
    return page(
        f"一次性告知单 · {matter.name}",
        notice_body(catalog, matter, chosen, clerk.display_name, today()),
        clerk,
        body_class="print-page",
    )


# ---- QR code of the hall window's rating page --------------------------------------------------


def _rate_url(request: Request, window: str) -> str:
    return f"{str(request.base_url).rstrip('/')}/rate?window={window}"


def _window(window: str) -> str:
    if not WINDOW_ID.match(window):
        raise HTTPException(400, "window must be 1–16 letters, digits or '-', like Z01")
    return window


@router.get("/clerk/qr")
def qr_page(request: Request, clerk: ClerkPage, db: DbDep, window: str = "Z01") -> HTMLResponse:
    window = _window(window)
    url = _rate_url(request, window)
    body = (
        '<div class="toolbar noprint"><form method="get" action="/clerk/qr" class="row">'
        '<div><label for="window">窗口号</label><input type="text" id="window" name="window" '
        f'value="{esc(window)}" pattern="[A-Za-z0-9-]{{1,16}}"></div>'
        '<button type="submit" class="button">生成</button>'
        '<button type="button" class="button primary" data-print>打印</button></form></div>'
        '<article class="panel center qr"><h1>请扫码评价本次服务</h1>'
        f'<p class="muted">{esc(window)} 号窗口 · 非常满意 / 满意 / 基本满意 / 不满意 / 非常不满意</p>'
        f'<figure class="qrbig">{qr_svg(url, 8, "评价二维码")}</figure>'
        f"<p><small>{esc(url)}</small></p>"
        f'<p class="noprint"><a href="/clerk/qr.svg?window={esc(window)}" download="rate-{esc(window)}.svg">下载 SVG</a></p>'
        "</article>"
    )
    return page(f"评价二维码 {window}", body, clerk, active="/clerk/qr", badges=badges(db))


@router.get("/clerk/qr.svg")
def qr_image(request: Request, clerk: ClerkPage, window: str = "Z01") -> Response:
    svg = qr_svg(_rate_url(request, _window(window)), 8)
    xml = svg if "xmlns" in svg else svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return Response(xml, media_type="image/svg+xml", headers={"X-Content-Type-Options": "nosniff"})
