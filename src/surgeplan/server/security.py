"""Passwords (argon2id), session tokens and CSRF tokens.

Tokens are random and stored only as an HMAC under the server key: a copy of the
database does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD = 12


@lru_cache(maxsize=4)
def hasher(time_cost: int, memory_kib: int) -> tuple[PasswordHasher, str]:
    """An argon2id hasher with these costs, and a dummy hash to verify against when the
    user does not exist (so timing does not reveal which names exist)."""
    chosen = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
    return chosen, chosen.hash("not-a-password-anyone-has")


def hash_password(password: str, time_cost: int, memory_kib: int) -> str:
    """An argon2id hash of `password`."""
    return hasher(time_cost, memory_kib)[0].hash(password)


def check_password(stored: str | None, password: str, time_cost: int, memory_kib: int) -> bool:
    """True if `password` matches `stored` (hashes carry their own costs)."""
    chosen, dummy = hasher(time_cost, memory_kib)
    try:
        return chosen.verify(stored or dummy, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, username: str) -> str | None:
    """Why a password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"the password has {len(password)} characters; use at least {MIN_PASSWORD}"
    if username.lower() in password.lower():
        return "the password contains the user name; choose another"
    return None


def new_token() -> str:
    """A fresh random token (256 bits)."""
    return secrets.token_urlsafe(32)


def token_hash(key: str, token: str) -> str:
    """What the database stores for `token`."""
    return hmac.new(key.encode(), token.encode(), hashlib.sha256).hexdigest()
