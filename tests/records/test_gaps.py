"""Unanswered questions: grouped, then closed in one step by an alias (overlay version bumps) or a referral."""

from shouwen_records import gaps, overlay_source


def ask(engine, n, text, sender="web:a"):
    cands = [{"id": "PET-1", "name": "犬只登记", "score": 0.31}, {"id": "X", "name": "其他", "score": 0.1}]
    return gaps.record_question(engine, key=f"q{n}", text=text, sender=sender, candidates=cands)


def test_similar_questions_group_and_the_biggest_gap_comes_first(engine):
    for n, text in enumerate(["养狗要办什么证", "养狗要办什么证啊", "養狗要辦什麼證", "电动车上牌在哪里"]):
        ask(engine, n, text)
    top = gaps.top_gaps(engine)
    assert [g["count"] for g in top] == [3, 1]
    assert top[0]["candidates"][0] == {"id": "PET-1", "name": "犬只登记", "score": 0.31}


def test_questions_are_stored_masked(engine):
    ask(engine, 1, "我电话13812345678，狗证怎么办")
    assert "13812345678" not in gaps.top_gaps(engine)[0]["example"]


def test_attach_alias_to_a_group_bumps_the_overlay_for_the_linker(engine, url):
    source = overlay_source(url)
    assert source() == (0, {})
    ask(engine, 1, "养狗要办什么证")
    ask(engine, 2, "养狗要办什么证呢")
    group = gaps.top_gaps(engine)[0]["group_key"]
    version = gaps.attach_alias(engine, group, "PET-1", "养狗证", actor="zhang")
    assert version == gaps.overlay_version(engine) == 1
    assert gaps.overlay_aliases(engine) == {"PET-1": ["养狗证"]}
    assert source() == (1, {"PET-1": ["养狗证"]})
    assert gaps.top_gaps(engine) == [] and gaps.top_gaps(engine, status="aliased")[0]["count"] == 2


def test_attach_alias_to_one_question_uses_its_text(engine):
    qid = ask(engine, 1, "狗牌去哪办？")
    gaps.attach_alias(engine, qid, "PET-1", None, actor="zhang")
    assert gaps.overlay_aliases(engine) == {"PET-1": ["狗牌去哪办?"]}


def test_mark_referral_closes_the_group_without_touching_the_overlay(engine):
    ask(engine, 1, "帮我订机票")
    ask(engine, 2, "帮我订机票吧")
    assert gaps.mark_referral(engine, gaps.top_gaps(engine)[0]["group_key"], "zhang") == 2
    assert gaps.top_gaps(engine) == [] and gaps.overlay_version(engine) == 0
