"""Turning 申请材料 text into Material items.

Two inputs reach here:

- a block that lists several materials: an export's HTML or numbered text
  ("1.身份证；2.户口簿", "<p>（一）申请表</p><p>（二）照片</p>"); `split_materials`
  cuts it into one line per material;
- one line per material, which `parse_material` reads. A line is a name, optionally
  followed by details in one of two forms (docs/catalog-template.md):

      居民身份证（原件1份）                      details in a trailing bracket
      户口簿|原件和复印件|1|纸质|容缺            details after "|" (template cells only)

  Details are recognised by their words, in any order: a form (原件, 复印件, 原件和复印件,
  电子证照), copies ("2份", or a bare number after "|"), a medium (纸质, 电子, 纸质或电子),
  容缺, 非必要/视情况 (not required), 必要, a download link, "备注:…". A trailing bracket is
  read as details only when every word in it is such a detail, so "身份证明（正反面）" keeps
  its bracket as part of the name.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..model import Material
from .clean import clean_name, clean_text, cn_number, strip_numbering

__all__ = ["ParsedMaterial", "parse_material", "split_materials"]

_FORMS = {
    "原件和复印件": "原件和复印件",
    "原件及复印件": "原件和复印件",
    "原件与复印件": "原件和复印件",
    "原件": "原件",
    "复印件": "复印件",
    "复印": "复印件",
    "电子证照": "电子证照",
}
_MEDIA = {"纸质或电子": "纸质或电子", "纸质/电子": "纸质或电子", "纸质": "纸质", "电子版": "电子", "电子": "电子"}
_TOLERANCE = ("容缺受理", "可容缺", "容缺")
_OPTIONAL = ("非必要", "非必须", "视情况提供", "视情况", "选交", "选填", "如有")
_REQUIRED = ("必要", "必须", "必交")

_NUM = r"(?:\d+|[一两二三四五六七八九十]+)"
_COPIES = re.compile(rf"各?({_NUM})份")


def _alternation(words: list[str]) -> str:
    # Longest first, so that 原件和复印件 wins over 原件 and 电子证照 over 电子.
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_DETAIL_WORD = re.compile(
    "(?:" + _alternation([*_FORMS, *_MEDIA, *_TOLERANCE, *_OPTIONAL, *_REQUIRED]) + rf"|各?{_NUM}份)"
)
_SEPARATORS = re.compile(r"[\s，,、；;/]+")
_TRAILING_BRACKET = re.compile(r"^(?P<name>.+?)\s*[（(](?P<details>[^（）()]+)[）)]$")
_URL = re.compile(r"^https?://\S+$")
_NOTE_PREFIX = re.compile(r"^(?:备注|说明|注)\s*[:：]\s*")


@dataclass
class ParsedMaterial:
    """One material and the detail words that could not be read (for the report)."""

    material: Material
    unknown: list[str] = field(default_factory=list)


def _apply_word(material: Material, word: str) -> None:
    if word in _FORMS:
        form = _FORMS[word]
        # 原件 and 复印件 named separately ("原件、复印件") mean both.
        if material.form and material.form != form and {material.form, form} <= {"原件", "复印件"}:
            form = "原件和复印件"
        material.form = form
    elif word in _MEDIA:
        material.medium = _MEDIA[word]
    elif word in _TOLERANCE:
        material.tolerance = True
    elif word in _OPTIONAL:
        material.required = False
    elif word in _REQUIRED:
        material.required = True
    else:
        copies = _COPIES.fullmatch(word)
        if copies:
            material.copies = cn_number(copies.group(1))


def _detail_words(text: str) -> list[str] | None:
    """The detail words of text, or None if anything in it is not a detail word."""
    words: list[str] = []
    for chunk in _SEPARATORS.split(text):
        if not chunk:
            continue
        pos = 0
        for match in _DETAIL_WORD.finditer(chunk):
            if match.start() != pos:
                return None
            words.append(match.group())
            pos = match.end()
        if pos != len(chunk):
            return None
    return words or None


def _apply_token(material: Material, token: str, unknown: list[str]) -> None:
    """One "|"-separated detail of a template cell."""
    if _URL.match(token):
        material.download = token
    elif token.isdigit():
        material.copies = int(token)
    elif _NOTE_PREFIX.match(token):
        note = _NOTE_PREFIX.sub("", token)
        material.notes = f"{material.notes}；{note}" if material.notes else note
    else:
        words = _detail_words(token)
        if words is None:
            unknown.append(token)
            material.notes = f"{material.notes}；{token}" if material.notes else token
        else:
            for word in words:
                _apply_word(material, word)


def parse_material(line: str, pipes: bool = False) -> ParsedMaterial | None:
    """One material line → ParsedMaterial; None when the line holds no name.

    With pipes=True (template cells) "|" separates the name from its details; raw
    exports are read with pipes=False, where "|" is just a character of the name.
    """
    text = strip_numbering(clean_text(line).replace("\n", " "))
    unknown: list[str] = []
    tokens = [t.strip() for t in text.split("|")] if pipes and "|" in text else [text]
    name = tokens[0]
    material = Material(name="")
    bracket = _TRAILING_BRACKET.match(name)
    if bracket:
        words = _detail_words(bracket.group("details"))
        if words is not None:
            name = bracket.group("name")
            for word in words:
                _apply_word(material, word)
    material.name = clean_name(strip_numbering(name))
    if not material.name:
        return None
    for token in tokens[1:]:
        if token:
            _apply_token(material, token, unknown)
    return ParsedMaterial(material, unknown)


# A numbering token that starts a new item inside a line: at the line start or after
# a space or an item separator, and only counted when a line holds two or more.
_INLINE_NUMBER = re.compile(
    r"(?:^|(?<=[\s；;。]))"
    r"(?=(?:[（(](?:\d{1,2}|[一二三四五六七八九十]{1,3})[）)]|\d{1,2}(?:[、)）]|[.．](?!\d))|[一二三四五六七八九十]{1,3}、))"
)


def split_materials(block: object) -> list[str]:
    """A free-text or HTML block listing materials → one string per material."""
    text = clean_text(block)
    items: list[str] = []
    for line in text.split("\n"):
        starts = [m.start() for m in _INLINE_NUMBER.finditer(line)]
        if len(starts) >= 2:
            bounds = [0, *(s for s in starts if s > 0), len(line)]
            pieces = [line[a:b] for a, b in itertools.pairwise(bounds)]
        else:
            pieces = [line]
        for piece in pieces:
            piece = strip_numbering(piece)
            if piece:
                items.append(piece)
    return items
