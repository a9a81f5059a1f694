"""`./shouwen`: the operator's command line.

    shouwen catalog validate [PATH] [--allow-incomplete]   schema, references, 一次性告知 coverage
    shouwen catalog import --from gdzwfw|names|table SRC -o OUT
    shouwen catalog stats [PATH]
    shouwen catalog show ID [--catalog PATH]
    shouwen ask [--catalog PATH] [--jsonl]                 question → matter (bot/ask.py, in the Rasa venv)
    shouwen records migrate|clerk-add|export|purge|stats   the records database (shouwen_records/cli.py)

Errors in the input are printed as one clear line with file and line, exit status 2; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from .catalog import CatalogError, load_catalog, read_catalog_dict
from .catalog.load import detect_format
from .catalog.validate import validate
from .settings import catalog_path

__all__ = ["main"]


def _catalog_arg(p: argparse.ArgumentParser, positional: bool = True) -> None:
    if positional:
        p.add_argument(
            "path", nargs="?", default=None, help="catalog folder or file (default: SHOUWEN_CATALOG or the sample city)"
        )
    else:
        p.add_argument("--catalog", dest="path", default=None, help="catalog folder or file")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="shouwen", description="Shouwen (首问) operator tools")
    sub = ap.add_subparsers(dest="cmd", required=True)
    cat = sub.add_parser("catalog", help="catalog tools").add_subparsers(dest="sub", required=True)
    v = cat.add_parser("validate", help="validate a catalog and report coverage")
    _catalog_arg(v)
    v.add_argument("--allow-incomplete", action="store_true", help="pass even when matters miss 一次性告知 elements")
    v.add_argument("--json", action="store_true", help="print the figures as JSON")
    i = cat.add_parser("import", help="import another catalog into the Shouwen format")
    i.add_argument("--from", dest="kind", required=True, choices=["gdzwfw", "names", "table"])
    i.add_argument("source")
    i.add_argument("-o", "--out", required=True, help="output JSON file (written atomically)")
    s = cat.add_parser("stats", help="counts per department, type, theme")
    _catalog_arg(s)
    sh = cat.add_parser("show", help="show one matter and its guidance card")
    sh.add_argument("id")
    _catalog_arg(sh, positional=False)
    a = sub.add_parser("ask", help="ask questions (interactive, or --jsonl batch)")
    _catalog_arg(a, positional=False)
    a.add_argument("--jsonl", action="store_true", help='read {"q": ...} lines on stdin, write one JSON line each')
    from shouwen_records.cli import add_parser

    add_parser(sub)
    return ap


def _path(arg: str | None) -> Path:
    return Path(arg) if arg else catalog_path()


def cmd_validate(args: argparse.Namespace) -> int:
    path = _path(args.path)
    if detect_format(path) == "shouwen":
        data = read_catalog_dict(path)
    else:
        data = load_catalog(path).to_dict()
    report = validate(data)
    ok = report.ok(require_complete=not args.allow_incomplete)
    if args.json:
        print(json.dumps({"ok": ok, **report.figures, "errors": report.errors[:100]}, ensure_ascii=False, indent=1))
    else:
        print(f"catalog: {path}")
        print(report.summary())
        print("OK" if ok else "FAILED")
    return 0 if ok else 1


def cmd_import(args: argparse.Namespace) -> int:
    from .catalog.importers import import_catalog, write_catalog

    catalog, report = import_catalog(args.kind, args.source)
    write_catalog(catalog, args.out)
    print(report.summary())
    print(f"written: {args.out}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    cat = load_catalog(_path(args.path))
    print(f"matters: {len(cat.matters)}")
    for title, counter in (
        ("departments", Counter(m.department for m in cat.matters)),
        ("types", Counter(m.type or "(none)" for m in cat.matters)),
        ("themes", Counter(t for m in cat.matters for t in m.themes)),
    ):
        print(f"\n{title} ({len(counter)}):")
        for name, n in counter.most_common(15):
            print(f"  {n:5d}  {name}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from .guidance import full_card

    cat = load_catalog(_path(args.path))
    matter = cat.matter(args.id)
    if matter is None:
        print(f"no matter with id {args.id!r} in {_path(args.path)}", file=sys.stderr)
        return 2
    print(json.dumps(matter.to_dict(), ensure_ascii=False, indent=1))
    print()
    for reply in full_card(cat, matter, matter.cases[0] if matter.cases else None):
        print(reply.text)
        print("---")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.cmd == "ask":
            print("`ask` runs in the Rasa venv: call it as ./shouwen ask", file=sys.stderr)
            return 2
        if args.cmd == "records":
            from shouwen_records.cli import run

            return run(args)
        return {"validate": cmd_validate, "import": cmd_import, "stats": cmd_stats, "show": cmd_show}[args.sub](args)
    except CatalogError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
