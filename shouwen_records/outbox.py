"""A durable outbox: records that could not be written wait here, one JSON line each, fsync'd,
until the database takes them (Records.replay, on the next successful write and at startup).

Appends and replays of several processes (action server, gateway, CLI) are serialised by an
exclusive lock on `<file>.lock`. A line that can never be written (not JSON, unknown kind, bad
fields) moves to `<file>.rejected` for a person to look at, so it does not block the others.
The file holds what the database would (a ticket's contact too): it is readable by its owner only.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["Outbox", "Unavailable"]

logger = logging.getLogger(__name__)


class Unavailable(Exception):
    """Raised by a writer when the database cannot take the record now: keep it for later."""


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    @staticmethod
    def _write(path: Path, lines: list[str], mode: int) -> None:
        """Write the lines and fsync them: a record in the outbox survives a crash."""
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | mode, 0o600)
        try:
            os.write(fd, "".join(lines).encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def _append(self, path: Path, lines: list[str]) -> None:
        self._write(path, lines, os.O_APPEND)

    def append(self, kind: str, values: dict[str, Any]) -> None:
        """Keep one record durably (on disk when this returns)."""
        line = json.dumps({"kind": kind, "values": values}, ensure_ascii=False, default=str) + "\n"
        with self._locked():
            self._append(self.path, [line])

    def pending(self) -> bool:
        try:
            return self.path.stat().st_size > 0
        except FileNotFoundError:
            return False

    def drain(self, write: Callable[[str, dict[str, Any]], object]) -> int:
        """Write the kept records in order; stop at the first Unavailable and keep it and the
        rest. Returns how many were written."""
        with self._locked():
            try:
                lines = self.path.read_text("utf-8").splitlines(keepends=True)
            except FileNotFoundError:
                return 0
            written, rejected = 0, []
            for i, line in enumerate(lines):
                try:
                    entry = json.loads(line)
                    write(entry["kind"], entry["values"])
                except Unavailable:
                    self._rewrite(lines[i:])
                    break
                except (ValueError, KeyError, TypeError) as exc:
                    logger.error("outbox: a record cannot be written (%s); moved to %s.rejected", exc, self.path.name)
                    rejected.append(line)
                else:
                    written += 1
            else:
                self._rewrite([])
            if rejected:
                self._append(self.path.with_name(self.path.name + ".rejected"), rejected)
            return written

    def _rewrite(self, lines: list[str]) -> None:
        """Replace the file atomically with the records still waiting."""
        tmp = self.path.with_name(self.path.name + ".tmp")
        self._write(tmp, lines, os.O_TRUNC)
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
