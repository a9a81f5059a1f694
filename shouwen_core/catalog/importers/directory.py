"""The department directory of an imported catalog, built from its matters.

An export names, on every matter, the department that handles it, its consult and
complaint phones and its handling location. Gathered per department, those give the
directory entries that a referral needs when a question fits no matter well but is
near matters of one department ("停电了", "我家楼上装修", …): a name, a phone, an
address and the matters it handles (which the linker matches by meaning too).

    build_directory(matters) → list[Department]     and sets each Matter.department_id

    id       the table's 部门编号 where the matters carry one, else "D-" + sha256(name)[:10]
    phone    the department's most common consult phone, else its most common complaint phone
    address  its most common handling location (a matter without an offline window has none)
    handles  the names of its matters, most of them (a directory entry is not a catalog)
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from ...entities import HOTLINE, PHONE, find_entities
from ..model import Department, Matter

__all__ = ["MAX_HANDLES", "build_directory", "department_id"]

# Enough matter names for the linker to know what a department is about.
MAX_HANDLES = 24

_NO_ADDRESS = re.compile(r"^无.{0,6}(窗口|地点|场所)")


def department_id(name: str) -> str:
    """A stable id for a department known only by name."""
    return "D-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:10]


def build_directory(matters: Iterable[Matter]) -> list[Department]:
    """One directory entry per department of matters; each matter gets its department_id."""
    groups: dict[str, list[Matter]] = {}
    for matter in matters:
        if matter.department:
            groups.setdefault(matter.department, []).append(matter)
    directory: list[Department] = []
    for name, group in groups.items():
        given = Counter(m.department_id for m in group if m.department_id).most_common(1)
        dept_id = given[0][0] if given else department_id(name)
        for m in group:
            m.department_id = dept_id
        directory.append(
            Department(
                id=dept_id,
                name=name,
                phone=_most_common_phone(m.phones.consult for m in group)
                or _most_common_phone(m.phones.complaint for m in group),
                handles=_handles(group),
                address=_most_common(
                    m.where.location for m in group if m.where.location and not _NO_ADDRESS.match(m.where.location)
                ),
            )
        )
    return directory


def _most_common_phone(cells: Iterable[str]) -> str:
    phones: Counter[str] = Counter()
    for cell in cells:
        # The first number of a cell that may list several ("020-1234567 / 020-7654321；…"), as
        # written; a department's phone may be a hotline (12345) too.
        found = next((e for e in find_entities(cell or "") if e.kind in (PHONE, HOTLINE)), None)
        if found:
            phones[cell[found.start : found.end]] += 1
    return phones.most_common(1)[0][0] if phones else ""


def _most_common(values: Iterable[str]) -> str:
    counts = Counter(v.strip() for v in values if v.strip())
    return counts.most_common(1)[0][0] if counts else ""


def _handles(group: list[Matter]) -> list[str]:
    """Matter names without repeats, shortest first: the short ones say what a department does."""
    names = sorted({m.name for m in group}, key=lambda n: (len(n), n))
    return names[:MAX_HANDLES]
