"""Clerk accounts for the panel: passwords hashed with scrypt and a per-account salt (stdlib only),
stored as `scrypt$n$r$p$salt$hash` so the cost can be raised later without breaking old hashes."""

from __future__ import annotations

import hashlib
import hmac
import os
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from .db import new_id, now
from .schema import clerks

__all__ = ["create_clerk", "get_clerk", "hash_password", "verify_clerk", "verify_password"]

N, R, P = 2**14, 8, 1
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except ValueError:
        return False
    return hmac.compare_digest(got.hex(), digest)


# Passwords every guessing list starts with.
_COMMON = frozenset({"password", "password1", "qwertyui", "qwerty123", "iloveyou", "admin123", "abcd1234", "abc12345"})


def weak_password(password: str) -> bool:
    """Guessed in the first tries: only digits ("12345678", a birthday), fewer than 5 different
    characters ("aaaa1111"), or a common password."""
    return password.isdigit() or len(set(password)) < 5 or password.lower() in _COMMON


def create_clerk(engine: Engine, username: str, password: str, display_name: str = "") -> int:
    """A new active clerk; ValueError for an empty name, a short password or a taken name."""
    username = username.strip()
    if not username or len(username) > 64:
        raise ValueError("the username must be 1–64 characters")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password must have at least {MIN_PASSWORD} characters")
    if weak_password(password):
        raise ValueError("the password is too easy to guess (digits only, few different characters or a common one)")
    try:
        with engine.begin() as conn:
            result = conn.execute(
                clerks.insert().values(
                    username=username,
                    display_name=display_name.strip() or username,
                    password_hash=hash_password(password),
                    active=True,
                    created_at=now(),
                )
            )
            return new_id(result)
    except sa.exc.IntegrityError as exc:
        raise ValueError(f"the username {username!r} is taken") from exc


def get_clerk(engine: Engine, username: str) -> dict[str, Any] | None:
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(clerks.c.id, clerks.c.username, clerks.c.display_name, clerks.c.active).where(
                clerks.c.username == username
            )
        ).first()
    return dict(row._mapping) if row is not None else None


def verify_clerk(engine: Engine, username: str, password: str) -> dict[str, Any] | None:
    """The clerk (id, username, display_name) when the password is right and the account active."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(clerks).where(clerks.c.username == username)).first()
    if row is None:
        # Same work either way, so a wrong name is not faster to detect than a wrong password.
        verify_password(password, hash_password("x" * MIN_PASSWORD))
        return None
    if not (row.active and verify_password(password, row.password_hash)):
        return None
    return {"id": row.id, "username": row.username, "display_name": row.display_name}
