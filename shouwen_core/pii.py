"""Masking personal data (ID card numbers, mobile and landline phones, bank cards) in logs and
stored transcripts. `mask(text)` keeps enough to recognise the value (first and last digits)."""

from __future__ import annotations

import logging
import re

__all__ = ["ID_NUMBER", "MOBILE", "MaskingFilter", "mask"]

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])([1-9]\d{5})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
BANK_CARD = re.compile(r"(?<!\d)(\d{4})(\d{8,11})(\d{4})(?!\d)")


def mask(text: object) -> str:
    s = str(text)
    s = ID_NUMBER.sub(lambda m: m.group(1)[:3] + "*" * 11 + m.group(3)[-4:], s)
    s = MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), s)
    s = BANK_CARD.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), s)
    return s


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        return True
