"""The guidance card (一次性告知) and the short answers about a matter in focus.

    card(catalog, matter, case)      → [Reply] ≤ 2     the chat card: the essentials, each bubble ≤ CHAT_LIMIT
                                                       characters, buttons for all halls / the process / the notice
    full_card(catalog, matter, case) → [Reply, …]      the whole 一次性告知: every hall with its full hours
    follow_up(catalog, matter, act)  → Reply           one element: 要多久, 在哪办, 多少钱, 能网上办吗 ...
    case_choice(matter)              → Reply           the question that tells the 情形 apart, with buttons
    matter_choice(candidates)        → Reply           2–4 close matters plus “都不是”
    package_card(catalog, package)   → Reply           一件事: one line per matter, 一表申请, where today

Chat shows the short card first (a phone screen, not three); the rest is one button away, and the
clerk panel and the printed 一次性告知单 (connectors/clerk/cards.py) keep every element. Every
element falls back to a concrete pointer (a phone, a hall, 12345) when the catalog lacks it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import quote

from . import hours
from .acts import QUESTION_ACTS
from .catalog.model import Case, Catalog, Hall, Material, Matter, Package, Where
from .replies import T
from .reply import Button, Reply
from .text import normalize, ordinal

__all__ = [
    "FOLLOW_UP_ACTS",
    "ask_payload",
    "bubbles",
    "card",
    "case_choice",
    "choose_payload",
    "consult_phone",
    "fee_text",
    "follow_up",
    "full_card",
    "hours_today",
    "materials_lines",
    "matter_choice",
    "notice_url",
    "package_card",
    "pick",
    "time_text",
    "where_lines",
]

# Chat messages stay readable on a phone: a card's materials list is cut in parts of this size.
MATERIALS_PER_MESSAGE = 12


def consult_phone(matter: Matter) -> str:
    return matter.phones.consult or T.HOTLINE


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


def online_line(where: Where) -> str | None:
    """The card's online line, saying what online means for this matter: done entirely online
    (全程网办), applied for online and collected at the window, or only an appointment."""
    if not where.online_url or where.online == "不可网办":
        return None
    return _ONLINE.get(where.online, T.ONLINE_APPLY).format(url=where.online_url)


def where_lines(catalog: Catalog, where: Where, phone: str) -> list[str]:
    lines: list[str] = []
    if online := online_line(where):
        lines.append(online)
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


def full_card(catalog: Catalog, matter: Matter, case: Case | None = None) -> list[Reply]:
    """The whole 一次性告知 (every hall with its full hours, the next step), as text: what the
    catalog API and `shouwen catalog show` give; chat gives `card`."""
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
    rest.append(T.PHONE.format(consult=phone, complaint=matter.phones.complaint or T.HOTLINE))
    rest.append(T.NEXT.format(text=matter.next_step or T.NEXT_DEFAULT))
    rest.append(T.CARD_MORE)
    messages.append(rest)
    return [Reply("\n".join(lines)) for lines in messages]


# ---- the chat card ---------------------------------------------------------------------------------
# (its wording is in replies.T, CHAT_* and BUTTON_*)

# A chat bubble is read on a phone: at most this many characters, and a card in at most two bubbles.
CHAT_LIMIT = 500
# A material's note is shown in chat only when it is this short ("窗口免费现场采集").
NOTE_MAX = 14
# A day's remark in the hours ("开放窗口1-6号（护照、港澳台通行证）") and hours text we cannot read.
REMARK_MAX = 30
# A fee or a time-limit note longer than this is cut (the full card has it whole).
FACT_MAX = 60
HOURS_MAX = 40
# The public printable 一次性告知单 (connectors/routers/notice.py).
NOTICE_PATH = "/notice/{matter}"


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_material(no: int, m: Material, notes: bool) -> str:
    """ "1. 居民户口簿（原件1份）窗口可联网核验": name, form and count, a short note."""
    count = f"{m.copies}份" if m.copies and m.form != "电子证照" else ""
    form = f"{m.form}各{count}" if count and "和" in m.form else m.form + count
    tags = [x for x in (form, "可容缺" if m.tolerance else "", "视情况" if not m.required else "") if x]
    line = f"{no}. {m.name}" + (f"（{'，'.join(tags)}）" if tags else "")
    if notes and m.notes and len(m.notes) <= NOTE_MAX:
        line += m.notes
    return line


def _day_label(day: dt.date) -> str:
    label = T.CHAT_DAY.format(month=day.month, date=day.day, weekday=hours.WEEKDAYS[day.weekday()])
    kind = hours.kind_of(day)
    return label + (T.CHAT_HOLIDAY if kind == hours.HOLIDAY else T.CHAT_MAKEUP if kind == hours.MAKEUP else "")


def hours_today(hall: Hall, today: dt.date) -> str:
    """The hall's hours on `today` ("今天（12月3日周四）9:00-12:00、13:30-17:30"); closed, the next
    day it opens; the catalog's text, shortened, when it cannot be read; "" without hours."""
    if not hall.hours:
        return ""
    rules = hours.parse(hall.hours)
    if rules is None:
        return T.CHAT_HOURS.format(text=_short(hall.hours, HOURS_MAX))
    rule = hours.opening(rules, today)
    if rule.open:
        remark = f"，{_short(rule.remark, REMARK_MAX)}" if rule.remark else ""
        return T.CHAT_TODAY_OPEN.format(day=_day_label(today), times="、".join(rule.times), remark=remark)
    later = hours.next_open(rules, today)
    then = (
        T.CHAT_NEXT_OPEN.format(day=_day_label(later), times="、".join(hours.opening(rules, later).times))
        if later
        else ""
    )
    return T.CHAT_TODAY_CLOSED.format(day=_day_label(today), then=then)


