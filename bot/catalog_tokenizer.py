"""CatalogJiebaTokenizer: jieba with a user dictionary generated from the catalog and the lexicon.

At training time the words that matter for this catalog (matter names, aliases, 情形, materials,
departments, colloquial phrases) are written to a jieba user dictionary inside the model, so that
营业执照, 出生医学证明 or 开饭店 stay one token. Whitespace never becomes a token (a Rasa 3.6
pitfall with jieba). The dictionary is persisted with `model_storage.write_to`, so a trained model
does not need the catalog files to tokenize.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

__all__ = ["CatalogJiebaTokenizer", "catalog_words"]

logger = logging.getLogger(__name__)
DICT_FILE = "catalog_userdict.txt"


def catalog_words(catalog_path: str | None = None) -> List[str]:
    """Words for jieba: catalog names, aliases, cases, materials, departments and lexicon phrases."""
    from shouwen_core.catalog import load_catalog
    from shouwen_core.linker.lexicon import Lexicon
    from shouwen_core.settings import catalog_path as default_path
    from shouwen_core.text import normalize

    catalog = load_catalog(catalog_path or default_path())
    words = set()
    for m in catalog.matters:
        words.update([m.name, m.department, *m.aliases, *m.themes, *m.life_events])
        words.update(x.name for x in m.materials)
        for c in m.cases:
            words.update([c.name, *c.keywords])
    words.update(d.name for d in catalog.departments)
    words.update(e.phrase for e in Lexicon.load().entries)
    out = []
    for w in words:
        w = normalize(w).replace(" ", "")
        # Short, clean phrases only: long material names would swallow whole sentences.
        if 2 <= len(w) <= 10 and not w.isascii():
            out.append(w)
    return sorted(out)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True)
class CatalogJiebaTokenizer(Tokenizer):
    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            # Catalog to take the words from; None means SHOUWEN_CATALOG or the sample city.
            "catalog_path": None,
            # Frequency given to catalog words in the jieba dictionary (higher keeps them whole).
            "word_frequency": 2000,
            # Flag to check whether to split intents (Rasa tokenizer option).
            "intent_tokenization_flag": False,
            # Symbol on which intent should be split (Rasa tokenizer option).
            "intent_split_symbol": "_",
            # Regular expression to detect tokens (Rasa tokenizer option).
            "token_pattern": None,
            # Symbol on which prefix should be split (Rasa tokenizer option).
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> List[str] | None:
        return ["zh"]

    @staticmethod
    def required_packages() -> List[str]:
        return ["jieba"]

    def __init__(self, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource) -> None:
        super().__init__(config)
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CatalogJiebaTokenizer":
        return cls(config, model_storage, resource)

    @staticmethod
    def _load_dictionary(path: Path) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        if path.exists():
            jieba.load_userdict(str(path))

    def train(self, training_data: TrainingData) -> Resource:
        words = catalog_words(self._config["catalog_path"])
        freq = self._config["word_frequency"]
        with self._model_storage.write_to(self._resource) as directory:
            target = Path(directory) / DICT_FILE
            target.write_text("".join(f"{w} {freq}\n" for w in words), encoding="utf-8")
            self._load_dictionary(target)
        logger.info("jieba user dictionary: %d catalog words", len(words))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CatalogJiebaTokenizer":
        try:
            with model_storage.read_from(resource) as directory:
                cls._load_dictionary(Path(directory) / DICT_FILE)
        except ValueError:
            logger.debug("no catalog dictionary in the model for %s", resource.name)
        return cls(config, model_storage, resource)

    def tokenize(self, message: Message, attribute: str) -> List[Token]:
        import jieba

        text = message.get(attribute)
        tokens = [Token(word, start) for word, start, _end in jieba.tokenize(text) if word.strip()]
        return self._apply_token_pattern(tokens)
