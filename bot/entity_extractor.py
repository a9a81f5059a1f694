"""NumberEntityExtractor: application numbers, ID numbers and phones, read with the core's grammar.

The NLU reads numbers with the same grammar as the services and personal-data masking
(shouwen_core.entities), so a number the parse calls APPLICATION_NO is one the progress look-up
accepts, and a PHONE is one masking hides. It replaces the spaCy entity rules the pipeline had
(a second grammar, which took numbers the core rejected).

Each entity carries the grammar's value (upper-cased application number, the phone's digits as
dialled in China, the ID number without spaces) and its offsets in the message text.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

__all__ = ["NumberEntityExtractor"]


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class NumberEntityExtractor(GraphComponent, EntityExtractorMixin):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # The kinds of shouwen_core.entities put in the parse (the domain's entity names);
            # DATE and HOTLINE are read too but no slot or service asks for them.
            "dimensions": ["APPLICATION_NO", "ID_NUMBER", "PHONE"],
        }

    @staticmethod
    def required_packages() -> List[str]:
        return ["phonenumbers"]

    def __init__(self, config: Dict[str, Any]) -> None:
        self._dimensions = frozenset(config["dimensions"])

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "NumberEntityExtractor":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        from shouwen_core.entities import find_entities

        for message in messages:
            found = [
                {"entity": e.kind, "value": e.value, "start": e.start, "end": e.end, "confidence": None}
                for e in find_entities(message.get(TEXT) or "")
                if e.kind in self._dimensions
            ]
            if found:
                message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found), add_to_output=True)
        return messages
