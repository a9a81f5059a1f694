"""`make eval`: the question → matter evaluation, side by side with a naive baseline.

For each set in eval/ (written by the team, kept apart from nlu_data/ and the lexicon):
  sample_city.jsonl   questions on the sample city catalog       → top-1, top-3, 情形, act accuracy
  guangdong.jsonl     questions on the imported Guangdong export → the same (skipped if ../shared is absent)
  guangdong_heldout   more Guangdong questions, never used to fit the fusion
  out_of_catalog(_guangdong), not_a_matter                        → act accuracy, place named, handled
Every set: what the citizen reads first (right / choice / fallback / misroute), replies with a
refusal phrase, replies without a concrete pointer. Beside the hybrid linker, in the same run on
the same parses: the lexical-only linker's first reply and top-1, the dense model's top-1 alone
and a character-bigram BM25 over matter names. The goals of issue 13 are printed met / NOT met.
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


# A reply presenting a matter: for a question that is about none, that is not handling it.
MATTER_KINDS = ("card", "case_choice", "matter_choice", "package", "follow_up")


def first_kind(answer: Any, gold: set[str]) -> str:
    """What the citizen reads first: right (card / 情形 question / follow-up about the gold),
    a choice containing it, the generic 12345 fallback, or a reply about another matter."""
    offered = {b.value for r in answer.replies for b in r.buttons}
    if answer.kind in ("card", "case_choice", "follow_up"):
        return "right" if answer.matter and answer.matter.id in gold else "misroute"
    if answer.kind == "matter_choice":
        return "choice_with_gold" if gold & offered else "choice_without_gold"
    if answer.kind == "referral" and len(answer.replies) == 1:
        return "generic_fallback"
    return str(answer.kind)


async def run_set(
    name: str, items: list[dict[str, Any]], asker: Any, baseline: NameBM25 | None, lexical: Any = None
) -> dict[str, Any]:
    """One set through the model and the core; `lexical` (a Consultant without the dense signal)
    answers the same parses beside it, so the gain of the dense signal is measured in one run."""
    from shouwen_core import turn
    from shouwen_core.guard import REFUSALS, has_pointer

    n = len(items)
    top1 = top3 = act_ok = refusals = no_pointer = 0
    case_total = case_ok = 0
    base1 = base3 = 0
    referred = 0
    expect_total = expect_hit = 0
    confusions: Counter[str] = Counter()
    first: Counter[str] = Counter()
    first_lexical: Counter[str] = Counter()
    lex1 = dense1 = handled = 0
    bands: dict[float, list[int]] = {b: [0, 0] for b in BANDS}
    misses: list[dict[str, Any]] = []
    link_seconds = 0.0
    t0 = time.perf_counter()
    for item in items:
        answer, act, parse = await asker.answer_parsed(item["q"])
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
            handled += answer.kind not in MATTER_KINDS and has_pointer(answer.replies)
            continue
        gold = {item["matter"], *item.get("also", [])}
        first[first_kind(answer, gold)] += 1
        if lexical is not None:
            # Without the NLU's own (hybrid) link, which the turn function would otherwise reuse.
            lex_answer = turn.answer(lexical, item["q"], {k: v for k, v in parse.items() if k != "link"})
            first_lexical[first_kind(lex_answer, gold)] += 1
            lex_ranked = [c.matter.id for c in lex_answer.link.matters] if lex_answer.link else []
            lex1 += bool(lex_ranked) and lex_ranked[0] in gold
            dense_ranked = asker.core.linker.dense_rank(item["q"], limit=1)
            dense1 += bool(dense_ranked) and dense_ranked[0][0] in gold
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
            first_reply_right=round(first["right"] / with_matter, 4),
            score_bands={
                f">={b}": {"n": n_, "top1": round(ok / n_, 3) if n_ else None} for b, (n_, ok) in bands.items()
            },
            misses=misses,
        )
        if lexical is not None:
            out.update(
                lexical_top1=round(lex1 / with_matter, 4),
                dense_only_top1=round(dense1 / with_matter, 4),
                lexical_first_reply={k: round(v / with_matter, 4) for k, v in sorted(first_lexical.items())},
            )
    else:
        out["answered_with_pointer"] = round(referred / n, 4) if n else None
        # Handled: the reply points somewhere concrete and presents no matter it is not about.
        out["handled"] = round(handled / n, 4) if n else None
        if expect_total:
            # The reply names the place the question belongs to (the set's "expect" field).
            out["expected_place_named"] = round(expect_hit / expect_total, 4)
    return out


def table(results: list[dict[str, Any]]) -> str:
    cols = [
        ("n", "questions"), ("right", "first_reply_right"), ("lex.right", None), ("top1", "top1"),
        ("lex@1", "lexical_top1"), ("dense@1", "dense_only_top1"), ("BM25@1", "baseline_bm25_names_top1"),
        ("top3", "top3"), ("情形", "case_accuracy"), ("act", "act_accuracy"), ("handled", "handled"),
        ("place", "expected_place_named"), ("refuse", "refusals"), ("ms/q", "linker_ms_per_question"),
    ]  # fmt: skip
    head = f"{'set':<26}" + "".join(f"{c:>9}" for c, _ in cols)
    lines = [head, "-" * len(head)]

    def f(v: Any) -> str:
        return "—" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    for r in results:
        cells = []
        for label, key in cols:
            v = r.get("lexical_first_reply", {}).get("right") if label == "lex.right" else r.get(key or "")
            cells.append(f"{f(v):>9}")
        lines.append(f"{r['set']:<26}" + "".join(cells))
    return "\n".join(lines)


# Issue 13's goals, on every set that has the figure: (label, key, bound, higher is better).
GOALS = (
    ("first reply right", "first_reply_right", 0.90, True),
    ("in-catalog generic fallback", "fallback", 0.02, False),
    ("misroute", "misroute", 0.02, False),
    ("top-1", "top1", 0.92, True),
    ("top-3", "top3", 0.98, True),
    ("情形", "case_accuracy", 0.90, True),
    ("act", "act_accuracy", 0.90, True),
    ("out-of-catalog place named", "expected_place_named", 0.85, True),
    ("not-a-matter handled", "handled", 0.90, True),
)


def goals(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for r in results:
        fr = r.get("first_reply", {})
        values = {**r, "fallback": fr.get("generic_fallback", 0.0) if fr else None}
        values["misroute"] = fr.get("misroute", 0.0) if fr else None
        for label, key, bound, higher in GOALS:
            v = values.get(key)
            if v is None or (key == "handled" and r["set"] != "not_a_matter"):
                continue
            ok = v >= bound if higher else v <= bound
            lines.append(
                f"  {r['set']:<26}{label:<30}{v:>7.3f}  {'≥' if higher else '≤'} {bound:.2f}  {'met' if ok else 'NOT met'}"
            )
        lines.append(
            f"  {r['set']:<26}{'refusal phrases':<30}{r['refusals']:>7}  = 0     {'met' if r['refusals'] == 0 else 'NOT met'}"
        )
    return lines


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
    from shouwen_core.linker import Linker

    t0 = time.perf_counter()
    agent = load_agent(MODEL)
    load_seconds = time.perf_counter() - t0
    print(f"model loaded in {load_seconds:.1f} s", flush=True)
    catalogs: dict[str, Any] = {"sample_city": load_catalog(ROOT / "catalog" / "sample_city")}
    # set → the catalog it is asked on
    sets = [("sample_city", "sample_city"), ("out_of_catalog", "sample_city"), ("not_a_matter", "sample_city")]
    if GUANGDONG.exists():
        catalogs["guangdong"] = load_catalog(GUANGDONG)
        sets[1:1] = [("guangdong", "guangdong"), ("guangdong_heldout", "guangdong")]
        sets.insert(4, ("out_of_catalog_guangdong", "guangdong"))
    else:
        print(f"guangdong sets skipped: {GUANGDONG} absent (../shared/data is not beside the repository)")
    cores: dict[str, tuple[Any, Any]] = {}
    for key, catalog in catalogs.items():
        hybrid = Consultant(catalog)
        if hybrid.linker.dense is not None:
            t = time.perf_counter()
            hybrid.linker.dense.wait()
            print(f"{key}: dense index ready in {time.perf_counter() - t:.1f} s", flush=True)
        else:
            print(f"{key}: no embedder, lexical only", flush=True)
        cores[key] = (hybrid, Consultant(catalog, Linker(catalog, embedder=None)))
    results = []
    wanted = set(sys.argv[1:])
    for name, key in sets:
        if wanted and name not in wanted:
            continue
        path = ROOT / "eval" / f"{name}.jsonl"
        if not path.exists():
            print(f"{name}: {path} missing, skipped")
            continue
        core, lexical = cores[key]
        items = read_set(path)
        has_matters = any("matter" in i for i in items)
        baseline = NameBM25({m.id: m.name for m in core.catalog.matters}) if has_matters else None
        print(f"{name}: {len(items)} questions on {key} …", flush=True)
        results.append(await run_set(name, items, Asker(agent, core), baseline, lexical if has_matters else None))
    print(table(results))
    for r in results:
        if "first_reply" in r:
            print(f"{r['set']} first reply: " + "  ".join(f"{k} {v:.3f}" for k, v in r["first_reply"].items()))
        if "lexical_first_reply" in r:
            cells = "  ".join(f"{k} {v:.3f}" for k, v in r["lexical_first_reply"].items())
            print(f"{r['set']} first reply, lexical linker only: {cells}")
        if "score_bands" in r:
            cells = "  ".join(f"{k}: {v['top1']} (n={v['n']})" for k, v in r["score_bands"].items() if v["n"])
            print(f"{r['set']} top-1 accuracy by top score: {cells}")
    print("goals:")
    print("\n".join(goals(results)))
    out = ROOT / "reports" / "eval.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"model_load_seconds": round(load_seconds, 2), "sets": results}, ensure_ascii=False, indent=1)
    )
    print(f"written: {out.relative_to(ROOT)} (misses listed per set)")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
