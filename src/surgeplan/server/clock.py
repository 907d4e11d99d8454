"""One clock for the server, so stored instants are all UTC."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current instant in UTC, to the microsecond."""
    return datetime.now(UTC)
