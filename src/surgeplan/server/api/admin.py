"""Accounts and the audit log (admins only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from surgeplan.server.api.deps import ActorDep, StoreDep
from surgeplan.server.policy import Role
from surgeplan.server.services.accounts import create_user, list_users
from surgeplan.server.services.audit import read_audit, verify_audit

router = APIRouter(prefix="/api", tags=["admin"])


class NewUser(BaseModel):
    """An account to create."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    username: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@\-]*$", max_length=64)
    password: str = Field(max_length=256)
    role: Role
    sites: list[str] = Field(default_factory=list, max_length=100)


@router.get("/users")
def users(store: StoreDep, actor: ActorDep) -> list[dict[str, Any]]:
    """Every account (no password hashes)."""
    return list_users(store, actor)


@router.post("/users", status_code=201)
def add_user(store: StoreDep, actor: ActorDep, body: NewUser) -> dict[str, Any]:
    """Create an account."""
    made = create_user(store, body.username, body.password, body.role, tuple(body.sites), actor)
    return {"username": made.username, "role": made.role.value, "sites": sorted(made.sites)}


@router.get("/audit")
def audit(
    store: StoreDep,
    actor: ActorDep,
    limit: int = Query(default=100, ge=1, le=1000),
    target: str | None = Query(default=None, max_length=128),
) -> list[dict[str, Any]]:
    """The newest audit entries, optionally about one target (e.g. `scenario:1`)."""
    return read_audit(store, actor, limit, target)


@router.get("/audit/verify")
def audit_verify(store: StoreDep, actor: ActorDep) -> dict[str, Any]:
    """Walk the hash chain; `ok` is false with the problems if anything was altered."""
    return verify_audit(store, actor)
