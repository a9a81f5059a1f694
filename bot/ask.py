"""`./shouwen ask`: questions through the trained Rasa NLU model and the same core path as the
actions (`Consultant.respond`), without servers.

    ./shouwen ask [--catalog PATH] [--model models/shouwen.tar.gz]          interactive, keeps the focus
    ./shouwen ask --jsonl < questions.jsonl > answers.jsonl                  {"q": ...} → one line each:
        {"q", "act", "kind", "about", "matters": [{"id", "name", "score"}, ... up to 5], "reply", "buttons"}
        kind: card | case_choice | matter_choice | package | follow_up | referral | social | service
        (every ServiceDesk flow: progress, complaint, 办不成事, hand-off, rating); about: the
        matter id the reply is about, or null.

`--catalog` takes the Shouwen format or a raw export (detected); the matter linker inside the
model indexes the same catalog, so no retraining is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import warnings
from pathlib import Path
from typing import Any

__all__ = ["REPLY_KINDS", "Asker", "load_agent", "main", "reply_kind"]

ROOT = Path(__file__).resolve().parent.parent
# Kinds reported as they are; every other kind (the ServiceDesk flows) is "service".
REPLY_KINDS = ("card", "case_choice", "matter_choice", "package", "follow_up", "referral", "social")


def reply_kind(kind: str) -> str:
    """The kind of the first reply as `--jsonl` and `make eval` report it."""
    return kind if kind in REPLY_KINDS else "service"


def load_agent(model: Path, catalog: str | None = None) -> Any:
    """The trained model; its MatterLinker indexes `catalog` (or SHOUWEN_CATALOG) as it loads."""
    if catalog:
        os.environ["SHOUWEN_CATALOG"] = str(Path(catalog).resolve())
    from rasa.core.agent import Agent

    return Agent.load(str(model))


class Asker:
    """One conversation (or a batch of single questions) through the model and the core."""

    def __init__(self, agent: Any, core: Any) -> None:
        self.agent = agent
        self.core = core
        self.focus: dict[str, str] = {}
        self.offered: list[str] = []

    @classmethod
    def load(cls, catalog: str | None, model: Path) -> Asker:
        from shouwen_core.catalog import load_catalog
        from shouwen_core.consult import Consultant
        from shouwen_core.settings import catalog_path

        agent = load_agent(model, catalog)
        return cls(agent, Consultant(load_catalog(catalog_path())))

    async def answer(self, text: str, keep_focus: bool) -> tuple[Any, str]:
        """The core's Answer and the act the model recognised."""
        focus, offered = (self.focus, self.offered) if keep_focus else ({}, [])
        answer, act, _ = await self.answer_parsed(text, focus, offered)
        if keep_focus:
            self.focus = answer.focus or self.focus
            self.offered = [b.value for r in answer.replies for b in r.buttons if b.value]
        return answer, act

    async def answer_parsed(
        self, text: str, focus: dict[str, str] | None = None, offered: list[str] | None = None
    ) -> tuple[Any, str, dict[str, Any]]:
        """The Answer, the act and the model's parse (for answering the same parse again)."""
        from shouwen_core import turn
        from shouwen_core.text import MAX_MESSAGE_CHARS

        parse = await self.agent.parse_message(text[:MAX_MESSAGE_CHARS])
        answer = turn.answer(self.core, text, parse, focus, offered or [])
        return answer, answer.act or turn.act_of(parse), parse

    async def ask(self, text: str, keep_focus: bool) -> dict[str, Any]:
        answer, act = await self.answer(text, keep_focus)
        matters = [c.as_dict() for c in answer.link.matters[:5]] if answer.link else []
        return {
            "q": text,
            "act": act,
            "kind": reply_kind(answer.kind),
            "about": answer.matter.id if answer.matter is not None else None,
            "matters": [{"id": m["id"], "name": m["name"], "score": m["score"]} for m in matters],
            "reply": "\n\n".join(r.text for r in answer.replies),
            "buttons": [b.title for r in answer.replies for b in r.buttons],
        }


def _quiet() -> None:
    """Only answers go to stdout: Rasa's structlog debug lines and import warnings are muted."""
    import structlog

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))


async def _jsonl(asker: Asker) -> int:
    for no, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            question = item["q"] if isinstance(item, dict) else None
            if not isinstance(question, str):
                raise ValueError('expected {"q": "<question>"}')
        except (ValueError, KeyError) as exc:
            print(json.dumps({"q": None, "line": no, "error": str(exc)}, ensure_ascii=False), flush=True)
            continue
        print(json.dumps(await asker.ask(question, keep_focus=False), ensure_ascii=False), flush=True)
    return 0


async def _interactive(asker: Asker) -> int:
    print("首问 ask — 输入问题，空行退出。", file=sys.stderr)
    while True:
        try:
            text = input("> ")
        except EOFError:
            return 0
        if not text.strip():
            return 0
        out = await asker.ask(text, keep_focus=True)
        print(f"[{out['act']}] " + "  ".join(f"{m['name']}({m['score']:.2f})" for m in out["matters"][:3]))
        print(out["reply"])
        for i, title in enumerate(out["buttons"], 1):
            print(f"  {i}. {title}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="shouwen ask", description=__doc__.split("\n\n")[0])
    ap.add_argument("--catalog", help="catalog folder or file (default: SHOUWEN_CATALOG or the sample city)")
    ap.add_argument("--model", default=str(ROOT / "models" / "shouwen.tar.gz"))
    ap.add_argument("--jsonl", action="store_true", help='read {"q": ...} lines on stdin, write one JSON line each')
    args = ap.parse_args(argv)
    if not Path(args.model).exists():
        print(f"error: no trained model at {args.model}: run `make setup`", file=sys.stderr)
        return 2
    _quiet()
    from shouwen_core.catalog import CatalogError

    try:
        asker = Asker.load(args.catalog, Path(args.model))
        return asyncio.run(_jsonl(asker) if args.jsonl else _interactive(asker))
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
