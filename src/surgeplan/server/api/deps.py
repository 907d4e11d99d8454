"""Request plumbing shared by the routes: the store, the signed-in actor, CSRF, If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import OAuth2PasswordBearer

from surgeplan.server.errors import InvalidError, UnauthenticatedError
from surgeplan.server.policy import Actor
from surgeplan.server.services.accounts import authenticate, check_csrf
from surgeplan.server.store import Store

MAX_ID = 2**31 - 1
"""Ids and versions fit a 32-bit column on every backend; larger numbers are a 422."""
Key = Annotated[int, Path(ge=1, le=MAX_ID)]
OptionalKey = Annotated[int | None, Query(ge=1, le=MAX_ID)]

SESSION_COOKIE = "surgeplan_session"
CSRF_COOKIE = "surgeplan_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def get_store(request: Request) -> Store:
    """The application's store."""
    store: Store = request.app.state.store
    return store


StoreDep = Annotated[Store, Depends(get_store)]


def session_token(request: Request, token: str | None) -> str | None:
    """The bearer token, else the session cookie."""
    return token or request.cookies.get(SESSION_COOKIE)


def current_actor(
    request: Request, store: StoreDep, token: Annotated[str | None, Depends(bearer)]
) -> Actor:
    """The signed-in user; browser sessions must send the CSRF token on unsafe methods."""
    presented = session_token(request, token)
    if not presented:
        raise UnauthenticatedError("sign in first: POST /api/auth/token or /api/auth/login")
    session = authenticate(store, presented)
    if request.method not in SAFE_METHODS and token is None:
        check_csrf(store, session, request.headers.get(CSRF_HEADER))
    return session.actor


ActorDep = Annotated[Actor, Depends(current_actor)]


def if_match(
    if_match: Annotated[
        str | None,
        Header(
            description="The scenario version the edit was made on (from GET's ETag); "
            "a stale version gets 409 with what changed."
        ),
    ] = None,
) -> int:
    """The version number an edit is based on; required so no edit overwrites blindly."""
    if if_match is None:
        raise InvalidError(
            "send the header If-Match with the scenario version you edited "
            '(the ETag of GET /api/scenarios/{id}, e.g. If-Match: "3")'
        )
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit() or not 1 <= int(text) <= MAX_ID:
        raise InvalidError(f'If-Match {if_match!r} is not a version number like "3"')
    return int(text)


VersionDep = Annotated[int, Depends(if_match)]
