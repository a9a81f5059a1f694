"""A hall's hours text read for one day: weekday ranges, 周六 / 周日, 法定节假日 and 调休 from
chinese-calendar, clauses that name no day, and texts that cannot be read."""

import datetime as dt

import pytest

from shouwen_core import hours

H01 = (
    "周一至周五 9:00-12:00、13:30-17:30；午间12:00-13:30不打烊，综合受理窗口1-4号照常办理；"
    "周六上午9:00-12:00综合受理窗口、户政窗口开放；周日及法定节假日休息（节假日调休另行公告）"
)


@pytest.mark.parametrize(
    ("text", "day", "times", "remark"),
    [
        (H01, dt.date(2026, 12, 7), ("9:00-12:00", "13:30-17:30"), ""),
        (H01, dt.date(2026, 12, 5), ("9:00-12:00",), "综合受理窗口、户政窗口开放"),
        (H01, dt.date(2026, 12, 6), (), ""),
        (H01, dt.date(2026, 10, 1), (), ""),  # 国庆节, a Thursday
        (H01, dt.date(2026, 10, 3), (), ""),  # 国庆节 on a Saturday: the holiday rule, not Saturday's
        (H01, dt.date(2026, 10, 10), ("9:00-12:00", "13:30-17:30"), ""),  # 调休: a working Saturday
        ("周一至周五 9:00-12:00、13:30-17:30（法定节假日除外）", dt.date(2026, 1, 1), (), ""),
        (
            "周一至周五 9:00-12:00、13:30-17:30（法定节假日除外）",
            dt.date(2026, 12, 8),
            ("9:00-12:00", "13:30-17:30"),
            "",
        ),
        ("周二至周六 9:00-17:00，周一闭馆", dt.date(2026, 12, 7), (), ""),
        ("周二至周六 9:00-17:00，周一闭馆", dt.date(2026, 12, 5), ("9:00-17:00",), ""),
        ("工作日 8:30～17:00；周六、周日及法定节假日休息", dt.date(2026, 12, 9), ("8:30-17:00",), ""),
        ("周一至周日 9：00-21：00", dt.date(2026, 12, 6), ("9:00-21:00",), ""),
    ],
)
def test_the_rule_of_a_day(text, day, times, remark):
    rule = hours.opening(hours.parse(text), day)
    assert (rule.times, rule.remark) == (times, remark)


def test_a_day_the_text_never_names_is_closed():
    rules = hours.parse("周一至周五 9:00-17:00")
    assert not hours.opening(rules, dt.date(2026, 12, 5)).open
    assert hours.next_open(rules, dt.date(2026, 12, 5)) == dt.date(2026, 12, 7)


def test_the_next_opening_day_skips_a_long_holiday():
    rules = hours.parse(H01)
    assert hours.next_open(rules, dt.date(2026, 10, 1)) == dt.date(2026, 10, 8)


@pytest.mark.parametrize("text", ["全天24小时自助服务", "周一至周五 9:00-12:00；周六另行通知", ""])
def test_a_text_we_cannot_read_gives_no_rules(text):
    assert hours.parse(text) is None


def test_a_year_the_holiday_table_does_not_know_falls_back_to_the_weekday():
    assert hours.kind_of(dt.date(2099, 1, 1)) == dt.date(2099, 1, 1).weekday()


def test_today_is_the_halls_date_in_shanghai():
    now = dt.datetime.now(dt.timezone.utc).astimezone(hours.TIMEZONE).date()
    assert hours.local_today() in (now, now + dt.timedelta(days=1))
