"""Contract v1.1 in the engine: the fairness tier (spread of deployed periods over eligible
officers) and the requests tier (on/off wishes), each solved after cost and held after.

Every plan is solved to optimality with both formulations; the engine's objective must
equal Solution.evaluate and the independent checker's ledger tier by tier.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

import pytest

from helpers import MONDAY, scenario, sites_of, week
from surgeplan.checker import TIER_FAIRNESS, TIER_REQUESTS, CheckReport, check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine import Result, SolveOptions, Status, solve
from surgeplan.engine.decompose import restrict
from surgeplan.engine.solve import STAGE_SHARE, _carry_on, stages_of
from surgeplan.problem import ANY_ACTIVITY, HOME, Request
from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Base, Person, Scenario, Unavailable, Weights
from surgeplan.scenario.model import Request as Wish
from surgeplan.scenario.schema import schema_json
from surgeplan.service import BUILTIN, plan, summary
from surgeplan.solution import Objective, Solution


def with_v1_1(
    s: Scenario, wishes: Sequence[tuple[str, int, str, str, int]] = (), **weights: int
) -> Scenario:
    """`s` with requests (person, week index, site or *, on/off, weight) and weights."""
    return s.model_copy(
        update={
            "requests": tuple(
                Wish(person_id=p, period_start=week(k), site_id=site, kind=kind, weight=w)
                for p, k, site, kind, w in wishes
            ),
            "weights": Weights(**weights),
        }
    )


def solve_all(s: Scenario) -> tuple[Result, CheckReport]:
    """Solve with every formulation to optimality; all agree with evaluate and the checker."""
    problem = compile_scenario(s)
    results = [
        solve(problem, SolveOptions(20, workers=1, formulation=f))
        for f in ("periods", "rotations", "auto")
    ]
    for result in results:
        assert result.status is Status.OPTIMAL, result.stage_status
        assert result.solution is not None and result.objective is not None
        assert result.objective == result.solution.evaluate(problem)
        assert result.objective == results[0].objective
        report = check(s, decode(s, result.solution))
        assert report.violations == (), report.violations
        assert report.shortfall == result.objective.shortfall
        assert report.cost_usd == Decimal(result.objective.cost) / 100
        assert report.tier_total(TIER_FAIRNESS) == result.objective.fairness
        assert report.tier_total(TIER_REQUESTS) == result.objective.requests
    first = results[0]
    assert first.solution is not None
    return first, check(s, decode(s, first.solution))


PER_DIEM = {"S1": ("100.00", "60.00")}
FARES = {("B1", "S1"): "130.00"}
"""Flat prices under which a rotation of n weeks costs n × $1,120 whatever its length: the fare
equals the unpaid last night plus the two 75% days (130 = 100 + 2 × 15). Every plan that
meets the demand exactly then costs the same, and an officer more costs more."""
WEEK_USD = 1_120


def two_interchangeable() -> Scenario:
    """Two officers of one base, one site wanting one officer in week 0: either may go."""
    return scenario(weeks=1, people=2, demand=[("S1", 0, "*", 1)], per_diem=PER_DIEM, fares=FARES)


@pytest.mark.parametrize(
    ("wish", "goes"),
    [
        (("P2", 0, "S1", "on", 1), "P2"),
        (("P1", 0, "S1", "off", 1), "P2"),
        (("P2", 0, "*", "on", 1), "P2"),
        (("P2", 0, "*", "off", 1), "P1"),
        (("P1", 0, "*", "on", 5), "P1"),
        (("P1", 0, "S1", "off", 5), "P2"),
    ],
    ids=["on-site", "off-site", "on-any", "off-any", "on-any-other", "off-site-heavy"],
)
def test_a_request_decides_who_goes(wish: tuple[str, int, str, str, int], goes: str) -> None:
    """With the officers interchangeable, the one request decides who deploys, granted."""
    s = with_v1_1(two_interchangeable(), [wish])
    result, report = solve_all(s)
    assert result.objective == Objective(0, WEEK_USD * 100)
    assert stages_of(compile_scenario(s)) == ("shortfall", "cost", "requests")
    deployed = [
        p.person_id for p, row in zip(s.people, sites_of(s, result), strict=True) if row != ["-"]
    ]
    assert deployed == [goes]
    assert [e for e in report.ledger if e.tier == TIER_REQUESTS] == []


def test_requests_weight_scales_and_cost_comes_first() -> None:
    """P1 is cheaper (lower fare), so P1 goes even though P2 asks: cost is tier 3, requests
    tier 5. The ungranted request costs its weight × weights.requests = 2 × 3."""
    s = scenario(
        weeks=1,
        people=[
            Person(person_id="P1", name="One", base_id="B1"),
            Person(person_id="P2", name="Two", base_id="B2"),
        ],
        bases=[
            Base(base_id="B1", name="Near", lat=31.7, lon=-106.4),
            Base(base_id="B2", name="Far", lat=32.6, lon=-117.0),
        ],
        demand=[("S1", 0, "*", 1)],
        fares={("B1", "S1"): "300", ("B2", "S1"): "500"},
    )
    s = with_v1_1(s, [("P2", 0, "S1", "on", 2)], requests=3)
    result, report = solve_all(s)
    assert sites_of(s, result) == [["S1"], ["-"]]
    assert result.objective == Objective(0, 30_000, requests=6)
    (entry,) = [e for e in report.ledger if e.tier == TIER_REQUESTS]
    assert (entry.rule, entry.amount, entry.weight, entry.penalty) == (
        "request-on",
        Decimal(1),
        Decimal(6),
        Decimal(6),
    )


def test_requests_weight_zero_turns_the_tier_off() -> None:
    """weights.requests 0: requests cost nothing and the stage is skipped."""
    s = with_v1_1(two_interchangeable(), [("P2", 0, "S1", "on", 4)], requests=0)
    assert stages_of(compile_scenario(s)) == ("shortfall", "cost")
    result, _ = solve_all(s)
    assert result.objective == Objective(0, WEEK_USD * 100)


def test_unavailable_officer_cannot_grant_an_on_request() -> None:
    """An `on` request in a week of leave is missed whatever the plan; `off *` is granted."""
    s = scenario(
        weeks=2,
        people=2,
        demand=[("S1", 0, "*", 1)],
        unavailable=[Unavailable(person_id="P2", start=MONDAY, end=week(1))],
    )
    s = with_v1_1(s, [("P2", 0, "S1", "on", 3), ("P2", 1, "*", "off", 2)])
    result, _ = solve_all(s)
    assert result.objective == Objective(0, 0, requests=3)


def four_officers(demand: list[int], **weights: int) -> Scenario:
    """Four officers, one site with `demand[k]` officers wanted in week k, flat prices
    (PER_DIEM, FARES), no rotation limits: one officer may do every week alone, at the
    same cost."""
    rows = [("S1", k, "*", n) for k, n in enumerate(demand)]
    s = scenario(weeks=len(demand), people=4, demand=rows, per_diem=PER_DIEM, fares=FARES)
    return with_v1_1(s, **weights)


def loads(s: Scenario, result: Result) -> list[int]:
    """Deployed weeks per officer."""
    return [sum(site != "-" for site in row) for row in sites_of(s, result)]


def test_fairness_spreads_the_weeks() -> None:
    """Four officer-weeks among four officers: with fairness on, one week each (spread 0)."""
    s = four_officers([1, 1, 1, 1], fairness=2)
    assert stages_of(compile_scenario(s)) == ("shortfall", "cost", "fairness")
    result, report = solve_all(s)
    assert loads(s, result) == [1, 1, 1, 1]
    assert result.objective == Objective(0, 4 * WEEK_USD * 100, fairness=0)
    (entry,) = [e for e in report.ledger if e.tier == TIER_FAIRNESS]
    assert (entry.amount, entry.weight, entry.penalty) == (0, 2, 0)


def test_fairness_minimal_spread_is_one_for_five_weeks() -> None:
    """Five officer-weeks (two in the last week) among four: the best spread is 1."""
    s = four_officers([1, 1, 1, 2], fairness=3)
    result, report = solve_all(s)
    assert sorted(loads(s, result)) == [1, 1, 1, 2]
    assert result.objective == Objective(0, 5 * WEEK_USD * 100, fairness=3)
    (entry,) = [e for e in report.ledger if e.tier == TIER_FAIRNESS]
    assert (entry.amount, entry.weight, entry.penalty) == (1, 3, 3)


def test_fairness_off_is_v1() -> None:
    """weights.fairness 0 (the default): no fairness stage, tier 0, no ledger entry; the
    plan only has to cover the demand (it may be unbalanced)."""
    s = four_officers([1, 1, 1, 1])
    assert stages_of(compile_scenario(s)) == ("shortfall", "cost")
    result, report = solve_all(s)
    assert sum(loads(s, result)) == 4
    assert result.objective == Objective(0, 4 * WEEK_USD * 100)
    assert [e for e in report.ledger if e.tier == TIER_FAIRNESS] == []


def test_fairness_comes_after_cost() -> None:
    """A fare per rotation makes one four-week rotation the only cheapest plan: fairness
    (tier 4) cannot undo it, so the spread is 4 and costs 4 × weights.fairness."""
    demand = [("S1", k, "*", 1) for k in range(4)]
    fares = {("B1", "S1"): "250"}
    s = with_v1_1(scenario(weeks=4, people=4, demand=demand, fares=fares), fairness=5)
    result, report = solve_all(s)
    assert sorted(loads(s, result)) == [0, 0, 0, 4]
    assert result.objective == Objective(0, 25_000, fairness=20)
    (entry,) = [e for e in report.ledger if e.tier == TIER_FAIRNESS]
    assert (entry.amount, entry.weight, entry.penalty) == (4, 5, 20)


def test_officer_on_leave_all_campaign_is_not_eligible() -> None:
    """A fifth officer on leave for the whole campaign does not count: spread 0, not 1."""
    s = scenario(
        weeks=4,
        people=5,
        demand=[("S1", k, "*", 1) for k in range(4)],
        unavailable=[Unavailable(person_id="P5", start=MONDAY, end=week(4))],
        per_diem=PER_DIEM,
        fares=FARES,
    )
    s = with_v1_1(s, fairness=1)
    assert compile_scenario(s).fairness_people() == (0, 1, 2, 3)
    result, _ = solve_all(s)
    assert loads(s, result) == [1, 1, 1, 1, 0]
    assert result.objective == Objective(0, 4 * WEEK_USD * 100, fairness=0)


def test_fairness_and_requests_together() -> None:
    """Fairness (tier 4) before requests (tier 5): P1 asks for weeks 0 and 1, but one week
    each keeps the spread 0, so one of the two requests is missed."""
    s = four_officers([1, 1, 1, 1], fairness=1)
    s = with_v1_1(s, [("P1", 0, "S1", "on", 1), ("P1", 1, "S1", "on", 1)], fairness=1)
    assert stages_of(compile_scenario(s)) == ("shortfall", "cost", "fairness", "requests")
    result, _ = solve_all(s)
    assert loads(s, result) == [1, 1, 1, 1]
    assert result.objective == Objective(0, 4 * WEEK_USD * 100, requests=1, fairness=0)


def test_v1_scenarios_compile_as_before() -> None:
    """The built-in scenario has no requests and fairness off: the v1 stages only."""
    problem = compile_scenario(load_scenario(BUILTIN))
    assert problem.requests == ()
    assert problem.fairness_weight == 0
    assert not problem.single_objective
    assert stages_of(problem) == ("shortfall", "cost")
    assert stages_of(
        replace(problem, previous=((HOME,) * problem.num_periods,) * len(problem.people))
    ) == (
        "shortfall",
        "cost",
        "changes",
    )
    assert set(STAGE_SHARE) >= {"shortfall", "cost", "fairness", "requests"}


def test_request_semantics_on_a_grid() -> None:
    """`missed` for every kind: on/off a site, on/off any site, at home or at a site."""
    cases = {
        (0, True): {HOME: True, 0: False, 1: True},
        (0, False): {HOME: False, 0: True, 1: False},
        (ANY_ACTIVITY, True): {HOME: True, 0: False, 1: False},
        (ANY_ACTIVITY, False): {HOME: False, 0: True, 1: True},
    }
    for (activity, on), expected in cases.items():
        request = Request(0, 0, activity, on, 1)
        assert {at: request.missed(at) for at in (HOME, 0, 1)} == expected


def test_parts_carry_their_people_s_requests() -> None:
    """A sub-problem keeps the freed people's requests, re-indexed to its own people."""
    s = with_v1_1(
        scenario(weeks=1, people=3, demand=[("S1", 0, "*", 1)]),
        [("P1", 0, "S1", "on", 1), ("P3", 0, "*", "off", 2)],
    )
    problem = compile_scenario(s)
    sub = restrict(problem, Solution(((HOME,), (HOME,), (HOME,))), [1, 2])
    assert sub.requests == (Request(1, 0, ANY_ACTIVITY, False, 2),)


