"""A turn's answer read back from a stored conversation: what a repeated turn id gets.

Clients give each message a turn id (the widget, the scale-out front's retries, WeChat's MsgId
through the gateway); it travels in the user message's metadata and is stored with the transcript.
"""

from __future__ import annotations

from typing import Any

__all__ = ["replies_after"]


def replies_after(events: list[dict[str, Any]], turn_id: str) -> list[dict[str, Any]] | None:
    """The bot messages that answered the user message carrying `turn_id`, as the REST channel
    returns them; None when no such user message is in the events."""
    out: list[dict[str, Any]] | None = None
    for event in events:
        kind = event.get("event")
        if kind == "user":
            if out is not None:
                break
            if (event.get("metadata") or {}).get("turn_id") == turn_id:
                out = []
        elif kind == "bot" and out is not None:
            reply: dict[str, Any] = {"text": event.get("text") or ""}
            buttons = (event.get("data") or {}).get("buttons")
            if buttons:
                reply["buttons"] = buttons
            out.append(reply)
    return out
