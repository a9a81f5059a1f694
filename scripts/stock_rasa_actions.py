"""The one custom action of the stock Rasa stack `make bench` compares with (scripts/bench_stock.py):
it says the intent's name, the least a custom action can do, so that the stock stack's turn costs
what Rasa's REST channel, tracker store, policies and an action-server call cost, nothing more."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

__all__ = ["ActionSayIntent"]


class ActionSayIntent(Action):
    def name(self) -> str:
        return "action_say_intent"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=(tracker.latest_message.get("intent") or {}).get("name") or "?")
        return []
