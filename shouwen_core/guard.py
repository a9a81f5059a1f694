"""The never-refuse guard: every outgoing reply is checked before a citizen reads it.

A reply must not contain a refusal phrase (不归我们管, 不知道, 不清楚, 不行, 没办法, 办不了, 不负责 ...)
and must carry a concrete pointer: a phone number, a link, a hall or window, buttons, or 12345.
`guard(replies)` rewrites what fails, so the rule holds whatever produced the text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .replies import T
from .reply import Reply
from .text import simplified

__all__ = ["REFUSALS", "guard", "has_pointer", "refusal_in"]

REFUSALS = (
    "不归我们管",
    "不知道",
    "不清楚",
    "不行",
    "没办法",
    "办不了",
    "不负责",
    "无法办理",
    "不能办",
    "别问我",
    "不受理",
)
_POINTER = re.compile(
    r"(\d{3,4}-\d{7,8}|\b12\d{3}\b|\b9\d{4}\b|\b1[12]\d\b|https?://|窗口|大厅|中心|热线|转人工|app|小程序|工作人员)",
    re.IGNORECASE,
)


def refusal_in(text: str) -> str | None:
    return next((p for p in REFUSALS if p in text), None)


def has_pointer(replies: list[Reply]) -> bool:
    # (in simplified characters: a reply given back in traditional ones points where it did)
    return any(r.buttons or _POINTER.search(r.text) or _POINTER.search(simplified(r.text)) for r in replies)


def guard(replies: list[Reply]) -> list[Reply]:
    """Replies with refusal phrases softened and a pointer guaranteed."""
    out: list[Reply] = []
    for r in replies:
        text = r.text
        for phrase in REFUSALS:
            # The phrase may sit inside a name someone typed; keep meaning, drop the refusal.
            text = text.replace(phrase, "")
        out.append(replace(r, text=text))
    if not out:
        out = [Reply(T.NOT_UNDERSTOOD)]
    if not has_pointer(out):
        out.append(Reply(T.REFER_HOTLINE))
    return out
