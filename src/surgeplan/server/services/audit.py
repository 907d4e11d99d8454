"""Reading and verifying the audit log."""

from __future__ import annotations

from typing import Any

from surgeplan.server.audit import verify
from surgeplan.server.clock import iso
from surgeplan.server.policy import Actor, Can
from surgeplan.server.services.accounts import require
from surgeplan.server.store import Store


def read_audit(store: Store, actor: Actor, limit: int, target: str | None) -> list[dict[str, Any]]:
    """The newest entries, newest first."""
    require(actor, Can.ADMINISTER)
    with store.read() as uow:
        return [
            {
                "id": e.id,
                "at": iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "target": e.target,
                "before": e.before,
                "after": e.after,
                "hash": e.hash,
            }
            for e in uow.audit.recent(limit, target)
        ]


def audit_report(store: Store) -> dict[str, Any]:
    """The chain checked end to end, and against the head row (catches a cut-off tail)."""
    with store.read() as uow:
        links = list(uow.audit.links())
        head_id, head_hash = uow.audit.head()
    problems = verify(store.settings.secret_key, links)
    last = links[-1] if links else None
    if (last.id if last else 0) != head_id or (last.hash if last else head_hash) != head_hash:
        problems.append(
            f"the log ends at entry {last.id if last else 0} but the head records entry "
            f"{head_id}; entries were removed from the end"
        )
    return {"ok": not problems, "entries": len(links), "problems": problems[:100]}


def verify_audit(store: Store, actor: Actor) -> dict[str, Any]:
    """`audit_report` for an admin."""
    require(actor, Can.ADMINISTER)
    return audit_report(store)