def _main_hall(catalog: Catalog, where: Where, today: dt.date, others: bool, address: bool) -> list[str]:
    """The first listed hall with today's hours, and (`others`) how many more there are; the app
    and the other halls are the full card's."""
    found = [(hw, hall) for hw in where.halls if (hall := catalog.hall(hw.hall)) is not None]
    if not found:
        named = [f"{hw.hall} {hw.windows}".strip() for hw in where.halls[:1]] + [where.location]
        return [T.WHERE_LOCATION.format(location=x) for x in named if x]
    hw, hall = found[0]
    windows = f" {hw.windows}" if hw.windows else ""
    lines = [
        T.WHERE_HALL.format(hall=hall.name, windows=windows, address=hall.address, hours="")
        if address
        else T.WHERE_LOCATION.format(location=hall.name + windows)
    ]
    if today_line := hours_today(hall, today):
        lines.append(today_line)
    if others and len(where.halls) > 1:
        lines.append(T.CHAT_MORE_HALLS.format(count=len(where.halls) - 1))
    return lines


def _where_short(
    catalog: Catalog, where: Where, phone: str, today: dt.date, others: bool = True, address: bool = True
) -> list[str]:
    lines = _main_hall(catalog, where, today, others, address)
    if online := online_line(where):
        lines.append(online)
    if not lines:
        main = catalog.halls[0].name if catalog.halls else "就近的政务服务中心"
        lines.append(T.WHERE_UNKNOWN.format(hall=main, phone=phone))
    if where.citywide:
        lines.append(T.CHAT_CITYWIDE)
    visits = {None: "", 0: T.WHERE_VISITS_ZERO}.get(where.visits, T.WHERE_VISITS.format(visits=where.visits))
    if in_person := (T.WHERE_IN_PERSON if where.in_person is True else "") + visits:
        lines.append(in_person)
    return lines


def _time_short(matter: Matter, case: Case | None) -> str:
    """The promised limit ("承诺15个工作日办结", "即来即办"); the legal one or the note only without it."""
    tl = case.time_limit if case and case.time_limit else matter.time_limit
    if tl.promised_days == 0:
        return T.TIME_IMMEDIATE
    if tl.promised_days is not None:
        return T.TIME_PROMISED.format(days=tl.promised_days)
    if tl.legal_days:
        return T.TIME_LEGAL.format(days=tl.legal_days)
    return _short(tl.note, FACT_MAX) if tl.note else T.TIME_UNKNOWN.format(phone=consult_phone(matter))


_BASIS = re.compile(r"^[依根]据")


def _without_basis(text: str) -> str:
    """The fee without the legal basis in brackets ("（依据《…》（发改价格规〔2016〕2559号））")."""
    out, depth, drop = "", 0, False
    for i, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                drop = bool(_BASIS.match(text[i + 1 :]))
            depth += 1
        if not (drop and depth):
            out += ch
        if ch in "）)" and depth:
            depth -= 1
            drop = drop and depth > 0
    return out


def _fee_short(matter: Matter, case: Case | None) -> str:
    text = _without_basis(fee_text(matter, case))
    if len(text) <= FACT_MAX:
        return text
    cut = text.rfind("；", 0, FACT_MAX)
    return text[:cut] + "…" if cut > 0 else _short(text, FACT_MAX)


