"""Cleaning raw catalog values: HTML fragments, placeholder words, whitespace, day counts.

Every importer passes each raw value through here before it reaches the model, so that
what a citizen reads never carries `<br>`, `&nbsp;`, a lone "无" or a "null".

    clean_text    any value  → str, HTML and placeholders removed, line breaks kept
    clean_name    any value  → one line, fit for a matter, alias or department name
    strip_numbering            "1." "（一）" "一、" "①" at the start of an item
    split_list    "a、b，c"  → ["a", "b", "c"]
    parse_days    "30(工作日)" → (30, ""), "即办" → (0, ""), "90(自然日)" → (65, note)
    parse_bool / parse_count   是/否 and 跑动次数 cells of a table
    service_objects            服务对象 words → 自然人 / 法人 / 其他组织
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

__all__ = [
    "EMPTY_MARKERS",
    "clean_name",
    "clean_text",
    "cn_number",
    "is_empty",
    "parse_bool",
    "parse_count",
    "parse_days",
    "service_objects",
    "split_list",
    "strip_numbering",
]

# Values that mean "nothing here" in government exports; compared after stripping
# whitespace and a trailing full stop, case-insensitively.
EMPTY_MARKERS = frozenset({"无", "暂无", "空", "null", "none", "nil", "undefined", "n/a", "-", "--", "—", "/", "\\"})

# Only real tag syntax (a Latin tag name) counts as HTML: Chinese legal text uses
# <…> as the title mark nested inside 《…》, and that must survive.
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>", re.DOTALL)
_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/li|/div|/tr|/h[1-6]|p|li|div|tr)\b[^<>]*>", re.IGNORECASE)
_NESTED_TITLE = re.compile(r"<([^<>\n]*[\u4e00-\u9fff][^<>\n]*)>")
_HSPACE = re.compile(r"[ \t\u3000\xa0\u2002\u2003\u2009\u200b\ufeff]+")
_CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_DOUBLE_PAREN = re.compile(r"\(\s*([（(][^（）()]*[）)])\s*\)")

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUM = "零〇一二两三四五六七八九十百千"

# Numbering in front of a list item. Each form needs its delimiter, so that
# "一寸照片", "二级建造师" or "6个月内照片" keep their first character.
_NUMBERING = re.compile(
    r"^\s*(?:"
    r"[（(]\s*(?:\d{1,3}|[一二三四五六七八九十]{1,3})\s*[）)]"  # （一） (1)
    r"|\d{1,3}\s*(?:[、)）:：]|[.．](?!\d))"  # 1、 1) 1. but not 1.5米
    r"|[一二三四五六七八九十]{1,3}\s*[、.．]"  # 一、
    r"|[①-⑳]"  # ①
    r"|[•·●▪■◆\-–*]\s"  # bullets
    r")\s*"
)


def is_empty(value: object) -> bool:
    """True for None, blank strings and placeholder words like 无 / null / 暂无."""
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip().rstrip("。.").strip()
    return not text or text.casefold() in EMPTY_MARKERS


def _strip_html(text: str) -> str:
    if "<" in text:
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
        text = _NESTED_TITLE.sub(r"〈\1〉", text)
    if "&" in text:
        text = html.unescape(text)
    return text


def clean_text(value: object) -> str:
    """A raw value as clean text: no HTML, no placeholder, single spaces, line breaks kept.

    Numbers become their decimal text (spreadsheets hand codes and days over as numbers).
    """
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _strip_html(str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_HSPACE.sub(" ", line).strip() for line in text.split("\n"))
    text = "\n".join(line for line in lines if line and not is_empty(line))
    return "" if is_empty(text) else text


def clean_name(value: object) -> str:
    """One-line text for names: line breaks and stray spaces between Chinese characters go.

    "同期资料报告(（企业）)", the way some exports append a qualifier that already has
    brackets, becomes "同期资料报告（企业）".
    """
    text = clean_text(value).replace("\n", " ")
    text = _CJK_GAP.sub("", text)
    return _DOUBLE_PAREN.sub(r"\1", text)


def strip_numbering(item: str) -> str:
    """The item without leading list numbering and without trailing separators."""
    previous = None
    # Some lists double up ("1. （1）身份证"); strip until nothing changes.
    while previous != item:
        previous = item
        item = _NUMBERING.sub("", item, count=1)
    return item.strip().rstrip("；;，,。").strip()


_OPEN, _CLOSE = "（(【[《", "）)】]》"


def split_list(value: object, separators: str = "、，,；;\n") -> list[str]:
    """Split a cell holding several short items; empty and placeholder items are dropped.

    Separators inside brackets do not split: "社会保障（社会保险、社会救助）" is one item.
    """
    text = clean_text(value)
    if not text:
        return []
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    out: list[str] = []
    for part in parts:
        part = clean_name(part)
        if part and part not in out:
            out.append(part)
    return out


def cn_number(text: str) -> int | None:
    """Arabic or simple Chinese numerals ("30", "三十", "二十五", "一百二十") → int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CN_NUM for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


