"""The columns of the matters template (docs/catalog-template.md) and how a row becomes a Matter.

table.py reads the rows of a CSV or XLSX file; this module knows what each column
means. A value that cannot be read (是/否 column with "也许", an unknown 网办方式) is an
error naming the row and the column: the operator filling the template can fix it, and
a wrong answer to a citizen costs more than a failed import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CatalogError
from ..model import Fee, HallWindow, Material, Matter, Phones, TimeLimit, Where
from .clean import (
    clean_name,
    clean_text,
    parse_bool,
    parse_count,
    parse_days,
    service_objects,
    split_list,
    strip_numbering,
)
from .materials import parse_material
from .report import ImportReport

__all__ = ["COLUMNS", "REQUIRED", "Column", "column_for", "matter_from_row"]


@dataclass(frozen=True)
class Column:
    header: str  # as printed in the template
    key: str  # the matter field it fills ("where.visits")
    synonyms: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("事项编码", "id", ("实施编码",)),
    Column("事项名称", "name"),
    Column("俗称", "aliases", ("别名",)),
    Column("实施部门", "department", ("办理部门",)),
    Column("部门编号", "department_id"),
    Column("层级", "level"),
    Column("事项类型", "type"),
    Column("主题", "themes"),
    Column("一件事", "life_events"),
    Column("服务对象", "service_objects"),
    Column("受理条件", "conditions"),
    Column("申请材料", "materials"),
    Column("办理地点", "where.location"),
    Column("办理大厅", "where.halls"),
    Column("网办方式", "where.online"),
    Column("网办地址", "where.online_url"),
    Column("移动端", "where.app"),
    Column("全城通办", "where.citywide"),
    Column("本人到场", "where.in_person"),
    Column("跑动次数", "where.visits"),
    Column("法定时限", "time_limit.legal_days"),
    Column("承诺时限", "time_limit.promised_days"),
    Column("时限说明", "time_limit.note"),
    Column("收费", "fee"),
    Column("咨询电话", "phones.consult"),
    Column("投诉电话", "phones.complaint"),
    Column("办理流程", "process"),
    Column("下一步", "next_step"),
    Column("设定依据", "basis"),
    Column("网址", "url"),
    Column("备注", "notes"),
)
REQUIRED = ("id", "name", "department")

_BY_HEADER = {h: c for c in COLUMNS for h in (c.header, *c.synonyms)}
_ONLINE = ("全程网办", "网上申请窗口领取", "网上预约", "不可网办")
# What people write in a 收费 cell when nothing is charged; read before clean_text,
# which would turn "无" into an empty (unknown) cell.
_FREE = {"无", "否", "不收费", "免费", "免收", "免收费", "0", "0元", "零"}
_STEP_SEPARATORS = re.compile(r"\s*(?:→|->|⇒|⟶|\n)\s*")


def column_for(header: object) -> Column | None:
    """The column a header cell names; "事项编码*" (required mark) and spaces are allowed."""
    text = re.sub(r"\s+", "", str(header or "")).rstrip("*＊")
    return _BY_HEADER.get(text)


class _Row:
    """Cell access for one row, with errors that name the row and the column."""

    def __init__(self, cells: dict[str, object], row: int, path: Path, headers: dict[str, str]) -> None:
        self.cells, self.row, self.path, self.headers = cells, row, path, headers

    def error(self, key: str, message: str) -> CatalogError:
        return CatalogError(f"row {self.row}, column {self.headers[key]}: {message}", str(self.path), self.row)

    def raw(self, key: str) -> object:
        return self.cells.get(key)

    def text(self, key: str) -> str:
        return clean_text(self.cells.get(key))

    def line(self, key: str) -> str:
        return clean_text(self.cells.get(key)).replace("\n", " ")

    def items(self, key: str) -> list[str]:
        return split_list(self.cells.get(key))

    def flag(self, key: str) -> bool | None:
        try:
            return parse_bool(self.cells.get(key))
        except ValueError as exc:
            raise self.error(key, str(exc)) from None

    def count(self, key: str) -> int | None:
        try:
            return parse_count(self.cells.get(key))
        except ValueError as exc:
            raise self.error(key, str(exc)) from None


def _materials(r: _Row, report: ImportReport) -> list[Material]:
    out: list[Material] = []
    for line in r.text("materials").split("\n"):
        parsed = parse_material(line, pipes=True)
        if parsed is None:
            continue
        for token in parsed.unknown:
            report.warn(f"row {r.row}: material {parsed.material.name!r}: {token!r} not understood, kept as a note")
        out.append(parsed.material)
    return out


def _days(r: _Row, key: str, report: ImportReport) -> tuple[int | None, str]:
    days, note = parse_days(r.raw(key))
    if days is None and note:
        report.warn(f"row {r.row}, column {r.headers[key]}: {note!r} is not a number of days, kept as a note")
    return days, note


def _time_limit(r: _Row, report: ImportReport) -> TimeLimit:
    legal, legal_note = _days(r, "time_limit.legal_days", report)
    promised, promised_note = _days(r, "time_limit.promised_days", report)
    notes = [r.line("time_limit.note")]
    notes += [f"法定时限：{legal_note}" if legal_note else "", f"承诺时限：{promised_note}" if promised_note else ""]
    return TimeLimit(legal_days=legal, promised_days=promised, note="；".join(n for n in notes if n))


def _fee(r: _Row) -> Fee:
    raw = str(r.raw("fee") or "").strip().rstrip("。.")
    if raw in _FREE:
        return Fee(free=True, description="不收费")
    text = r.text("fee")
    if not text:
        return Fee()
    return Fee(free=text.startswith(("不收费", "免费", "免收")), description=text)


def _where(r: _Row) -> Where:
    online = r.line("where.online")
    if online and online not in _ONLINE:
        raise r.error("where.online", f"{online!r} is not one of {'、'.join(_ONLINE)}")
    halls = []
    for line in r.text("where.halls").split("\n"):
        hall, _, windows = re.sub(r"^(\S+?)[:：]", r"\1 ", line.strip()).partition(" ")
        if hall:
            halls.append(HallWindow(hall=hall, windows=windows.strip()))
    return Where(
        online=online,
        online_url=r.line("where.online_url"),
        app=r.line("where.app"),
        halls=halls,
        citywide=r.flag("where.citywide"),
        in_person=r.flag("where.in_person"),
        visits=r.count("where.visits"),
        location=r.line("where.location"),
    )


def matter_from_row(
    cells: dict[str, object], row: int, path: Path, headers: dict[str, str], report: ImportReport
) -> Matter:
    """One template row → Matter. cells maps column keys to raw cell values."""
    r = _Row(cells, row, path, headers)
    for key in REQUIRED:
        if not r.line(key):
            raise CatalogError(f"row {row}: {headers[key]} is empty", str(path), row)
    objects, unknown = service_objects(r.items("service_objects"))
    if unknown:
        raise r.error("service_objects", f"{'、'.join(unknown)} not understood; use 自然人、法人 or 其他组织")
    steps = [strip_numbering(s) for s in _STEP_SEPARATORS.split(r.text("process"))]
    return Matter(
        id=clean_name(r.raw("id")),
        name=clean_name(r.raw("name")),
        department=clean_name(r.raw("department")),
        aliases=r.items("aliases"),
        department_id=r.line("department_id"),
        level=r.line("level"),
        type=r.line("type"),
        themes=r.items("themes"),
        life_events=r.items("life_events"),
        service_objects=objects,
        conditions=r.text("conditions"),
        materials=_materials(r, report),
        where=_where(r),
        time_limit=_time_limit(r, report),
        fee=_fee(r),
        phones=Phones(consult=r.line("phones.consult"), complaint=r.line("phones.complaint")),
        process=[s for s in steps if s],
        next_step=r.text("next_step"),
        basis=r.text("basis"),
        url=r.line("url"),
        notes=r.text("notes"),
    )
