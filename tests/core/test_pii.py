"""Masking personal data: every written form of a phone or an ID number, nothing else, and logs."""

from __future__ import annotations

import logging

import pytest

from shouwen_core.pii import MaskingFilter, install_log_masking, mask

# (as typed, as masked): each form of issue 15's list, and the usual ones.
FORMS = [
    ("13812345678", "138****5678"),
    ("+86 138 1234 5678", "+86 138 **** 5678"),
    ("+86-138-1234-5678", "+86-138-****-5678"),
    ("138-1234-5678", "138-****-5678"),
    ("137 1357 2468", "137 **** 2468"),
    ("137-1357-2468", "137-****-2468"),
    ("１３８１２３４５６７８", "１３８****５６７８"),
    ("020-83456789", "020-****6789"),
    ("(020)83456789", "(020)****6789"),
    ("0123-86639876", "012*-****9876"),
    ("400-820-8820", "400-***-8820"),
    ("110101199003071234", "110***********1234"),
    ("110101 19900307 7777", "110*** ******** 7777"),
    ("11010519491231002X", "110***********002X"),
    ("6222021234567890123", "6222***********0123"),
]
NOT_PERSONAL = ["12345", "打12345或95598", "0.5", "2026-12-03", "SL2026110003", "受理号202604100318", "第3窗口"]


@pytest.mark.parametrize(("typed", "masked"), FORMS)
def test_every_form_is_masked_keeping_its_shape(typed: str, masked: str) -> None:
    assert mask(f"我的号码是{typed}，请回电") == f"我的号码是{masked}，请回电"


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_hotlines_numbers_dates_and_application_numbers_stay(text: str) -> None:
    assert mask(text) == text


def test_masking_twice_changes_nothing() -> None:
    once = mask("身份证110101 19900307 7777，电话+86 138 1234 5678")
    assert mask(once) == once and "7777" in once and "1234 5678" not in once


def record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, msg, args or None, exc_info)


def test_a_record_with_an_id_number_in_its_args_is_masked() -> None:
    rec = record("lookup for %s failed", "110101199003071234")
    assert MaskingFilter().filter(rec)
    assert rec.getMessage() == "lookup for 110***********1234 failed"


def test_arguments_stay_arguments_for_formatters_that_unpack_them() -> None:
    # uvicorn's access formatter unpacks (client, method, path, version, status).
    rec = record('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/api/inbox?phone=13812345678", "1.1", 200)
    MaskingFilter().filter(rec)
    assert isinstance(rec.args, tuple) and rec.args[4] == 200
    assert rec.args[2] == "/api/inbox?phone=138****5678"


def test_a_number_given_to_a_digit_format_is_still_masked() -> None:
    rec = record("id %d", 110101199003071234)
    MaskingFilter().filter(rec)
    assert rec.getMessage() == "id 110***********1234"


def test_a_traceback_is_masked() -> None:
    try:
        raise ValueError("bad contact +86-138-1234-5678")
    except ValueError as exc:
        rec = record("Exception in ASGI application", exc=exc)
    MaskingFilter().filter(rec)
    text = logging.Formatter().format(rec)
    assert "+86-138-****-5678" in text and "1234-5678" not in text and "Traceback" in text


def test_installed_on_a_logger_and_its_handlers(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("shouwen.test.pii")
    handler = logging.StreamHandler()
    logger.addHandler(handler)
    try:
        install_log_masking("shouwen.test.pii")
        install_log_masking("shouwen.test.pii")
        assert len(logger.filters) == 1 and len(handler.filters) == 1
        with caplog.at_level(logging.WARNING, logger="shouwen.test.pii"):
            logger.warning("contact %s", "020-83456789")
        assert caplog.messages == ["contact 020-****6789"]
    finally:
        logger.removeHandler(handler)
        root = logging.getLogger()
        for target in (logger, root, *root.handlers):
            for f in [f for f in target.filters if isinstance(f, MaskingFilter)]:
                target.removeFilter(f)


def test_a_catalogs_published_phones_are_not_personal_data():
    from shouwen_core.pii import declare_public

    hall, person = "0123-86000001", "0123-86000002"
    assert "*" in mask(f"咨询 {hall}")
    declare_public([f"咨询电话 {hall}（工作日）"])
    assert mask(f"咨询 {hall}，我家 {person}") == f"咨询 {hall}，我家 012*-****0002"
