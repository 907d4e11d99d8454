"""People's requests (objective tier 5): every on/off wish the plan does not grant.

A request names a person, the start of a period, a site (or `*`, any site) and a kind:
`on S` is granted if the person is at S in that period, `on *` if they are at any site,
`off S` if they are not at S, `off *` if they are home. Each ungranted request is one
ledger entry of amount 1 at the request's weight × weights.requests (none at weight 0).
The plan grid keeps every site a person is listed at, so a person listed at two sites in
one period (a one-activity violation) is "at" both of them here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from surgeplan.checker.ledger import TIER_REQUESTS, LedgerEntry
from surgeplan.checker.plan import Plan
from surgeplan.scenario.model import Scenario

ANY_SITE = "*"
ON = "on"
OFF = "off"


def listed_at(plan: Plan, person_id: str, start: date) -> frozenset[str]:
    """Sites a person is listed at in the period starting `start`; empty = home.

    A person or date outside the plan grid is home: nothing can be listed there.
    """
    row = plan.listed.get(person_id)
    if row is None or start not in plan.starts:
        return frozenset()
    return frozenset(row[plan.starts.index(start)])


def granted(kind: str, site_id: str, sites: frozenset[str]) -> bool:
    """Is an `on`/`off` request for `site_id` (or `*`) granted where the person is listed?"""
    if kind == ON:
        return bool(sites) if site_id == ANY_SITE else site_id in sites
    if kind == OFF:
        return not sites if site_id == ANY_SITE else site_id not in sites
    raise ValueError(f"request kind {kind!r} is neither {ON!r} nor {OFF!r}")


def scope_of(scenario: Scenario, person_id: str, start: date, site_id: str) -> str:
    """'P1, week of 2020-02-03, CHI' ('P1, 2020-02-03, *' for a day campaign, any site)."""
    period = f"week of {start}" if scenario.period == "week" else f"{start}"
    return f"{person_id}, {period}, {site_id}"


def request_entries(scenario: Scenario, plan: Plan) -> tuple[LedgerEntry, ...]:
    """One entry per ungranted request, in the scenario's order of requests."""
    scale = scenario.weights.requests
    entries: list[LedgerEntry] = []
    for r in scenario.requests:
        weight = Decimal(r.weight * scale)
        if weight == 0 or granted(r.kind, r.site_id, listed_at(plan, r.person_id, r.period_start)):
            continue
        entries.append(
            LedgerEntry(
                TIER_REQUESTS,
                f"request-{r.kind}",
                scope_of(scenario, r.person_id, r.period_start, r.site_id),
                Decimal(1),
                weight,
                weight,
                site_id=None if r.site_id == ANY_SITE else r.site_id,
                person_id=r.person_id,
                period_start=r.period_start,
            )
        )
    return tuple(entries)
