"""The matter linker: a question in a citizen's words → ranked catalog matters, the 情形, packages
and directory entries.

    question ─ normalize ─┬─ lexicon expansion (开饭店 → 食品经营许可)
                          ├─ pinyin initials (yyzz → 营业执照)
                          └─ GramIndex.rank over matters / packages / directory
                                  └─ case detection inside the best matter

It indexes the catalog when built, so a new or changed catalog takes effect on reload, without
training anything. Scores are in [0, 1]; `confident` and `ambiguous` use the thresholds below.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..catalog.model import Case, Catalog, Department, Matter, Package
from ..text import bigrams, initials, normalize
from .dense import DenseIndex
from .fusion import FusionModel, Raw, features
from .index import Doc, GramIndex, Hit
from .lexicon import Lexicon

if TYPE_CHECKING:
    from ..embed import Embedder

__all__ = ["CONFIDENT", "MARGIN", "PLAUSIBLE", "Candidate", "LinkResult", "Linker"]

logger = logging.getLogger(__name__)

# Scores are calibrated probabilities that the matter is the one meant (fusion.py); the three
# thresholds were chosen on the dev half of eval/ and are the same for every catalog.
# A top probability at or above CONFIDENT, ahead of the next by MARGIN, is taken as the matter.
CONFIDENT = 0.5
MARGIN = 0.06
# Below PLAUSIBLE no matter is offered as an answer; the question goes to a referral.
PLAUSIBLE = 0.2
# How many candidates each signal brings to the fused pool.
POOL = 15
# A directory entry's cosine maps onto the lexical scale between these two values.
DIRECTORY_COS = (0.80, 0.92)
# A case is taken by meaning when its cosine is this high and this far ahead of the next.
CASE_COS_MIN = 0.84
CASE_COS_MARGIN = 0.015

# A case is taken when its score reaches CASE_MIN, ahead of the next case by CASE_MARGIN.
CASE_MIN = 0.55
CASE_MARGIN = 0.1
_LATIN_RUN = re.compile(r"[a-z]{2,8}")
# Questions that ask to look something up, and the catalog's look-up services.
_LOOKUP = re.compile(r"查|进度|到哪|咨询|询问|打印")
_LOOKUP_MATTER = re.compile(r"(查询|咨询)")
LOOKUP_PENALTY = 0.8


@dataclass
class Candidate:
    matter: Matter
    score: float
    case: Case | None = None
    matched: str = ""
    lexical: float = 0.0  # the lexical score alone, on the scale packages and the directory use

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.matter.id,
            "name": self.matter.name,
            "score": self.score,
            "lexical": self.lexical,
        }
        if self.case:
            out["case"] = self.case.id
        return out


@dataclass
class LinkResult:
    question: str
    matters: list[Candidate] = field(default_factory=list)
    packages: list[tuple[Package, float]] = field(default_factory=list)
    departments: list[tuple[Department, float]] = field(default_factory=list)
    # Meaning: the best directory entry's cosine minus the best matter's (None without the dense
    # signal). Above DIRECTORY_GAP the question is nearer a service outside the catalog.
    directory_gap: float | None = None

    @property
    def top(self) -> Candidate | None:
        return self.matters[0] if self.matters else None

    @property
    def confident(self) -> bool:
        if not self.matters or self.matters[0].score < CONFIDENT:
            return False
        return len(self.matters) == 1 or self.matters[0].score - self.matters[1].score >= MARGIN

    @property
    def ambiguous(self) -> bool:
        """Several plausible matters, none clearly ahead: ask the person to choose."""
        return not self.confident and bool(self.matters) and self.matters[0].score >= PLAUSIBLE

    def as_dict(self) -> dict[str, object]:
        """Everything the answer needs, by id: what the NLU component hands to the actions."""
        return {
            "question": self.question,
            "matters": [{**c.as_dict(), "matched": c.matched} for c in self.matters],
            "packages": [{"id": p.id, "score": s} for p, s in self.packages],
            "departments": [{"id": d.id, "score": s} for d, s in self.departments],
            "directory_gap": self.directory_gap,
        }

    @property
    def package(self) -> Package | None:
        """A 一件事 package the question names whole (我要开饭店, 孩子出生了要办什么)."""
        if self.packages and self.packages[0][1] >= CONFIDENT:
            return self.packages[0][0]
        return None


def _matter_doc(m: Matter) -> Doc:
    return Doc(
        m.id,
        {
            "name": [m.name],
            "alias": list(m.aliases),
            "case": [c.name for c in m.cases] + [k for c in m.cases for k in c.keywords],
            "theme": list(m.themes) + list(m.life_events),
            "department": [m.department],
            "material": [x.name for x in m.materials],
        },
    )


_AUTO: Any = object()


class Linker:
    """`embedder`: the sentence embedder for the dense signal; by default the configured one
    (shouwen_core.embed), None for the lexical linker alone."""

    def __init__(self, catalog: Catalog, lexicon: Lexicon | None = None, embedder: Any = _AUTO) -> None:
        self.catalog = catalog
        self._order = {m.id: i for i, m in enumerate(catalog.matters)}
        # The catalog's look-up services ("…进度查询"), found once, not at every question.
        self._lookup_mask = np.array([bool(_LOOKUP_MATTER.search(m.name)) for m in catalog.matters], dtype=bool)
        if embedder is _AUTO:
            embedder = _configured_embedder()
        self.dense: DenseIndex | None = None
        if embedder is not None:
            self.dense = _dense_index(catalog, embedder)
        self.fusion = {False: FusionModel.load(dense=False), True: FusionModel.load(dense=True)}
        self.lexicon = lexicon or Lexicon.load()
        self.matters = GramIndex([_matter_doc(m) for m in catalog.matters])
        self.packages = GramIndex([Doc(p.id, {"name": [p.name], "alias": list(p.aliases)}) for p in catalog.packages])
        self.departments = GramIndex(
            [Doc(d.id, {"name": [d.name], "handles": list(d.handles)}) for d in catalog.departments]
        )
        self._packages = {p.id: p for p in catalog.packages}
        # Pinyin initials of short names and aliases, for abbreviations typed in latin letters.
        self.initials: dict[str, list[str]] = {}
        phrases = [t for e in self.lexicon.entries for t in (e.phrase, *e.terms)]
        for m in catalog.matters:
            phrases.extend([m.name, *m.aliases, *m.themes])
        for text in phrases:
            han = "".join(ch for ch in text if "\u3400" <= ch <= "\u9fff")
            if 2 <= len(han) <= 8:
                bucket = self.initials.setdefault(initials(han), [])
                if han not in bucket:
                    bucket.append(han)

    def restore(self, data: object, question: str) -> LinkResult | None:
        """The LinkResult `as_dict` gave for `question`, against this catalog; None when it was for
        another text or names something this catalog no longer has (link the question again)."""
        if not isinstance(data, dict) or data.get("question") not in (question, normalize(question)):
            return None
        result = LinkResult(str(data["question"]))
        try:
            for c in data["matters"]:
                matter = self.catalog.matter(c["id"])
                if matter is None:
                    return None
                case = matter.case(c["case"]) if c.get("case") else None
                result.matters.append(
                    Candidate(matter, float(c["score"]), case, str(c.get("matched", "")), float(c.get("lexical", 0.0)))
                )
            for p in data["packages"]:
                result.packages.append((self._packages[p["id"]], float(p["score"])))
            for d in data["departments"]:
                department = self.catalog.department(d["id"])
                if department is None:
                    return None
                result.departments.append((department, float(d["score"])))
            gap = data.get("directory_gap")
            result.directory_gap = None if gap is None else float(gap)
        except (KeyError, TypeError, ValueError):
            return None
        return result

    def expansions(self, question: str) -> list[str]:
        """Catalog terms the question implies: lexicon phrases and pinyin abbreviations."""
        norm = normalize(question)
        extra = self.lexicon.expand(norm)
        for run in _LATIN_RUN.findall(norm):
            for text in self.initials.get(run, [])[:3]:
                if text not in extra:
                    extra.append(text)
        return extra

    def query_vector(self, question: str) -> np.ndarray | None:
        """The question's sentence vector, or None while the dense signal is off or not ready."""
        if self.dense is None or not self.dense.ready:
            return None
        norm = normalize(question)
        if not norm:  # punctuation, emoji only: nothing to mean
            return None
        return self.dense.query(norm)

    @property
    def semantic(self) -> bool:
        return self.dense is not None and self.dense.ready

    def pool(
        self, question: str, qv: np.ndarray | None, extra: list[str] | None = None
    ) -> list[tuple[Matter, Raw, str]]:
        """The candidates both signals bring, with what each says of them (unfused); `extra` are
        the question's expansions when the caller has them already."""
        extra = self.expansions(question) if extra is None else extra
        looks_up = bool(_LOOKUP.search(normalize(question)))
        raws: dict[str, tuple[Matter, Raw, str]] = {}
        for hit in self.matters.rank(question, limit=POOL, extra=extra):
            matter = self.catalog.matter(hit.id)
            if matter is None:
                continue
            penalty = 1.0
            if not looks_up and _LOOKUP_MATTER.search(matter.name):
                # Catalogs list "…进度查询" / "…咨询" services beside the matter itself; a person
                # who does not ask to look something up wants the matter.
                penalty = LOOKUP_PENALTY
            raws[matter.id] = (matter, Raw(hit.score * penalty, hit.coverage, hit.phrase * penalty), hit.matched)
        if qv is not None and self.dense is not None:
            cos = self.dense.matter_cosines(qv)
            if not looks_up:
                cos[self._lookup_mask] -= 0.02
            k = min(POOL, len(cos))
            top = np.argpartition(-cos, k - 1)[:k] if k < len(cos) else range(len(cos))
            for i in top:
                m = self.catalog.matters[int(i)]
                if m.id not in raws:
                    raws[m.id] = (m, Raw(), "")
            for matter, raw, _ in raws.values():
                raw.cos = float(cos[self._order[matter.id]])
        return list(raws.values())

    def link(self, question: str, limit: int = 5) -> LinkResult:
        extra = self.expansions(question)
        result = LinkResult(question)
        qv = self.query_vector(question)
        pool = self.pool(question, qv, extra)
        dense = qv is not None
        model = self.fusion[dense]
        feats = features([raw for _, raw, _ in pool], dense)
        candidates = [
            Candidate(matter, round(model.prob(f), 4), None, matched, raw.lex)
            for (matter, raw, matched), f in zip(pool, feats, strict=True)
        ]
        candidates.sort(key=lambda c: (-c.score, c.matter.id))
        for c in candidates[:limit]:
            c.case = self.detect_case(c.matter, question, qv)
            result.matters.append(c)
        result.packages = self._resolve(self.packages.rank(question, limit=3, extra=extra), self._packages)
        departments = {
            h.id: (d, h.score)
            for h in self.departments.rank(question, limit=3, extra=extra)
            if (d := self.catalog.department(h.id)) is not None
        }
        if qv is not None and self.dense is not None:
            low, high = DIRECTORY_COS
            nearest = self.dense.departments(qv, limit=3)
            if nearest and pool:
                best_matter = max(raw.cos or 0.0 for _, raw, _ in pool)
                result.directory_gap = round(nearest[0][1] - best_matter, 4)
            for dept_id, cos in nearest:
                d = self.catalog.department(dept_id)
                score = round(min(max((cos - low) / (high - low), 0.0), 1.0), 4)
                if d is not None and score > departments.get(dept_id, (d, 0.0))[1]:
                    departments[dept_id] = (d, score)
        result.departments = sorted(departments.values(), key=lambda ds: -ds[1])[:3]
        return result

    def dense_rank(self, question: str, limit: int = 5) -> list[tuple[str, float]]:
        """The dense signal alone: matter ids by cosine (empty while it is off)."""
        qv = self.query_vector(question)
        if qv is None or self.dense is None:
            return []
        cos = self.dense.matter_cosines(qv)
        order = np.argsort(-cos)[:limit]
        return [(self.catalog.matters[int(i)].id, float(cos[i])) for i in order]

    @staticmethod
    def _resolve(hits: list[Hit], table: dict[str, Package]) -> list[tuple[Package, float]]:
        return [(table[h.id], h.score) for h in hits if h.id in table]

    def detect_case(self, matter: Matter, question: str, qv: np.ndarray | None = None) -> Case | None:
        """The 情形 the question tells: by its words (`lexical_case`), else by meaning."""
        case = self.lexical_case(matter, question)
        if case is not None or qv is None or self.dense is None or len(matter.cases) < 2:
            return case
        if sum(1 for c in matter.cases if normalize(c.name) and normalize(c.name) in normalize(question)) > 1:
            return None
        sims = self.dense.case_cosines(qv, matter.id, [c.id for c in matter.cases])
        order = sorted(range(len(sims)), key=lambda i: -sims[i])
        best, second = sims[order[0]], sims[order[1]]
        if best >= CASE_COS_MIN and best - second >= CASE_COS_MARGIN:
            return matter.cases[order[0]]
        return None

    @staticmethod
    def lexical_case(matter: Matter, question: str) -> Case | None:
        """The 情形 the question tells, or None when it does not tell one clearly.

        Each case scores its best phrase (name or keyword): 1 when said whole, else the share of
        its bigrams (of its characters, for phrases of two or three) found in the question; each
        further phrase found adds a little, so the case the question says most about wins."""
        if not matter.cases:
            return None
        norm = normalize(question)
        qgrams = set(bigrams(norm))
        scored: list[tuple[float, Case]] = []
        for case in matter.cases:
            hits = []
            for phrase in [case.name, *case.keywords]:
                p = normalize(phrase)
                if not p:
                    continue
                if p in norm:
                    hits.append(1.0)
                    continue
                units = set(p) if len(p) <= 3 else set(bigrams(p))
                found = units & (set(norm) if len(p) <= 3 else qgrams)
                if units:
                    hits.append(len(found) / len(units) * 0.8)
            hits.sort(reverse=True)
            score = (hits[0] if hits else 0.0) + 0.1 * sum(1 for h in hits[1:] if h >= 0.5)
            scored.append((score, case))
        scored.sort(key=lambda sc: -sc[0])
        if sum(1 for sc, _ in scored if sc >= 1.0) > 1:
            return None  # the person named two cases outright ("有限公司还是个人独资"): ask
        top, case = scored[0]
        runner_up = scored[1][0] if len(scored) > 1 else 0.0
        return case if top >= CASE_MIN and top - runner_up >= CASE_MARGIN else None


def _configured_embedder() -> Embedder | None:
    try:
        from ..embed import get_embedder
    except ImportError:  # pragma: no cover - the embed package is part of the core
        return None
    return get_embedder()


def _progress(done: int, total: int) -> None:
    if done == total or done % 1024 < 64:
        logger.info("embedding the catalog: %d / %d passages", done, total)


def _dense_index(catalog: Catalog, embedder: Embedder) -> DenseIndex:
    """The catalog's dense index through the on-disk vector cache, built now when every passage
    is cached and in the background otherwise."""
    passages: Callable[[Sequence[str]], np.ndarray] = embedder.encode_passages
    lookup = None
    try:
        from ..embed import VectorCache

        cache = VectorCache(embedder)
        lookup = cache.lookup

        def passages(texts: Sequence[str]) -> np.ndarray:
            return cache.passages(texts, progress=_progress)

    except Exception as exc:  # no cache: embed directly
        logger.warning("vector cache unavailable, embedding without it: %s", exc)
    index = DenseIndex(catalog, embedder, passages=passages, lookup=lookup)
    index.start()
    return index
