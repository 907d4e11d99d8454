"""Deciding demand proposals."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from surgeplan.server.api.deps import ActorDep, Key, StoreDep
from surgeplan.server.services import proposals

router = APIRouter(prefix="/api/proposals", tags=["scenarios"])


@router.post("/{proposal_id}/accept")
def accept(store: StoreDep, actor: ActorDep, proposal_id: Key) -> dict[str, Any]:
    """Apply a proposal to demand.csv (a new scenario version)."""
    return proposals.decide(store, actor, proposal_id, accept=True)


@router.post("/{proposal_id}/decline")
def decline(store: StoreDep, actor: ActorDep, proposal_id: Key) -> dict[str, Any]:
    """Decline a proposal."""
    return proposals.decide(store, actor, proposal_id, accept=False)