def test_service_plan_checks_every_tier_and_summarises_them() -> None:
    """service.plan compares fairness and requests with the checker too; summary.json shows
    the tiers that are on, and a v1 scenario's summary keeps its v1 keys."""
    s = with_v1_1(four_officers([1, 1, 1, 2]), [("P1", 0, "*", "off", 2)], fairness=3)
    outcome = plan(s, SolveOptions(20, workers=1))
    data = summary(outcome)
    assert data["objective"] == {
        "shortfall": 0,
        "cost_usd": "5600.00",
        "fairness": 3,
        "requests": 0,
        "changes": 0,
    }
    v1 = summary(plan(four_officers([1, 1, 1, 1]), SolveOptions(20, workers=1)))
    assert set(v1["objective"]) == {"shortfall", "cost_usd", "changes"}


def test_schema_names_the_v1_1_parts() -> None:
    """`surgeplan schema` documents the requests table and the two new weights."""
    schema = json.loads(schema_json())
    assert "requests" in schema["properties"]
    weights = schema["$defs"]["Weights"]["properties"]
    assert (weights["fairness"]["default"], weights["requests"]["default"]) == (0, 1)
    request = schema["$defs"]["Request"]["properties"]
    assert set(request) == {"person_id", "period_start", "site_id", "kind", "weight"}
    assert request["kind"]["enum"] == ["on", "off"]


def test_a_stage_without_a_plan_ends_v1_solves_but_not_the_soft_stages() -> None:
    """A stage that runs out of time without a plan ends a v1 stage list, as it always did;
    fairness and requests still start from the incumbent (it keeps every tier they hold)."""
    plan_so_far = Objective(3, 100)
    v1 = ("shortfall", "cost", "changes")
    v1_1 = ("shortfall", "cost", "fairness", "requests", "changes")
    assert not _carry_on(v1, "cost", plan_so_far, Status.NO_SOLUTION)
    assert not _carry_on(v1, "shortfall", plan_so_far, Status.NO_SOLUTION)
    assert _carry_on(v1_1, "cost", plan_so_far, Status.NO_SOLUTION)
    assert _carry_on(v1_1, "fairness", plan_so_far, Status.NO_SOLUTION)
    assert not _carry_on(v1_1, "requests", plan_so_far, Status.NO_SOLUTION)
    assert not _carry_on(v1_1, "cost", None, Status.NO_SOLUTION)
    assert not _carry_on(v1_1, "cost", plan_so_far, Status.INFEASIBLE)
