"""The colloquial lexicon: how people say things (开饭店, 上户口, yyzz, passport) → catalog terms.

The lexicon lives in shouwen/lexicon/*.tsv, maintained by hand, one `phrase<TAB>term|term` a line;
it names catalog vocabulary, never matter ids, so it serves any imported catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..text import normalize

__all__ = ["DEFAULT_LEXICON_DIR", "Lexicon"]

DEFAULT_LEXICON_DIR = Path(__file__).resolve().parent.parent / "lexicon"


@dataclass(frozen=True)
class _Entry:
    phrase: str
    terms: tuple[str, ...]
    pattern: re.Pattern[str] | None  # latin phrases match on word boundaries


class Lexicon:
    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries: list[_Entry] = []
        for phrase, terms in entries.items():
            norm = normalize(phrase)
            pattern = re.compile(rf"(?<![a-z]){re.escape(norm)}(?![a-z])") if norm.isascii() else None
            self.entries.append(_Entry(norm, tuple(terms), pattern))
        # Longest first, so that 身份证丢 is seen before 身份证 (both may apply).
        self.entries.sort(key=lambda e: -len(e.phrase))

    @classmethod
    def load(cls, folder: Path = DEFAULT_LEXICON_DIR) -> Lexicon:
        entries: dict[str, list[str]] = {}
        for path in sorted(folder.glob("*.tsv")):
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip() or line.startswith("#") or "\t" not in line:
                    continue
                phrase, terms = line.split("\t", 1)
                entries.setdefault(phrase.strip(), []).extend(t.strip() for t in terms.split("|") if t.strip())
        return cls(entries)

    def expand(self, normalized_question: str) -> list[str]:
        """Catalog terms for the colloquial phrases found in an already normalised question."""
        found: list[str] = []
        for e in self.entries:
            hit = e.pattern.search(normalized_question) if e.pattern else e.phrase in normalized_question
            if hit:
                found.extend(t for t in e.terms if t not in found)
        return found
