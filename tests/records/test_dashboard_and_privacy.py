"""Dashboard figures on seeded data; masked CSV export; retention purge; export by contact; clerks."""

import csv
import datetime as dt
import io

import pytest

from shouwen_records import clerks, dashboard, handoffs, privacy, ratings, tickets, turns
from shouwen_records.schema import TABLES
from shouwen_records.seed import seed

DAY = dt.datetime(2026, 10, 12, 10)


def turn(engine, key, sender, kind, matter="", at=DAY, unanswered=False):
    turns.record_turn(engine, key=key, sender=sender, act="ask_materials", kind=kind, matter_id=matter,
                      matter_name=matter and f"事项{matter}", unanswered=unanswered, at=at)  # fmt: skip


def test_summary_counts_conversations_resolution_and_handoffs(engine):
    turn(engine, "1", "web:a", "case_choice", "M1")
    turn(engine, "2", "web:a", "card", "M1")  # resolved on a card
    turn(engine, "3", "wechat:b", "referral", unanswered=True)  # resolved on a referral
    turn(engine, "4", "wechat:c", "card", "M2")  # a card, but then a hand-off
    turn(engine, "5", "api:d", "matter_choice", at=DAY - dt.timedelta(days=1))  # left on a choice
    handoffs.open_handoff(engine, key="h", sender="wechat:c", at=DAY)
    ratings.add_rating(engine, key="r", sender="web:a", rating="满意", at=DAY)
    tickets.create_ticket(engine, key="t", category="complain", detail="x", at=dt.datetime(2026, 9, 29, 9))
    got = dashboard.summary(engine, days=7, on=DAY.date())
    assert got["conversations"] == 4 and got["resolved"] == 2 and got["resolution_rate"] == 0.5
    assert got["unanswered"] == 1 and got["unanswered_rate"] == 0.2
    assert {(d["day"], d["channel"]): d["conversations"] for d in got["per_day"]} == {
        ("2026-10-11", "api"): 1, ("2026-10-12", "web"): 1, ("2026-10-12", "wechat"): 2,
    }  # fmt: skip
    assert got["top_matters"][0] == {"matter_id": "M1", "matter_name": "事项M1", "turns": 2}
    assert got["handoffs"] == {"total": 1, "waiting": 1, "per_day": {"2026-10-12": 1}}
    assert got["ratings"]["满意"] == 1 and list(got["ratings"]) == [
        "非常满意",
        "满意",
        "基本满意",
        "不满意",
        "非常不满意",
    ]
    assert got["tickets"]["new"] == 1 and got["overdue"] == 1


def test_seeded_demo_fills_every_figure(engine):
    counts = seed(engine)
    assert all(counts[t] > 0 for t in ("turns", "tickets", "ratings", "callbacks", "questions", "handoffs"))
    assert seed(engine) == counts  # fixed keys: seeding twice adds nothing
    got = dashboard.summary(engine)
    assert got["overdue"] >= 1 and all(got["tickets"][s] for s in tickets.STATUSES)
    assert {d["channel"] for d in got["per_day"]} == {"web", "wechat", "api", "hall"}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_csv_export_of_every_table_is_masked(engine, table):
    seed(engine)
    tickets.create_ticket(engine, key="pii", category="complain", detail="身份证110101199003071234",
                          contact="13812345678", sender="wechat:openid-1")  # fmt: skip
    handoffs.post_message(engine, handoffs.list_handoffs(engine)[0]["id"], "zhang", "请回电13812345678")
    clerks.create_clerk(engine, "zhang", "long-enough-pw")
    out = io.StringIO()
    n = privacy.export_csv(engine, table, out)
    text = out.getvalue()
    assert n == len(list(csv.reader(io.StringIO(text)))) - 1
    for secret in ("13812345678", "110101199003071234", "openid-1", "scrypt$"):
        assert secret not in text


def test_purge_drops_old_transcripts_and_keeps_tickets(engine):
    old, recent = DAY - dt.timedelta(days=200), DAY - dt.timedelta(days=10)
    turn(engine, "old", "web:a", "card", at=old)
    turn(engine, "new", "web:a", "card", at=recent)
    hid = handoffs.open_handoff(engine, key="h", sender="web:a", history=[{"who": "user", "text": "hi"}], at=old)
    handoffs.post_message(engine, hid, "zhang", "hello")
    tid = tickets.create_ticket(engine, key="t", category="complain", detail="x", at=old)
    removed = privacy.purge(engine, days=180, at=DAY)
    assert removed == {"turns": 1, "questions": 0, "handoff_messages": 1, "handoff_histories": 1}
    assert handoffs.get_handoff(engine, hid)["history"] == [] and handoffs.messages_for(engine, "web:a") == []
    assert tickets.get_ticket(engine, tid) is not None
    assert dashboard.summary(engine, days=365, on=DAY.date())["turns"] == 1


def test_retention_days_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "30")
    assert privacy.retention_days() == 30
    monkeypatch.delenv("RETENTION_DAYS")
    assert privacy.retention_days() == 180


def test_export_by_contact_finds_the_tickets_and_their_conversation(engine):
    tickets.create_ticket(engine, key="t", category="complain", detail="x", contact="13812345678", sender="web:p1")
    ratings.add_rating(engine, key="r", sender="web:p1", rating="不满意")
    turn(engine, "1", "web:p1", "card")
    turn(engine, "2", "web:someone-else", "card")
    got = privacy.export_person(engine, "13812345678")
    assert len(got["tickets"]) == 1 and len(got["ratings"]) == 1 and len(got["turns"]) == 1
    assert privacy.export_person(engine, "13900000000")["tickets"] == []


def test_clerk_password_is_hashed_and_verified(engine):
    clerks.create_clerk(engine, "zhang", "correct horse", "张三")
    assert clerks.verify_clerk(engine, "zhang", "correct horse") == {
        "id": 1,
        "username": "zhang",
        "display_name": "张三",
    }
    assert clerks.verify_clerk(engine, "zhang", "wrong horse") is None
    assert clerks.verify_clerk(engine, "nobody", "correct horse") is None
    with pytest.raises(ValueError, match="taken"):
        clerks.create_clerk(engine, "zhang", "another one")
    with pytest.raises(ValueError, match="at least"):
        clerks.create_clerk(engine, "li", "short")
    for guessable in ("12345678", "19900307", "aaaa1111", "Password"):
        with pytest.raises(ValueError, match="easy to guess"):
            clerks.create_clerk(engine, "li", guessable)


def test_csv_export_never_hands_a_spreadsheet_a_formula(engine):
    from shouwen_records.gaps import record_question

    record_question(engine, key="f-1", text='=HYPERLINK("http://evil.example","点我")')
    record_question(engine, key="f-2", text="+1 这个怎么办")
    out = io.StringIO()
    privacy.export_csv(engine, "questions", out)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells and "'+1 这个怎么办" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
