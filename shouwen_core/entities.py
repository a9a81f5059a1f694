"""The one grammar for the numbers and dates a citizen writes: application numbers, ID card
numbers, phones and dates. The NLU component (bot.entity_extractor), the service flows
(progress look-up, a ticket's call-back contact), the directory importer and personal-data
masking (shouwen_core.pii) all read messages through it, so they agree on what a number is.

    find_entities(text) → [Entity(kind, start, end, value)]    by position, never overlapping

    ID_NUMBER       居民身份证号: 18 characters (6-digit region, a real birth date, 3 digits and a
                    check character, X allowed) or the legacy 15 digits; also written in groups,
                    "110101 19900307 7777". The check character is not verified: a number with
                    one digit mistyped still identifies its owner and must be masked.
    PHONE           mobiles and landlines in every common form (13812345678, +86 138 1234 5678,
                    138-1234-5678, 020-83456789, (020)83456789, 0123-86630110, 400/800 numbers);
                    value: the digits as dialled inside China (02083456789).
    HOTLINE         short service numbers (12345, 12329, 95598): a department's phone, never
                    personal data, so neither masked nor given to the NLU as a PHONE.
    APPLICATION_NO  受理编号 as halls print them: SL + 8–14 digits, or 12–20 digits, upper-cased;
                    never an ID number nor a number that is a valid phone.
    DATE            2026-12-03, 2026/12/3, 2026.12.03, 2026年12月3日, 12月3日; value ISO
                    (--12-03 without a year).

How the grammar decides, in this order (each step only reads text no earlier step claimed):
ID numbers and dates; phones that libphonenumber (`phonenumbers`) finds valid; application
numbers; then landlines of an area code its metadata lacks (a sample city's 0123, a 7-digit
subscriber, an extension) and mobiles of a new prefix; short hotlines last. Full-width digits and
letters are read as ASCII (offsets stay those of the text given).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers
from phonenumbers import shortnumberinfo

__all__ = [
    "APPLICATION_NO",
    "DATE",
    "HOTLINE",
    "ID_NUMBER",
    "PERSONAL",
    "PHONE",
    "Entity",
    "find_entities",
    "first",
]

APPLICATION_NO = "APPLICATION_NO"
DATE = "DATE"
HOTLINE = "HOTLINE"
ID_NUMBER = "ID_NUMBER"
PHONE = "PHONE"
# The kinds that are personal data (masked before anything is stored or logged).
PERSONAL = frozenset({ID_NUMBER, PHONE})


@dataclass(frozen=True)
class Entity:
    kind: str
    start: int
    end: int
    value: str
    # Leading digits of the span that masking may show (a phone's country code and the first
    # three digits; an ID number's first three).
    shown_prefix: int = 3


# Full-width ASCII (Ｓ Ｌ １ ２ ＋ －) and the ideographic space, one character for one, so offsets hold.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# What claimed text is replaced by before the next step reads it: not a digit, a letter or a separator.
_CLAIMED = "之"

_B = r"(?<![0-9A-Za-z])"  # a number starts here
_E = r"(?![0-9A-Za-z])"  # and ends here
_DATE8 = r"(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_ID_NUMBER = re.compile(
    _B
    + rf"(?:[1-9]\d{{5}}[ -]?{_DATE8}[ -]?\d{{3}}[\dXx]|[1-9]\d{{5}}\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{{3}})"
    + _E
)
_COMPACT_DATE = re.compile(_B + _DATE8 + _E)
_YEAR_MONTH_DAY = re.compile(
    r"(?<!\d)((?:19|20)\d{2})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?)(?!\d)"
)
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})[日号]")
# Application numbers as halls print them on the 受理回执.
_APPLICATION_NO = re.compile(_B + r"((?:SL|sl|Sl)\d{8,14}|\d{12,20})" + _E)
_ID_LIKE = re.compile(r"^[1-9]\d{16}[\dXx]$")
# What libphonenumber's metadata rejects but people write: an unknown area code, a 7-digit
# subscriber, an extension after a dash or 转; a mobile of a prefix newer than the metadata.
_EXTENSION = re.compile(r"(?:-|转|分机)\d{1,5}(?!\d)")
_LANDLINE = re.compile(
    _B + r"((?:\(0\d{2,3}\)|0\d{2,3}(?:-{1,2}|—|- | )?)\d{7,8}|[2-9]\d{7})" + f"(?:{_EXTENSION.pattern})?" + _E
)
# A service number, with the city's area code or the menu keys after it (020-12333-9-3).
_HOTLINE = re.compile(_B + r"(?:0\d{2,3}[-—– ]{0,2})?(\d{5})(?:[-–—]\d{1,2})*" + _E)
_MOBILE = re.compile(_B + r"(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}" + _E)
_DIGIT = re.compile(r"\d")


def fold(text: str) -> str:
    """The text with full-width ASCII as ASCII, character for character."""
    return text.translate(_FOLD)


def find_entities(text: str) -> list[Entity]:
    """Every entity in the text, by position (see the module docstring for the grammar)."""
    found: list[Entity] = []
    work = fold(text)
    if not _DIGIT.search(work):
        return found
    for step in (
        _id_numbers,
        _compact_dates,
        _full_dates,
        _month_days,
        _hotlines,
        _valid_phones,
        _application_numbers,
        _landlines,
        _mobiles,
    ):
        new = list(step(work))
        found += new
        work = _claim(work, new)
    return sorted(found, key=lambda e: e.start)


def first(text: str, kind: str) -> Entity | None:
    """The first entity of that kind in the text."""
    return next((e for e in find_entities(text) if e.kind == kind), None)


def _claim(text: str, entities: list[Entity]) -> str:
    for e in entities:
        text = text[: e.start] + _CLAIMED * (e.end - e.start) + text[e.end :]
    return text


def _id_numbers(text: str) -> Iterator[Entity]:
    for m in _ID_NUMBER.finditer(text):
        yield Entity(ID_NUMBER, m.start(), m.end(), re.sub(r"[ -]", "", m.group(0)).upper())


def _compact_dates(text: str) -> Iterator[Entity]:
    for m in _COMPACT_DATE.finditer(text):
        if (date := _date(m.group(0)[:4], m.group(0)[4:6], m.group(0)[6:])) is not None:
            yield Entity(DATE, m.start(), m.end(), date.isoformat())


def _full_dates(text: str) -> Iterator[Entity]:
    for m in _YEAR_MONTH_DAY.finditer(text):
        year, month, day = m.group(1), m.group(3) or m.group(5), m.group(4) or m.group(6)
        if (date := _date(year, month, day)) is not None:
            yield Entity(DATE, m.start(), m.end(), date.isoformat())


def _month_days(text: str) -> Iterator[Entity]:
    for m in _MONTH_DAY.finditer(text):
        if (date := _date(None, m.group(1), m.group(2))) is not None:
            yield Entity(DATE, m.start(), m.end(), date.strftime("--%m-%d"))


def _date(year: str | None, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(int(year or 2000), int(month), int(day))  # 2000 is a leap year: 2月29日 stands
    except ValueError:
        return None


def _phone_matches(text: str) -> Iterator[phonenumbers.PhoneNumberMatch]:
    """libphonenumber's candidates, loosely matched (this module judges them), that stand alone."""
    for m in phonenumbers.PhoneNumberMatcher(text, "CN", leniency=phonenumbers.Leniency.POSSIBLE):
        before = text[m.start - 1] if m.start else ""
        after = text[m.end] if m.end < len(text) else ""
        if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
            yield m


