"""MaskingRedisTrackerStore: Rasa's Redis tracker store that masks personal data (ID card
numbers, mobile phones, bank cards) in every stored string before the transcript is written.

Actions still see the message as typed (the tracker they get is the in-memory one); what stays
in Redis, and what the clerk panel and exports read later, is masked.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

__all__ = ["MaskingRedisTrackerStore", "mask_strings"]


def mask_strings(value: Any) -> Any:
    """The same structure with every string masked."""
    from shouwen_core.pii import mask

    if isinstance(value, str):
        return mask(value)
    if isinstance(value, list):
        return [mask_strings(v) for v in value]
    if isinstance(value, dict):
        return {k: mask_strings(v) for k, v in value.items()}
    return value


class MaskingRedisTrackerStore(RedisTrackerStore):
    @staticmethod
    def serialise_tracker(tracker: DialogueStateTracker) -> str:
        return json.dumps(mask_strings(tracker.as_dialogue().as_dict()))
