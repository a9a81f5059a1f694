"""A small inverted index over character bigrams and pinyin syllable pairs, with field weights.

Documents are matters, packages or directory entries: an id and named fields of short texts
(name, aliases, cases, themes, department, materials). Ranking a question costs a walk over
the postings of its own grams, never a scan of every document, so it stays fast on catalogs of
tens of thousands of matters.

Score of a document d for a question q (both normalised), each part in [0, 1]:
    coverage(q, d) = Σ idf(g) · w(best field of d holding g) over the grams g of q, divided by Σ idf(g)
    phrase(q, d)   = max over d's short texts t of  Σ idf(g ∈ t ∩ q) / Σ idf(g ∈ t)
    score          = 0.8 · coverage + 0.2 · phrase · w(field of t)   (weights measured on a dev half of eval/)
`phrase` rewards a name or alias said almost whole; `coverage` rewards the words of the
question that the document explains. Grams that occur in nearly every question
(什么, 怎么, 需要 ...) are stop-grams and weigh nothing.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from ..text import bigrams, normalize, pinyin_words, syllables

__all__ = ["FIELD_WEIGHTS", "STOP_GRAMS", "Doc", "GramIndex", "Hit"]

# How much a gram found in each field counts; names and the ways people say it count most.
FIELD_WEIGHTS: dict[str, float] = {
    "name": 1.0,
    "alias": 1.0,
    "case": 0.8,
    "theme": 0.55,
    "department": 0.35,
    "material": 0.3,
    "handles": 0.9,
}
# Fields whose texts count as phrases for `phrase` (short, said whole).
PHRASE_FIELDS = ("name", "alias", "theme", "handles")
# score = COVERAGE_WEIGHT · coverage + (1 − COVERAGE_WEIGHT) · phrase
COVERAGE_WEIGHT = 0.8
# How much a phrase shared by k documents is weakened: its mass grows by 1 + this · ln k.
SHARED_PHRASE_DISCOUNT = 0.3
# A phrase said only through the lexicon or an abbreviation counts this much of one said outright.
EXPANSION_TRUST = 0.7
# Pinyin grams catch homophone typos (户照→护照) but count less than characters.
PINYIN_WEIGHT = 0.8
# Question words and fillers: present in questions about anything.
STOP_GRAMS = frozenset(
    """什么 怎么 怎样 如何 哪里 哪儿 那里 需要 要办 办理 我要 我想 想要 请问 你好 咨询 一下 可以 能不
    不能 多少 多久 时间 要多 需不 是否 有没 没有 哪些 应该 是不 去哪 在哪 要带 带什 么证 么材 材料
    手续 流程 办事 办个 办一 个证 的证 了怎 么办 咋办 么弄 应该 一个 这个 那个 我的 他的 们的
    请帮 帮我 谢谢 问下 问一 下吗 吗? 呢? 了吗 的话 还有 以及 然后 如果 现在 找谁 了找 找哪 哪个 部门 该找
    管吗 谁管 归谁""".split()
)


@dataclass
class Doc:
    id: str
    fields: dict[str, list[str]]


@dataclass
class Hit:
    id: str
    score: float
    coverage: float
    phrase: float
    matched: str = ""  # the short text that matched best (for explanations)


@dataclass
class _Phrase:
    text: str
    fname: str
    grams: dict[str, float] = field(default_factory=dict)  # gram -> idf weight
    mass: float = 0.0


def _grams(text: str) -> list[str]:
    """Character bigrams and, for the Chinese ones, their pinyin (~syllable+syllable)."""
    grams = []
    for g in bigrams(text):
        if g in STOP_GRAMS:
            continue
        grams.append(g)
        syl = syllables(g)
        if len(syl) == 2:
            grams.append("~" + syl[0] + syl[1])
    for run in pinyin_words(text):  # full pinyin typed in latin letters
        grams.extend("~" + a + b for a, b in itertools.pairwise(run))
    return grams


# One question is ranked against three indexes (matters, packages, directory): its grams once.
_question_grams = functools.lru_cache(maxsize=1024)(_grams)


def _weight(gram: str, idf: float) -> float:
    return idf * PINYIN_WEIGHT if gram.startswith("~") else idf


class GramIndex:
    """Index documents once; `rank(question)` returns the best hits, highest score first."""

    def __init__(self, docs: list[Doc]) -> None:
        self.docs = {d.id: d for d in docs}
        postings: dict[str, dict[str, float]] = defaultdict(dict)
        phrases: dict[str, list[_Phrase]] = defaultdict(list)
        raw_phrases: list[tuple[str, str, str, list[str]]] = []
        for doc in docs:
            for fname, texts in doc.fields.items():
                w = FIELD_WEIGHTS.get(fname, 0.3)
                if w <= 0:
                    continue
                for text in texts:
                    norm = normalize(text)
                    grams = _grams(norm)
                    for g in grams:
                        if postings[g].get(doc.id, 0.0) < w:
                            postings[g][doc.id] = w
                    if fname in PHRASE_FIELDS and grams:
                        raw_phrases.append((doc.id, fname, norm, grams))
        n = max(len(docs), 1)
        self.idf = {g: math.log(1 + n / len(p)) for g, p in postings.items()}
        # A gram of the question that no document has still counts in the question's mass: the
        # question says something the catalog does not explain (停电 in 停电了找谁).
        self.unknown_idf = math.log(1 + n)
        # Postings as arrays of document numbers and field weights: a question's grams are summed
        # into one score vector with numpy, which keeps 20,000-matter catalogs within milliseconds.
        self._ids = list(self.docs)
        number = {doc_id: i for i, doc_id in enumerate(self._ids)}
        self.postings = {
            g: (
                np.fromiter((number[d] for d in p), dtype=np.int32, count=len(p)),
                np.fromiter(p.values(), dtype=np.float32, count=len(p)),
            )
            for g, p in postings.items()
        }
        # A phrase many documents share (a catalog-wide alias such as 申办公证服务指引) tells
        # them apart less than one of their own.
        shared = Counter(norm for doc_id, _f, norm, _g in {(d, f, t, "") for d, f, t, _ in raw_phrases})
        for doc_id, fname, norm, grams in raw_phrases:
            ph = _Phrase(norm, fname, {g: _weight(g, self.idf[g]) for g in set(grams)})
            ph.mass = sum(ph.grams.values()) * (1 + SHARED_PHRASE_DISCOUNT * math.log(shared[norm]))
            phrases[doc_id].append(ph)
        self.phrases = dict(phrases)

    def __len__(self) -> int:
        return len(self.docs)

    def rank(self, question: str, limit: int = 5, extra: list[str] | None = None) -> list[Hit]:
        """Rank documents for a question; `extra` are expansion texts (lexicon, initials)."""
        texts = [normalize(question)] + [normalize(e) for e in (extra or [])]
        qgrams: dict[str, float] = {}
        trust: dict[str, float] = {}  # 1 for what the person wrote, less for expansions
        unknown: dict[str, float] = {}
        for i, text in enumerate(texts):
            factor = 1.0 if i == 0 else EXPANSION_TRUST
            for g in _question_grams(text):
                if g in self.idf:
                    qgrams[g] = max(qgrams.get(g, 0.0), _weight(g, self.idf[g]) * factor)
                    trust[g] = max(trust.get(g, 0.0), factor)
                elif i == 0 and not g.startswith("~"):
                    # Half weight: many unknown grams straddle two words (换领身份证 → 领身).
                    unknown[g] = 0.5 * self.unknown_idf
        total = sum(qgrams.values()) + sum(unknown.values())
        if not qgrams:
            return []
        acc = np.zeros(len(self._ids), dtype=np.float32)
        for g, wq in qgrams.items():
            docs, weights = self.postings[g]
            acc[docs] += weights * np.float32(wq)  # a gram lists a document once: no repeated index
        # Only the best candidates by coverage get the (dearer) phrase score.
        k = min(max(limit * 8, 40), len(acc))
        top = np.argpartition(-acc, k - 1)[:k] if k < len(acc) else np.arange(len(acc))
        shortlist = [(self._ids[i], float(acc[i])) for i in top if acc[i] > 0]
        asked = trust.keys()
        hits = []
        for doc_id, cov_mass in shortlist:
            coverage = min(cov_mass / total, 1.0)
            best, best_text = 0.0, ""
            for ph in self.phrases.get(doc_id, ()):
                if ph.mass <= 0:
                    continue
                shared = ph.grams.keys() & asked
                if not shared:
                    continue
                got = sum(ph.grams[g] * trust[g] for g in shared) / ph.mass
                got *= FIELD_WEIGHTS[ph.fname]
                if got > best:
                    best, best_text = got, ph.text
            score = COVERAGE_WEIGHT * coverage + (1 - COVERAGE_WEIGHT) * best
            hits.append(Hit(doc_id, round(score, 4), round(coverage, 4), round(best, 4), best_text))
        hits.sort(key=lambda h: (-h.score, h.id))
        return hits[:limit]
