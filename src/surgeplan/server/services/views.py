"""What the web workspace draws for a plan: one JSON document per plan, cut by role.

Stored with each plan (`reports.view`, computed by the worker from the checker's report;
plans stored before that are built here once and cached). Officer-level parts are removed
for viewers and limited to their own sites for site leads. Aggregates (coverage, flows,
costs) are for everyone who may read summaries.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from surgeplan.checker import check
from surgeplan.reports.view import plan_view as view_of
from surgeplan.scenario.pins import parse_pins
from surgeplan.server.policy import Actor, Can
from surgeplan.server.services.plans import get_plan, plan_inputs
from surgeplan.server.services.scenarios import PINS
from surgeplan.server.store import Store

NAMED = ("officers", "rotations", "fairness", "pins")
"""Parts that name officers."""


@lru_cache(maxsize=16)
def _build(store: Store, plan_id: int) -> dict[str, Any]:
    with store.read() as uow:
        plan = uow.plans.get(plan_id)
        assert plan is not None
        if plan.view_sha256 is not None:
            stored: dict[str, Any] = json.loads(uow.blobs.get(plan.view_sha256))
            return stored
        scenario, assignments = plan_inputs(uow, plan_id)
        pins_text = uow.scenarios.files(plan.version_id).get(PINS, "")
    pins = parse_pins(pins_text, PINS, scenario) if pins_text else ()
    return view_of(scenario, assignments, check(scenario, assignments), pins)


def plan_view(store: Store, actor: Actor, plan_id: int) -> dict[str, Any]:
    """The plan's view for this actor: aggregates for all, officers as the role allows."""
    header = get_plan(store, actor, plan_id)
    view = {**_build(store, plan_id), "plan": header, "names_hidden": False}
    if not actor.can(Can.READ_NAMES):
        return {**view, **{key: [] for key in NAMED}, "names_hidden": True}
    if actor.scoped:
        rotations = [r for r in view["rotations"] if actor.sees_site(r["site_id"])]
        people = {r["person_id"] for r in rotations}
        view["rotations"] = rotations
        view["officers"] = [o for o in view["officers"] if o["person_id"] in people]
        view["fairness"] = [f for f in view["fairness"] if f["person_id"] in people]
        view["pins"] = [p for p in view["pins"] if actor.sees_site(p.get("site_id", ""))]
    return view
