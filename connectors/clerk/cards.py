"""A matter as the clerk sees it: the full guidance card (every hall with its full hours, unlike
the chat's short card), related 一件事 packages, the candidates and the referral, as HTML fragments
(the suggest API sends them to the panel), and the printable one-page 一次性告知单 (the clerk's
and the citizen's copy).

The facts come from the catalog model and the same helpers as the bot's card
(shouwen_core.guidance: where_lines, time_text, fee_text, consult_phone), so the window and the
chat never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from urllib.parse import quote

import segno

from shouwen_core.catalog.model import Case, Catalog, Material, Matter, Package
from shouwen_core.guidance import consult_phone, fee_text, readable, time_text, where_lines
from shouwen_core.linker import LinkResult
from shouwen_core.replies import Pages, T

from .html import esc

__all__ = [
    "candidates_html",
    "card_html",
    "hall_name",
    "notice_body",
    "packages_for",
    "packages_html",
    "qr_svg",
    "referral_html",
]


def _materials(matter: Matter, case: Case | None) -> list[Material]:
    return list(matter.materials) + (list(case.materials) if case else [])


def _tags(m: Material) -> str:
    tags = []
    if m.tolerance:
        tags.append(f'<span class="tag ok">{esc(Pages.NOTICE_TOLERANCE)}</span>')
    if not m.required:
        tags.append(f'<span class="tag">{esc(Pages.NOTICE_OPTIONAL)}</span>')
    return " ".join(tags)


def _material_rows(matter: Matter, case: Case | None, checkbox: bool) -> str:
    rows = []
    for no, m in enumerate(_materials(matter, case), 1):
        notes = esc(m.notes)
        if m.download:
            notes += f' <a href="{esc(m.download)}" rel="noopener">表格下载</a>'
        first = (
            f'<td class="check"><input type="checkbox" id="m{no}" aria-label="已备齐：{esc(m.name)}"></td>'
            if checkbox
            else f'<td class="no">{no}</td>'
        )
        rows.append(
            f'<tr>{first}<td class="mname">{esc(m.name)} {_tags(m)}</td><td>{esc(m.form or "—")}</td>'
            f'<td class="num">{esc(m.copies or "—")}</td><td>{esc(m.medium or "—")}</td>'
            f'<td class="notes">{notes}</td></tr>'
        )
    return "".join(rows)


def _materials_table(matter: Matter, case: Case | None, checkbox: bool = False) -> str:
    mats = _materials(matter, case)
    if not mats:
        return f'<p class="muted">{esc(T.MATERIALS_NONE)}</p>'
    first = '<th scope="col" class="check">备齐</th>' if checkbox else '<th scope="col" class="no">序号</th>'
    return (
        f'<table class="data materials"><caption>所需材料（共{len(mats)}项）</caption><thead><tr>{first}'
        '<th scope="col">材料名称</th><th scope="col">原件/复印件</th><th scope="col">份数</th>'
        '<th scope="col">形式</th><th scope="col">说明</th></tr></thead>'
        f"<tbody>{_material_rows(matter, case, checkbox)}</tbody></table>"
    )


def _facts(catalog: Catalog, matter: Matter, case: Case | None) -> str:
    phone = consult_phone(matter)
    where = "".join(f"<li>{esc(line)}</li>" for line in where_lines(catalog, matter.where, phone))
    items = [
        ("办理地点", f'<ul class="plain">{where}</ul>'),
        ("办理时限", esc(time_text(matter, case))),
        ("收费", esc(fee_text(matter, case))),
        ("电话", f"咨询 <strong>{esc(phone)}</strong>；投诉 {esc(matter.phones.complaint or T.HOTLINE)}"),
    ]
    if matter.process:
        items.append(("办理流程", " → ".join(esc(s) for s in matter.process)))
    items.append(("下一步", esc(matter.next_step or T.NEXT_DEFAULT)))
    return '<dl class="facts">' + "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def _case_selector(matter: Matter, case: Case | None) -> str:
    if not matter.cases:
        return ""
    buttons = "".join(
        f'<button type="button" class="case{" on" if case and c.id == case.id else ""}" data-matter="{esc(matter.id)}"'
        f' data-case="{esc(c.id)}" aria-pressed="{"true" if case and c.id == case.id else "false"}">{esc(c.name)}</button>'
        for c in matter.cases
    )
    question = esc(matter.case_question or T.CHOOSE_CASE_DEFAULT)
    hint = "" if case else '<p class="warn">材料因情形而不同：请先问清情形，再看下面的清单。</p>'
    conditions = f'<p class="muted">情形条件：{esc(case.conditions)}</p>' if case and case.conditions else ""
    return (
        f'<div class="cases" role="group" aria-label="情形"><span class="label">{question}</span>{buttons}</div>'
        f"{hint}{conditions}"
    )


def card_html(catalog: Catalog, matter: Matter, case: Case | None = None) -> str:
    """The whole 一次性告知 for the clerk's screen, with the print and ticket actions."""
    query = f"?case={quote(case.id)}" if case else ""
    online = ""
    if matter.where.online_url:
        online = f' <a class="pill" href="{esc(matter.where.online_url)}" rel="noopener">网上办理入口</a>'
    return (
        f'<article class="card" data-matter="{esc(matter.id)}" aria-labelledby="card-title">'
        f'<header><h2 id="card-title">{esc(matter.name)}</h2>'
        f'<p class="muted">{esc(matter.department)} · 事项编码 {esc(matter.id)}{online}</p></header>'
        f"{_case_selector(matter, case)}{_materials_table(matter, case)}{_facts(catalog, matter, case)}"
        '<div class="actions">'
        f'<a class="button primary" href="/clerk/notice/{quote(matter.id)}{query}" target="_blank">打印一次性告知单</a>'
        f'<a class="button" href="/clerk/tickets/new?matter={quote(matter.id)}">登记“办不成事”工单</a>'
        "</div></article>"
    )


