"""Ticket numbers: of the ticket's kind and day, random, found again in what a person types; the
办不成事 flow's last reply gives the number and both due dates."""

import datetime as dt

import pytest

from shouwen_core.consult import Consultant
from shouwen_core.services import ServiceDesk
from shouwen_core.ticket_numbers import ALPHABET, find_ticket_number, new_ticket_number

DAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(("kind", "prefix"), [("report_cannot_get_done", "BC"), ("complain", "TS"), ("unknown", "QZ")])
def test_a_number_says_its_kind_and_day_then_six_unambiguous_characters(kind, prefix):
    number = new_ticket_number(kind, DAY)
    assert number[:8] == f"{prefix}261203" and len(number) == 14
    assert set(number[8:]) <= set(ALPHABET) and not set("01ILOU") & set(ALPHABET)


def test_numbers_are_not_a_sequence():
    numbers = {new_ticket_number("complain", DAY) for _ in range(200)}
    assert len(numbers) == 200


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("查询进度 BC2612037KQ4MX", "BC2612037KQ4MX"),
        ("我的工单bc261203-7kq4mx处理得怎样了", "BC2612037KQ4MX"),
        ("TS 261203 7KQ4MX", "TS2612037KQ4MX"),
        ("BC2612037KQ4MO", None),  # O is not in a number: a misread, not a ticket
        ("BC2612037KQ4MXY", None),
        ("SL2026110001", None),
    ],
)
def test_a_ticket_number_is_found_as_a_person_types_it(text, number):
    assert find_ticket_number(text) == number


@pytest.fixture
def core(catalog, linker):
    return Consultant(catalog, linker, ServiceDesk(today=dt.date(2026, 9, 29)))


def test_the_last_reply_gives_the_number_and_both_due_dates_and_files_it_as_cannot_get_done(core):
    focus = {}
    for text, act in [
        ("跑了三趟都没办成", "report_cannot_get_done"),
        ("在E区窗口排了三次队", "inform"),
        ("不留", "deny"),
    ]:
        answer = core.respond(text, act, focus=focus)
        focus = answer.focus
    ticket, reply = answer.ticket, answer.replies[0].text
    assert ticket is not None and ticket["number"].startswith("BC260929")
    assert ticket["number"] in reply and f"查询进度 {ticket['number']}" in reply
    # 3 and 10 working days after Tue 29 Sep 2026, the National Day holiday skipped.
    assert "2026-10-09" in reply and "2026-10-19" in reply
    assert ticket["kind"] == "report_cannot_get_done" and ticket["detail"] == "在E区窗口排了三次队"


def test_a_complaint_gets_a_complaint_number(core):
    focus = {}
    for text, act in [("我要投诉", "complain"), ("窗口态度很差", "inform"), ("13812345678", "inform")]:
        answer = core.respond(text, act, focus=focus)
        focus = answer.focus
    assert answer.ticket is not None and answer.ticket["number"].startswith("TS")