def _valid_phones(text: str) -> Iterator[Entity]:
    for m in _phone_matches(text):
        number = m.number
        if phonenumbers.is_valid_number(number):
            value = re.sub(r"\D", "", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))
            written = _DIGIT.findall(m.raw_string)
            national = phonenumbers.national_significant_number(number)
            end = m.end + (len(ext.group(0)) if (ext := _EXTENSION.match(text, m.end)) else 0)
            yield Entity(PHONE, m.start, end, value, _country_digits(written, national) + 3)


def _country_digits(written: list[str], national: str) -> int:
    """How many written digits come before the national number, a trunk 0 not counted (+86, 0086)."""
    lead = len(written) - len(national)
    return lead - 1 if lead and written[lead - 1] == "0" else lead


def _application_numbers(text: str) -> Iterator[Entity]:
    for m in _APPLICATION_NO.finditer(text):
        if not _ID_LIKE.match(m.group(1)):
            yield Entity(APPLICATION_NO, m.start(1), m.end(1), m.group(1).upper())


def _landlines(text: str) -> Iterator[Entity]:
    for m in _LANDLINE.finditer(text):
        yield Entity(PHONE, m.start(), m.end(), "".join(_DIGIT.findall(m.group(1))))  # the extension is not dialled


def _mobiles(text: str) -> Iterator[Entity]:
    for m in _MOBILE.finditer(text):
        digits = "".join(_DIGIT.findall(m.group(0)))
        lead = len(digits) - 11  # +86
        yield Entity(PHONE, m.start(), m.end(), digits[lead:], lead + 3)


def _hotlines(text: str) -> Iterator[Entity]:
    for m in _HOTLINE.finditer(text):
        if shortnumberinfo.is_valid_short_number_for_region(phonenumbers.parse(m.group(1), "CN"), "CN"):
            yield Entity(HOTLINE, m.start(), m.end(), m.group(1))
