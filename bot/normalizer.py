"""ChineseNormalizer: traditional → simplified (OpenCC), full-width → half-width, noise removed.

Runs first in the pipeline, so the tokenizer, DIET and the matter linker all see one form of
the text: 護照過期了 and 护照过期了 are one question. The original text is kept in the message
under `original_text` for the transcript.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

__all__ = ["ChineseNormalizer"]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class ChineseNormalizer(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Keep the text as typed under this key (for transcripts and the linker's explanation).
            "original_key": "original_text",
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["opencc"]

    @staticmethod
    def supported_languages() -> List[str] | None:
        return ["zh"]

    def __init__(self, config: Dict[str, Any]) -> None:
        self._config = config

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ChineseNormalizer":
        return cls(config)

    def _normalize(self, message: Message) -> None:
        from shouwen_core.text import normalize

        text = message.get(TEXT)
        # Annotated training examples keep their text: entity offsets point into it.
        # "/intent{...}" payloads from buttons carry ids that must stay as they are.
        if not text or text.startswith("/") or message.get("entities"):
            return
        norm = normalize(text)
        if norm != text:
            # In the parse output too: the action keeps the person's words as typed (a ticket's
            # "E区" stays "E区"), while the NLU and the linker read the normalised text.
            message.set(self._config["original_key"], text, add_to_output=True)
            message.set(TEXT, norm or text)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalize(example)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._normalize(message)
        return messages
