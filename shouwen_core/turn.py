"""One turn: (text, the NLU's parse, what is in focus, the buttons offered) → the Answer.

Every place that answers a person goes through `answer`: the custom action `action_consult`
(actions/actions.py), `./shouwen ask` and `make eval` (bot/ask.py) and the clerk panel's
suggestion route (connectors/routers/clerk.py). What it reads from Rasa's parse:

    intent.name         the dialogue act DIET recognised (nlu_fallback when none)
    entities            {entity: value}: application_no, rating, matter/case from buttons …
    link                the matter linker's result (bot/matter_linker.py), reused, not redone
    original_text       the message as typed (bot/normalizer.py), kept in tickets and records

The clerk panel has no parse: the act is then unknown and the answer is the catalog's.
The answer is given in the person's script and language (shouwen_core/language.py): traditional
characters when they wrote so, an English summary first when they wrote English.
`Consultant.respond` decides the reply and the act; nothing else rewrites either.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .consult import Answer, Consultant
from .language import english_summary, in_persons_script, is_english

__all__ = ["act_of", "answer", "entities_of"]


def act_of(parse: Mapping[str, Any] | None) -> str:
    return str(((parse or {}).get("intent") or {}).get("name") or "nlu_fallback")


def entities_of(parse: Mapping[str, Any] | None) -> dict[str, str]:
    return {e["entity"]: str(e.get("value")) for e in (parse or {}).get("entities") or [] if e.get("entity")}


def answer(
    consultant: Consultant,
    text: str,
    parse: Mapping[str, Any] | None = None,
    focus: Mapping[str, str] | None = None,
    offered: Sequence[str] = (),
) -> Answer:
    """The reply to one message; `text` may be the normalised one, the parse's original wins."""
    parse = parse or {}
    typed = str(parse.get("original_text") or text)
    answer = consultant.respond(
        text=typed,
        intent=act_of(parse),
        entities=entities_of(parse),
        focus={k: v for k, v in (focus or {}).items() if v},
        offered=list(offered),
        link=consultant.linker.restore(parse.get("link"), typed),
    )
    if is_english(typed):
        summary = english_summary(consultant.catalog, answer.matter, answer.case, answer.kind)
        answer.replies.insert(0, summary)
    answer.replies = in_persons_script(answer.replies, typed)
    return answer
