"""Masking personal data (ID card numbers, phones, bank cards) before anything is stored or logged.

`mask(text)` hides the digits of every ID number and phone that the one entity grammar
(shouwen_core.entities) finds, in whatever form it was written ("+86 138 1234 5678",
"(020)83456789", "110101 19900307 7777", full-width digits), keeping the separators and enough
to recognise the value: a phone's country code, its first three and last four digits; an ID
number's first three and last four. Short hotlines (12345), dates and application numbers are
not personal and stay, and so are the public phones a loaded catalog declares (`declare_public`:
its halls', departments' and matters' numbers). A 16–19 digit run left over is taken for a bank card.

`MaskingFilter` does the same to log records, and `install_log_masking(*loggers)` puts it on the
loggers and handlers a process writes through (the gateway's uvicorn loggers, Rasa's and Sanic's).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from .entities import PERSONAL, PHONE, find_entities, fold

__all__ = ["MaskingFilter", "declare_public", "install_log_masking", "mask"]

_BANK_CARD = re.compile(r"(?<!\d)(\d{4})(\d{8,11})(\d{4})(?!\d)")
# Fewer digits than this cannot hold a phone or an ID number: such text is returned as it is.
_MIN_DIGITS = 7
_DIGIT = re.compile(r"\d")


# The digits of phones that are public: the catalog's halls, departments and matters. A card says
# "咨询 0123-86630110"; that number is the hall's, not anyone's personal data, and stays.
_PUBLIC: set[str] = set()


def declare_public(texts: Iterable[str]) -> None:
    """Phones in `texts` are public from now on in this process (a loaded catalog's numbers)."""
    found = {_digits(e.value) for t in texts if t for e in find_entities(t) if e.kind == PHONE}
    if found - _PUBLIC:
        _PUBLIC.update(found)
        _mask.cache_clear()


def _digits(value: str) -> str:
    return "".join(_DIGIT.findall(fold(value)))


def mask(text: object) -> str:
    """The text with the digits of every phone, ID number and bank card starred but a few."""
    return _mask(str(text))


# Transcripts are masked whole on every save, so the same strings come back turn after turn.
@lru_cache(maxsize=4096)
def _mask(s: str) -> str:
    if len(_DIGIT.findall(s)) < _MIN_DIGITS:
        return s
    out = list(s)
    folded = fold(s)
    for entity in find_entities(s):
        if entity.kind in PERSONAL and not (entity.kind == PHONE and _digits(entity.value) in _PUBLIC):
            _star(out, folded, entity.start, entity.end, entity.shown_prefix)
    masked = "".join(out)
    return _BANK_CARD.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), masked)


def _star(out: list[str], folded: str, start: int, end: int, shown_prefix: int) -> None:
    """Stars the digits of out[start:end] except the first `shown_prefix` and the last four."""
    positions = [i for i in range(start, end) if folded[i].isdigit() or folded[i] in "Xx"]
    for i in positions[shown_prefix : len(positions) - 4]:
        out[i] = "*"


class MaskingFilter(logging.Filter):
    """Masks personal data in a record's message, its arguments, its traceback and stack.

    Arguments stay arguments where masking keeps their type (uvicorn's access formatter unpacks
    them); a record whose arguments no longer format is reduced to its masked message.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if record.args:
            given = record.args
            record.args = _masked_args(given)
            try:
                record.getMessage()
            except (TypeError, ValueError):  # "%d" given a masked number
                record.msg, record.args = mask(_formatted(record.msg, given)), None
        if record.exc_info and not record.exc_text:
            # The formatter keeps a traceback it finds already formatted: format it here, masked.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        return True


def _masked_args(args: Any) -> Any:
    if isinstance(args, Mapping):
        return {k: _masked_arg(v) for k, v in args.items()}
    return tuple(_masked_arg(a) for a in args)


def _masked_arg(value: Any) -> Any:
    if isinstance(value, (bool, float)) or value is None:
        return value  # never personal data, and "%d" / "%.1f" still format them
    shown = str(value)
    masked = mask(shown)
    return value if masked == shown else masked


def _formatted(msg: object, args: Any) -> str:
    try:
        return str(msg) % args
    except (TypeError, ValueError):
        return f"{msg} {args!r}"


_FILTER = MaskingFilter()


def install_log_masking(*names: str) -> None:
    """Masks every record the root logger and the named loggers write, and their handlers.

    A filter on a logger sees only the records logged on it, not those of its children, so the
    handlers (where every record passes) get it too. Installing twice changes nothing.
    """
    for logger in (logging.getLogger(), *(logging.getLogger(n) for n in names)):
        for target in (logger, *logger.handlers):
            if _FILTER not in target.filters:
                target.addFilter(_FILTER)