_IMMEDIATE = re.compile(r"^(?:0|零|即办|即时办结?|即来即办|当场办结|当场办理|立即办理|当即办结|随到随办)(?:件)?$")
_DAYS = re.compile(
    rf"^(?P<n>\d+|[{_CN_NUM}]+)\s*(?:个)?\s*[（(]?\s*(?P<unit>工作日|自然日|日历日|天|日)?\s*[)）]?(?:内)?$"
)


def parse_days(value: object) -> tuple[int | None, str]:
    """A time-limit value in working days, and a note when the value needed explaining.

    - "30(工作日)", "30个工作日", "30", "三十日" → 30. A bare 日/天 counts as working
      days, as 《行政许可法》第八十二条 counts administrative time limits.
    - "即办", "当场办结", "0" → 0.
    - "90(自然日)" → 65, i.e. ×5/7 rounded up, with a note giving the original.
    - anything else ("3个月", "视情况而定") → None, and the cleaned text is the note,
      so that nothing the source said is lost.
    """
    text = clean_text(value).replace(" ", "")
    if not text:
        return None, ""
    if _IMMEDIATE.match(text):
        return 0, ""
    match = _DAYS.match(text)
    if match:
        n = cn_number(match.group("n"))
        if n is not None:
            if match.group("unit") in ("自然日", "日历日"):
                working = math.ceil(n * 5 / 7)
                return working, f"{n}个自然日（约{working}个工作日）"
            return n, ""
    return None, text


_TRUE = {"是", "有", "可以", "需要", "必须", "y", "yes", "true", "1", "√", "✓", "对"}
_FALSE = {"否", "无", "不", "不可以", "不需要", "n", "no", "false", "0", "×", "✗", "不是"}


def parse_bool(value: object) -> bool | None:
    """是/否 (and yes/no, 1/0, √/×) → bool; an empty cell → None; raise ValueError otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().rstrip("。.").casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"expected 是 or 否, got {str(value).strip()!r}")


_COUNT = re.compile(rf"^(?:最多)?(?:跑)?(?P<n>\d+|[{_CN_NUM}]+)(?:次)?$")


def parse_count(value: object) -> int | None:
    """跑动次数: "1", "1次", "最多跑一次", "零跑动"/"不用跑" → int; empty → None; else ValueError."""
    text = clean_text(value).replace(" ", "")
    if not text:
        return None
    if text in ("零跑动", "不用跑", "无需跑动", "不跑"):
        return 0
    match = _COUNT.match(text)
    n = cn_number(match.group("n")) if match else None
    if n is None:
        raise ValueError(f"expected a number of visits such as 0, 1 or 最多跑一次, got {text!r}")
    return n


# Source words for who a matter serves → the three values of the schema.
_SERVICE_OBJECTS = {
    "自然人": "自然人",
    "个人": "自然人",
    "公民": "自然人",
    "居民": "自然人",
    "法人": "法人",
    "企业": "法人",
    "企业法人": "法人",
    "事业法人": "法人",
    "事业单位": "法人",
    "社会组织法人": "法人",
    "社会组织": "法人",
    "机关法人": "法人",
    "行政机关": "法人",  # 机关法人 in the Civil Code
    "其他组织": "其他组织",
    "非法人企业": "其他组织",  # partnerships, sole proprietorships: 非法人组织
    "非法人组织": "其他组织",
    "个体工商户": "其他组织",
}
_SERVICE_ORDER = ("自然人", "法人", "其他组织")


def service_objects(words: Iterable[str]) -> tuple[list[str], list[str]]:
    """(schema values in a fixed order, words that were not recognised)."""
    found: set[str] = set()
    unknown: list[str] = []
    for word in words:
        word = clean_name(word)
        if not word:
            continue
        mapped = _SERVICE_OBJECTS.get(word)
        if mapped:
            found.add(mapped)
        elif word not in unknown:
            unknown.append(word)
    return [v for v in _SERVICE_ORDER if v in found], unknown
