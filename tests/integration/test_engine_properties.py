"""Property tests on random small scenarios: the engine's plan always passes the checker,
and on tiny ones its optimum equals the best of all plans enumerated by brute force."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import MONDAY, scenario, solve_checked
from surgeplan.checker import Assignment, CheckReport, check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine.best_response import applies, improve
from surgeplan.engine.bounds import shortfall_bound
from surgeplan.engine.cost_floor import least_cost
from surgeplan.engine.cost_mip import CostMip
from surgeplan.engine.cost_mip import applies as mip_applies
from surgeplan.engine.lp_bound import relax
from surgeplan.engine.shortfall_lp import shortfall_lp
from surgeplan.problem import HOME
from surgeplan.scenario.model import Base, Grant, Person, Scenario, Unavailable
from surgeplan.solution import Solution

SITES = ("A", "B")


@st.composite
def tiny_scenarios(draw: st.DrawFn) -> Scenario:
    """2 officers (maybe 2 bases), 1–2 sites, 3 weeks, random demand, rules and costs."""
    sites = SITES[: draw(st.integers(1, 2))]
    weeks = 3
    bases = [
        Base(
            base_id="B1", name="One", lat=31, lon=-106, max_away=draw(st.sampled_from([None, 1, 2]))
        ),
        Base(base_id="B2", name="Two", lat=32, lon=-117),
    ]
    people = [
        Person(
            person_id=f"P{i}",
            name=f"Officer {i}",
            base_id=draw(st.sampled_from(["B1", "B2"])),
            qualifications=(Grant(name="lead"),) if draw(st.booleans()) else (),
        )
        for i in (1, 2)
    ]
    demand = [
        (site, k, qual, draw(st.integers(0, 2)))
        for site in sites
        for k in range(weeks)
        for qual in ("*", "lead")
        if draw(st.integers(0, 3)) > 0
    ]
    rules = {
        "rotation_min": draw(st.integers(1, 2)),
        "rotation_max": draw(st.sampled_from([None, 2, 3])),
        "rest_min": draw(st.integers(0, 2)),
        "deployed_max": draw(st.sampled_from([None, 1, 2, 3])),
        "same_site_only": draw(st.booleans()),
    }
    if rules["rotation_max"] is not None and rules["rotation_max"] < rules["rotation_min"]:
        rules["rotation_max"] = None
    if draw(st.booleans()):
        rules["budget_usd"] = Decimal(draw(st.integers(0, 4000)))
    first, length = draw(st.integers(0, 20)), draw(st.integers(0, 6))
    leave = (
        [
            Unavailable(
                person_id="P1",
                start=MONDAY + timedelta(days=first),
                end=MONDAY + timedelta(days=first + length),
            )
        ]
        if draw(st.booleans())
        else []
    )
    money = st.integers(50, 300).map(str)
    return scenario(
        weeks=weeks,
        people=people,
        sites=sites,
        demand=demand,
        rules=rules,
        bases=bases,
        unavailable=leave,
        per_diem={
            s: (draw(money), draw(st.sampled_from(["55", "61", "76", "55.55"]))) for s in sites
        },
        fares={(b, s): draw(money) for b in ("B1", "B2") for s in sites},
        priority={s: draw(st.integers(1, 3)) for s in sites},
    )


def every_plan(s: Scenario) -> Iterator[CheckReport]:
    """The checker's report of every plan that breaks no hard rule."""
    starts = s.period_starts()
    cells = [(p.person_id, t) for p in s.people for t in starts]
    options = [None, *(site.site_id for site in s.sites)]
    for choice in itertools.product(options, repeat=len(cells)):
        plan = [
            Assignment(person, site, t, t + timedelta(days=6))
            for (person, t), site in zip(cells, choice, strict=True)
            if site is not None
        ]
        report = check(s, plan)
        if report.feasible:
            yield report


def brute_force(s: Scenario) -> tuple[Decimal, Decimal] | None:
    """Best (shortfall, cost) over every plan that breaks no hard rule."""
    return min(((r.shortfall, r.cost_usd) for r in every_plan(s)), default=None)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_scenarios())
def test_cost_floor_is_below_every_plan_at_its_shortfall(s: Scenario) -> None:
    """With rotations at one site, no plan costs less than the cost floor at the plan's
    own shortfall; the floor is not asked where sites may change within a run."""
    problem = compile_scenario(s)
    for report in every_plan(s):
        floor = least_cost(problem, int(report.shortfall))
        if s.rules.same_site_only:
            assert floor is not None and floor <= report.cost_usd * 100
        else:
            assert floor is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_scenarios())
def test_engine_optimum_equals_brute_force(s: Scenario) -> None:
    """On 2 officers × ≤2 sites × 3 weeks the engine's optimum is the brute-force optimum;
    with rotations at one site, the LP cost bound at that shortfall never exceeds it, and
    the shortfall's LP bound lies between the capacity floor and it, by rotation or schedule
    columns, started from nothing or from the optimum; the cost MIP's bound never exceeds
    it and its plan, when it offers one, is the optimum."""
    result, report = solve_checked(s)
    assert brute_force(s) == (report.shortfall, report.cost_usd)
    relaxed = relax(compile_scenario(s), int(report.shortfall), 10)
    if s.rules.same_site_only:
        assert relaxed is not None
        assert relaxed.bound <= report.cost_usd * 100
        problem = compile_scenario(s)
        for schedules, seed in itertools.product((False, True), (None, result.solution)):
            lp = shortfall_lp(problem, 10, seed, schedules)
            assert lp is not None
            assert shortfall_bound(problem) <= lp <= report.shortfall
    _best_responses_keep_every_rule(s, report.shortfall, report.cost_usd)
    _cost_mip_keeps_every_rule(s, report.shortfall, report.cost_usd)


def _cost_mip_keeps_every_rule(s: Scenario, shortfall: Decimal, cost: Decimal) -> None:
    """The cost MIP from everyone at home (no start at the shortfall held) proves a bound
    no higher than the optimum's cost; a plan it offers is checked and is the optimum."""
    problem = compile_scenario(s)
    if not mip_applies(problem):
        return
    home = Solution(tuple((HOME,) * problem.num_periods for _ in problem.people))
    mip = CostMip(problem, int(shortfall), home, seed=0)
    mip.start(10)
    assert mip.wait(20) and mip.proven
    assert mip.bound <= cost * 100
    plan = mip.plan()
    if plan is not None:
        report = check(s, decode(s, plan))
        assert report.violations == ()
        assert (report.shortfall, report.cost_usd) == (shortfall, cost)


def _best_responses_keep_every_rule(s: Scenario, shortfall: Decimal, cost: Decimal) -> None:
    """Best responses from everyone at home give a plan the checker accepts, no better
    than the optimum (`shortfall`, `cost`)."""
    problem = compile_scenario(s)
    if not applies(problem):
        return
    home = Solution(tuple((HOME,) * problem.num_periods for _ in problem.people))
    plan = improve(problem, home, time.monotonic() + 10, random.Random(0))
    report = check(s, decode(s, plan))
    assert report.violations == ()
    assert (report.shortfall, report.cost_usd) >= (shortfall, cost)
