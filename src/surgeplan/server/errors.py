"""Failures of a service call, mapped to HTTP statuses by the API layer only."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """Base: a message for the user and machine-readable details."""

    status = 400

    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class UnauthenticatedError(ServiceError):
    """No valid sign-in."""

    status = 401


class ForbiddenError(ServiceError):
    """Signed in, but the role does not allow it."""

    status = 403


class NotFoundError(ServiceError):
    """No such object (or not visible to this user)."""

    status = 404


class ConflictError(ServiceError):
    """A stale edit or a state that does not allow the action; details say what changed."""

    status = 409


class InvalidError(ServiceError):
    """Bad input: details list each problem with file, line, column and field."""

    status = 422


class RateLimitedError(ServiceError):
    """Too many failed sign-ins."""

    status = 429
