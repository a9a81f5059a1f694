"""Paths and settings of the core, from environment variables (documented in the README)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ROOT", "catalog_path"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = ROOT / "catalog" / "sample_city"


def catalog_path() -> Path:
    """SHOUWEN_CATALOG: a catalog folder, a Shouwen JSON file or a raw export (detected)."""
    return Path(os.environ.get("SHOUWEN_CATALOG") or DEFAULT_CATALOG)