def candidates_html(link: LinkResult, chosen: str = "") -> str:
    if not link.matters:
        return '<p class="muted">目录中没有相近的事项。</p>'
    items = []
    for c in link.matters:
        pct = round(c.score * 100)
        level = "high" if c.score >= 0.5 else "mid" if c.score >= 0.3 else "low"
        case = f'<span class="muted">（{esc(c.case.name)}）</span>' if c.case else ""
        on = " on" if c.matter.id == chosen else ""
        items.append(
            f'<li><button type="button" class="cand{on}" data-matter="{esc(c.matter.id)}"'
            f' data-case="{esc(c.case.id if c.case else "")}">'
            f'<span class="cname">{esc(c.matter.name)}{case}</span><span class="dept">{esc(c.matter.department)}</span>'
            f'<span class="score {level}" title="匹配度"><span class="bar"><span class="fill w{min(pct // 10, 10)}">'
            f"</span></span>{pct}%</span></button></li>"
        )
    return '<ol class="cands">' + "".join(items) + "</ol>"


def packages_for(catalog: Catalog, link: LinkResult, matter: Matter | None) -> list[Package]:
    """Packages the question names, then those that contain the chosen matter."""
    out = [p for p, score in link.packages if score >= 0.3]
    if matter is not None:
        out += [p for p in catalog.packages if any(s.matter == matter.id for s in p.steps) and p not in out]
    return out[:3]


def packages_html(catalog: Catalog, packages: Sequence[Package]) -> str:
    if not packages:
        return ""
    blocks = []
    for p in packages:
        steps = []
        for step in p.steps:
            m = catalog.matter(step.matter)
            if m is None:
                continue
            together = ' <span class="tag ok">一表申请</span>' if step.together else ""
            note = f'<span class="muted">：{esc(readable(catalog, step.note))}</span>' if step.note else ""
            steps.append(
                f'<li><button type="button" class="link" data-matter="{esc(m.id)}" data-case="">{esc(m.name)}</button>'
                f'<span class="dept">（{esc(m.department)}）</span>{together}{note}</li>'
            )
        desc = f"<p>{esc(p.description)}</p>" if p.description else ""
        blocks.append(
            f'<section class="package"><h3>一件事：{esc(p.name)}</h3>{desc}<ol>{"".join(steps)}</ol>'
            f'<p class="muted">咨询电话 {esc(p.phone or T.HOTLINE)}</p></section>'
        )
    return "".join(blocks)


def referral_html(texts: Sequence[str]) -> str:
    lines = "".join(f"<p>{esc(t)}</p>" for t in texts)
    return f'<section class="referral" aria-label="转介"><h3>目录外问题：转介</h3>{lines}</section>'


def hall_name(catalog: Catalog, matter: Matter | None = None) -> str:
    if matter is not None:
        for hw in matter.where.halls:
            hall = catalog.hall(hw.hall)
            if hall is not None:
                return hall.name
    return catalog.halls[0].name if catalog.halls else "政务服务中心"


def qr_svg(url: str, scale: int = 4, title: str = "") -> str:
    svg = segno.make(url, error="m").svg_inline(scale=scale, title=title or None, svgclass="qr")
    return str(svg)


def notice_body(catalog: Catalog, matter: Matter, case: Case | None, clerk_name: str | None, on: dt.date) -> str:
    """The printable one-page 一次性告知单 (see clerk.css `@media print`): the whole card, every hall
    with its full hours. `clerk_name` None is the citizen's copy (/notice, the chat's "打印告知单"):
    no 经办人 and no way back into the panel."""
    qr = ""
    if matter.where.online_url:
        qr = (
            f'<figure class="qrbox">{qr_svg(matter.where.online_url, 3, Pages.NOTICE_ONLINE)}'
            f"<figcaption>{esc(Pages.NOTICE_ONLINE)}<br><small>{esc(matter.where.online_url)}</small></figcaption></figure>"
        )
    case_line = f"<p><strong>情形：</strong>{esc(case.name)}</p>" if case else ""
    back = '<a class="button" href="/clerk">返回咨询助手</a>' if clerk_name is not None else ""
    clerk = f"　经办人：{esc(clerk_name)}" if clerk_name is not None else ""
    return (
        f'<div class="toolbar noprint"><button type="button" class="button primary" data-print>打印</button>{back}</div>'
        '<article class="notice">'
        f'<header><p class="hall">{esc(hall_name(catalog, matter))}</p><h1>{esc(Pages.NOTICE_TITLE)}</h1>'
        f'<p class="meta">告知日期：{on.year}年{on.month}月{on.day}日{clerk}</p></header>'
        f'<div class="notice-head"><div><p><strong>办理事项：</strong>{esc(matter.name)}</p>'
        f"<p><strong>办理部门：</strong>{esc(matter.department)}</p>{case_line}"
        f'<p class="muted">{esc(Pages.NOTICE_INTRO)}</p></div>{qr}</div>'
        f"{_materials_table(matter, case, checkbox=True)}"
        f"{_facts(catalog, matter, case)}"
        f"<footer><p>{esc(Pages.NOTICE_FOOTER)}</p></footer></article>"
    )
