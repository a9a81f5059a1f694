"""MatterLinker: the NLU component that links a question to catalog matters.

It wraps the core linker (shouwen_core.linker): at load time it indexes the catalog named by
SHOUWEN_CATALOG (or its `catalog_path` option) and keeps it current (shouwen_core.live): a changed
catalog file or a new alias from staff takes effect within seconds, without retraining or a
restart. For each message it adds
  - `matters`: up to `top_k` candidates {id, name, score[, case]}, best first (in the parse output),
  - `link`: the whole result by id (matters, packages, directory entries), which action_consult
    restores instead of linking the question a second time,
  - the entity `matter` (and `case`) when the best candidate is confident.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

if TYPE_CHECKING:
    from shouwen_core.linker import Linker

__all__ = ["MatterLinker"]

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class MatterLinker(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Catalog to index; None means SHOUWEN_CATALOG or the sample city.
            "catalog_path": None,
            # How many candidates go into the parse output.
            "top_k": 5,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return ["zh"]

    @staticmethod
    def required_packages() -> List[str]:
        return ["pypinyin", "opencc"]

    def __init__(self, config: Dict[str, Any]) -> None:
        from shouwen_core.live import LiveCatalog
        from shouwen_records import overlay_source

        self._config = config
        self.live = LiveCatalog(config.get("catalog_path"), overlay=overlay_source())
        logger.info("MatterLinker indexed %d matters from %s", len(self.live.snapshot.catalog.matters), self.live.path)

    @property
    def linker(self) -> "Linker":
        return self.live.current().linker

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "MatterLinker":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            result = self.linker.link(text, limit=self._config["top_k"])
            message.set("matters", [c.as_dict() for c in result.matters], add_to_output=True)
            # The whole result, so that the action answering this message need not link it again.
            message.set("link", result.as_dict(), add_to_output=True)
            if result.package:
                message.set("package", result.package.id, add_to_output=True)
            if result.confident and result.top:
                entities = list(message.get(ENTITIES, []))
                entities.append(self._entity("matter", result.top.matter.id, result.top.score))
                if result.top.case:
                    entities.append(self._entity("case", result.top.case.id, result.top.score))
                message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _entity(self, name: str, value: str, score: float) -> Dict[str, Any]:
        return {"entity": name, "value": value, "confidence": score, "extractor": self.__class__.__name__}
