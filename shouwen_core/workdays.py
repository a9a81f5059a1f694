"""Working days with Chinese public holidays and 调休 make-up days (chinese-calendar).

Promised time limits and reply deadlines (办不成事: 3 working days simple, 10 complex) count
working days. For a year chinese-calendar does not know yet, weekends alone are skipped and the
result says it is an estimate.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["add_working_days", "is_working_day"]


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(working, exact): exact is False when the holiday table does not cover the year."""
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def add_working_days(start: dt.date, days: int) -> tuple[dt.date, bool]:
    """The date `days` working days after `start` (start itself not counted), and whether exact."""
    day, left, exact = start, days, True
    while left > 0:
        day += dt.timedelta(days=1)
        working, known = is_working_day(day)
        exact = exact and known
        left -= working
    return day, exact
