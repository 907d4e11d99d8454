"""Shortfall explanations: each officer who could fill a short demand is accounted for by the
rule that really keeps them away (cases built so that the reason is known)."""

from __future__ import annotations

from datetime import date, timedelta

from helpers import scenario, week
from surgeplan.checker import Assignment, check
from surgeplan.explain import explain
from surgeplan.scenario.model import Base, Grant, Person, Scenario, Unavailable


def deployed(person: str, site: str, *weeks: int) -> list[Assignment]:
    """Assignments of one officer to one site for the given week indices."""
    return [Assignment(person, site, week(k), week(k) + timedelta(days=6)) for k in weeks]


def reason_for(s: Scenario, plan: list[Assignment], site: str, k: int) -> str:
    """The explanation of the shortfall at `site` in week k."""
    found = [
        e
        for e in explain(s, plan, check(s, plan))
        if e.site_id == site and e.period_start == week(k)
    ]
    assert len(found) == 1
    return found[0].reason


def snipers(n: int) -> list[Person]:
    """n officers holding sniper."""
    return [
        Person(
            person_id=f"P{i}", name=f"O{i}", base_id="B1", qualifications=(Grant(name="sniper"),)
        )
        for i in range(1, n + 1)
    ]


def test_leave_and_rotation_elsewhere() -> None:
    """Two snipers: one on leave, one at A: B's sniper demand is short for those reasons."""
    s = scenario(
        weeks=1,
        people=snipers(2),
        sites=("A", "B"),
        demand=[("B", 0, "sniper", 1)],
        unavailable=[Unavailable(person_id="P1", start=date(2020, 2, 4), end=date(2020, 2, 4))],
    )
    text = reason_for(s, deployed("P2", "A", 0), "B", 0)
    assert text == (
        "B, week of 2020-02-03: 1 short of sniper. 2 holders of sniper; "
        "1 on leave that week; 1 at A in a rotation that started 2020-02-03 "
        "(rotation_min 1)."
    )


def test_rest_after_a_rotation() -> None:
    """Deployed weeks 0–1 with rest_min 2: week 3 falls in the rest."""
    s = scenario(
        weeks=5,
        people=snipers(1),
        sites=("A", "B"),
        demand=[("B", 3, "*", 1)],
        rules={"rest_min": 2},
    )
    assert "1 resting after a 2-week rotation (rest_min 2)" in reason_for(
        s, deployed("P1", "A", 0, 1), "B", 3
    )


def test_no_move_without_rest() -> None:
    """A rotation at A ending in week 1: B in week 2 would be a move with no rest."""
    s = scenario(weeks=3, people=snipers(1), sites=("A", "B"), demand=[("B", 2, "*", 1)])
    assert "would have to go straight from A with no rest (same_site_only)" in reason_for(
        s, deployed("P1", "A", 0, 1), "B", 2
    )


def test_deployed_max_used() -> None:
    """deployed_max 2 used in weeks 0–1: week 4 cannot be served by this officer."""
    s = scenario(
        weeks=5,
        people=snipers(1),
        sites=("A", "B"),
        demand=[("B", 4, "*", 1)],
        rules={"deployed_max": 2},
    )
    assert "has used all 2 deployable weeks (deployed_max)" in reason_for(
        s, deployed("P1", "A", 0, 1), "B", 4
    )


def test_base_release_cap() -> None:
    """Base cap 1 with P1 at A: P2 at home is held by the cap."""
    base = Base(base_id="B1", name="Home base", lat=31, lon=-106, max_away=1)
    s = scenario(
        weeks=1, people=snipers(2), bases=[base], sites=("A", "B"), demand=[("B", 0, "*", 1)]
    )
    assert "1 of Home base, which already releases its maximum of 1 (max_away)" in reason_for(
        s, deployed("P1", "A", 0), "B", 0
    )


def test_free_officer_is_called_free() -> None:
    """An idle officer bound by no rule is reported as free, not given a false reason."""
    s = scenario(weeks=1, people=snipers(1), sites=("B",), demand=[("B", 0, "*", 1)])
    assert "1 free, but sending them would cost more elsewhere" in reason_for(s, [], "B", 0)
