"""What the core hands to a channel: text and buttons. Channels render buttons their own way
(WeChat as numbered choices, the widget as buttons); a button with a `url` is a link, not a
message to the bot (the widget opens it, WeChat prints it as a line of text)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Button", "Reply"]


@dataclass
class Button:
    title: str
    payload: str
    # What choosing it means, "MATTER_ID" or "MATTER_ID#CASE_ID" (kept to resolve "第二个").
    value: str = ""
    # A link ("/notice/LJ-GA-010"): a path is the gateway's own, the channel puts its address before it.
    url: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "payload": self.payload, **({"url": self.url} if self.url else {})}


@dataclass
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)
    # What the reply asks the person for, when a channel should react ("contact": the widget's
    # privacy note says what the phone is for instead of "do not send phone numbers").
    asks: str = ""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"text": self.text}
        if self.buttons:
            out["buttons"] = [b.as_dict() for b in self.buttons]
        if self.asks:
            out["asks"] = self.asks
        return out
