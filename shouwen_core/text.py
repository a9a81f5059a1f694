"""Text normalisation shared by the NLU components, the linker and the importers.

normalize(text)  traditional → simplified (OpenCC t2s), full-width → half-width (NFKC),
                 lower case, control characters and emoji dropped, runs of spaces and
                 punctuation collapsed. Chinese punctuation is kept as a separator.
han_only(text)   the Chinese characters, digits and latin letters only, for n-grams.
bigrams(text)    overlapping character bigrams of han_only(text).
initials(text)   pinyin initials of the Chinese characters ("营业执照" → "yyzz").
ordinal(text)    the position a reply like "2", "第二个" or "我选第二个" names (buttons, WeChat's numbered choices).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

__all__ = ["MAX_MESSAGE_CHARS", "bigrams", "han_only", "initials", "normalize", "ordinal", "simplified", "syllables"]

# The one limit on a message: the gateway cuts a longer one there, once, and tells the person
# (connectors/conversation.py, T.MESSAGE_CUT); no question needs more, and the cost of linking
# stays bounded whatever a sender pastes. `normalize` holds to it too, for callers without a gateway.
MAX_MESSAGE_CHARS = 2000

_SPACES = re.compile(r"\s+")
_REPEATED_PUNCT = re.compile(r"([!?.,;:~，。！？；：、…—·])\1+")
_KEEP = re.compile(r"[0-9a-z\u3400-\u9fff]+")


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc  # heavy: loaded on first use

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text with traditional characters made simplified, nothing else changed."""
    return str(_t2s().convert(text))


def _keep_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    # Cc/Cf: control and format characters; So/Sk: symbols and emoji; Co/Cs: private/surrogates.
    return not (cat in ("Cc", "Cf", "Co", "Cs", "So", "Sk") and ch not in "\n\t")


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Simplified, half-width, lower-case text without noise; safe on any str. A question is
    normalised by several steps of one turn (linker, case, expansions): the last few are kept."""
    if not text:
        return ""
    text = text[:MAX_MESSAGE_CHARS]
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if _keep_char(ch))
    text = _t2s().convert(text).lower()
    text = _REPEATED_PUNCT.sub(r"\1", text)
    return _SPACES.sub(" ", text).strip()


_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# A reply that says a position and nothing else: "1", "一", "第二个", "选2", "我选第一个",
# "就选第三个吧", "3." (normalised first: "１", "第一種", "選2" read the same).
_ORDINAL = re.compile(
    r"(?:我|就)*(?:要|选)?第?\s*([1-9]\d?|[一二两三四五六七八九十])\s*(?:个|项|种|条|号)?\s*吧?[.。、,，!！]?"
)


def ordinal(text: str) -> int | None:
    """The position (from 1) a reply to a list of choices names, or None when the message says
    more than that ("一下", "第二梦", "12345"): the caller only reads it against what was offered."""
    m = _ORDINAL.fullmatch(normalize(text))
    if not m:
        return None
    token = m.group(1)
    return int(token) if token.isdigit() else _NUMERALS[token]


def han_only(text: str) -> str:
    """Chinese characters, digits and latin letters of already normalised text."""
    return "".join(_KEEP.findall(text))


def bigrams(text: str) -> list[str]:
    """Overlapping character bigrams per run of kept characters (no bigram across punctuation)."""
    grams: list[str] = []
    for run in _KEEP.findall(text):
        if len(run) == 1:
            grams.append(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@lru_cache(maxsize=65536)
def initials(text: str) -> str:
    """Pinyin initials of the Chinese characters in text: 营业执照 → yyzz."""
    from pypinyin import Style, lazy_pinyin

    han = "".join(ch for ch in text if "\u3400" <= ch <= "\u9fff")
    return "".join(p[0] for p in lazy_pinyin(han, style=Style.FIRST_LETTER) if p)


@lru_cache(maxsize=65536)
def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin syllables of the Chinese characters (for homophone typos)."""
    from pypinyin import lazy_pinyin

    han = "".join(ch for ch in text if "\u3400" <= ch <= "\u9fff")
    return tuple(lazy_pinyin(han))


@lru_cache(maxsize=1)
def _syllable_set() -> frozenset[str]:
    from pypinyin.constants import PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal

    return frozenset(to_normal(p) for v in PINYIN_DICT.values() for p in v.split(","))


_LATIN_WORDS = re.compile(r"[a-z]+(?:\s+[a-z]+)*")


def _segment(word: str, known: frozenset[str]) -> list[str] | None:
    """Split a latin word into pinyin syllables, None when it is not pinyin. Inside a word no
    syllable starts with a, o or e (pinyin writes an apostrophe there): biangeng → bian geng."""
    best: dict[int, list[str] | None] = {len(word): []}
    for i in range(len(word) - 1, -1, -1):
        best[i] = None
        if i > 0 and word[i] in "aoe":
            continue
        for j in range(min(len(word), i + 6), i, -1):
            rest = best.get(j)
            if word[i:j] in known and rest is not None and (best[i] is None or len(rest) + 1 < len(best[i] or [])):
                best[i] = [word[i:j], *rest]
    return best[0]


def pinyin_words(text: str) -> list[tuple[str, ...]]:
    """Runs of full pinyin typed in latin letters ("shebao canbao" → ("she", "bao", "can", "bao")).

    A run counts only when every word in it splits into syllables and it has two or more, so
    English words rarely pass (passport, license do not split)."""
    known = _syllable_set()
    runs: list[tuple[str, ...]] = []
    for match in _LATIN_WORDS.finditer(text):
        syl: list[str] = []
        for word in match.group(0).split():
            parts = _segment(word, known)
            if parts is None:
                if len(syl) >= 2:
                    runs.append(tuple(syl))
                syl = []
                continue
            syl.extend(parts)
        if len(syl) >= 2:
            runs.append(tuple(syl))
    return runs
