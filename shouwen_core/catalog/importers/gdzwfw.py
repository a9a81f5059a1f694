"""Importer for the Guangdong government-service export (广东政务服务网), one matter per JSON line.

Mapping (source field → matter field):

    TASK_CODE                          → id (实施编码)
    TASK_NAME, else matter_name        → name
    DEPT_NAME                          → department
    TASK_TYPE_TEXT, else matter_type   → type
    matter_level, else district        → level
    matter_short, matter_daily         → aliases (俗称), split at 、，; when a piece is
                                         under 3 characters the value is a keyword list
                                         ("无线电,频率,新申请"), and only its pieces of 4 or
                                         more characters are kept as names
    matter_name, subCatalogName,       → aliases when they differ from the name: the name
    parentCatalogName, CATANAME          without its qualifier, and the 目录 it belongs to
    subTaskName                        → alias only when it reads as a name of its own
                                         (6–30 characters, no sentence punctuation); short
                                         qualifiers like "（企业）" or "延续申请" are not
    theme_category                     → themes, without "其他"
    service_object_name                → service_objects (自然人 / 法人 / 其他组织)
    accept_standard                    → conditions
    material_intro                     → materials (list of strings, or HTML / numbered text)
    handle_location                    → where.location, "办理地点：" dropped
    URL                                → where.online_url and url
    ONLINECHECK (else online_book),    → where.online: not online → 不可网办; online and
    visit_number, handle_location        0 visits or no offline window → 全程网办; online
                                         but at least one visit → 网上申请窗口领取
    visit_number                       → where.visits
    handle_time / handle_time_limit    → time_limit.legal_days / promised_days (working days;
                                         自然日 ×5/7 rounded up, with a note)
    consult_phone / complain_phone     → phones.consult / phones.complaint
    courier_service = 是               → next_step "办理结果可邮寄送达"
    bear_paltform, online_book_addr,   → notes (网上办理平台, 网上预约, 协办部门)
    co_department

The export has no fee field: fee stays unknown (Fee(free=None)) and the report says so.
Left unmapped, and counted in the report: export bookkeeping (_id, ORGCODE, AREACODE,
AREA_CODE_TEXT, CATAID, parentCatalogId, TASK_TYPE, matter_code, LIMIT_SCENE_NUM, …).

Duplicates: a TASK_CODE seen again is an error naming both lines, unless the two lines
are identical apart from the database `_id` (an export that repeated a record); then
the repeat is skipped with a warning. A missing TASK_CODE, name or DEPT_NAME is an error.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import CatalogError
from ..model import Fee, Material, Matter, Phones, TimeLimit, Where
from .clean import (
    clean_name,
    clean_text,
    is_empty,
    parse_count,
    parse_days,
    service_objects,
    split_list,
)
from .materials import parse_material, split_materials
from .report import ImportReport, count_unmapped
from .source import DuplicateGuard, iter_jsonl

__all__ = ["MAPPED_FIELDS", "read_matters"]

MAPPED_FIELDS = frozenset(
    {
        "TASK_CODE", "TASK_NAME", "matter_name", "DEPT_NAME", "TASK_TYPE_TEXT", "matter_type",
        "matter_level", "district", "matter_short", "matter_daily", "subCatalogName",
        "parentCatalogName", "CATANAME", "subTaskName", "theme_category", "service_object_name",
        "accept_standard", "material_intro", "handle_location", "URL", "ONLINECHECK", "online_book",
        "visit_number", "handle_time", "handle_time_limit", "consult_phone", "complain_phone",
        "courier_service", "bear_paltform", "online_book_addr", "co_department",
    }
)  # fmt: skip

_NO_THEME = {"其他", "其它"}
_LOCATION_PREFIX = re.compile(r"^(?:办理地点|办事地点|地点|地址)\s*[:：]\s*")
_NO_WINDOW = re.compile(r"^(?:无|没有)(?:线下)?(?:办理|受理)?(?:窗口|地点)")
_SENTENCE = re.compile(r"[，,。；;：:]")
# A 俗称 value split into pieces is either a list of names ("上户口，报户口") or a list of
# keywords ("无线电,频率,新申请"); a piece shorter than TAG_BELOW tells the second kind,
# whose pieces become aliases only from KEYWORD_ALIAS characters on.
TAG_BELOW = 3
KEYWORD_ALIAS = 4
SUB_TASK_ALIAS = (6, 30)


def _split_aliases(value: Any) -> list[str]:
    parts = split_list(value, "、，,；;")
    if len(parts) <= 1 or all(len(p) >= TAG_BELOW for p in parts):
        return parts
    return [p for p in parts if len(p) >= KEYWORD_ALIAS]


def _aliases(data: dict[str, Any], name: str) -> list[str]:
    candidates = _split_aliases(data.get("matter_short")) + _split_aliases(data.get("matter_daily"))
    candidates += [clean_name(data.get(k)) for k in ("matter_name", "subCatalogName", "parentCatalogName", "CATANAME")]
    sub = clean_name(data.get("subTaskName")).strip("（）() ")
    if SUB_TASK_ALIAS[0] <= len(sub) <= SUB_TASK_ALIAS[1] and not _SENTENCE.search(sub):
        candidates.append(sub)
    out: list[str] = []
    for alias in candidates:
        if alias and alias != name and alias not in out:
            out.append(alias)
    return out


def _words(value: Any) -> list[str]:
    """A list field as clean words; a plain string is split at commas and semicolons only,
    because "、" occurs inside values such as 社会保障（社会保险、社会救助）."""
    items = value if isinstance(value, list) else split_list(value, "，,；;\n")
    out: list[str] = []
    for item in items:
        word = clean_name(item)
        if word and word not in out:
            out.append(word)
    return out


def _materials(value: Any) -> list[Material]:
    items = value if isinstance(value, list) else [value]
    out: list[Material] = []
    names: set[str] = set()
    for item in items:
        for line in split_materials(item):
            parsed = parse_material(line)
            if parsed and parsed.material.name not in names:
                names.add(parsed.material.name)
                out.append(parsed.material)
    return out


class _Tally:
    """Per-import counters that end up as a handful of report warnings, not thousands."""

    def __init__(self) -> None:
        self.natural_days = 0
        self.unparsed_days: Counter[str] = Counter()
        self.bad_visits: Counter[str] = Counter()
        self.unknown_objects: Counter[str] = Counter()

    def warnings(self, matters: int) -> list[str]:
        out = [f"fee unknown for all {matters} matters: the export has no fee field"]
        if self.natural_days:
            out.append(f"{self.natural_days} time limits given in 自然日 were converted to working days (×5/7)")
        if self.unparsed_days:
            top = "、".join(f"{v!r}×{n}" for v, n in self.unparsed_days.most_common(5))
            out.append(f"{sum(self.unparsed_days.values())} time limits not understood, kept as notes: {top}")
        if self.bad_visits:
            out.append(f"visit_number not a number, left empty: {dict(self.bad_visits)}")
        if self.unknown_objects:
            out.append(f"service_object_name words not recognised: {dict(self.unknown_objects)}")
        return out


def _time_limit(data: dict[str, Any], tally: _Tally) -> TimeLimit:
    notes: list[str] = []
    values: list[int | None] = []
    for key, label in (("handle_time", "法定时限"), ("handle_time_limit", "承诺时限")):
        days, note = parse_days(data.get(key))
        values.append(days)
        if note:
            notes.append(f"{label}：{note}")
            if days is None:
                tally.unparsed_days[note] += 1
            else:
                tally.natural_days += 1
    return TimeLimit(legal_days=values[0], promised_days=values[1], note="；".join(notes))


def _where(data: dict[str, Any], tally: _Tally) -> Where:
    location = _LOCATION_PREFIX.sub("", clean_text(data.get("handle_location")).replace("\n", " "))
    no_window = bool(_NO_WINDOW.match(location))
    if no_window or is_empty(location):
        location = ""
    try:
        visits = parse_count(data.get("visit_number"))
    except ValueError:
        tally.bad_visits[clean_text(data.get("visit_number"))] += 1
        visits = None
    check = clean_text(data.get("ONLINECHECK"))
    book = clean_text(data.get("online_book"))
    if check in ("1", "0"):
        online = "不可网办" if check == "0" else "全程网办" if visits == 0 or no_window else "网上申请窗口领取"
    else:
        online = {"是": "网上预约", "否": "不可网办"}.get(book, "")
    return Where(online=online, online_url=clean_text(data.get("URL")), visits=visits, location=location)


def _notes(data: dict[str, Any], online: str) -> str:
    notes = []
    platform = clean_name(data.get("bear_paltform"))
    if platform and online != "不可网办":
        notes.append(f"网上办理平台：{platform}")
    booking = clean_text(data.get("online_book_addr"))
    if booking:
        notes.append(f"网上预约：{booking}")
    co = clean_name(data.get("co_department"))
    if co:
        notes.append(f"协办部门：{co}")
    return "\n".join(notes)


def _matter(matter_id: str, name: str, department: str, data: dict[str, Any], tally: _Tally) -> Matter:
    objects, unknown = service_objects(_words(data.get("service_object_name")))
    tally.unknown_objects.update(unknown)
    themes = [t for t in _words(data.get("theme_category")) if t not in _NO_THEME]
    where = _where(data, tally)
    phones = Phones(
        consult=clean_text(data.get("consult_phone")).replace("\n", " "),
        complaint=clean_text(data.get("complain_phone")).replace("\n", " "),
    )
    return Matter(
        id=matter_id,
        name=name,
        department=department,
        aliases=_aliases(data, name),
        level=clean_name(data.get("matter_level")) or clean_name(data.get("district")),
        type=clean_name(data.get("TASK_TYPE_TEXT")) or clean_name(data.get("matter_type")),
        themes=themes,
        service_objects=objects,
        conditions=clean_text(data.get("accept_standard")),
        materials=_materials(data.get("material_intro")),
        where=where,
        time_limit=_time_limit(data, tally),
        fee=Fee(),  # the export has no fee field: unknown, never guessed as free
        phones=phones,
        next_step="办理结果可邮寄送达" if clean_text(data.get("courier_service")) == "是" else "",
        url=clean_text(data.get("URL")),
        notes=_notes(data, where.online),
    )


def _required(data: dict[str, Any], keys: tuple[str, ...], path: Path, line: int) -> str:
    for key in keys:
        value = clean_name(data.get(key))
        if value:
            return value
    raise CatalogError(f"line {line} has no {' or '.join(keys)}", str(path), line)


def read_matters(path: Path, report: ImportReport) -> list[Matter]:
    """The matters of a Guangdong export; skips, warnings and field counts go to report."""
    guard = DuplicateGuard(path, "TASK_CODE")
    tally = _Tally()
    unmapped: Counter[str] = Counter()
    matters: list[Matter] = []
    for row in iter_jsonl(path):
        report.rows_read += 1
        data = row.data
        matter_id = _required(data, ("TASK_CODE",), path, row.line)
        name = _required(data, ("TASK_NAME", "matter_name"), path, row.line)
        department = _required(data, ("DEPT_NAME",), path, row.line)
        # `_id` is the database's record id; two records saying the same thing are a repeat.
        first = guard.check(matter_id, row.line, {k: v for k, v in data.items() if k != "_id"})
        if first is not None:
            report.skip(row.line, f"repeat of line {first} (same TASK_CODE {matter_id})")
            report.warn(f"line {row.line}: identical to line {first} (TASK_CODE {matter_id}), skipped")
            continue
        matters.append(_matter(matter_id, name, department, data, tally))
        count_unmapped(unmapped, data, MAPPED_FIELDS, is_empty)
    report.unmapped_fields = dict(unmapped)
    report.warnings += tally.warnings(len(matters))
    return matters
