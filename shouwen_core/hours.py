"""A hall's opening hours on one day, read from the catalog's hours text.

The chat card shows a hall's hours for today only; the catalog holds them as one sentence, e.g.

    周一至周五 9:00-12:00、13:30-17:30；午间12:00-13:30不打烊…；周六上午9:00-12:00综合受理窗口开放；周日及法定节假日休息

    parse(text)          → {day: Opening} | None   day 0–6 = 周一…周日, HOLIDAY = 法定节假日
    kind_of(day)         → 0–6, HOLIDAY or MAKEUP  which rule a date falls under (chinese-calendar:
                                                    holidays, and 调休 weekend days that are working days)
    opening(rules, day)  → Opening                 the rule for a date
    next_open(rules, day)→ date | None             the first later date the hall opens (within two weeks)
    local_today()        → date                    the halls' own date (Asia/Shanghai), whatever the server's zone

Clauses are cut at "；". A clause that starts with days (周一至周五, 周六、周日及法定节假日) sets those
days; a clause that names no day ("午间…不打烊") only adds to the one before and is left to the full
card. A day the text never names is closed, as such notices are read (法定节假日 are closed unless said).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

__all__ = ["HOLIDAY", "MAKEUP", "TIMEZONE", "Opening", "kind_of", "local_today", "next_open", "opening", "parse"]

TIMEZONE = ZoneInfo("Asia/Shanghai")
HOLIDAY = 7
# A Saturday or Sunday that is a working day (调休): it keeps a working day's hours.
MAKEUP = 8
WEEKDAYS = "一二三四五六日"
# How far ahead to look for the next opening day (the longest holiday, 春节, is 8–9 days).
LOOKAHEAD_DAYS = 14

_DAY = r"周[一二三四五六日天](?:\s*[至到~～—–-]\s*周[一二三四五六日天])?|(?:法定)?节假日|工作日"
_DAYS = re.compile(rf"^\s*((?:{_DAY})(?:\s*[、,，和及与]\s*(?:{_DAY}))*)")
_TIME = r"\d{1,2}[:：]\d{2}"
_RANGE = re.compile(rf"({_TIME})\s*[-–—~～至到]\s*({_TIME})")
_CLOSED = re.compile(r"休息|不办公|闭馆|不开放|不对外|暂停")
_EXCEPT = re.compile(r"[（(][^）)]*节假日除外[^）)]*[）)]")
_NEXT_DAYS = re.compile(rf"[，,]\s*(?=(?:{_DAY}))")
_FILLER = re.compile(r"^[\s，,、：:]*(?:上午|下午|全天|全日)?[\s，,、：:]*")


@dataclass(frozen=True)
class Opening:
    """What a day's rule says: time ranges ("9:00-12:00"), or closed; `remark` is the rest of the
    clause ("开放窗口1-6号（护照、港澳台通行证）")."""

    times: tuple[str, ...] = ()
    remark: str = ""

    @property
    def open(self) -> bool:
        return bool(self.times)


def _clauses(text: str) -> list[str]:
    """The text cut at "；" / ";" outside brackets (a remark in brackets may hold its own "；")."""
    out, depth, current = [], 0, ""
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        elif ch in "；;" and depth == 0:
            out.append(current)
            current = ""
            continue
        current += ch
    out.append(current)
    # "周二至周六 9:00-17:00，周一闭馆": a comma that starts new days starts a new clause too.
    return [p.strip() for c in out for p in _NEXT_DAYS.split(c) if p.strip()]


def _days(spec: str) -> set[int]:
    days: set[int] = set()
    for part in re.split(r"\s*[、,，和及与]\s*", spec):
        if "节假日" in part:
            days.add(HOLIDAY)
            continue
        if part == "工作日":
            days.update(range(5))
            continue
        ends = [WEEKDAYS.index("日" if c == "天" else c) for c in re.findall(r"周([一二三四五六日天])", part)]
        days.update(range(ends[0], ends[-1] + 1) if ends else ())
    return days


def _opening(rest: str) -> Opening:
    times = tuple(f"{a.replace('：', ':')}-{b.replace('：', ':')}" for a, b in _RANGE.findall(rest))
    remark = _FILLER.sub("", _RANGE.sub("", rest).lstrip(" 、")).strip(" ，,、。；")
    if not times and not _CLOSED.search(rest):
        return Opening((), rest)  # neither hours nor "休息": keep the words, the caller shows them
    return Opening(times, "" if not times else remark)


def parse(text: str) -> dict[int, Opening] | None:
    """Each day's rule, or None when no clause starts with days (the caller shows the text itself)."""
    rules: dict[int, Opening] = {}
    for clause in _clauses(text):
        m = _DAYS.match(clause)
        if not m:
            continue
        rule = _opening(_EXCEPT.sub("", clause[m.end() :]))
        if not rule.open and rule.remark:
            return None  # "周六另行通知": a day rule we cannot read
        for day in _days(m.group(1)):
            rules.setdefault(day, rule)
        if "节假日除外" in clause:
            rules.setdefault(HOLIDAY, Opening())
    return rules or None


def kind_of(day: dt.date) -> int:
    """The rule a date falls under: HOLIDAY on a statutory holiday, MAKEUP on a 调休 working
    Saturday or Sunday, else its own weekday. Without chinese-calendar data for the year (or the
    package), the weekday alone."""
    try:
        import chinese_calendar

        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except (ImportError, NotImplementedError):
        return day.weekday()
    if on_holiday and name is not None:
        return HOLIDAY
    if not on_holiday and day.weekday() >= 5:
        return MAKEUP
    return day.weekday()


def opening(rules: dict[int, Opening], day: dt.date) -> Opening:
    kind = kind_of(day)
    if kind == MAKEUP:
        return next((rules[d] for d in range(5) if d in rules), Opening())
    return rules.get(kind, Opening())


def next_open(rules: dict[int, Opening], day: dt.date) -> dt.date | None:
    for ahead in range(1, LOOKAHEAD_DAYS + 1):
        later = day + dt.timedelta(days=ahead)
        if opening(rules, later).open:
            return later
    return None


def local_today() -> dt.date:
    return dt.datetime.now(TIMEZONE).date()
