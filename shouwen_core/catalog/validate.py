"""Catalog validation: the JSON Schema, the references between parts, and the coverage of the
一次性告知 elements (materials, where, time limit, fee, phone, process, next step).

`validate(data)` returns a Report; `Report.ok(require_complete)` says whether it passes.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Catalog, Matter

__all__ = ["ELEMENTS", "SCHEMA_PATH", "Report", "validate"]

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "catalog.schema.json"

# The elements of 一次性告知 and how to tell that a matter carries each.
ELEMENTS = {
    "materials": lambda m: bool(m.materials) or any(c.materials for c in m.cases),
    "where": lambda m: m.where.known,
    "time_limit": lambda m: m.time_limit.known,
    "fee": lambda m: m.fee.known,
    "consult_phone": lambda m: bool(m.phones.consult),
    "complaint_phone": lambda m: bool(m.phones.complaint),
    "process": lambda m: bool(m.process),
    "next_step": lambda m: bool(m.next_step),
}


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    incomplete: dict[str, list[str]] = field(default_factory=dict)  # matter id -> missing elements
    figures: dict[str, Any] = field(default_factory=dict)

    def ok(self, require_complete: bool = True) -> bool:
        return not self.errors and not (require_complete and self.incomplete)

    def summary(self) -> str:
        f = self.figures
        lines = [
            f"matters: {f.get('matters', 0)}  departments: {f.get('departments_of_matters', 0)}  "
            f"with 情形: {f.get('matters_with_cases', 0)} ({f.get('cases', 0)} cases)",
            f"一件事 packages: {f.get('packages', 0)}  halls: {f.get('halls', 0)}  "
            f"directory entries: {f.get('directory', 0)} (hotlines {f.get('hotlines', 0)})",
            f"matters with aliases: {f.get('matters_with_aliases', 0)}",
            "一次性告知 coverage:",
        ]
        for name, pct in f.get("coverage", {}).items():
            lines.append(f"  {name:<16} {pct:6.1f}%")
        lines.append(f"complete matters: {f.get('complete', 0)} / {f.get('matters', 0)}")
        if self.errors:
            lines.append(f"ERRORS ({len(self.errors)}):")
            lines.extend("  " + e for e in self.errors[:50])
            if len(self.errors) > 50:
                lines.append(f"  ... and {len(self.errors) - 50} more")
        if self.incomplete:
            lines.append(f"incomplete matters ({len(self.incomplete)}), first ones:")
            for mid, missing in list(self.incomplete.items())[:10]:
                lines.append(f"  {mid}: missing {', '.join(missing)}")
        return "\n".join(lines)


def _schema_errors(data: dict[str, Any]) -> list[str]:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = "/".join(str(p) for p in err.absolute_path)
        ident = _ident(data, list(err.absolute_path))
        out.append(f"{path}{ident}: {err.message[:200]}")
    return out


def _ident(data: dict[str, Any], path: list[Any]) -> str:
    """' (id X)' for errors inside a list item that has an id, to find it in the files."""
    if len(path) >= 2 and isinstance(path[1], int):
        try:
            return f" (id {data[path[0]][path[1]].get('id', '?')})"
        except (KeyError, IndexError, AttributeError, TypeError):
            return ""
    return ""


def _duplicates(kind: str, ids: list[str]) -> list[str]:
    return [f"duplicate {kind} id {i!r} ({n} times)" for i, n in Counter(ids).items() if n > 1]


def _missing(m: Matter) -> list[str]:
    return [name for name, check in ELEMENTS.items() if not check(m)]


def validate(data: dict[str, Any]) -> Report:
    report = Report(errors=_schema_errors(data))
    if report.errors:
        # The model cannot be trusted on a document that breaks the schema.
        report.figures = {"matters": len(data.get("matters", []))}
        return report
    cat = Catalog.from_dict(data)
    report.errors += _duplicates("matter", [m.id for m in cat.matters])
    report.errors += _duplicates("hall", [h.id for h in cat.halls])
    report.errors += _duplicates("department", [d.id for d in cat.departments])
    report.errors += _duplicates("package", [p.id for p in cat.packages])
    for m in cat.matters:
        for hw in m.where.halls:
            if cat.hall(hw.hall) is None:
                report.errors.append(f"matter {m.id}: unknown hall {hw.hall!r}")
        if m.department_id and cat.departments and cat.department(m.department_id) is None:
            report.errors.append(f"matter {m.id}: unknown department_id {m.department_id!r}")
        report.errors += _duplicates(f"case (matter {m.id})", [c.id for c in m.cases])
        if len(m.cases) == 1:
            report.errors.append(f"matter {m.id}: a single 情形 tells nothing apart; merge it into the matter")
        missing = _missing(m)
        if missing:
            report.incomplete[m.id] = missing
    for p in cat.packages:
        for s in p.steps:
            if cat.matter(s.matter) is None:
                report.errors.append(f"package {p.id}: unknown matter {s.matter!r}")
    n = max(len(cat.matters), 1)
    report.figures = {
        "matters": len(cat.matters),
        "departments_of_matters": len({m.department for m in cat.matters}),
        "matters_with_cases": sum(1 for m in cat.matters if m.cases),
        "cases": sum(len(m.cases) for m in cat.matters),
        "matters_with_aliases": sum(1 for m in cat.matters if m.aliases),
        "packages": len(cat.packages),
        "halls": len(cat.halls),
        "directory": len(cat.departments),
        "hotlines": sum(1 for d in cat.departments if d.kind == "hotline"),
        "coverage": {name: 100.0 * sum(1 for m in cat.matters if check(m)) / n for name, check in ELEMENTS.items()},
        "complete": len(cat.matters) - len(report.incomplete),
    }
    return report
