"""One clock for the server, so stored instants are all UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant in UTC, to the microsecond."""
    return datetime.now(UTC)


def iso(at: datetime) -> str:
    """An instant as ISO 8601 in UTC with `Z` (SQLite returns stored times without a zone)."""
    utc = at.astimezone(UTC) if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return utc.isoformat(timespec="seconds").replace("+00:00", "Z")
