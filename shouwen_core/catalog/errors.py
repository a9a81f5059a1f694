"""Errors raised while reading or importing a catalog: each names the file and the line or row."""

from __future__ import annotations

__all__ = ["CatalogError"]


class CatalogError(Exception):
    """A catalog could not be read. The message is meant for the operator, as it is."""

    def __init__(self, message: str, path: str = "", line: int | None = None) -> None:
        self.path = path
        self.line = line
        where = path + (f":{line}" if line is not None else "")
        super().__init__(f"{where}: {message}" if where else message)
