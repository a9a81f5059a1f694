"""Writing a catalog as one JSON document, atomically.

The bot and the gateway reload the catalog file while they run; they must never see a
half-written one. So the JSON is built in memory first (a bug in the data fails before
anything touches the disk), written to a temporary file in the same folder, flushed to
disk, and moved over the output with os.replace, which is atomic on one file system.
On any error the temporary file is removed and the old output stays as it was.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path

from ..errors import CatalogError
from ..model import Catalog

__all__ = ["write_catalog"]


def _mode_for(out: Path) -> int:
    # mkstemp creates 0600 files; keep the mode of the file we replace, or 0644, so that
    # a bot running as another user can still read the catalog. (Reading the umask
    # would mean setting it, which is process-wide and not thread-safe.)
    try:
        return stat.S_IMODE(out.stat().st_mode)
    except FileNotFoundError:
        return 0o644


def write_catalog(catalog: Catalog, out: str | Path) -> None:
    """Write catalog.to_dict() to out as UTF-8 JSON, all or nothing."""
    out = Path(out)
    try:
        text = json.dumps(catalog.to_dict(), ensure_ascii=False, indent=1) + "\n"
    except (TypeError, ValueError) as exc:
        raise CatalogError(f"catalog cannot be written as JSON: {exc}", str(out)) from None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(out)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise CatalogError(f"cannot write: {exc.strerror or exc}", str(out)) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, out)
    except BaseException as exc:
        # BaseException too: a Ctrl-C in the middle must not leave the temp file behind.
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise CatalogError(f"cannot write: {exc.strerror or exc}", str(out)) from None
        raise
