"""What an import did: rows read, matters written, what was skipped, mapped and left out.

The report is how an operator judges an import without reading 2,000 matters: which
target fields got filled how often, which source fields held data that went nowhere,
and every row that was dropped, with its line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..model import Matter

__all__ = ["ImportReport", "count_mapped", "count_unmapped"]

# Sub-objects of a matter whose own fields are worth counting one by one.
_NESTED = ("where", "time_limit", "fee", "phones")


@dataclass
class ImportReport:
    source: str
    kind: str
    rows_read: int = 0
    matters_written: int = 0
    departments: int = 0
    departments_with_phone: int = 0
    departments_with_address: int = 0
    national_numbers: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)
    mapped_fields: dict[str, int] = field(default_factory=dict)
    unmapped_fields: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, line: int, reason: str) -> None:
        self.skipped.append((line, reason))

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def summary(self, max_lines: int = 20) -> str:
        """A readable multi-line report; long lists are cut at max_lines each."""
        out = [
            f"导入 {self.kind}: {self.source}",
            f"  读取行数 rows read:        {self.rows_read}",
            f"  写入事项 matters written:  {self.matters_written}",
            f"  跳过 skipped:              {len(self.skipped)}",
            f"  部门 departments:          {self.departments}"
            f"（有电话 with a phone {self.departments_with_phone}，有地址 with an address {self.departments_with_address}）"
            f"，全国服务热线 nationwide numbers {self.national_numbers}",
            f"  用时 seconds:              {self.seconds:.2f}",
        ]
        if self.mapped_fields:
            out.append("  已映射字段 mapped fields (matters with a value):")
            out += _table(self.mapped_fields, self.matters_written)
        if self.unmapped_fields:
            out.append("  未映射字段 unmapped source fields (non-empty values not imported):")
            out += _table(self.unmapped_fields, self.rows_read)
        if self.skipped:
            out.append("  跳过的行 skipped rows:")
            out += [f"    {line}: {reason}" for line, reason in self.skipped[:max_lines]]
            out += _more(len(self.skipped), max_lines)
        if self.warnings:
            out.append("  警告 warnings:")
            out += [f"    {w}" for w in self.warnings[:max_lines]]
            out += _more(len(self.warnings), max_lines)
        return "\n".join(out)


def _table(counts: Mapping[str, int], total: int) -> list[str]:
    width = max(len(k) for k in counts)
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [f"    {k:<{width}}  {n:>6}  {100 * n / total if total else 0:5.1f}%" for k, n in rows]


def _more(count: int, shown: int) -> list[str]:
    return [f"    … and {count - shown} more"] if count > shown else []


def count_mapped(matters: Iterable[Matter]) -> dict[str, int]:
    """For each target field ("name", "where.location", …), how many matters have a value.

    Counted on `Matter.to_dict()`, which drops empty values, so this is exactly what
    the written catalog holds.
    """
    counts: Counter[str] = Counter()
    for matter in matters:
        for key, value in matter.to_dict().items():
            if key in _NESTED and isinstance(value, dict):
                counts.update(f"{key}.{sub}" for sub in value)
            else:
                counts[key] += 1
    return dict(counts)


def count_unmapped(
    counts: Counter[str], row: Mapping[str, Any], mapped: Iterable[str], is_empty: Callable[[object], bool]
) -> None:
    """Add to counts each field of row that holds a value and is not in mapped."""
    used = set(mapped)
    for key, value in row.items():
        if key in used or is_empty(value) or value in ([], {}):
            continue
        counts[key] += 1
