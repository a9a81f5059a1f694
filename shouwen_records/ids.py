"""Identifiers derived from a sender id: its channel, a one-way conversation hash, and stable
idempotency keys. Sender ids are `<channel>:<id>` (connectors/conversation.py `sender_id`)."""

from __future__ import annotations

import hashlib

from shouwen_core.pii import mask

__all__ = ["CHANNELS", "channel_of", "conversation_of", "event_key", "mask_contact"]

# The channels the gateway prefixes sender ids with (connectors.conversation.CHANNELS).
CHANNELS = ("web", "wechat", "api", "hall")


def channel_of(sender: str) -> str:
    prefix = sender.split(":", 1)[0] if ":" in sender else ""
    return prefix if prefix in CHANNELS else ""


def conversation_of(sender: str) -> str:
    """`wechat:o8x…` → `wechat:3fa2…`: joins one person's rows without keeping the id."""
    digest = hashlib.sha256(sender.encode("utf-8")).hexdigest()[:24]
    channel = channel_of(sender)
    return f"{channel}:{digest}" if channel else digest


def event_key(*parts: object) -> str:
    """A stable idempotency key from what identifies an event (sender, message id, kind)."""
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def mask_contact(contact: str) -> str:
    """A contact for lists and exports: phone numbers and IDs masked, anything else cut short."""
    masked = mask(contact)
    if masked != contact or len(contact) <= 4:
        return masked
    return contact[:2] + "*" * (len(contact) - 4) + contact[-2:]
