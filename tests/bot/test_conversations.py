"""Whole conversations through the trained NLU model and the one turn function, as a citizen has
them: each turn keeps the focus and the buttons offered (bot/ask.py `Asker.answer(keep_focus=True)`,
the same carry-over as the action server's slots). The conversations and what each turn should
give are in conversations.yml; the model is loaded once for the module.

A conversation the current system gets wrong is kept with its expectation and marked
`xfail: "<why>"` in the file (strict: it fails once the defect is fixed, so the mark is removed).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "shouwen.tar.gz"
CATALOG = ROOT / "catalog" / "sample_city"
CONVERSATIONS: list[dict[str, Any]] = yaml.safe_load((Path(__file__).with_name("conversations.yml")).read_text("utf-8"))
TURN_KEYS = {"say", "kind", "about", "case", "says", "not_says", "buttons", "ticket", "handoff"}

pytestmark = pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make setup`")


def said(answer: Any) -> str:
    return "\n".join(r.text for r in answer.replies)


def problems(expect: dict[str, Any], answer: Any) -> list[str]:
    """What in `answer` differs from what the turn `expect`s (empty when it is what a citizen should get)."""
    found: list[str] = []
    text = said(answer)
    if "kind" in expect:
        kinds = expect["kind"] if isinstance(expect["kind"], list) else [expect["kind"]]
        if answer.kind not in kinds:
            found.append(f"kind {answer.kind!r}, expected {kinds}")
    if "about" in expect:
        name = answer.matter.name if answer.matter is not None else None
        wanted = expect["about"]
        if (wanted is None) != (name is None) or (wanted is not None and wanted not in name):
            found.append(f"about {name!r}, expected {wanted!r}")
    if "case" in expect:
        case = answer.case.name if answer.case is not None else ""
        if expect["case"] not in case:
            found.append(f"case {case!r}, expected {expect['case']!r}")
    found += [f"does not say {s!r}" for s in map(str, expect.get("says", [])) if s not in text]
    found += [f"says {s!r}" for s in map(str, expect.get("not_says", [])) if s in text]
    if "buttons" in expect and any(r.buttons for r in answer.replies) != expect["buttons"]:
        found.append("buttons offered" if not expect["buttons"] else "no buttons offered")
    if "ticket" in expect:
        wanted = expect["ticket"]
        kind = answer.ticket["kind"] if answer.ticket else None
        if isinstance(wanted, bool) and (kind is not None) != wanted:
            found.append(f"ticket {kind!r}, expected {'one' if wanted else 'none'}")
        elif isinstance(wanted, str) and kind != wanted:
            found.append(f"ticket {kind!r}, expected {wanted!r}")
    if "handoff" in expect and answer.handoff != expect["handoff"]:
        found.append(f"handoff {answer.handoff}, expected {expect['handoff']}")
    return found


@pytest.fixture(scope="module")
def loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(scope="module")
def parts(loop):
    """The model (its linker indexing the sample city) and a Consultant whose progress store has
    the demo records, loaded once; each conversation gets its own Asker (its own focus)."""
    from bot.ask import load_agent
    from shouwen_core.catalog import load_catalog
    from shouwen_core.consult import Consultant
    from shouwen_core.progress import SQLiteProgressStore
    from shouwen_core.services import ServiceDesk

    before = os.environ.get("SHOUWEN_CATALOG")
    agent = load_agent(MODEL, str(CATALOG))
    consultant = Consultant(load_catalog(CATALOG), desk=ServiceDesk(SQLiteProgressStore(":memory:", seed_demo=True)))
    yield agent, consultant
    if before is None:
        os.environ.pop("SHOUWEN_CATALOG", None)
    else:
        os.environ["SHOUWEN_CATALOG"] = before


def test_the_file_has_enough_well_formed_conversations():
    assert len(CONVERSATIONS) >= 40
    names = [c["name"] for c in CONVERSATIONS]
    assert len(set(names)) == len(names), "conversation names must be unique"
    for c in CONVERSATIONS:
        assert set(c) <= {"name", "turns", "xfail"}, c["name"]
        assert 2 <= len(c["turns"]) <= 5, c["name"]
        for turn in c["turns"]:
            assert "say" in turn and set(turn) <= TURN_KEYS, (c["name"], turn)
            assert set(turn) - {"say"}, f"{c['name']}: {turn['say']!r} expects nothing"


def test_problems_names_each_difference():
    from shouwen_core.consult import Answer
    from shouwen_core.reply import Reply

    answer = Answer([Reply("您好")], "social")
    expect = {"kind": "card", "about": "护照", "says": ["120"], "not_says": ["您好"], "buttons": True, "ticket": True}
    assert len(problems(expect, answer)) == 6
    assert problems({"kind": ["card", "social"], "about": None, "says": ["您"], "buttons": False}, answer) == []


def _param(conversation: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(strict=True, reason=conversation["xfail"])] if conversation.get("xfail") else []
    return pytest.param(conversation, id=conversation["name"], marks=marks)


@pytest.mark.parametrize("conversation", [_param(c) for c in CONVERSATIONS])
def test_conversation(conversation, parts, loop):
    from bot.ask import Asker

    chat = Asker(*parts)
    for no, turn in enumerate(conversation["turns"], 1):
        answer, act = loop.run_until_complete(chat.answer(turn["say"], keep_focus=True))
        wrong = problems(turn, answer)
        about = answer.matter.name if answer.matter is not None else None
        assert not wrong, f"turn {no} {turn['say']!r} [{act}, {answer.kind}, {about}]: {wrong}\n{said(answer)}"
