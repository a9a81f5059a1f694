"""Importer for the matters template: a CSV (UTF-8, BOM or not) or XLSX file, one matter per row.

The first row holds the column headers of docs/catalog-template.md, in any order and
any subset, as long as 事项编码, 事项名称 and 实施部门 are there. An unknown header is an
error that names it and lists the known ones: a misspelt column would otherwise drop its
data without a word. Row numbers in messages are the spreadsheet's (the header is row 1),
so that "row 7" is the row the operator sees in Excel.

Blank rows are ignored. A repeated 事项编码 is an error naming both rows, unless the two
rows are identical; then the later one is skipped with a warning.
XLSX files are read with openpyxl (first worksheet), imported only when needed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ..errors import CatalogError
from ..model import Matter
from .clean import clean_text
from .report import ImportReport
from .source import DuplicateGuard, decode_text, read_bytes
from .table_columns import COLUMNS, REQUIRED, column_for, matter_from_row

__all__ = ["read_matters", "read_rows"]

Row = tuple[int, list[object]]


def _csv_rows(path: Path) -> Iterator[Row]:
    text = decode_text(read_bytes(path), path)
    try:
        # Spreadsheet row numbers: a cell with line breaks is still one row.
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error as exc:
        raise CatalogError(f"broken CSV: {exc}", str(path)) from None


def _xlsx_rows(path: Path) -> Iterator[Row]:
    try:
        import openpyxl
    except ImportError:
        raise CatalogError(
            "reading .xlsx needs openpyxl (pip install openpyxl); or save the sheet as CSV UTF-8", str(path)
        ) from None
    read_bytes(path)  # the same not-found / unreadable messages as for other files
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # zipfile, KeyError, XML errors …: all mean "not a workbook"
        raise CatalogError(
            f"not a readable .xlsx workbook ({type(exc).__name__}); save it again from Excel", str(path)
        ) from None
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, list(values)
    finally:
        book.close()


def read_rows(path: Path) -> Iterator[Row]:
    """(row number, cell values) of a .csv or .xlsx file, header row included."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix == ".csv":
        return _csv_rows(path)
    raise CatalogError("the table importer reads .csv and .xlsx files", str(path))


def _known_columns() -> str:
    return "、".join(c.header for c in COLUMNS)


def _header(cells: list[object], path: Path) -> tuple[list[str | None], dict[str, str]]:
    """Column keys by position (None for a blank header) and the header text of each key."""
    texts = [clean_text(c).replace("\n", "") for c in cells]
    if sum(1 for t in texts if t) == 1 and any(sep in texts[0] for sep in (";", "\t", "；")):
        raise CatalogError("row 1: columns must be separated by commas (save as CSV UTF-8)", str(path), 1)
    keys: list[str | None] = []
    headers = {c.key: c.header for c in COLUMNS}
    seen: dict[str, int] = {}
    for position, text in enumerate(texts, start=1):
        if not text:
            keys.append(None)
            continue
        column = column_for(text)
        if column is None:
            raise CatalogError(f"row 1: unknown column {text!r}; known columns: {_known_columns()}", str(path), 1)
        if column.key in seen:
            raise CatalogError(
                f"row 1: column {text!r} appears twice (columns {seen[column.key]} and {position})", str(path), 1
            )
        seen[column.key] = position
        headers[column.key] = text
        keys.append(column.key)
    missing = [headers[k] for k in REQUIRED if k not in seen]
    if missing:
        raise CatalogError(f"row 1: required columns missing: {'、'.join(missing)}", str(path), 1)
    return keys, headers


def _blank(value: object) -> bool:
    # Only a truly empty cell is blank here: "无" in 收费 means free, not unknown.
    return value is None or (isinstance(value, str) and not value.strip())


def _cells(keys: list[str | None], values: list[object], row: int, path: Path) -> dict[str, object]:
    cells: dict[str, object] = {}
    for position, value in enumerate(values):
        if _blank(value):
            continue
        key = keys[position] if position < len(keys) else None
        if key is None:
            raise CatalogError(f"row {row}: a value in column {position + 1}, which has no header", str(path), row)
        cells[key] = value
    return cells


def read_matters(path: Path, report: ImportReport) -> list[Matter]:
    """The matters of a template file; skips and warnings go to report."""
    rows = read_rows(path)
    first = next(rows, None)
    if first is None:
        raise CatalogError("empty file: expected a header row", str(path))
    keys, headers = _header(first[1], path)
    guard = DuplicateGuard(path, "事项编码", unit="row")
    matters: list[Matter] = []
    for row, values in rows:
        if all(_blank(v) for v in values):
            continue
        report.rows_read += 1
        cells = _cells(keys, values, row, path)
        matter = matter_from_row(cells, row, path, headers, report)
        repeat = guard.check(matter.id, row, {k: str(v).strip() for k, v in cells.items()})
        if repeat is not None:
            report.skip(row, f"repeat of row {repeat} (same 事项编码 {matter.id})")
            report.warn(f"row {row}: identical to row {repeat}, skipped")
            continue
        matters.append(matter)
    return matters