def ask_payload(act: str, matter: Matter, case: Case | None = None) -> str:
    """The Rasa payload of a button that asks about this matter: /ask_where{"matter": ..., "case": ...}
    (Rasa reads "/intent{json}" as that intent with those entities, without the NLU model)."""
    return _payload(act, matter.id, case.id if case else "")


def notice_url(matter: Matter, case: Case | None = None) -> str:
    return NOTICE_PATH.format(matter=quote(matter.id)) + (f"?case={quote(case.id)}" if case else "")


def _card_buttons(matter: Matter, case: Case | None) -> list[Button]:
    return [
        Button(T.BUTTON_WHERE, ask_payload("ask_where", matter, case)),
        Button(T.BUTTON_PROCESS, ask_payload("ask_process", matter, case)),
        Button(T.BUTTON_NOTICE, "", url=notice_url(matter, case)),
    ]


def _size(lines: Sequence[str]) -> int:
    return len("\n".join(lines))


def _bubbles(first: list[str], rest: list[str]) -> list[list[str]] | None:
    """One bubble when it fits; else the materials and the rest apart, the materials that do not fit
    in the first moving to the second; None when two bubbles are not enough."""
    if _size(first + rest) <= CHAT_LIMIT:
        return [first + rest]
    cut = len(first)
    while cut > 1 and _size(first[:cut]) > CHAT_LIMIT:
        cut -= 1
    split = [first[:cut], first[cut:] + rest]
    return split if _size(split[1]) <= CHAT_LIMIT else None


def card(catalog: Catalog, matter: Matter, case: Case | None = None, today: dt.date | None = None) -> list[Reply]:
    """The chat card: every material (short), the first hall with `today`'s hours (the halls' own
    date by default), the online link, the promised time limit, the fee and the phone, in one or two
    bubbles of at most CHAT_LIMIT characters; buttons lead to all halls, the process and the
    printable notice."""
    today = today or hours.local_today()
    head = [T.CARD_TITLE.format(name=matter.name)]
    if case:
        head.append(T.CARD_CASE.format(case=case.name))
    phone = consult_phone(matter)
    rest = [
        *_where_short(catalog, matter.where, phone, today),
        T.CHAT_TIME.format(text=_time_short(matter, case)),
        T.CHAT_FEE.format(text=_fee_short(matter, case)),
        T.CHAT_PHONE.format(phone=phone, complaint=matter.phones.complaint or T.HOTLINE),
    ]
    mats = _materials(matter, case)
    for notes in (True, False):  # the notes go first when the card does not fit in two bubbles
        lines = [_short_material(i, m, notes) for i, m in enumerate(mats, 1)]
        first = [*head, T.CHAT_MATERIALS.format(count=len(mats)), *lines] if mats else [*head, T.CHAT_MATERIALS_NONE]
        if bubbles := _bubbles(first, rest):
            break
    else:  # longer than two bubbles even so: every material is still shown
        bubbles = [first, rest]
    replies = [Reply("\n".join(lines)) for lines in bubbles]
    replies[-1].buttons = _card_buttons(matter, case)
    return replies


# Every question act about a matter can follow up on the matter in focus.
FOLLOW_UP_ACTS = QUESTION_ACTS


_ONLINE = {"全程网办": T.ONLINE_FULL, "网上申请窗口领取": T.ONLINE_APPLY_COLLECT, "网上预约": T.ONLINE_BOOKING}
_FOLLOW_ONLINE = {"全程网办": T.FOLLOW_ONLINE_FULL, "网上申请窗口领取": T.FOLLOW_ONLINE_APPLY_COLLECT}


def bubbles(replies: list[Reply], limit: int = CHAT_LIMIT) -> list[Reply]:
    """Replies cut at line ends into chat bubbles of at most `limit` characters (a line longer than
    that is a bubble of its own); a reply's buttons go with its last bubble."""
    out: list[Reply] = []
    for reply in replies:
        if len(reply.text) <= limit:
            out.append(reply)
            continue
        parts: list[str] = []
        for line in reply.text.split("\n"):
            if parts and len(parts[-1]) + 1 + len(line) <= limit:
                parts[-1] += "\n" + line
            else:
                parts.append(line)
        out.extend(Reply(part) for part in parts[:-1])
        out.append(replace(reply, text=parts[-1]))
    return out


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
        if not w.online_url or w.online == "不可网办":
            return Reply(T.FOLLOW_ONLINE_NO.format(name=name, text=where))
        if w.online == "网上预约":
            # An appointment online, the matter itself at the window: say both, never "可以网上办".
            return Reply(T.FOLLOW_ONLINE_BOOKING.format(name=name, url=w.online_url, text=where))
        template = _FOLLOW_ONLINE.get(w.online, T.FOLLOW_ONLINE_APPLY)
        return Reply(template.format(name=name, url=w.online_url))
    if act == "ask_phone":
        return Reply(T.FOLLOW_PHONE.format(name=name, consult=phone, complaint=matter.phones.complaint or T.HOTLINE))
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
    return _payload("choose_matter", matter_id, case_id)


