"""A turn's messages as WeChat text: buttons become numbered choices ("回复数字选择：1. …"), because
WeChat text has no buttons, and the text is split into pieces WeChat accepts (about 2048 bytes
each; we keep a margin).

A person answers a choice with "1", "１", "一" or "第一个"; the core's `ordinal` reads that.
"""

from __future__ import annotations

from collections.abc import Sequence

from shouwen_core.replies import T
from shouwen_core.reply import Reply

__all__ = ["PIECE_BYTES", "numbered", "split"]

# WeChat cuts text replies at 2048 bytes of UTF-8; the margin keeps the continuation note inside.
PIECE_BYTES = 2000


# A link button as a line of text (to move to replies.T with the rest of the wording).
WECHAT_LINK = "{title}：{url}"


def numbered(messages: Sequence[Reply], base: str = "") -> tuple[str, list[str]]:
    """The turn as one text, and the payloads of its buttons in the order they are numbered. A link
    button is a line "打印告知单：https://…" instead (its path put after `base`, the gateway's public
    address); a path with no `base` to complete it is left out, as WeChat could not open it."""
    parts: list[str] = []
    payloads: list[str] = []
    for message in messages:
        lines = [message.text] if message.text else []
        choices = [b for b in message.buttons if not b.url]
        if choices:
            lines.append(T.WECHAT_CHOICES)
            for button in choices:
                payloads.append(button.payload or button.title)
                lines.append(T.WECHAT_CHOICE.format(no=len(payloads), title=button.title))
        for button in message.buttons:
            if url := _absolute(button.url, base):
                lines.append(WECHAT_LINK.format(title=button.title, url=url))
        parts.append("\n".join(lines))
    return "\n\n".join(p for p in parts if p), payloads


def _absolute(url: str, base: str) -> str:
    if url.startswith(("https://", "http://")):
        return url
    return f"{base.rstrip('/')}{url}" if url.startswith("/") and base else ""


def split(text: str, limit: int = PIECE_BYTES) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at line ends where possible; the first piece
    makes room for the note that more follows."""
    if _size(text) <= limit:
        return [text]
    first_limit = limit - _size(T.WECHAT_CONTINUED) - 1
    pieces: list[str] = []
    current = ""
    for line in _short_lines(text.split("\n"), first_limit):
        room = first_limit if not pieces else limit
        candidate = f"{current}\n{line}" if current else line
        if _size(candidate) <= room:
            current = candidate
            continue
        pieces.append(current)
        current = line
    pieces.append(current)
    pieces[0] = f"{pieces[0]}\n{T.WECHAT_CONTINUED}"
    return [p for p in pieces if p.strip()]


def _short_lines(lines: list[str], limit: int) -> list[str]:
    """Lines longer than `limit` bytes cut by characters, so every line fits in a piece."""
    out: list[str] = []
    for line in lines:
        while _size(line) > limit:
            cut = len(line.encode("utf-8")[:limit].decode("utf-8", "ignore"))
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return out


def _size(text: str) -> int:
    return len(text.encode("utf-8"))
