"""Reading import files: encodings, JSON lines with their line numbers, duplicate ids.

Everything wrong with the file itself becomes a CatalogError naming the file and the
line, never a traceback: an operator fixes the file, not the code.

Encoding policy: import files must be UTF-8 (a BOM is accepted). A file that is not
UTF-8 but decodes as GB18030, the usual case for a CSV saved by Chinese Excel, is refused
with that diagnosis and how to fix it; guessing encodings would risk silently garbled
names in what citizens read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import CatalogError

__all__ = ["DuplicateGuard", "JsonLine", "decode_text", "iter_jsonl", "read_bytes"]

_GBK_HINT = "file is GBK/GB18030-encoded, save it as UTF-8 (in Excel: 另存为 → CSV UTF-8)"


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CatalogError("file not found", str(path)) from None
    except IsADirectoryError:
        raise CatalogError("is a folder, expected a file", str(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", str(path)) from None


def _encoding_error(data: bytes, path: Path, exc: UnicodeDecodeError, line: int | None) -> CatalogError:
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return CatalogError(f"not UTF-8 (bad byte at offset {exc.start}); save the file as UTF-8", str(path), line)
    return CatalogError(_GBK_HINT, str(path), line)


def decode_text(data: bytes, path: Path) -> str:
    """The whole file as text (UTF-8, BOM dropped), or a CatalogError naming the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _encoding_error(data, path, exc, line) from None


@dataclass
class JsonLine:
    """One parsed JSON object and its 1-based line number."""

    line: int
    data: dict[str, Any]


def iter_jsonl(path: Path) -> Iterator[JsonLine]:
    """The objects of a JSON-lines file; blank lines are skipped.

    Decoding line by line names the line of a bad byte, which is where the operator
    has to look.
    """
    data = read_bytes(path)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise _encoding_error(raw, path, exc, number) from None
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(
                f"broken JSON on line {number}: {exc.msg} (column {exc.colno})", str(path), number
            ) from None
        if not isinstance(obj, dict):
            raise CatalogError(f"line {number} is not a JSON object", str(path), number)
        yield JsonLine(number, obj)


class DuplicateGuard:
    """Remembers where each id was first seen and what the row said.

    `check` returns None for a new id, the first line for an exact repeat (to be skipped
    with a warning), and raises for the same id with different content: the importer
    cannot know which one is right.
    """

    def __init__(self, path: Path, id_label: str, unit: str = "line") -> None:
        self._path = path
        self._label = id_label
        self._unit = unit  # "line" for JSON lines, "row" for tables
        self._seen: dict[str, tuple[int, Any]] = {}

    def check(self, matter_id: str, line: int, content: Any) -> int | None:
        first = self._seen.get(matter_id)
        if first is None:
            self._seen[matter_id] = (line, content)
            return None
        first_line, first_content = first
        if first_content == content:
            return first_line
        raise CatalogError(
            f"duplicate {self._label} {matter_id!r} on {self._unit}s {first_line} and {line} with different content; "
            "remove or renumber one of them",
            str(self._path),
            line,
        )
