"""The person's language on the way out: traditional characters back in traditional characters
(OpenCC s2t), an English question with a short English summary before the Chinese answer.

The catalog is Chinese and stays so: names, materials and addresses are quoted as the catalog
writes them (a clerk and a sign in the hall use those words); only the frame is English.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .replies import T
from .reply import Reply
from .text import simplified

if TYPE_CHECKING:
    from .catalog.model import Case, Catalog, Matter

__all__ = ["english_summary", "in_persons_script", "is_english", "to_traditional", "writes_traditional"]

_HAN = re.compile(r"[\u3400-\u9fff]")
_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Enough English words and no Chinese: the person writes English ("my passport expired").
ENGLISH_MIN_WORDS = 2


@lru_cache(maxsize=1)
def _s2t() -> Any:
    import opencc  # loaded on first use, like t2s in text.normalize

    return opencc.OpenCC("s2t")


# Where OpenCC's general phrase table picks the wrong character for government wording
# (换发 is re-issuing a document here, never 換髮, changing one's hair).
_S2T_FIXES = {"換髮": "換發"}


def to_traditional(text: str) -> str:
    out = _s2t().convert(text)
    for wrong, right in _S2T_FIXES.items():
        out = out.replace(wrong, right)
    return out


def writes_traditional(text: str) -> bool:
    """The message is written in traditional characters (t2s changes some of its Han characters)."""
    han = "".join(_HAN.findall(text))
    return bool(han) and simplified(han) != han


def is_english(text: str) -> bool:
    """Written in English; a button's payload ("/choose_matter{…}") is not anyone's language."""
    if text.startswith("/"):
        return False
    return not _HAN.search(text) and len(_ENGLISH_WORD.findall(text)) >= ENGLISH_MIN_WORDS


def in_persons_script(replies: list[Reply], text: str) -> list[Reply]:
    """The replies in traditional characters when the person wrote so (button titles too; the
    payloads, which the NLU reads, stay as they are)."""
    if not writes_traditional(text):
        return replies
    s2t = to_traditional
    return [replace(r, text=s2t(r.text), buttons=[replace(b, title=s2t(b.title)) for b in r.buttons]) for r in replies]


def english_summary(catalog: Catalog, matter: Matter | None, case: Case | None, kind: str) -> Reply:
    """What an English speaker reads first: the card's essentials, or what to do next."""
    if matter is None:
        return Reply(T.EN_CHOOSE if kind in ("matter_choice", "case_choice") else T.EN_NO_MATTER)
    from .guidance import consult_phone

    materials = list(matter.materials) + (list(case.materials) if case else [])
    tl = case.time_limit if case and case.time_limit else matter.time_limit
    fee = case.fee if case and case.fee else matter.fee
    hall = next((h for hw in matter.where.halls if (h := catalog.hall(hw.hall)) is not None), None)
    lines = [T.EN_TITLE.format(name=matter.name + (f"（{case.name}）" if case else ""))]
    if kind == "case_choice":
        lines.append(T.EN_CASES)
    lines.append(
        T.EN_MATERIALS.format(count=len(materials), names="; ".join(m.name for m in materials) or T.EN_MATERIALS_NONE)
    )
    if hall is not None:
        lines.append(T.EN_WHERE.format(hall=hall.name, address=hall.address))
    if matter.where.online_url and matter.where.online != "不可网办":
        booking = matter.where.online == "网上预约"
        lines.append((T.EN_BOOKING if booking else T.EN_ONLINE).format(url=matter.where.online_url))
    if tl.promised_days == 0:
        lines.append(T.EN_TIME_SAME_DAY)
    elif tl.promised_days or tl.legal_days:
        lines.append(T.EN_TIME.format(days=tl.promised_days or tl.legal_days))
    if fee.description:
        lines.append(T.EN_FEE.format(fee=fee.description))
    else:
        lines.append(T.EN_FEE_FREE if fee.free else T.EN_FEE_UNKNOWN)
    lines.append(T.EN_PHONE.format(phone=consult_phone(matter)))
    return Reply("\n".join(lines))
