"""One semantic test per rule: the smallest scenario that makes it bind, solved to optimality.

Each optimum is worked out by hand in the docstring or a comment; every plan also passes
the independent checker and the engine's objective equals the checker's (solve_checked).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from helpers import scenario, sites_of, solve_checked
from surgeplan.scenario.model import Base, Grant, Person, Unavailable


def test_one_activity_per_period() -> None:
    """One officer cannot fill two sites in the same week: 1 short (weighted by priority 1)."""
    s = scenario(weeks=1, sites=("A", "B"), demand=[("A", 0, "*", 1), ("B", 0, "*", 1)])
    result, _ = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 1


def test_priority_decides_which_site_goes_short() -> None:
    """With one officer, the priority-3 site is served and the priority-1 site is short."""
    s = scenario(
        weeks=1, sites=("A", "B"), demand=[("A", 0, "*", 1), ("B", 0, "*", 1)], priority={"B": 3}
    )
    result, _ = solve_checked(s)
    assert sites_of(s, result) == [["B"]]
    assert result.objective is not None and result.objective.shortfall == 1  # A short, ×1


def test_unavailable_period_is_not_worked() -> None:
    """Leave on one day of week 0 blocks the whole week: the week-0 demand is short."""
    s = scenario(
        weeks=2,
        demand=[("S1", 0, "*", 1), ("S1", 1, "*", 1)],
        unavailable=[Unavailable(person_id="P1", start=date(2020, 2, 9), end=date(2020, 2, 9))],
    )
    result, _ = solve_checked(s)
    assert sites_of(s, result) == [["-", "S1"]]
    assert result.objective is not None and result.objective.shortfall == 1


def test_rotation_min_forces_whole_rotation() -> None:
    """rotation_min 2 in a 1-week campaign: no rotation fits, so the demand is short."""
    s = scenario(weeks=1, demand=[("S1", 0, "*", 1)], rules={"rotation_min": 2})
    result, _ = solve_checked(s)
    assert sites_of(s, result) == [["-"]]
    assert result.objective is not None and result.objective.shortfall == 1


def test_rotation_min_extends_rotation_beyond_demand() -> None:
    """Demand only in week 0 of 2 with rotation_min 2: the officer stays both weeks."""
    s = scenario(weeks=2, demand=[("S1", 0, "*", 1)], rules={"rotation_min": 2})
    result, _ = solve_checked(s)
    assert sites_of(s, result) == [["S1", "S1"]]


def test_rotation_max_caps_rotation() -> None:
    """rotation_max 2 over 3 weeks of demand for one officer: one week is short."""
    s = scenario(weeks=3, demand=[("S1", k, "*", 1) for k in range(3)], rules={"rotation_max": 2})
    result, _ = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 1


def test_rest_min_between_rotations() -> None:
    """Weeks 0 and 2 wanted, rotation_max 1: rest_min 2 allows only one; rest_min 1 both."""
    demand = [("S1", 0, "*", 1), ("S1", 2, "*", 1)]
    strict = scenario(weeks=3, demand=demand, rules={"rotation_max": 1, "rest_min": 2})
    loose = scenario(weeks=3, demand=demand, rules={"rotation_max": 1, "rest_min": 1})
    strict_result, _ = solve_checked(strict)
    loose_result, _ = solve_checked(loose)
    assert strict_result.objective is not None and strict_result.objective.shortfall == 1
    assert loose_result.objective is not None and loose_result.objective.shortfall == 0


def test_deployed_max_caps_total() -> None:
    """deployed_max 1 with demand in weeks 0 and 2: one of them is short."""
    s = scenario(weeks=3, demand=[("S1", 0, "*", 1), ("S1", 2, "*", 1)], rules={"deployed_max": 1})
    result, _ = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 1


def test_same_site_only() -> None:
    """A then B with no week home: one site is short when rotations stay put, none otherwise."""
    demand = [("A", 0, "*", 1), ("B", 1, "*", 1)]
    staying = scenario(weeks=2, sites=("A", "B"), demand=demand)
    moving = scenario(weeks=2, sites=("A", "B"), demand=demand, rules={"same_site_only": False})
    staying_result, _ = solve_checked(staying)
    moving_result, _ = solve_checked(moving)
    assert staying_result.objective is not None and staying_result.objective.shortfall == 1
    assert sites_of(moving, moving_result) == [["A", "B"]]


def test_base_max_away() -> None:
    """A base of two with max_away 1 releases one officer: demand of 2 is 1 short."""
    base = Base(base_id="B1", name="Base", lat=31.7, lon=-106.4, max_away=1)
    s = scenario(weeks=1, people=2, bases=[base], demand=[("S1", 0, "*", 2)])
    result, _ = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 1


def test_skill_cover_picks_the_qualified_officer() -> None:
    """Demand of one team lead: of two officers only P2 holds it, so P2 goes."""
    people = [
        Person(person_id="P1", name="One", base_id="B1"),
        Person(person_id="P2", name="Two", base_id="B1", qualifications=(Grant(name="lead"),)),
    ]
    s = scenario(weeks=1, people=people, demand=[("S1", 0, "lead", 1)])
    result, _ = solve_checked(s)
    assert sites_of(s, result) == [["-"], ["S1"]]


def test_qualification_must_be_valid_all_period() -> None:
    """A lead certificate lapsing mid-week does not count that week: 1 short."""
    lead = Grant(name="lead", valid_to=date(2020, 2, 5))
    people = [Person(person_id="P1", name="One", base_id="B1", qualifications=(lead,))]
    s = scenario(weeks=1, people=people, demand=[("S1", 0, "lead", 1)])
    result, _ = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 1


def test_skill_holders_count_toward_headcount() -> None:
    """Headcount 2 with one lead among them: two officers (one the lead) fill both rows."""
    people = [
        Person(person_id="P1", name="One", base_id="B1"),
        Person(person_id="P2", name="Two", base_id="B1", qualifications=(Grant(name="lead"),)),
    ]
    s = scenario(weeks=1, people=people, demand=[("S1", 0, "*", 2), ("S1", 0, "lead", 1)])
    result, _ = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 0


def test_cost_of_a_rotation_by_hand() -> None:
    """Two weeks at $125 lodging / $76 M&IE with a $400 fare cost $3,051.00.

    400 fare + 13 nights × 125 = 1,625 + M&IE 12 × 76 + 2 × 57.00 = 1,026 → 3,051.00
    (57.00 = 75% of 76; the night beginning on the last day is not paid).
    """
    s = scenario(
        weeks=2,
        demand=[("S1", 0, "*", 1), ("S1", 1, "*", 1)],
        per_diem={"S1": ("125", "76")},
        fares={("B1", "S1"): "400"},
    )
    _, report = solve_checked(s)
    assert report.cost_usd == Decimal("3051.00")


def test_cheaper_base_is_sent() -> None:
    """Same demand, two bases with fares $300 and $500: the $300 officer goes."""
    bases = [
        Base(base_id="B1", name="Near", lat=31, lon=-106),
        Base(base_id="B2", name="Far", lat=32, lon=-117),
    ]
    people = [
        Person(person_id="P1", name="Far one", base_id="B2"),
        Person(person_id="P2", name="Near one", base_id="B1"),
    ]
    s = scenario(
        weeks=1,
        people=people,
        bases=bases,
        demand=[("S1", 0, "*", 1)],
        fares={("B1", "S1"): "300", ("B2", "S1"): "500"},
    )
    result, report = solve_checked(s)
    assert sites_of(s, result) == [["-"], ["S1"]]
    assert report.cost_usd == Decimal("300.00")


def test_budget_cap_is_hard() -> None:
    """A $299 budget cannot pay a $300 fare: nobody goes and the demand is short."""
    s = scenario(
        weeks=1,
        demand=[("S1", 0, "*", 1)],
        fares={("B1", "S1"): "300"},
        rules={"budget_usd": Decimal("299")},
    )
    result, report = solve_checked(s)
    assert result.objective is not None and result.objective.shortfall == 1
    assert report.cost_usd == 0


def test_one_day_rotation_pays_75_percent_once() -> None:
    """Day periods: a one-day stretch at M&IE $76 costs fare 100 + 57.00 and no night."""
    s = scenario(
        period="day",
        days=3,
        demand=[("S1", 1, "*", 1)],
        per_diem={"S1": ("125", "76")},
        fares={("B1", "S1"): "100"},
    )
    _, report = solve_checked(s)
    assert report.cost_usd == Decimal("157.00")


def test_moving_sites_pays_each_stretch() -> None:
    """same_site_only false, A then B in days: two fares, two 1-day M&IE at 75%, no nights."""
    s = scenario(
        period="day",
        days=2,
        sites=("A", "B"),
        demand=[("A", 0, "*", 1), ("B", 1, "*", 1)],
        per_diem={"A": ("100", "60"), "B": ("100", "60")},
        fares={("B1", "A"): "10", ("B1", "B"): "20"},
        rules={"same_site_only": False},
    )
    _, report = solve_checked(s)
    assert report.cost_usd == Decimal("10") + Decimal("45.00") + Decimal("20") + Decimal("45.00")