def _payload(intent: str, matter_id: str, case_id: str) -> str:
    entities = {"matter": matter_id, **({"case": case_id} if case_id else {})}
    return f"/{intent}" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))


# The value of the 都不是 button: counted by "第三个" like any other button, it names no matter.
NONE_VALUE = "none"


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
    buttons.append(Button(T.NONE_OF_THESE, "/none_of_these", NONE_VALUE))
    return Reply(T.CHOOSE_MATTER, buttons)


_ID_LIKE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{3,}")


def readable(catalog: Catalog, text: str) -> str:
    """Catalog text with matter ids ("与LJ-SJ-001二选一") said as the matters' names: a citizen
    never reads an internal id."""

    def name(m: re.Match[str]) -> str:
        matter = catalog.matter(m.group(0))
        return f"「{matter.name}」" if matter is not None else m.group(0)

    return _ID_LIKE.sub(name, text)


# What a package's chat card gives up, in this order, until it fits in one bubble: the description,
# the longer step notes, all notes, the hall's address. (description, longest note, address)
PACKAGE_FITS = ((True, 28, True), (False, 28, True), (False, NOTE_MAX, True), (False, 0, True), (False, 0, False))


def _step_where(catalog: Catalog, matter: Matter) -> str:
    """Where one matter of a package is done, in a few characters: its first hall, or 全程网办."""
    if matter.where.online == "全程网办":
        return matter.where.online
    for hw in matter.where.halls:
        if (hall := catalog.hall(hw.hall)) is not None:
            return hall.name
    return matter.department


def _step_time(matter: Matter) -> str:
    days = matter.time_limit.promised_days
    if days is None:
        return ""
    return T.CHAT_STEP_IMMEDIATE if days == 0 else T.CHAT_STEP_DAYS.format(days=days)


def _step_lines(catalog: Catalog, package: Package, note_max: int) -> list[str]:
    tag = not all(s.together for s in package.steps)  # all in one form: said once, below the list
    lines = []
    for no, step in enumerate(package.steps, 1):
        matter = catalog.matter(step.matter)
        if matter is None:
            continue
        note = readable(catalog, step.note)
        # 一表申请 matters are handed in together, at the package's window: no place of their own.
        facts = [x for x in ("" if step.together else _step_where(catalog, matter), _step_time(matter)) if x]
        lines.append(
            T.CHAT_PACKAGE_STEP.format(
                no=no,
                name=matter.name,
                together=T.CHAT_TOGETHER if step.together and tag else "",
                facts="，".join(facts),
                note=f"；{note}" if note and len(note) <= note_max else "",
            )
        )
    return lines


def _one_form(package: Package) -> list[str]:
    if all(s.together for s in package.steps):
        return [T.CHAT_ALL_ONE_FORM.format(count=len(package.steps))]
    return [T.CHAT_ONE_FORM] if any(s.together for s in package.steps) else []


def package_card(catalog: Catalog, package: Package, today: dt.date | None = None) -> Reply:
    """一件事 in one bubble: each matter on a line (where, promised time, a short note), a button
    per matter, and the package's own online link and main hall with `today`'s hours."""
    today = today or hours.local_today()
    phone = package.phone or T.HOTLINE
    head = [T.PACKAGE_TITLE.format(name=package.name, count=len(package.steps))]
    for description, note_max, address in PACKAGE_FITS:
        intro = [package.description] if description and package.description else []
        steps = _step_lines(catalog, package, note_max)
        where = _where_short(catalog, package.where, phone, today, others=False, address=address)
        lines = [
            *head,
            *intro,
            *steps,
            *_one_form(package),
            *where,
            T.PACKAGE_PHONE.format(phone=phone),
            T.PACKAGE_MORE,
        ]
        if _size(lines) <= CHAT_LIMIT:
            break
    buttons = [
        Button(matter.name, choose_payload(matter.id), matter.id)
        for step in package.steps
        if (matter := catalog.matter(step.matter)) is not None
    ]
    return Reply("\n".join(lines), buttons)
