"""impact.csv: what a re-plan changes for each officer, in the words of their orders.

One row per officer whose plan changed: the rotations before and after, how many trips are
booked and cancelled, and what it does to their cost. Both plans are priced by the checker
under the new scenario, so the deltas are the ones the budget will see.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from surgeplan.checker.ledger import Assignment, CheckReport, Stretch
from surgeplan.reports.exports import csv_text
from surgeplan.scenario.model import Scenario

IMPACT_COLUMNS = (
    "person_id",
    "name",
    "periods_changed",
    "before",
    "after",
    "trips_cancelled",
    "trips_booked",
    "cost_before_usd",
    "cost_after_usd",
    "cost_delta_usd",
)


def _by_person(stretches: Sequence[Stretch]) -> dict[str, list[Stretch]]:
    out: dict[str, list[Stretch]] = defaultdict(list)
    for s in stretches:
        out[s.person_id].append(s)
    return out


def _cells(assignments: Sequence[Assignment]) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for a in assignments:
        out[a.person_id].add((a.period_start.isoformat(), a.site_id))
    return out


def _describe(stretches: Sequence[Stretch]) -> str:
    return "; ".join(f"{s.site_id} {s.start}..{s.end}" for s in stretches) or "home"


def impact_rows(
    scenario: Scenario,
    before: Sequence[Assignment],
    after: Sequence[Assignment],
    before_report: CheckReport,
    after_report: CheckReport,
) -> list[tuple[object, ...]]:
    """One row per officer whose assignments differ, in roster order."""
    old_cells, new_cells = _cells(before), _cells(after)
    old_trips, new_trips = _by_person(before_report.stretches), _by_person(after_report.stretches)
    rows: list[tuple[object, ...]] = []
    for person in scenario.people:
        pid = person.person_id
        old, new = old_cells.get(pid, set()), new_cells.get(pid, set())
        if old == new:
            continue
        changed = len({start for start, _ in old ^ new})
        was, now = old_trips.get(pid, []), new_trips.get(pid, [])
        key = {(s.site_id, s.start, s.end) for s in was}
        kept = {(s.site_id, s.start, s.end) for s in now} & key
        cost_was = sum((s.cost_usd for s in was), Decimal(0))
        cost_now = sum((s.cost_usd for s in now), Decimal(0))
        rows.append(
            (
                pid,
                person.name,
                changed,
                _describe(was),
                _describe(now),
                len(was) - len(kept),
                len(now) - len(kept),
                cost_was,
                cost_now,
                cost_now - cost_was,
            )
        )
    return rows


def impact_csv(rows: Sequence[tuple[object, ...]]) -> str:
    """The rows as impact.csv."""
    return csv_text(IMPACT_COLUMNS, rows)
