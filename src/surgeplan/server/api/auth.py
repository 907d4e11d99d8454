"""Sign-in for API clients (bearer token) and browsers (cookies + CSRF token)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from surgeplan.server.api.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    ActorDep,
    StoreDep,
    bearer,
    session_token,
)
from surgeplan.server.services.accounts import sign_in, sign_out

router = APIRouter(prefix="/api/auth", tags=["auth"])


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.post("/token")
def token(
    request: Request, store: StoreDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> dict[str, Any]:
    """OAuth2 password flow: a bearer token for API clients."""
    done = sign_in(store, form.username, form.password, _client(request), browser=False)
    return {"access_token": done.token, "token_type": "bearer", "expires_in": done.expires_in}


@router.post("/login")
def login(
    request: Request,
    response: Response,
    store: StoreDep,
    username: Annotated[str, Form(max_length=64)],
    password: Annotated[str, Form(max_length=256)],
) -> dict[str, Any]:
    """Browser sign-in: an HttpOnly session cookie and a CSRF token to echo in a header."""
    done = sign_in(store, username, password, _client(request), browser=True)
    secure = store.settings.secure_cookies
    response.set_cookie(
        SESSION_COOKIE,
        done.token,
        max_age=done.expires_in,
        httponly=True,
        secure=secure,
        samesite="strict",
        path="/",
    )
    response.set_cookie(
        CSRF_COOKIE, done.csrf or "", max_age=done.expires_in, secure=secure, samesite="strict"
    )
    return {
        "username": done.actor.username,
        "role": done.actor.role.value,
        "sites": sorted(done.actor.sites),
        "csrf_token": done.csrf,
    }


@router.post("/logout", status_code=204)
def logout(
    request: Request,
    response: Response,
    store: StoreDep,
    actor: ActorDep,
    token: Annotated[str | None, Depends(bearer)],
) -> None:
    """End this session (cookie or bearer)."""
    presented = session_token(request, token)
    if presented:
        sign_out(store, presented)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE)


@router.get("/me")
def me(actor: ActorDep) -> dict[str, Any]:
    """Who is signed in, with role and sites."""
    return {"username": actor.username, "role": actor.role.value, "sites": sorted(actor.sites)}
