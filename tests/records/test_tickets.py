"""办不成事 tickets: due dates in working days, the lifecycle with its audit trail, overdue, archive."""

import datetime as dt

import pytest

from shouwen_records import tickets


def new(engine, key="t1", at=dt.datetime(2026, 9, 29, 10), **kw):
    values = {"category": "report_cannot_get_done", "detail": "跑了三趟，电话13812345678", "contact": "13812345678"}
    return tickets.create_ticket(engine, key=key, at=at, sender="wechat:o1", **{**values, **kw})


@pytest.mark.parametrize(("complexity", "due"), [("simple", dt.date(2026, 10, 9)), ("complex", dt.date(2026, 10, 19))])
def test_due_date_skips_the_national_day_holiday_and_counts_the_make_up_saturday(engine, complexity, due):
    # Taken Tue 29 Sep 2026: 1–7 Oct are holidays, Sat 10 Oct is a 调休 working day.
    ticket = tickets.get_ticket(engine, new(engine, complexity=complexity))
    assert ticket["due_date"] == due and ticket["due_exact"] is True


def test_a_year_the_calendar_does_not_know_is_an_estimate(engine):
    ticket = tickets.get_ticket(engine, new(engine, at=dt.datetime(2099, 12, 30, 9)))
    assert ticket["due_exact"] is False and ticket["due_date"] > dt.date(2099, 12, 30)


def test_lifecycle_is_audited_and_closing_archives(engine):
    ticket_id = new(engine)
    tickets.assign(engine, ticket_id, "zhang", actor="lead")
    tickets.reply(engine, ticket_id, "已协调，回电13812345678", actor="zhang")
    tickets.close(engine, ticket_id, actor="zhang")
    ticket = tickets.get_ticket(engine, ticket_id)
    assert ticket["status"] == "closed" and ticket["archived"] and ticket["assignee"] == "zhang"
    assert "13812345678" not in ticket["answer"]
    trail = tickets.audit_trail(engine, ticket_id)
    assert [(a["action"], a["actor"]) for a in trail] == [
        ("created", "citizen"), ("assigned", "lead"), ("answered", "zhang"), ("closed", "zhang"),
    ]  # fmt: skip
    assert tickets.list_tickets(engine) == []
    assert [t["id"] for t in tickets.list_tickets(engine, archived=True)] == [ticket_id]


@pytest.mark.parametrize("change", [tickets.reply, tickets.close])
def test_a_closed_ticket_cannot_change(engine, change):
    ticket_id = new(engine)
    tickets.close(engine, ticket_id, "lead")
    with pytest.raises(tickets.TicketError):
        change(engine, ticket_id, "again", "zhang")


def test_a_new_ticket_cannot_be_answered_before_it_is_assigned(engine):
    with pytest.raises(tickets.TicketError, match="new"):
        tickets.reply(engine, new(engine), "ok", "zhang")


def test_overdue_tickets_are_flagged_and_listed_first(engine):
    late = new(engine, key="late", at=dt.datetime(2026, 9, 29, 10))
    fresh = new(engine, key="fresh", at=dt.datetime(2026, 10, 12, 10))
    on = dt.date(2026, 10, 13)
    listed = tickets.list_tickets(engine, on=on)
    assert [(t["id"], t["overdue"]) for t in listed] == [(late, True), (fresh, False)]
    assert [t["id"] for t in tickets.list_tickets(engine, overdue=True, on=on)] == [late]
    tickets.assign(engine, late, "zhang", "lead")
    tickets.reply(engine, late, "done", "zhang")
    assert tickets.list_tickets(engine, overdue=True, on=on) == []


def test_contact_is_kept_for_the_clerk_but_masked_in_lists(engine):
    ticket_id = new(engine)
    assert tickets.get_ticket(engine, ticket_id)["contact"] == "13812345678"
    (listed,) = tickets.list_tickets(engine)
    assert listed["contact"] == "138****5678" and "o1" not in listed["sender"]
    assert "13812345678" not in listed["detail"]


def test_complexity_change_recounts_the_due_date(engine):
    ticket_id = new(engine)
    tickets.set_complexity(engine, ticket_id, "complex", "lead")
    assert tickets.get_ticket(engine, ticket_id)["due_date"] == dt.date(2026, 10, 19)
    assert tickets.audit_trail(engine, ticket_id)[-1]["action"] == "updated"
