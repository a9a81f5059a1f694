"""`make eval`: the question → matter evaluation, side by side with a naive baseline.

For each set in eval/ (written by the team, kept apart from nlu_data/ and the lexicon):
  sample_city.jsonl   questions on the sample city catalog       → top-1, top-3, 情形, act accuracy
  guangdong.jsonl     questions on the imported Guangdong export → the same (skipped if ../shared is absent)
  out_of_catalog.jsonl, not_a_matter.jsonl                        → act accuracy, referrals
Every set: replies with a refusal phrase, replies without a concrete pointer. The baseline is a
character-bigram BM25 over matter names, computed in the same run on the same questions.
Each question goes through the trained model (the act) and Consultant.respond (the reply), the
code path of the actions. Results: printed table and reports/eval.json.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shouwen_core.linker.baseline import NameBM25  # noqa: E402

GUANGDONG = ROOT.parent / "shared" / "data" / "catalogs" / "guangdong_2021" / "policy.jsonl"
# SHOUWEN_MODEL evaluates another trained model (a pipeline variant) against the same sets.
MODEL = Path(os.environ.get("SHOUWEN_MODEL", ROOT / "models" / "shouwen.tar.gz"))
# Score bands for the reliability table (top-1 accuracy per band of the top score).
BANDS = (0.9, 0.7, 0.5, 0.3, 0.0)


def read_set(path: Path) -> list[dict[str, Any]]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            items.append(json.loads(line))
    return items


async def run_set(name: str, items: list[dict[str, Any]], asker: Any, baseline: NameBM25 | None) -> dict[str, Any]:
    from shouwen_core.guard import REFUSALS, has_pointer

    n = len(items)
    top1 = top3 = act_ok = refusals = no_pointer = 0
    case_total = case_ok = 0
    base1 = base3 = 0
    referred = 0
    expect_total = expect_hit = 0
    confusions: Counter[str] = Counter()
    first: Counter[str] = Counter()
    bands: dict[float, list[int]] = {b: [0, 0] for b in BANDS}
    misses: list[dict[str, Any]] = []
    link_seconds = 0.0
    t0 = time.perf_counter()
    for item in items:
        answer, act = await asker.answer(item["q"], keep_focus=False)
        t = time.perf_counter()
        asker.core.linker.link(item["q"])
        link_seconds += time.perf_counter() - t
        text = "\n".join(r.text for r in answer.replies)
        refusals += any(p in text for p in REFUSALS)
        no_pointer += not has_pointer(answer.replies)
        act_ok += act == item.get("act")
        if act != item.get("act"):
            confusions[f"{item.get('act')}→{act}"] += 1
        if answer.kind in ("referral", "matter_choice", "card", "case_choice", "follow_up", "package"):
            referred += 1
        if item.get("expect"):
            places = [p for p in re.split(r"[/／、,，;；（）()\s]+", item["expect"]) if len(p) >= 2]
            expect_total += 1
            expect_hit += any(p in text for p in places)
        if "matter" not in item:
            continue
        gold = {item["matter"], *item.get("also", [])}
        # What the citizen reads first: right (card / 情形 question / follow-up about the gold),
        # a choice containing it, the generic 12345 fallback, or a reply about another matter.
        offered = {b.value for r in answer.replies for b in r.buttons}
        if answer.kind in ("card", "case_choice", "follow_up"):
            first[("right" if answer.matter and answer.matter.id in gold else "misroute")] += 1
        elif answer.kind == "matter_choice":
            first["choice_with_gold" if gold & offered else "choice_without_gold"] += 1
        elif answer.kind == "referral" and len(answer.replies) == 1:
            first["generic_fallback"] += 1
        else:
            first[answer.kind] += 1
        ranked = [c.matter.id for c in answer.link.matters] if answer.link else []
        hit1 = bool(ranked) and ranked[0] in gold
        if answer.link and answer.link.matters:
            # Reliability of the top score: how often a top-1 in each score band is right.
            band = next(b for b in BANDS if answer.link.matters[0].score >= b)
            bands[band][0] += 1
            bands[band][1] += hit1
        top1 += hit1
        top3 += bool(gold & set(ranked[:3]))
        if item.get("case"):
            case_total += 1
            top = answer.link.matters[0] if answer.link and answer.link.matters else None
            case_ok += bool(hit1 and top and top.case and top.case.id == item["case"])
        if baseline:
            b = baseline.rank(item["q"])
            base1 += bool(b) and b[0] in gold
            base3 += bool(gold & set(b[:3]))
        if not hit1:
            misses.append({"q": item["q"], "gold": item["matter"], "got": ranked[:3], "style": item.get("style")})
    seconds = time.perf_counter() - t0
    with_matter = sum(1 for i in items if "matter" in i)
    out: dict[str, Any] = {
        "set": name,
        "questions": n,
        "act_accuracy": round(act_ok / n, 4) if n else None,
        "refusals": refusals,
        "replies_without_pointer": no_pointer,
        "seconds": round(seconds, 2),
        "linker_ms_per_question": round(1000 * link_seconds / max(n, 1), 2),
        "act_confusions": dict(confusions.most_common(12)),
    }
    if with_matter:
        out.update(
            top1=round(top1 / with_matter, 4),
            top3=round(top3 / with_matter, 4),
            case_accuracy=round(case_ok / case_total, 4) if case_total else None,
            case_questions=case_total,
            baseline_bm25_names_top1=round(base1 / with_matter, 4),
            baseline_bm25_names_top3=round(base3 / with_matter, 4),
            first_reply={k: round(v / with_matter, 4) for k, v in sorted(first.items())},
            score_bands={
                f">={b}": {"n": n_, "top1": round(ok / n_, 3) if n_ else None} for b, (n_, ok) in bands.items()
            },
            misses=misses,
        )
    else:
        out["answered_with_pointer"] = round(referred / n, 4) if n else None
        if expect_total:
            # The reply names the place the question belongs to (the set's "expect" field).
            out["expected_place_named"] = round(expect_hit / expect_total, 4)
    return out


def table(results: list[dict[str, Any]]) -> str:
    head = f"{'set':<16}{'n':>5}{'top1':>7}{'top3':>7}{'情形':>7}{'act':>7}{'refuse':>7}{'nopoint':>8}{'BM25@1':>8}{'BM25@3':>8}{'ms/q':>7}"
    lines = [head, "-" * len(head)]

    def f(v: Any) -> str:
        return "—" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    for r in results:
        lines.append(
            f"{r['set']:<16}{r['questions']:>5}{f(r.get('top1')):>7}{f(r.get('top3')):>7}{f(r.get('case_accuracy')):>7}"
            f"{f(r['act_accuracy']):>7}{r['refusals']:>7}{r['replies_without_pointer']:>8}"
            f"{f(r.get('baseline_bm25_names_top1')):>8}{f(r.get('baseline_bm25_names_top3')):>8}{r['linker_ms_per_question']:>7}"
        )
    return "\n".join(lines)


async def main() -> int:
    import logging
    import warnings

    import structlog

    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))

    from bot.ask import Asker, load_agent
    from shouwen_core.catalog import load_catalog
    from shouwen_core.consult import Consultant

    t0 = time.perf_counter()
    agent = load_agent(MODEL)
    load_seconds = time.perf_counter() - t0
    sample = Consultant(load_catalog(ROOT / "catalog" / "sample_city"))
    sets = [("sample_city", sample), ("out_of_catalog", sample), ("not_a_matter", sample)]
    if GUANGDONG.exists():
        sets.insert(1, ("guangdong", Consultant(load_catalog(GUANGDONG))))
    else:
        print(f"guangdong set skipped: {GUANGDONG} absent (../shared/data is not beside the repository)")
    results = []
    wanted = set(sys.argv[1:])
    for name, core in sets:
        if wanted and name not in wanted:
            continue
        path = ROOT / "eval" / f"{name}.jsonl"
        if not path.exists():
            print(f"{name}: {path} missing, skipped")
            continue
        baseline = (
            NameBM25({m.id: m.name for m in core.catalog.matters}) if name in ("sample_city", "guangdong") else None
        )
        results.append(await run_set(name, read_set(path), Asker(agent, core), baseline))
    print(table(results))
    for r in results:
        if "expected_place_named" in r:
            print(f"{r['set']}: reply names the expected place for {r['expected_place_named']:.3f} of the questions")
        if "first_reply" in r:
            print(f"{r['set']} first reply: " + "  ".join(f"{k} {v:.3f}" for k, v in r["first_reply"].items()))
        if "score_bands" in r:
            cells = "  ".join(f"{k}: {v['top1']} (n={v['n']})" for k, v in r["score_bands"].items() if v["n"])
            print(f"{r['set']} top-1 accuracy by top score: {cells}")
    print(f"model load {load_seconds:.1f} s")
    out = ROOT / "reports" / "eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"model_load_seconds": round(load_seconds, 2), "sets": results}, ensure_ascii=False, indent=1)
    )
    print(f"written: {out.relative_to(ROOT)} (misses listed per set)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
