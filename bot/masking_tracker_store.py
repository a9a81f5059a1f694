"""MaskingRedisTrackerStore: Rasa's Redis tracker store that masks personal data (ID card
numbers and phones in every written form, bank cards: shouwen_core.pii) in every stored string
before the transcript is written.

Actions still see the message as typed (the tracker they get is the in-memory one); what stays
in Redis, and what the clerk panel and exports read later, is masked.

Saving without re-reading. Rasa's RedisTrackerStore.save reads the stored transcript back and
merges it into the one being saved, because `retrieve` hands out only the latest conversation
session and a save must not drop the earlier ones. That read, parse and replay was a fifth of the
Rasa server's time per turn. A tracker that holds everything stored under its key — the whole
transcript was one session, or the conversation is new — is marked when it is made here, and its
save writes it directly. Any other tracker (several sessions stored, or one not made by this
store) is saved with Rasa's merge, as before. Turns of one conversation never overlap (Rasa's
Redis lock store), so nothing else writes the key between a retrieve and its save.
"""

from __future__ import annotations

import json
from typing import Any

from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker, get_trackers_for_conversation_sessions

__all__ = ["MaskingRedisTrackerStore", "mask_strings"]

# Set on a tracker that holds every event stored under its key (so its save needs no merge).
WHOLE = "_shouwen_whole_transcript"


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

    def init_tracker(self, sender_id: str) -> DialogueStateTracker:
        # Rasa starts every tracker of this store here: create_tracker (a retrieve found nothing
        # stored) and deserialise_tracker (filled with everything stored). Both hold the whole key;
        # only _retrieve's cut to the latest session makes one that does not.
        tracker = super().init_tracker(sender_id)
        setattr(tracker, WHOLE, True)
        return tracker

    async def _retrieve(self, sender_id: str, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        stored = self.red.get(self.key_prefix + sender_id)
        if stored is None:
            return None
        tracker = self.deserialise_tracker(sender_id, stored)
        if tracker is None:
            return None
        if not fetch_all_sessions:
            sessions = get_trackers_for_conversation_sessions(tracker)
            if len(sessions) > 1:
                return sessions[-1]  # the latest session only (unmarked): its save merges the rest back
        return tracker

    async def save(self, tracker: DialogueStateTracker, timeout: float | None = None) -> None:
        if not getattr(tracker, WHOLE, False):
            await super().save(tracker, timeout)
            return
        await self.stream_events(tracker)
        self.red.set(
            self.key_prefix + tracker.sender_id, self.serialise_tracker(tracker), ex=timeout or self.record_exp
        )
