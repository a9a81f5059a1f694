"""Question → matter linking: the gram index, the colloquial lexicon and the linker."""

from .index import Doc, GramIndex, Hit
from .lexicon import Lexicon
from .linker import CONFIDENT, MARGIN, PLAUSIBLE, Candidate, Linker, LinkResult

__all__ = [
    "CONFIDENT",
    "MARGIN",
    "PLAUSIBLE",
    "Candidate",
    "Doc",
    "GramIndex",
    "Hit",
    "Lexicon",
    "LinkResult",
    "Linker",
]
