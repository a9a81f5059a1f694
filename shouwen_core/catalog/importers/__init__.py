"""Catalog importers: turn someone else's matter list into a Shouwen catalog.

    import_catalog(kind, path) → (Catalog, ImportReport)
      ├─ "gdzwfw"  gdzwfw.py   Guangdong government-service export, JSON lines
      ├─ "names"   names.py    thin name/department lists, JSON lines
      └─ "table"   table.py    our matters template, CSV or XLSX (docs/catalog-template.md)
    write_catalog(catalog, out)  write.py, atomic

Shared parts: source.py reads files (encodings, JSON lines, duplicate ids), clean.py
cleans values (HTML, 无/null, day counts), materials.py reads 申请材料, report.py
counts what was mapped, directory.py gathers the departments of the matters into the
directory that referrals use, with the nationwide numbers (national.py). Every problem with the input is a CatalogError naming the file
and the line or row; nothing is written unless the whole import succeeded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..errors import CatalogError
from ..model import Catalog, Matter
from ..national import national_directory
from . import gdzwfw, names, table
from .directory import build_directory
from .report import ImportReport, count_mapped
from .write import write_catalog

__all__ = ["KINDS", "ImportReport", "import_catalog", "write_catalog"]

Reader = Callable[[Path, ImportReport], list[Matter]]

KINDS: dict[str, Reader] = {
    "gdzwfw": gdzwfw.read_matters,
    "names": names.read_matters,
    "table": table.read_matters,
}


def import_catalog(kind: str, path: str | Path) -> tuple[Catalog, ImportReport]:
    """Read path with the importer for kind; raise CatalogError on any bad input."""
    reader = KINDS.get(kind)
    if reader is None:
        raise CatalogError(f"unknown importer {kind!r}; known: {', '.join(KINDS)}", str(path))
    path = Path(path)
    report = ImportReport(source=str(path), kind=kind)
    start = time.perf_counter()
    matters = reader(path, report)
    departments = build_directory(matters)
    # Hotlines: the departments' own numbers stay; the nationwide ones (110, 95598, 12315 …) join.
    national = national_directory({d.phone for d in departments})
    catalog = Catalog(matters=matters, departments=departments + national, source=f"{kind}:{path.name}")
    report.matters_written = len(matters)
    report.departments = len(departments)
    report.departments_with_phone = sum(1 for d in departments if d.phone)
    report.departments_with_address = sum(1 for d in departments if d.address)
    report.national_numbers = len(national)
    report.mapped_fields = count_mapped(matters)
    report.seconds = time.perf_counter() - start
    return catalog, report
