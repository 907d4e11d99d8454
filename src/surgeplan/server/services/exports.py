"""Plan exports for the workspace: rotations, the HTML report, iCalendar files.

The same report and calendar code as the command line, over a stored plan; a site lead
gets their own sites only (the full report, which lists every officer, is refused).
"""

from __future__ import annotations

from typing import Any

from surgeplan.checker import check
from surgeplan.checker.ledger import Stretch
from surgeplan.reports.calendar import officer_calendars, site_calendars
from surgeplan.reports.exports import rotations_csv
from surgeplan.reports.html import render_report
from surgeplan.server.errors import ForbiddenError, NotFoundError
from surgeplan.server.policy import Actor, Can
from surgeplan.server.services.accounts import require
from surgeplan.server.services.plans import plan_inputs
from surgeplan.server.store import Store


def _stretches(store: Store, actor: Actor, plan_id: int) -> tuple[Any, tuple[Stretch, ...]]:
    require(actor, Can.READ_NAMES)
    with store.read() as uow:
        scenario, assignments = plan_inputs(uow, plan_id)
    stretches = check(scenario, assignments).stretches
    return scenario, tuple(s for s in stretches if actor.sees_site(s.site_id))


def plan_rotations(store: Store, actor: Actor, plan_id: int) -> str:
    """rotations.csv: one row per rotation with its travel, lodging and M&IE."""
    scenario, stretches = _stretches(store, actor, plan_id)
    return rotations_csv(scenario, stretches)


def plan_report(store: Store, actor: Actor, plan_id: int) -> str:
    """report.html of a stored plan (the checker's figures)."""
    require(actor, Can.READ_NAMES)
    if actor.scoped:
        raise ForbiddenError(
            "the full report lists every officer; download your sites' rows instead"
        )
    with store.read() as uow:
        scenario, assignments = plan_inputs(uow, plan_id)
        plan = uow.plans.get(plan_id)
        assert plan is not None
        summary = dict(plan.summary)
    return render_report(scenario, assignments, check(scenario, assignments), summary)


def plan_calendar(store: Store, actor: Actor, plan_id: int, kind: str, key: str) -> str:
    """An .ics file of one officer's rotations or of one site's rotations."""
    scenario, stretches = _stretches(store, actor, plan_id)
    calendars = (officer_calendars if kind == "officer" else site_calendars)(scenario, stretches)
    if key not in calendars:
        raise NotFoundError(f"no rotations of {kind} {key!r} in plan {plan_id} that you may see")
    return calendars[key]
