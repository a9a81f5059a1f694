"""The colloquial lexicon serves any catalog: catalog words only, never matter ids."""

import re

from shouwen_core.linker.lexicon import DEFAULT_LEXICON_DIR, Lexicon


def test_lexicon_names_no_matter_ids():
    for path in DEFAULT_LEXICON_DIR.glob("*.tsv"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"LJ-[A-Z]+-\d+|\d{20,}", text), path


def test_every_line_is_phrase_tab_terms():
    for path in DEFAULT_LEXICON_DIR.glob("*.tsv"):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip() and not line.startswith("#"):
                phrase, _, terms = line.partition("\t")
                assert phrase.strip() and terms.strip(), f"{path.name}:{no}"


def test_expansion_finds_colloquial_and_english_phrases():
    lex = Lexicon.load()
    assert "食品经营许可" in lex.expand("开饭店要啥证")
    assert "出生登记" in lex.expand("孩子要上户口")
    assert "普通护照" in lex.expand("passport expired")
    # English phrases match whole words only: "taxi" is not "tax".
    assert "纳税" not in lex.expand("taxi")
