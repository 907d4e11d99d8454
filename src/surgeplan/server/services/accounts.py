"""Accounts, sign-in, sessions and rate limiting."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import timedelta

from surgeplan.server import orm
from surgeplan.server.clock import now
from surgeplan.server.errors import (
    ConflictError,
    ForbiddenError,
    InvalidError,
    RateLimitedError,
    UnauthenticatedError,
)
from surgeplan.server.policy import Actor, Can, Role
from surgeplan.server.security import (
    check_password,
    hash_password,
    new_token,
    password_problem,
    token_hash,
)
from surgeplan.server.store import Store

SYSTEM = "system"
"""Audit actor of changes made from the command line or at start-up."""


@dataclass(frozen=True, slots=True)
class SignIn:
    """A new session: the token (shown once) and, for browsers, a CSRF token."""

    token: str
    csrf: str | None
    actor: Actor
    expires_in: int


def actor_of(user: orm.User) -> Actor:
    """The policy view of an account."""
    return Actor(user.id, user.username, Role(user.role), frozenset(user.sites))


def require(actor: Actor, permission: Can) -> None:
    """Raise ForbiddenError unless the actor's role grants `permission`."""
    if not actor.can(permission):
        raise ForbiddenError(f"your role ({actor.role.value}) may not {permission.value}")


def create_user(
    store: Store,
    username: str,
    password: str,
    role: Role,
    sites: tuple[str, ...] = (),
    by: Actor | None = None,
) -> Actor:
    """Make an account (from the CLI, or by an admin); audited."""
    if by is not None:
        require(by, Can.ADMINISTER)
    problem = password_problem(password, username)
    if problem:
        raise InvalidError(problem, [{"field": "password", "message": problem}])
    if role is Role.SITE_LEAD and not sites:
        raise InvalidError("a site lead needs at least one site (--site CHI)")
    if role is not Role.SITE_LEAD and sites:
        raise InvalidError(f"only site leads have sites; a {role.value} sees every site")
    with store.write() as uow:
        if uow.users.by_name(username) is not None:
            raise ConflictError(f"user {username!r} exists already")
        user = uow.users.add(
            orm.User(
                username=username,
                password_hash=hash_password(
                    password, store.settings.argon2_time_cost, store.settings.argon2_memory_kib
                ),
                role=role.value,
                sites=sorted(sites),
                active=True,
                created_at=now(),
            )
        )
        after = {"username": username, "role": role.value, "sites": sorted(sites)}
        uow.audit.append(
            by.username if by else SYSTEM, "user.create", f"user:{username}", None, after
        )
        return actor_of(user)


def list_users(store: Store, by: Actor) -> list[dict[str, object]]:
    """Accounts (never their hashes)."""
    require(by, Can.ADMINISTER)
    with store.read() as uow:
        return [
            {"username": u.username, "role": u.role, "sites": u.sites, "active": u.active}
            for u in uow.users.list()
        ]


def sign_in(store: Store, username: str, password: str, client: str, browser: bool) -> SignIn:
    """Check a password and open a session; too many failures are refused for a while."""
    limits = store.settings
    since = now() - timedelta(seconds=limits.login_window_s)
    with store.write() as uow:
        by_name, by_client = uow.logins.recent(username, client, since)
        if max(by_name, by_client) >= limits.login_attempts:
            raise RateLimitedError(
                f"too many failed sign-ins; wait {limits.login_window_s // 60} minutes"
            )
        user = uow.users.by_name(username)
        ok = check_password(
            user.password_hash if user else None,
            password,
            limits.argon2_time_cost,
            limits.argon2_memory_kib,
        )
        if user is None or not ok or not user.active:
            uow.logins.add(username, client)
            failure = UnauthenticatedError("wrong user name or password")
        else:
            token, csrf = new_token(), (new_token() if browser else None)
            key = limits.secret_key
            hours = limits.session_hours
            uow.sessions.add(
                orm.Session(
                    token_hash=token_hash(key, token),
                    csrf_hash=token_hash(key, csrf) if csrf else None,
                    user_id=user.id,
                    kind="cookie" if browser else "bearer",
                    created_at=now(),
                    expires_at=now() + timedelta(hours=hours),
                )
            )
            return SignIn(token, csrf, actor_of(user), int(hours * 3600))
    raise failure  # after the commit, so the failure is counted


@dataclass(frozen=True, slots=True)
class Authenticated:
    """Who a token belongs to, and the CSRF hash a browser session must match."""

    actor: Actor
    kind: str
    csrf_hash: str | None


def authenticate(store: Store, token: str) -> Authenticated:
    """The live session of `token`, or UnauthenticatedError."""
    with store.read() as uow:
        record = uow.sessions.by_token(token_hash(store.settings.secret_key, token), now())
        user = uow.users.get(record.user_id) if record else None
        if record is None or user is None or not user.active:
            raise UnauthenticatedError("sign in first (your session is missing or expired)")
        return Authenticated(actor_of(user), record.kind, record.csrf_hash)


def sign_out(store: Store, token: str) -> None:
    """End a session."""
    with store.write() as uow:
        uow.sessions.remove(token_hash(store.settings.secret_key, token))


def check_csrf(store: Store, session: Authenticated, presented: str | None) -> None:
    """A browser session's unsafe request must carry its CSRF token."""
    if session.kind != "cookie":
        return
    expected = session.csrf_hash
    given = token_hash(store.settings.secret_key, presented) if presented else ""
    if expected is None or not hmac.compare_digest(given, expected):
        raise ForbiddenError("missing or wrong X-CSRF-Token header; reload the page and retry")
