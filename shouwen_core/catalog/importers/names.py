"""Importer for thin matter lists: one JSON line per matter with name, department, main_item, link.

Such lists (e.g. a district's published 事项清单) carry names only, no guide details, so
the matters they give have just what a matcher and a referral need:

    name       → name
    department → department
    main_item  → themes (the 主项 the matter is filed under), except "未分类"
    link       → url; its itemCode query parameter, when present, → id

Ids: the itemCode of the link, the province's own code; without one, "NM-" and the
first 10 hex digits of SHA-256 over department and name, so that re-importing the same
list gives the same ids.

Duplicates:
- the same id on two lines with the same name and department: the later line is
  skipped with a warning naming both lines;
- the same id with a different name or department: an error naming both lines;
- different ids but the same name and department (two registrations of one matter
  under different catalog codes): a citizen could not tell them apart, so the later
  line is skipped with a warning naming both lines.
A missing name or department is an error.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from ..errors import CatalogError
from ..model import Matter
from .clean import clean_name, clean_text, is_empty
from .report import ImportReport, count_unmapped
from .source import DuplicateGuard, iter_jsonl

__all__ = ["MAPPED_FIELDS", "read_matters", "stable_id"]

MAPPED_FIELDS = frozenset({"name", "department", "main_item", "link"})
_NO_THEME = {"未分类", "其他", "其它"}


def stable_id(department: str, name: str) -> str:
    digest = hashlib.sha256(f"{department}\x1f{name}".encode()).hexdigest()
    return f"NM-{digest[:10]}"


def _item_code(link: str) -> str:
    values = parse_qs(urlsplit(link).query).get("itemCode") if link else None
    return clean_name(values[0]) if values else ""


def read_matters(path: Path, report: ImportReport) -> list[Matter]:
    """The matters of a name list; skips, warnings and field counts go to report."""
    guard = DuplicateGuard(path, "id")
    by_name: dict[tuple[str, str], int] = {}
    unmapped: Counter[str] = Counter()
    matters: list[Matter] = []
    for row in iter_jsonl(path):
        report.rows_read += 1
        data = row.data
        name = clean_name(data.get("name"))
        department = clean_name(data.get("department"))
        for label, value in (("name", name), ("department", department)):
            if not value:
                raise CatalogError(f"line {row.line} has no {label}", str(path), row.line)
        link = clean_text(data.get("link")).replace("\n", "")
        matter_id = _item_code(link) or stable_id(department, name)
        first = guard.check(matter_id, row.line, (name, department))
        if first is not None:
            report.skip(row.line, f"repeat of line {first} (same id {matter_id})")
            report.warn(f"line {row.line}: same id, name and department as line {first}, skipped")
            continue
        first = by_name.setdefault((name, department), row.line)
        if first != row.line:
            report.skip(row.line, f"same name and department as line {first}")
            report.warn(f"line {row.line}: {name} ({department}) already on line {first} under another id, skipped")
            continue
        theme = clean_name(data.get("main_item"))
        matters.append(
            Matter(
                id=matter_id,
                name=name,
                department=department,
                themes=[theme] if theme and theme not in _NO_THEME else [],
                url=link,
            )
        )
        count_unmapped(unmapped, data, MAPPED_FIELDS, is_empty)
    report.unmapped_fields = dict(unmapped)
    return matters
