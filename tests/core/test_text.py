import pytest

from shouwen_core.text import bigrams, initials, normalize, ordinal


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("護照過期了", "护照过期了"),
        ("身份證補辦", "身份证补办"),
        ("ＡＢＣ１２３", "abc123"),
        ("社保卡丢了！！！", "社保卡丢了!"),
        ("开饭店😀要办什么证", "开饭店要办什么证"),
        ("  多个   空格  ", "多个 空格"),
        ("", ""),
        ("\x00\x07控制字符", "控制字符"),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_cuts_huge_input():
    assert len(normalize("办" * 100_000)) <= 2000


def test_bigrams_do_not_cross_punctuation():
    assert bigrams("开饭店，要证") == ["开饭", "饭店", "要证"]


@pytest.mark.parametrize(("text", "abbr"), [("营业执照", "yyzz"), ("社保卡", "sbk"), ("公积金", "gjj")])
def test_initials(text, abbr):
    assert initials(text) == abbr


@pytest.mark.parametrize(
    ("text", "runs"),
    [
        ("gongsi biangeng zenme ban", [("gong", "si", "bian", "geng", "zen", "me", "ban")]),
        ("xueji zhengming 网上能开吗", [("xue", "ji", "zheng", "ming")]),
        ("passport expired", []),
        ("how to register a company", []),
    ],
)
def test_full_pinyin_runs_are_found_and_english_is_not(text, runs):
    from shouwen_core.text import pinyin_words

    assert pinyin_words(text) == runs


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("2", 2), ("１", 1), ("一", 1), ("两", 2), ("十", 10), (" 10 ", 10), ("3.", 3), ("第一種", 1),
        ("選2", 2), ("第二个", 2), ("选第四个", 4), ("我选第一个", 1), ("就选第三个吧", 3),
        ("0", None), ("12345", None), ("一下", None), ("第二梦", None), ("第二类医疗器械", None), ("", None),
    ],
)  # fmt: skip
def test_ordinal_reads_a_reply_that_only_names_a_position(text, position):
    assert ordinal(text) == position
