"""Lexical cues for the question acts, combined with DIET's intent.

DIET recognises the act from the whole sentence; these cues catch what a question about a
matter plainly asks (多少钱 → ask_fee, 要多久 → ask_time_limit, 在哪 → ask_where ...). When DIET
says the message is a question about a matter (or is unsure) and a cue is present, the cue that
comes first in the message decides; other acts (greet, complain, request_human ...) stand.
"""

from __future__ import annotations

import re

from .text import normalize

__all__ = ["QUESTION_ACTS", "combine", "cue_act", "has_words", "markup_only", "says_little"]

# The acts of a question about a matter (the rest are service requests and social turns).
QUESTION_ACTS = frozenset(
    {
        "ask_materials",
        "ask_where",
        "ask_time_limit",
        "ask_fee",
        "ask_process",
        "ask_online",
        "ask_phone",
        "ask_in_person",
    }
)
_CUES = [
    ("ask_fee", r"多少钱|几多钱|几钱|收费|收钱|费用|要钱|交钱|工本费|免费|花多少|how much|\bfee|\bcost"),
    ("ask_time_limit", r"多久|多长时间|几天|几个工作日|什么时候能|啥时候|几时|几耐|多快|时限|how long|when"),
    ("ask_online", r"预约|网上|线上|手机上|微信上|手机度|\bapp\b|小程序|网办|不用跑|不出门|online"),
    ("ask_where", r"在哪|去哪|哪里|哪儿|哪个窗口|哪个大厅|哪个部门|边度|地址|where"),
    ("ask_phone", r"电话|号码|热线|打给谁|phone|call"),
    ("ask_in_person", r"本人|代办|亲自|委托|代替|替我|帮他办|帮她办|in person"),
    ("ask_process", r"流程|步骤|程序|怎么走|先.{0,8}后|process|steps"),
    ("ask_materials", r"材料|带什么|带啥|带乜|准备什么|准备啥|需要什么|要什么证明|documents?\b|what do i need"),
]
_PATTERNS = [(act, re.compile(p)) for act, p in _CUES]
# What asking for a person sounds like; without it, "停电了找谁" is a question, not a hand-off.
_HUMAN = re.compile(
    r"人工|人公|真人|活人|客服|工作人员|坐席|值班|转接|领导|负责人|管事的|找个.{0,4}人|叫个人|懂行的人|人来|"
    r"human|real person|agent|operator|clerk"
)


def cue_act(text: str) -> str | None:
    """The question act the message cues first, or None."""
    norm = normalize(text)
    found = [(m.start(), act) for act, pattern in _PATTERNS if (m := pattern.search(norm))]
    return min(found)[1] if found else None


def combine(intent: str, text: str) -> str:
    """DIET's intent, sharpened by the cues for questions about a matter; a hand-off DIET reads
    into a message that asks for no person is the question the message asks instead."""
    if intent in QUESTION_ACTS or intent in ("nlu_fallback", "inform"):
        return cue_act(text) or intent
    if intent == "request_human" and not _HUMAN.search(normalize(text)):
        return cue_act(text) or "nlu_fallback"
    return intent


# Words that carry no matter: fillers, pronouns, politeness, generic verbs.
_FILLER = re.compile(
    r"请问|一下|这个|那个|怎么|可以|需要|谢谢|感谢|好的|没问题|知道了|明白|ok|okay|thanks|thank you|"
    r"[那这要吗呢啊呀吧嘛的了是想问我你您好还再就办能不得去多嗯哦哈噢喔又也都呃额么啥咋]"
)


def says_little(text: str) -> bool:
    """True when, past its act cues and fillers, a message names nothing ("那要多少钱？", "好的，谢谢")."""
    norm = normalize(text)
    for _act, pattern in _PATTERNS:
        norm = pattern.sub("", norm)
    rest = _FILLER.sub("", norm)
    return len(re.sub(r"[^0-9a-z\u3400-\u9fff]", "", rest)) <= 1


_TAG = re.compile(
    r"<(script|style)\b[^>]{0,2000}>.{0,2000}?</\1\s*>|<[^<>]{0,2000}>|&[#a-z0-9]{1,10};", re.IGNORECASE | re.DOTALL
)
_WORDS = re.compile(r"[\u3400-\u9fff]|[a-z]{2,}", re.IGNORECASE)


def markup_only(text: str) -> bool:
    """The message is markup with no words of its own once the tags go ("<img src=x onerror=…>")."""
    return bool(_TAG.search(text)) and not _WORDS.search(_TAG.sub(" ", text))


def has_words(text: str) -> bool:
    """The message has a Chinese character or a latin word in it (not only digits and signs)."""
    return bool(_WORDS.search(text))
