"""What the core hands to a channel: text and buttons. Channels render buttons their own way
(WeChat as numbered choices, the widget as buttons)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Button", "Reply"]


@dataclass
class Button:
    title: str
    payload: str
    # What choosing it means, "MATTER_ID" or "MATTER_ID#CASE_ID" (kept to resolve "第二个").
    value: str = ""


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text}
        if self.buttons:
            out["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        return out
