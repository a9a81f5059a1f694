"""Ticket numbers in the records: the one the person was told is stored, others get one, each is
unique and found again from a message that quotes it ("查询进度 BC…" answered from the records);
migration 0002 numbers older tickets."""

import datetime as dt

import pytest
import sqlalchemy as sa

from shouwen_core.consult import Consultant
from shouwen_core.progress import ProgressRecord
from shouwen_core.services import ServiceDesk
from shouwen_core.ticket_numbers import ALPHABET
from shouwen_records import tickets
from shouwen_records.migrate import upgrade
from shouwen_records.progress import TicketProgress


def new(engine, key, **kw):
    values = {"category": "report_cannot_get_done", "detail": "在E区窗口跑了三趟", "at": dt.datetime(2026, 12, 3, 10)}
    return tickets.create_ticket(engine, key=key, **{**values, **kw})


def test_the_number_told_to_the_person_is_the_one_stored(engine):
    ticket = tickets.get_ticket(engine, new(engine, "told", number="BC261203K7Q4MX"))
    assert ticket["number"] == "BC261203K7Q4MX" and ticket["detail"] == "在E区窗口跑了三趟"


def test_a_ticket_from_the_panel_or_the_api_gets_a_number_of_its_kind(engine):
    complaint = tickets.get_ticket(engine, new(engine, "panel", category="complain"))
    assert complaint["number"].startswith("TS261203") and set(complaint["number"][8:]) <= set(ALPHABET)


def test_two_tickets_cannot_share_a_number(records):
    values = {"category": "complain", "detail": "x", "number": "TS261203K7Q4MX"}
    records.submit("ticket", key="a", **values)
    with pytest.raises(ValueError, match="rejected"):
        records.submit("ticket", key="b", **values)


def test_a_message_quoting_the_number_finds_the_ticket_with_the_contact_masked(engine):
    new(engine, "found", number="BC261203K7Q4MX", contact="13812345678")
    found = tickets.find_by_number(engine, "查询进度 bc261203-k7q4mx", on=dt.date(2026, 12, 4))
    assert found is not None and found["number"] == "BC261203K7Q4MX" and found["contact"] == "138****5678"
    assert tickets.find_by_number(engine, "查询进度 BC261203K7Q4MZ") is None
    assert tickets.find_by_number(engine, "查询进度 SL2026110001") is None


def test_migration_0002_numbers_the_tickets_taken_before_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    upgrade(url, "0001")
    engine = sa.create_engine(url)
    columns = "key, category, detail, status, complexity, created_at, due_date, due_exact, updated_at"
    with engine.begin() as conn:
        for key, category in (("a", "report_cannot_get_done"), ("b", "complain")):
            conn.execute(
                sa.text(
                    f"insert into tickets ({columns}) values (:key, :category, 'x', 'new', 'simple',"
                    " '2026-11-30 09:00:00', '2026-12-03', 1, '2026-11-30 09:00:00')"
                ),
                {"key": key, "category": category},
            )
    upgrade(url)
    with engine.connect() as conn:
        numbers = dict(conn.execute(sa.text("select key, number from tickets")).all())
    assert numbers["a"].startswith("BC261130") and numbers["b"].startswith("TS261130")
    assert len(numbers["a"]) == len(numbers["b"]) == 14


class Store:
    """The halls' approval system: knows one application number."""

    def lookup(self, application_no):
        return (
            ProgressRecord(application_no, "居民身份证换领", "审查中", "制证中", "2026-12-01")
            if application_no == "SL2026110001"
            else None
        )


def test_progress_by_ticket_number_says_the_state_and_the_due_date(url, engine):
    ticket_id = new(engine, "p", number="BC261203K7Q4MX", matter_name="企业设立登记")
    progress = TicketProgress(Store(), url=lambda: url)
    found = progress.lookup("BC261203K7Q4MX")
    assert found is not None and found.status == "已受理" and "企业设立登记" in found.matter
    assert tickets.get_ticket(engine, ticket_id)["due_date"].isoformat() in found.step
    tickets.assign(engine, ticket_id, "zhang", "lead")
    tickets.reply(engine, ticket_id, "已协调窗口，下周一可办", "zhang")
    answered = progress.lookup("BC261203K7Q4MX")
    assert answered is not None and answered.status == "已答复" and "下周一可办" in answered.step
    assert progress.lookup("BC261203K7Q4MZ") is None
    assert progress.lookup("SL2026110001").matter == "居民身份证换领"  # not a ticket: the store answers


def test_asking_progress_with_a_ticket_number_answers_from_the_records(url, engine, catalog, linker):
    new(engine, "asked", number="TS261203K7Q4MX", category="complain")
    core = Consultant(catalog, linker, ServiceDesk(TicketProgress(Store(), url=lambda: url)))
    answer = core.respond("查询进度 ts261203k7q4mx", "ask_progress")
    assert answer.kind == "progress" and "TS261203K7Q4MX" in answer.replies[0].text
    assert "已受理" in answer.replies[0].text and "12345" in answer.replies[0].text
