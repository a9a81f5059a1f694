"""The stock Rasa 3.6 stack `make bench` compares Shouwen's chat turn with: what a Rasa user would
run instead, on the same training data (gateway venv; the stack's processes run in .venv-rasa).

    write_project(dir)          config.yml (STOCK_CONFIG, the `rasa init` pipeline), domain.yml
                                (the intents and entities of nlu_data/, one custom action),
                                data/rules.yml (every intent → that action)
    StockStack(project, model)  redis-server, `rasa run actions` with scripts/stock_rasa_actions.py
                                and `rasa run` on the stock model, with Rasa's own Redis tracker
                                store and REST channel (endpoints.yml, credentials.yml written at
                                start, when the ports are known); free ports, like Stack

Nothing of Shouwen is loaded: no `bot` component, no response-check patch, no lock store in Redis
(Rasa's default, in memory, as a single-server `rasa init` runs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from scripts.stack import RASA_BIN, ROOT, Part, Stack, _http_ok

__all__ = ["STOCK_CONFIG", "StockStack", "write_project"]

# The stock `rasa init` recipe (rasa/cli/initial_project/config.yml, default pipeline, policies left
# to Rasa's defaults: Memoization, Rule, UnexpecTED, TED) with the one change Chinese forces:
# WhitespaceTokenizer refuses language zh, so Rasa's own JiebaTokenizer (stock, default dictionary)
# takes its place. Everything else as Rasa writes it.
STOCK_CONFIG = """recipe: default.v1
assistant_id: stock
language: zh
pipeline:
  - name: JiebaTokenizer
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: 100
  - name: EntitySynonymMapper
  - name: ResponseSelector
    epochs: 100
  - name: FallbackClassifier
    threshold: 0.3
    ambiguity_threshold: 0.1
"""
ACTION = "action_say_intent"


def _nlu_labels() -> tuple[list[str], list[str]]:
    """The intents and the annotated entities of nlu_data/, in order of first appearance."""
    text = "\n".join(p.read_text("utf-8") for p in sorted((ROOT / "nlu_data").glob("*.yml")))
    intents = dict.fromkeys(re.findall(r"^- intent: (\w+)", text, re.M))
    entities = dict.fromkeys(re.findall(r"\]\((\w+)\)", text))
    return list(intents), list(entities)


def write_project(project: Path) -> Path:
    """The stock project's config, domain and rules under `project` (made if missing)."""
    intents, entities = _nlu_labels()
    (project / "data").mkdir(parents=True, exist_ok=True)
    (project / "config.yml").write_text(STOCK_CONFIG, "utf-8")
    domain = {"version": "3.1", "intents": intents, "entities": entities, "actions": [ACTION]}
    (project / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True), "utf-8")
    # nlu_fallback too: the FallbackClassifier's intent would otherwise meet no rule.
    steps = [{"intent": name} for name in [*intents, "nlu_fallback"]]
    rules = {"version": "3.1", "rules": [{"rule": "every intent", "steps": [{"or": steps}, {"action": ACTION}]}]}
    (project / "data" / "rules.yml").write_text(yaml.safe_dump(rules, allow_unicode=True), "utf-8")
    return project


@dataclass
class StockStack(Stack):
    """Redis, the stock action server and a stock Rasa server (no gateway, no records DB)."""

    project: Path = field(default_factory=Path)

    @staticmethod
    def _migrate(env: dict[str, str], echo: object) -> None:
        """No records database in a stock stack."""

    def plan(self) -> list[Part]:
        endpoints = {
            "action_endpoint": {"url": f"http://127.0.0.1:{self.action_port}/webhook"},
            "tracker_store": {"type": "redis", "url": "127.0.0.1", "port": self.redis_port, "db": 0},
        }
        (self.project / "endpoints.yml").write_text(yaml.safe_dump(endpoints), "utf-8")
        (self.project / "credentials.yml").write_text("rest:\n", "utf-8")
        redis = [p for p in super().plan() if p.name == "redis"]
        actions = [str(RASA_BIN / "rasa"), "run", "actions", "--actions", "scripts.stock_rasa_actions"]
        rasa = [str(RASA_BIN / "rasa"), "run", "--enable-api", "-i", "127.0.0.1", "-p", str(self.rasa_port)]
        rasa += ["-m", str(self.model), "--endpoints", str(self.project / "endpoints.yml")]
        rasa += ["--credentials", str(self.project / "credentials.yml")]
        return [
            *redis,
            Part(
                "stock-actions",
                [*actions, "--port", str(self.action_port)],
                lambda: _http_ok(f"http://127.0.0.1:{self.action_port}/health"),
                120,
                env={"SANIC_HOST": "127.0.0.1"},
            ),
            Part(
                "stock-rasa",
                rasa,
                lambda: _http_ok(f"http://127.0.0.1:{self.rasa_port}/status", "model_file"),
                240,
            ),
        ]
