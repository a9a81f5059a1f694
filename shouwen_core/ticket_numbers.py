"""Ticket numbers: what a person quotes to ask about their 办不成事 or complaint later.

    BC 261203 7KQ4MX        written without spaces: BC2612037KQ4MX
    │  │      └ six random characters from 30 that are not misread: no 0 O 1 I L U
    │  └ the day the ticket was taken (yymmdd)
    └ its kind: BC 办不成事, TS 投诉, JY 建议, QZ 其他求助

The core makes the number when it files a ticket, so the reply can say it; the records store it
under a unique index. It is random, not a sequence: a number tells nothing about how many tickets
a hall takes, and one person's number does not lead to the next person's ticket. 30⁶ ≈ 7×10⁸
numbers per kind and day keep a collision unlikely at any hall's volume (about 1 in 10⁵ for
100 tickets of a kind a day); the unique index refuses one if it happens.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

__all__ = ["ALPHABET", "PREFIXES", "find_ticket_number", "new_ticket_number"]

PREFIXES = {"report_cannot_get_done": "BC", "complain": "TS", "suggest": "JY", "other": "QZ"}
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_RANDOM_CHARS = 6
# As a person may type it: any case, a space or a hyphen between the parts.
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])(BC|TS|JY|QZ)[ -]?(\d{6})[ -]?([" + ALPHABET + r"]{6})(?![0-9A-Za-z])", re.IGNORECASE
)


def new_ticket_number(kind: str, on: dt.date) -> str:
    """A fresh number for a ticket of `kind` taken on `on` (an unknown kind counts as 其他求助)."""
    random_part = "".join(secrets.choice(ALPHABET) for _ in range(_RANDOM_CHARS))
    return f"{PREFIXES.get(kind, PREFIXES['other'])}{on:%y%m%d}{random_part}"


def find_ticket_number(text: str) -> str | None:
    """The ticket number in a message ("查询进度 bc261203-7kq4mx" → "BC2612037KQ4MX"), or None."""
    m = _NUMBER.search(text)
    return "".join(m.groups()).upper() if m else None
