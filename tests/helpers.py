"""Small scenarios built in code, a bundle written as one YAML file, and the
solve-then-check routine every engine test uses."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from surgeplan.checker import CheckReport, check
from surgeplan.compile import compile_scenario, decode
from surgeplan.engine import Result, SolveOptions, Status, solve
from surgeplan.problem import HOME
from surgeplan.scenario.load import TABLES
from surgeplan.scenario.model import (
    Base,
    Demand,
    Fare,
    PerDiem,
    Person,
    Rules,
    Scenario,
    Site,
    Unavailable,
)
from surgeplan.solution import Solution

MONDAY = date(2020, 2, 3)


def week(k: int) -> date:
    """Start of week k (0-based) of a campaign starting MONDAY."""
    return MONDAY + timedelta(days=7 * k)


def scenario(
    weeks: int = 2,
    people: int | list[Person] = 1,
    sites: tuple[str, ...] = ("S1",),
    demand: list[tuple[str, int, str, int]] | None = None,
    rules: dict[str, Any] | None = None,
    bases: list[Base] | None = None,
    unavailable: list[Unavailable] | None = None,
    per_diem: dict[str, tuple[str, str]] | None = None,
    fares: dict[tuple[str, str], str] | None = None,
    priority: dict[str, int] | None = None,
    period: str = "week",
    days: int | None = None,
) -> Scenario:
    """A scenario with sensible defaults; demand rows are (site, week index, qual, required)."""
    roster = (
        [
            Person(person_id=f"P{i + 1}", name=f"Officer {i + 1}", base_id="B1")
            for i in range(people)
        ]
        if isinstance(people, int)
        else people
    )
    step = 7 if period == "week" else 1
    length = days if days is not None else weeks * step
    start = MONDAY
    end = start + timedelta(days=length - 1)
    rows = [
        Demand(
            site_id=s, period_start=start + timedelta(days=step * k), qualification=q, required=r
        )
        for s, k, q, r in (demand or [])
    ]
    base_list = bases or [Base(base_id="B1", name="Base", lat=31.7, lon=-106.4)]
    months = sorted({(start + timedelta(days=i)).strftime("%Y-%m") for i in range(length)})
    return Scenario(
        name="test",
        start=start,
        end=end,
        period=period,  # type: ignore[arg-type]
        people=tuple(roster),
        bases=tuple(base_list),
        sites=tuple(
            Site(site_id=s, name=s, lat=40.0, lon=-80.0, priority=(priority or {}).get(s, 1))
            for s in sites
        ),
        demand=tuple(rows),
        unavailable=tuple(unavailable or ()),
        per_diem=None
        if per_diem is None
        else tuple(
            PerDiem(site_id=s, month=m, lodging_usd=Decimal(lodging), mie_usd=Decimal(mie))
            for s, (lodging, mie) in per_diem.items()
            for m in months
        ),
        travel=None
        if fares is None
        else tuple(
            Fare(base_id=b, site_id=s, round_trip_usd=Decimal(v)) for (b, s), v in fares.items()
        ),
        rules=Rules(**(rules or {})),
    )


def solve_checked(s: Scenario, time_limit: float = 20) -> tuple[Result, CheckReport]:
    """Solve to optimality with both formulations, verify with the independent checker.

    Both formulations (and "auto", which mixes them) must reach the same optimum, with the
    cost bound (CP-SAT's or the LP's, `engine/lp_bound`) equal to it; the per-period plan
    is returned.
    """
    problem = compile_scenario(s)
    rotations = solve(problem, SolveOptions(time_limit, workers=1, formulation="rotations"))
    result = solve(problem, SolveOptions(time_limit, workers=1, formulation="periods"))
    assert rotations.status is Status.OPTIMAL, rotations.status
    assert rotations.objective == result.objective
    mixed = solve(problem, SolveOptions(time_limit, workers=1))
    assert mixed.status is Status.OPTIMAL
    assert mixed.objective == result.objective
    assert rotations.solution is not None
    assert check(s, decode(s, rotations.solution)).violations == ()
    assert result.status is Status.OPTIMAL, result.status
    assert result.solution is not None and result.objective is not None
    for proven in (rotations, result, mixed):  # a proven optimum meets its bound exactly
        assert proven.objective is not None
        assert proven.bound.cost == proven.objective.cost
    report = check(s, decode(s, result.solution))
    assert report.violations == (), report.violations
    assert report.shortfall == result.objective.shortfall
    assert report.cost_usd == Decimal(result.objective.cost) / 100
    return result, report


def sites_of(s: Scenario, result: Result) -> list[list[str]]:
    """Per person, the site id (or '-') of each period: a readable picture of a plan."""
    assert result.solution is not None
    return [
        [s.sites[a].site_id if a >= 0 else "-" for a in row] for row in result.solution.activity
    ]


def inline_yaml(bundle: Path) -> str:
    """The bundle's scenario.yaml with every CSV table written inline as a list of rows."""
    lines = []
    for line in (bundle / "scenario.yaml").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in TABLES and value.strip().endswith(".csv"):
            lines.append(f"{key}:")
            with (bundle / value.strip()).open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    cells = ", ".join(f'{k}: "{v}"' for k, v in row.items())
                    lines.append(f"  - {{{cells}}}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


def stuck_above_the_floor() -> Scenario:
    """One officer, wanted at A in week 0 and at B in week 2, with rotations of two weeks
    and two weeks' rest: one of the two is missed in every plan (shortfall 1) while the
    capacity floor, week by week, is 0. A rotation at A (fare $300) is the cheap way to
    miss one; at B (fare $900) the dear one."""
    return scenario(
        weeks=3,
        sites=("A", "B"),
        demand=[("A", 0, "*", 1), ("B", 2, "*", 1)],
        rules={"rotation_min": 2, "rest_min": 2},
        per_diem={"A": ("100", "60"), "B": ("100", "60")},
        fares={("B1", "A"): "300", ("B1", "B"): "900"},
    )


B_WEEKS_1_2 = Solution(((HOME, 1, 1),))
"""The dear plan of `stuck_above_the_floor`: the officer at B in weeks 1–2."""
