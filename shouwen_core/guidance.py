"""The guidance card (一次性告知) and the short answers about a matter in focus.

    card(catalog, matter, case)      → [Reply, Reply]  materials; then where / time / fee / phone / next step
    follow_up(catalog, matter, act)  → Reply           one element: 要多久, 在哪办, 多少钱, 能网上办吗 ...
    case_choice(matter)              → Reply           the question that tells the 情形 apart, with buttons
    matter_choice(candidates)        → Reply           2–4 close matters plus “都不是”
    package_card(catalog, package)   → Reply           一件事: the matters in order, 一表申请, where

Every element falls back to a concrete pointer (a phone, a hall, 12345) when the catalog lacks it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from .acts import QUESTION_ACTS
from .catalog.model import Case, Catalog, Material, Matter, Package, Where
from .replies import T
from .reply import Button, Reply
from .text import normalize, ordinal

__all__ = [
    "FOLLOW_UP_ACTS",
    "card",
    "case_choice",
    "choose_payload",
    "consult_phone",
    "fee_text",
    "follow_up",
    "materials_lines",
    "matter_choice",
    "package_card",
    "pick",
    "time_text",
    "where_lines",
]

# Chat messages stay readable on a phone: a card's materials list is cut in parts of this size.
MATERIALS_PER_MESSAGE = 12
HOTLINE = "12345"


def consult_phone(matter: Matter) -> str:
    return matter.phones.consult or HOTLINE


def _material_line(no: int, m: Material) -> str:
    detail = "，".join(
        x
        for x in (
            m.form,
            f"{m.copies}份" if m.copies else "",
            m.medium if m.medium and m.medium != "纸质" else "",
        )
        if x
    )
    line = f"{no}. {m.name}" + (f"（{detail}）" if detail else "")
    if not m.required:
        line += T.MATERIALS_OPTIONAL
    if m.tolerance:
        line += T.MATERIALS_TOLERANCE
    if m.notes:
        line += f" 注：{m.notes}"
    if m.download:
        line += f" 表格下载：{m.download}"
    return line


def _materials(matter: Matter, case: Case | None) -> list[Material]:
    return list(matter.materials) + (list(case.materials) if case else [])


def materials_lines(matter: Matter, case: Case | None = None) -> list[str]:
    return [_material_line(i, m) for i, m in enumerate(_materials(matter, case), 1)]


def where_lines(catalog: Catalog, where: Where, phone: str) -> list[str]:
    lines: list[str] = []
    if where.online_url and where.online != "不可网办":
        lines.append(T.WHERE_ONLINE.format(mode=where.online or "网上申请", url=where.online_url))
    if where.app:
        lines.append(T.WHERE_APP.format(app=where.app))
    for hw in where.halls:
        hall = catalog.hall(hw.hall)
        if hall is None:
            lines.append(T.WHERE_LOCATION.format(location=f"{hw.hall} {hw.windows}".strip()))
            continue
        lines.append(
            T.WHERE_HALL.format(
                hall=hall.name,
                windows=f" {hw.windows}" if hw.windows else "",
                address=hall.address,
                hours=f"（{hall.hours}）" if hall.hours else "",
            )
        )
    if where.location:
        lines.append(T.WHERE_LOCATION.format(location=where.location))
    if not lines:
        main = catalog.halls[0].name if catalog.halls else "就近的政务服务中心"
        lines.append(T.WHERE_UNKNOWN.format(hall=main, phone=phone))
    if where.citywide:
        lines.append(T.WHERE_CITYWIDE)
    if where.in_person is True:
        lines.append(T.WHERE_IN_PERSON)
    if where.visits is not None:
        lines.append(T.WHERE_VISITS_ZERO if where.visits == 0 else T.WHERE_VISITS.format(visits=where.visits))
    return lines


def time_text(matter: Matter, case: Case | None = None) -> str:
    tl = case.time_limit if case and case.time_limit else matter.time_limit
    parts: list[str] = []
    if tl.promised_days == 0:
        parts.append(T.TIME_IMMEDIATE)
    elif tl.promised_days is not None:
        parts.append(T.TIME_PROMISED.format(days=tl.promised_days))
    if tl.legal_days:
        parts.append(T.TIME_LEGAL.format(days=tl.legal_days))
    if tl.note:
        parts.append(tl.note)
    return "，".join(parts) if parts else T.TIME_UNKNOWN.format(phone=consult_phone(matter))


def fee_text(matter: Matter, case: Case | None = None) -> str:
    fee = case.fee if case and case.fee else matter.fee
    if fee.description:
        return fee.description
    if fee.free:
        return T.FEE_FREE
    return T.FEE_UNKNOWN.format(phone=consult_phone(matter))


def card(catalog: Catalog, matter: Matter, case: Case | None = None) -> list[Reply]:
    """The whole 一次性告知, cut into chat-sized messages."""
    head = [T.CARD_TITLE.format(name=matter.name), T.CARD_DEPT.format(department=matter.department)]
    if case:
        head.append(T.CARD_CASE.format(case=case.name))
    mats = materials_lines(matter, case)
    messages: list[list[str]] = []
    if mats:
        first = [*head, T.MATERIALS.format(count=len(mats)), *mats[:MATERIALS_PER_MESSAGE]]
        messages.append(first)
        for i in range(MATERIALS_PER_MESSAGE, len(mats), MATERIALS_PER_MESSAGE):
            messages.append(mats[i : i + MATERIALS_PER_MESSAGE])
    else:
        messages.append([*head, T.MATERIALS_NONE])
    phone = consult_phone(matter)
    rest = [T.WHERE, *where_lines(catalog, matter.where, phone)]
    rest.append(T.TIME.format(text=time_text(matter, case)))
    rest.append(T.FEE.format(text=fee_text(matter, case)))
    rest.append(T.PHONE.format(consult=phone, complaint=matter.phones.complaint or HOTLINE))
    rest.append(T.NEXT.format(text=matter.next_step or T.NEXT_DEFAULT))
    rest.append(T.CARD_MORE)
    messages.append(rest)
    return [Reply("\n".join(lines)) for lines in messages]


# Every question act about a matter can follow up on the matter in focus.
FOLLOW_UP_ACTS = QUESTION_ACTS


def follow_up(catalog: Catalog, matter: Matter, act: str, case: Case | None = None) -> Reply:
    """One element of the card about the matter in focus, without repeating the card."""
    name = matter.name + (f"（{case.name}）" if case else "")
    phone = consult_phone(matter)
    where = "\n".join(where_lines(catalog, matter.where, phone))
    suffix = T.FOLLOW_PHONE_SUFFIX.format(phone=phone)
    if act == "ask_time_limit":
        return Reply(T.FOLLOW_TIME.format(name=name, text=time_text(matter, case)) + suffix)
    if act == "ask_fee":
        return Reply(T.FOLLOW_FEE.format(name=name, text=fee_text(matter, case)) + suffix)
    if act == "ask_where":
        return Reply(T.FOLLOW_WHERE.format(name=name, text=where))
    if act == "ask_online":
        w = matter.where
        if w.online_url and w.online not in ("", "不可网办"):
            return Reply(T.FOLLOW_ONLINE_YES.format(name=name, mode=w.online, url=w.online_url))
        if w.online_url and not w.online:
            return Reply(T.FOLLOW_ONLINE_YES.format(name=name, mode="网上申请", url=w.online_url))
        return Reply(T.FOLLOW_ONLINE_NO.format(name=name, text=where))
    if act == "ask_phone":
        return Reply(T.FOLLOW_PHONE.format(name=name, consult=phone, complaint=matter.phones.complaint or HOTLINE))
    if act == "ask_process":
        steps = " → ".join(matter.process) if matter.process else T.NEXT_DEFAULT
        return Reply(T.FOLLOW_PROCESS.format(name=name, text=steps) + suffix)
    if act == "ask_in_person":
        template = T.FOLLOW_IN_PERSON_NO if matter.where.in_person is False else T.FOLLOW_IN_PERSON_YES
        return Reply(template.format(name=name) + suffix)
    lines = materials_lines(matter, case) or [T.MATERIALS_NONE]
    return Reply("\n".join([T.FOLLOW_MATERIALS.format(name=name), *lines]))


def choose_payload(matter_id: str, case_id: str = "") -> str:
    """The Rasa payload of a choice button: /choose_matter{"matter": ..., "case": ...}."""
    entities = {"matter": matter_id, **({"case": case_id} if case_id else {})}
    return "/choose_matter" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


def pick(text: str, offered: Sequence[str]) -> str | None:
    """The offered value a reply like "第二个", "选2" or "3" points to, or None."""
    text = normalize(text)
    if not offered or not text:
        return None
    if "最后" in text:
        return offered[-1]
    no = ordinal(text)
    return offered[no - 1] if no is not None and no <= len(offered) else None


def case_choice(matter: Matter) -> Reply:
    question = matter.case_question or T.CHOOSE_CASE_DEFAULT
    return Reply(
        T.CHOOSE_CASE.format(name=matter.name, question=question),
        [Button(c.name, choose_payload(matter.id, c.id), f"{matter.id}#{c.id}") for c in matter.cases],
    )


def matter_choice(matters: Sequence[Matter]) -> Reply:
    buttons = [Button(m.name, choose_payload(m.id), m.id) for m in matters[:4]]
    buttons.append(Button(T.NONE_OF_THESE, "/none_of_these"))
    return Reply(T.CHOOSE_MATTER, buttons)


_ID_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{3,}")


def readable(catalog: Catalog, text: str) -> str:
    """Catalog text with matter ids ("与LJ-SJ-001二选一") said as the matters' names: a citizen
    never reads an internal id."""

    def name(m: re.Match[str]) -> str:
        matter = catalog.matter(m.group(0))
        return f"「{matter.name}」" if matter is not None else m.group(0)

    return _ID_LIKE.sub(name, text)


def package_card(catalog: Catalog, package: Package) -> Reply:
    lines = [T.PACKAGE_TITLE.format(name=package.name, count=len(package.steps))]
    if package.description:
        lines.append(package.description)
    buttons: list[Button] = []
    for no, step in enumerate(package.steps, 1):
        matter = catalog.matter(step.matter)
        if matter is None:
            continue
        lines.append(
            T.PACKAGE_STEP.format(
                no=no,
                name=matter.name,
                department=matter.department,
                together=T.PACKAGE_TOGETHER if step.together else "",
                note=f"：{readable(catalog, step.note)}" if step.note else "",
            )
        )
        buttons.append(Button(matter.name, choose_payload(matter.id), matter.id))
    if package.one_form or any(s.together for s in package.steps):
        lines.append(T.PACKAGE_ONE_FORM)
    phone = package.phone or HOTLINE
    lines.append(T.PACKAGE_WHERE.format(text="；".join(where_lines(catalog, package.where, phone))))
    lines.append(T.PACKAGE_PHONE.format(phone=phone))
    lines.append(T.PACKAGE_MORE)
    return Reply("\n".join(lines), buttons)
