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

import re
from dataclasses import dataclass, field

from ..catalog.model import Case, Catalog, Department, Matter, Package
from ..text import bigrams, initials, normalize
from .index import Doc, GramIndex, Hit
from .lexicon import Lexicon

__all__ = ["CONFIDENT", "MARGIN", "PLAUSIBLE", "Candidate", "LinkResult", "Linker"]

# A top score at or above CONFIDENT, ahead of the next by MARGIN, is taken as the matter.
CONFIDENT = 0.5
MARGIN = 0.06
# Below PLAUSIBLE no matter is offered as an answer; the question goes to a referral.
PLAUSIBLE = 0.3

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

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"id": self.matter.id, "name": self.matter.name, "score": self.score}
        if self.case:
            out["case"] = self.case.id
        return out


@dataclass
class LinkResult:
    question: str
    matters: list[Candidate] = field(default_factory=list)
    packages: list[tuple[Package, float]] = field(default_factory=list)
    departments: list[tuple[Department, float]] = field(default_factory=list)

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


class Linker:
    def __init__(self, catalog: Catalog, lexicon: Lexicon | None = None) -> None:
        self.catalog = catalog
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
        if not isinstance(data, dict) or data.get("question") != question:
            return None
        result = LinkResult(question)
        try:
            for c in data["matters"]:
                matter = self.catalog.matter(c["id"])
                if matter is None:
                    return None
                case = matter.case(c["case"]) if c.get("case") else None
                result.matters.append(Candidate(matter, float(c["score"]), case, str(c.get("matched", ""))))
            for p in data["packages"]:
                result.packages.append((self._packages[p["id"]], float(p["score"])))
            for d in data["departments"]:
                department = self.catalog.department(d["id"])
                if department is None:
                    return None
                result.departments.append((department, float(d["score"])))
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

    def link(self, question: str, limit: int = 5) -> LinkResult:
        extra = self.expansions(question)
        result = LinkResult(question)
        looks_up = bool(_LOOKUP.search(normalize(question)))
        candidates = []
        for hit in self.matters.rank(question, limit=limit * 3, extra=extra):
            matter = self.catalog.matter(hit.id)
            if matter is None:
                continue
            score = hit.score
            if not looks_up and _LOOKUP_MATTER.search(matter.name):
                # Catalogs list "…进度查询" / "…咨询" services beside the matter itself; a person
                # who does not ask to look something up wants the matter.
                score = round(score * LOOKUP_PENALTY, 4)
            candidates.append(Candidate(matter, score, None, hit.matched))
        candidates.sort(key=lambda c: (-c.score, c.matter.id))
        for c in candidates[:limit]:
            c.case = self.detect_case(c.matter, question)
            result.matters.append(c)
        result.packages = self._resolve(self.packages.rank(question, limit=3, extra=extra), self._packages)
        result.departments = [
            (d, h.score)
            for h in self.departments.rank(question, limit=3, extra=extra)
            if (d := self.catalog.department(h.id)) is not None
        ]
        return result

    @staticmethod
    def _resolve(hits: list[Hit], table: dict[str, Package]) -> list[tuple[Package, float]]:
        return [(table[h.id], h.score) for h in hits if h.id in table]

    @staticmethod
    def detect_case(matter: Matter, question: str) -> Case | None:
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
