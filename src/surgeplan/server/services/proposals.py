"""Demand proposals: a site lead asks for different headcounts at their own site; a
planner accepts (a new scenario version) or declines. Both steps are audited."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from surgeplan.server import orm
from surgeplan.server.clock import iso, now
from surgeplan.server.errors import ConflictError, ForbiddenError, InvalidError, NotFoundError
from surgeplan.server.policy import Actor, Can
from surgeplan.server.services.accounts import require
from surgeplan.server.services.scenarios import current_version, save_files, scenario_of
from surgeplan.server.store import Store


class DemandRow(BaseModel):
    """One demand cell: officers (`*`) or holders of a qualification needed in a period."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    period_start: date
    qualification: str = Field(default="*", pattern=r"^(\*|[A-Za-z0-9][A-Za-z0-9_.\-]*)$")
    required: int = Field(ge=0, le=1_000_000)


class ProposalIn(BaseModel):
    """A proposed change to one site's demand."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    site_id: str = Field(min_length=1, max_length=64)
    rows: list[DemandRow] = Field(min_length=1, max_length=2000)
    note: str = Field(default="", max_length=500)


def _view(p: orm.Proposal) -> dict[str, Any]:
    return {
        "id": p.id,
        "scenario_id": p.scenario_id,
        "base_version": p.base_version,
        "site_id": p.site_id,
        "rows": p.rows,
        "note": p.note,
        "status": p.status,
        "created_at": iso(p.created_at),
    }


def propose(store: Store, actor: Actor, scenario_id: int, proposal: ProposalIn) -> dict[str, Any]:
    """Record a proposal (a site lead only for their own sites)."""
    require(actor, Can.PROPOSE)
    if not actor.sees_site(proposal.site_id):
        raise ForbiddenError(f"you lead {', '.join(sorted(actor.sites))}, not {proposal.site_id}")
    with store.write() as uow:
        row, version = current_version(uow, scenario_id)
        scenario = scenario_of(uow, version.id)
        if proposal.site_id not in {s.site_id for s in scenario.sites}:
            raise InvalidError(f"site_id {proposal.site_id!r} is not a site of this scenario")
        starts = set(scenario.period_starts())
        wrong = [r.period_start.isoformat() for r in proposal.rows if r.period_start not in starts]
        if wrong:
            raise InvalidError(
                f"period_start {wrong[0]} is not the start of a {scenario.period} of the campaign"
            )
        record = uow.proposals.add(
            orm.Proposal(
                scenario_id=row.id,
                base_version=row.version,
                site_id=proposal.site_id,
                rows=[r.model_dump(mode="json") for r in proposal.rows],
                note=proposal.note,
                status="open",
                created_by=actor.id,
                created_at=now(),
            )
        )
        uow.audit.append(
            actor.username, "proposal.create", f"proposal:{record.id}", None, _view(record)
        )
        return _view(record)


def list_proposals(store: Store, actor: Actor, scenario_id: int) -> list[dict[str, Any]]:
    """Proposals of a scenario (a site lead sees those of their sites)."""
    require(actor, Can.PROPOSE)
    with store.read() as uow:
        current_version(uow, scenario_id)
        return [_view(p) for p in uow.proposals.list(scenario_id) if actor.sees_site(p.site_id)]


def decide(store: Store, actor: Actor, proposal_id: int, accept: bool) -> dict[str, Any]:
    """Accept (apply to demand.csv as a new version) or decline a proposal."""
    require(actor, Can.DECIDE)
    with store.write() as uow:
        record = uow.proposals.get(proposal_id)
        if record is None:
            raise NotFoundError(f"no proposal {proposal_id}")
        if record.status != "open":
            raise ConflictError(f"proposal {proposal_id} is already {record.status}")
        before = _view(record)
        if accept:
            row, version = current_version(uow, record.scenario_id)
            files = uow.scenarios.files(version.id)
            files["demand.csv"] = _apply(files["demand.csv"], record)
            save_files(uow, actor, row, files, f"proposal {record.id} accepted", "proposal.apply")
        record.status = "accepted" if accept else "declined"
        uow.audit.append(
            actor.username, "proposal.decide", f"proposal:{record.id}", before, _view(record)
        )
        return _view(record)


def _apply(demand: str, record: orm.Proposal) -> str:
    """demand.csv with the proposal's cells replaced (a required of 0 removes the cell)."""
    rows = list(csv.DictReader(io.StringIO(demand)))
    changed = {(r["period_start"], r["qualification"]): r["required"] for r in record.rows}
    kept = [
        r
        for r in rows
        if not (
            r["site_id"] == record.site_id and (r["period_start"], r["qualification"]) in changed
        )
    ]
    for (start, qualification), required in sorted(changed.items()):
        if int(required) > 0:
            kept.append(
                {
                    "site_id": record.site_id,
                    "period_start": start,
                    "qualification": qualification,
                    "required": str(required),
                }
            )
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=["site_id", "period_start", "qualification", "required"],
        lineterminator="\n",
    )
    writer.writeheader()
    writer.writerows(kept)
    return out.getvalue()
