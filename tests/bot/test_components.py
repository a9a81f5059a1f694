"""The project's NLU components, in Rasa's own component-test style."""

import shutil
from pathlib import Path

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.catalog_tokenizer import CatalogJiebaTokenizer
from bot.matter_linker import MatterLinker
from bot.normalizer import ChineseNormalizer

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("護照過期了", "护照过期了"), ("ＹＹＺＺ怎么办", "yyzz怎么办"), ("社保卡😀丢了", "社保卡丢了")],
)
def test_normalizer_makes_one_form(text, expected, model_storage, resource, execution_context):
    component = ChineseNormalizer.create(
        ChineseNormalizer.get_default_config(), model_storage, resource, execution_context
    )
    message = Message({TEXT: text})
    component.process([message])
    assert message.get(TEXT) == expected
    assert message.get("original_text") == text


def test_normalizer_keeps_annotated_training_text(model_storage, resource, execution_context):
    component = ChineseNormalizer.create(
        ChineseNormalizer.get_default_config(), model_storage, resource, execution_context
    )
    example = Message(
        {TEXT: "受理號SL20260001到哪了", "entities": [{"start": 3, "end": 13, "entity": "application_no"}]}
    )
    component.process_training_data(TrainingData([example]))
    assert example.get(TEXT) == "受理號SL20260001到哪了"


def _tokenizer(config, model_storage, resource, execution_context):
    return CatalogJiebaTokenizer.create(
        {**CatalogJiebaTokenizer.get_default_config(), **config}, model_storage, resource, execution_context
    )


@pytest.mark.parametrize(
    ("text", "expected_tokens"),
    [
        ("我要办出生医学证明", ["出生医学证明"]),
        ("营业执照怎么办", ["营业执照"]),
        ("开饭店 要办 什么证", ["开饭店"]),
    ],
)
def test_catalog_words_stay_whole_and_spaces_are_not_tokens(
    text, expected_tokens, tmp_path, model_storage, resource, execution_context
):
    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog" / "sample_city", catalog)
    tok = _tokenizer({"catalog_path": str(catalog)}, model_storage, resource, execution_context)
    tok.train(TrainingData())
    tokens = tok.tokenize(Message({TEXT: text}), TEXT)
    words = [t.text for t in tokens]
    for expected in expected_tokens:
        assert expected in words
    assert all(w.strip() for w in words)
    for t in tokens:
        assert text[t.start : t.end] == t.text


def test_tokenizer_dictionary_survives_persist_and_load(tmp_path, model_storage, resource, execution_context):
    import jieba

    catalog = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog" / "sample_city", catalog)
    tok = _tokenizer({"catalog_path": str(catalog)}, model_storage, resource, execution_context)
    tok.train(TrainingData())
    # The source of the dictionary is gone; only the model storage has it now.
    shutil.rmtree(catalog)
    jieba.dt.initialized = False  # forget the words loaded during training
    jieba.dt.user_word_tag_tab = {}
    jieba.initialize()
    loaded = CatalogJiebaTokenizer.load(
        {**CatalogJiebaTokenizer.get_default_config(), "catalog_path": str(catalog)},
        model_storage,
        resource,
        execution_context,
    )
    words = [t.text for t in loaded.tokenize(Message({TEXT: "出生医学证明在哪开"}), TEXT)]
    assert "出生医学证明" in words


def test_matter_linker_adds_candidates_and_entity(model_storage, resource, execution_context):
    linker = MatterLinker.create(MatterLinker.get_default_config(), model_storage, resource, execution_context)
    message = Message({TEXT: "护照过期了"})
    linker.process([message])
    matters = message.get("matters")
    assert 1 <= len(matters) <= 5
    assert "护照" in matters[0]["name"]
    assert any(e["entity"] == "matter" and e["value"] == matters[0]["id"] for e in message.get("entities"))
    assert "matters" in message.as_dict(only_output_properties=True)


def test_matter_linker_reads_another_catalog_without_training(tmp_path, model_storage, resource, execution_context):
    import json

    other = tmp_path / "other.json"
    other.write_text(
        json.dumps(
            {
                "format": "shouwen-catalog/1",
                "matters": [
                    {
                        "id": "X-1",
                        "name": "古树名木迁移审批",
                        "department": "林业局",
                        "materials": [],
                        "where": {},
                        "time_limit": {},
                        "fee": {"free": True},
                        "phones": {},
                    },
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    linker = MatterLinker.create(
        {**MatterLinker.get_default_config(), "catalog_path": str(other)}, model_storage, resource, execution_context
    )
    message = Message({TEXT: "古树要迁移怎么审批"})
    linker.process([message])
    assert message.get("matters")[0]["id"] == "X-1"
