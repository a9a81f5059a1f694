"""./shouwen ask --jsonl: the trained model plus the actions' code path, one JSON line per question."""

import json
import subprocess
from pathlib import Path

import pytest

from shouwen_core.guard import REFUSALS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(
    not (ROOT / "models" / "shouwen.tar.gz").exists(), reason="no trained model: run `make setup`"
)

QUESTIONS = ["身份证丢了怎么补办", "護照過期了要多少錢", "停电了找谁", "yyzz怎么办", "帮我写作业"]


@pytest.fixture(scope="module")
def answers():
    lines = "".join(json.dumps({"q": q}, ensure_ascii=False) + "\n" for q in QUESTIONS) + "not json\n\n"
    out = subprocess.run(
        [str(ROOT / "shouwen"), "ask", "--jsonl"], input=lines, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return [json.loads(line) for line in out.stdout.splitlines()]


def test_one_line_per_question_and_a_clear_error_for_a_bad_line(answers):
    assert [a["q"] for a in answers] == [*QUESTIONS, None]
    assert answers[-1]["line"] == 6 and answers[-1]["error"]


def test_lines_carry_act_ranked_matters_and_reply(answers):
    first = answers[0]
    assert first["act"] == "ask_materials"
    assert "身份证" in first["matters"][0]["name"]
    scores = [m["score"] for m in first["matters"]]
    assert scores == sorted(scores, reverse=True) and len(scores) <= 5
    assert "一次性告知" in first["reply"]


def test_lines_carry_kind_and_about(answers):
    kinds = {"card", "case_choice", "matter_choice", "package", "follow_up", "referral", "social", "service"}
    assert all(a["kind"] in kinds for a in answers[:-1])
    first = answers[0]
    assert first["kind"] in ("card", "case_choice", "follow_up")
    assert first["about"] == first["matters"][0]["id"]
    assert answers[2]["kind"] == "referral" and answers[2]["about"] is None  # 停电了找谁


def test_reply_kind_maps_service_flows():
    from bot.ask import reply_kind

    assert reply_kind("card") == "card" and reply_kind("referral") == "referral"
    assert reply_kind("progress") == "service" and reply_kind("complaint") == "service"


def test_traditional_fee_question_gets_the_fee_in_traditional_characters(answers):
    assert answers[1]["act"] == "ask_fee"
    assert "护照" in answers[1]["matters"][0]["name"]
    assert "收費" in answers[1]["reply"] and "收费" not in answers[1]["reply"]


def test_no_reply_refuses(answers):
    for a in answers[:-1]:
        assert a["reply"] and not any(p in a["reply"] for p in REFUSALS)


def test_ask_reads_a_raw_guangdong_export():
    src = ROOT.parent / "shared" / "data" / "catalogs" / "guangdong_2021" / "policy.jsonl"
    if not src.exists():
        pytest.skip("../shared/data absent")
    out = subprocess.run(
        [str(ROOT / "shouwen"), "ask", "--jsonl", "--catalog", str(src)],
        input=json.dumps({"q": "申请律师执业证"}, ensure_ascii=False) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    answer = json.loads(out.stdout.splitlines()[0])
    assert answer["matters"] and all(len(m["id"]) > 20 for m in answer["matters"])  # TASK_CODEs
