"""Build the project's spaCy pipeline: blank "zh" with the jieba segmenter and entity rules for
personal data and application numbers, saved to disk (spaCy's zh models cannot be downloaded here).

Usage: python scripts/build_spacy.py OUT_DIR      (run by scripts/setup.sh in the Rasa venv)
"""

from __future__ import annotations

import sys
from pathlib import Path

# Token patterns over jieba tokens: jieba keeps a run of digits (and a trailing X) as one token.
PATTERNS = [
    {"label": "ID_NUMBER", "pattern": [{"TEXT": {"REGEX": r"^[1-9]\d{16}[\dXx]$"}}]},
    {"label": "ID_NUMBER", "pattern": [{"TEXT": {"REGEX": r"^[1-9]\d{16}$"}}, {"LOWER": "x"}]},
    {"label": "PHONE", "pattern": [{"TEXT": {"REGEX": r"^1[3-9]\d{9}$"}}]},
    {"label": "APPLICATION_NO", "pattern": [{"LOWER": {"REGEX": r"^(sl|ywh)\d{8,14}$"}}]},
    {"label": "APPLICATION_NO", "pattern": [{"TEXT": {"REGEX": r"^\d{12,17}$"}}]},
    {"label": "APPLICATION_NO", "pattern": [{"LOWER": {"IN": ["sl", "ywh"]}}, {"TEXT": {"REGEX": r"^\d{8,14}$"}}]},
]


def build(out: Path) -> None:
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(PATTERNS)  # type: ignore[attr-defined]
    nlp.meta["name"] = "zh_shouwen"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank zh + jieba + entity rules (ID numbers, phones, application numbers)"
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
    print(f"spaCy pipeline written to {sys.argv[1]}")
