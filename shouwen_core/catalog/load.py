"""Reading a catalog from disk, whatever its shape.

    load_catalog(path)
      ├─ a folder  → catalog.json (meta) + matters/*.json + halls.json + departments.json + packages.json
      ├─ *.json    → one document in the Shouwen format (what `shouwen catalog import -o` writes)
      └─ *.jsonl   → a raw export, detected and converted by its importer (Guangdong, names list)

Every failure is a CatalogError naming the file and line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import CatalogError
from .model import FORMAT, Catalog

__all__ = ["detect_format", "load_catalog", "read_catalog_dict"]


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogError("file not found", str(path)) from None
    except UnicodeDecodeError as exc:
        raise CatalogError(f"not UTF-8 (byte {exc.start}); convert the file to UTF-8", str(path)) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CatalogError(f"broken JSON: {exc.msg}", str(path), exc.lineno) from None


def read_catalog_dict(path: str | Path) -> dict[str, Any]:
    """The catalog as a plain dict in the Shouwen format (folder or single JSON file)."""
    path = Path(path)
    if path.is_dir():
        meta_file = path / "catalog.json"
        data: dict[str, Any] = dict(_read_json(meta_file)) if meta_file.exists() else {}
        data.setdefault("format", FORMAT)
        matters: list[dict[str, Any]] = list(data.get("matters", []))
        for f in sorted((path / "matters").glob("*.json")):
            part = _read_json(f)
            if not isinstance(part, list):
                raise CatalogError("a matters file must hold a JSON array of matters", str(f))
            matters.extend(part)
        data["matters"] = matters
        for key in ("halls", "departments", "packages"):
            f = path / f"{key}.json"
            if f.exists():
                part = _read_json(f)
                if not isinstance(part, list):
                    raise CatalogError(f"{key}.json must hold a JSON array", str(f))
                data[key] = part
        return data
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogError(f'not a Shouwen catalog (expected an object with "format": "{FORMAT}")', str(path))
    return data


def detect_format(path: str | Path) -> str:
    """'shouwen', 'gdzwfw' (Guangdong export) or 'names' (name/department list)."""
    path = Path(path)
    if path.is_dir() or path.suffix == ".json":
        return "shouwen"
    if path.suffix in (".csv", ".xlsx"):
        return "table"
    try:
        with path.open(encoding="utf-8") as fh:
            first = next((line for line in fh if line.strip()), "")
    except (OSError, UnicodeDecodeError):
        return "shouwen"
    if '"TASK_CODE"' in first:
        return "gdzwfw"
    if '"name"' in first:
        return "names"
    return "shouwen"


def load_catalog(path: str | Path) -> Catalog:
    """Load any supported catalog file or folder into a Catalog."""
    kind = detect_format(path)
    if kind != "shouwen":
        from .importers import import_catalog

        catalog, _report = import_catalog(kind, path)
        return catalog
    return Catalog.from_dict(read_catalog_dict(path))
