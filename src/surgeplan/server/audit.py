"""The hash chain of the audit log: each entry's hash covers its content and the
previous hash, so editing, deleting or reordering any entry breaks every later link.

Hashes are keyed with the server's secret (HMAC-SHA-256): someone with write access to
the database alone cannot forge a consistent chain after tampering.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class Link:
    """The hashed fields of one audit entry."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    before: Any
    after: Any
    prev_hash: str
    hash: str


def entry_hash(key: str, prev_hash: str, fields: dict[str, Any]) -> str:
    """HMAC of the previous hash and the entry's canonical JSON."""
    body = json.dumps(fields, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(key.encode(), f"{prev_hash}\n{body}".encode(), hashlib.sha256).hexdigest()


def hashed_fields(
    id_: int, at: datetime, actor: str, action: str, target: str, before: Any, after: Any
) -> dict[str, Any]:
    """What the hash covers: everything but the hashes themselves."""
    return {
        "id": id_,
        "at": utc_naive(at).isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "target": target,
        "before": before,
        "after": after,
    }


def utc_naive(at: datetime) -> datetime:
    """The instant in UTC without a zone: SQLite returns stored times without one."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo is not None else at


def verify(key: str, links: Iterable[Link]) -> list[str]:
    """Problems found walking the chain in id order; empty when it is intact."""
    problems: list[str] = []
    prev = GENESIS
    expected_id: int | None = None
    for link in links:
        if expected_id is not None and link.id != expected_id:
            problems.append(
                f"entry {link.id}: follows entry {expected_id - 1}; entries are missing"
            )
        if link.prev_hash != prev:
            problems.append(f"entry {link.id}: does not chain to the entry before it")
        fields = hashed_fields(
            link.id, link.at, link.actor, link.action, link.target, link.before, link.after
        )
        if not hmac.compare_digest(entry_hash(key, link.prev_hash, fields), link.hash):
            problems.append(f"entry {link.id}: its content does not match its hash (altered)")
        prev, expected_id = link.hash, link.id + 1
    return problems
