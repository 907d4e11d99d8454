"""Sweeps: many solves of rule variants under seeded attrition and demand noise.

A sweep is the product of `--vary` values (each a rule of the scenario), each solved
`replicates` times. Replicate r draws its attrition (each officer lost with probability p,
from a uniformly drawn period to the end) and demand noise (each demand row's `required`
plus a rounded normal draw of sd `noise × required`, never below 0) from seed `seed + r`,
the same draws for every variant (common random numbers, so variants differ by their
rules, not their luck); the solver's seed is `seed + r` too, so replicates also show how
much a time-limited search varies on its own. Every run is solved and checked like any
plan (`service.plan`); its figures are the checker's, and the shortfall bound is kept
beside them because a time-limited solve's shortfall is an upper bound on what is possible.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from statistics import fmean, stdev

from pydantic import ValidationError
from scipy import stats  # type: ignore[import-untyped]

from surgeplan.engine import SolveOptions
from surgeplan.executor import Executor
from surgeplan.scenario.model import Rules, Scenario, Unavailable
from surgeplan.service import plan

VARIABLE = ("rotation_min", "rotation_max", "rest_min", "deployed_max", "budget_usd")
"""The rules a sweep can vary (scenario.yaml `rules:` keys)."""


class SweepError(ValueError):
    """A `--vary`, replicate or noise option that cannot be used, with its fix."""


@dataclass(frozen=True, slots=True)
class Vary:
    """One rule and the values it takes, as given (`rest_min=1,2,3`)."""

    rule: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Variant:
    """One combination of rule values, and the scenario with them."""

    label: str
    settings: tuple[tuple[str, str], ...]
    scenario: Scenario


@dataclass(frozen=True, slots=True)
class Run:
    """One solved and checked replicate of one variant."""

    variant: int
    replicate: int
    seed: int
    officers_lost: int
    demand_total: int
    shortfall: int
    shortfall_bound: int
    cost_usd: Decimal
    status: str
    checked: bool
    seconds: float


@dataclass(frozen=True, slots=True)
class Stat:
    """Mean, sample standard deviation and 95% t-interval (None below two runs)."""

    mean: float
    sd: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class VariantSummary:
    """A variant's runs in aggregate."""

    variant: Variant
    runs: int
    shortfall: Stat
    cost_usd: Stat
    on_frontier: bool


def parse_vary(text: str) -> Vary:
    """`rule=v1,v2,…` → Vary; the values are checked against the scenario later."""
    rule, sep, values = text.partition("=")
    rule = rule.strip()
    if not sep or rule not in VARIABLE:
        raise SweepError(
            f"--vary {text!r}: write RULE=V1,V2,… with RULE one of {', '.join(VARIABLE)}"
        )
    items = tuple(v.strip() for v in values.split(",") if v.strip())
    if not items:
        raise SweepError(f"--vary {text!r}: give at least one value after '='")
    return Vary(rule, items)


def variants(scenario: Scenario, varies: Sequence[Vary]) -> list[Variant]:
    """Every combination of the varied rules (the scenario as is when none vary), each
    validated as the scenario's rules are."""
    names = [v.rule for v in varies]
    if len(set(names)) != len(names):
        raise SweepError("--vary names the same rule twice; give all its values in one --vary")
    out = []
    for combo in itertools.product(*(v.values for v in varies)):
        settings = tuple(zip(names, combo, strict=True))
        try:
            rules = Rules.model_validate({**scenario.rules.model_dump(), **dict(settings)})
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'rules'}: {e['msg']}" for e in exc.errors()
            )
            shown = " ".join(f"{k}={v}" for k, v in settings)
            raise SweepError(f"--vary {shown}: {problems}") from exc
        label = " ".join(f"{k}={v}" for k, v in settings) or "as given"
        out.append(Variant(label, settings, scenario.model_copy(update={"rules": rules})))
    return out


def perturb(scenario: Scenario, seed: int, attrition: float, noise: float) -> Scenario:
    """One replicate's scenario: officers lost and demand moved by draws from `seed`."""
    if not 0 <= attrition <= 1:
        raise SweepError(f"--attrition {attrition}: give a probability between 0 and 1")
    if noise < 0:
        raise SweepError(f"--demand-noise {noise}: give a standard deviation of 0 or more")
    if attrition == 0 and noise == 0:
        return scenario
    rng = random.Random(seed)
    starts = scenario.period_starts()
    lost = []
    for person in scenario.people:
        if rng.random() < attrition:
            since = rng.choice(starts)
            lost.append(Unavailable(person_id=person.person_id, start=since, end=scenario.end))
    demand = tuple(
        d.model_copy(
            update={"required": max(0, d.required + round(rng.gauss(0, noise * d.required)))}
        )
        for d in scenario.demand
    )
    return scenario.model_copy(
        update={"unavailable": (*scenario.unavailable, *lost), "demand": demand}
    )


def _solve(task: tuple[Scenario, SolveOptions]) -> tuple[int, int, Decimal, str, bool, float]:
    scenario, options = task
    outcome = plan(scenario, options)
    return (
        int(outcome.report.shortfall),
        outcome.result.bound.shortfall,
        outcome.report.cost_usd,
        outcome.result.status.value,
        outcome.report.feasible,
        round(outcome.result.seconds, 3),
    )


@dataclass(frozen=True, slots=True)
class Design:
    """How often each variant is solved, and what each replicate draws (from seed + r)."""

    replicates: int = 1
    attrition: float = 0.0
    noise: float = 0.0
    seed: int = 0


def sweep(
    scenario: Scenario,
    varies: Sequence[Vary],
    design: Design,
    options: SolveOptions,
    executor: Executor,
    on_done: Callable[[], None] | None = None,
) -> tuple[list[Variant], list[Run]]:
    """Solve every variant × replicate on `executor`; runs in variant, replicate order."""
    if design.replicates < 1:
        raise SweepError(f"--replicates {design.replicates}: give 1 or more")
    chosen = variants(scenario, varies)
    draws = [
        perturb(scenario, design.seed + r, design.attrition, design.noise)
        for r in range(design.replicates)
    ]
    cells: list[tuple[int, int, Scenario]] = []
    for v, variant in enumerate(chosen):
        for r, drawn in enumerate(draws):
            rules = {"rules": variant.scenario.rules}
            cells.append((v, r, drawn.model_copy(update=rules)))
    tasks = [(s, replace(options, seed=design.seed + r)) for _, r, s in cells]
    runs: dict[int, Run] = {}
    for index, (short, bound, cost, status, checked, seconds) in executor.run(_solve, tasks):
        v, r, s = cells[index]
        runs[index] = Run(
            v,
            r,
            design.seed + r,
            len(s.unavailable) - len(scenario.unavailable),
            sum(d.required for d in s.demand if d.qualification == "*"),
            short,
            bound,
            cost,
            status,
            checked,
            seconds,
        )
        if on_done is not None:
            on_done()
    return chosen, [runs[i] for i in range(len(cells))]


def stat(values: Sequence[float]) -> Stat:
    """Mean, sd and the 95% Student-t interval of the mean, its low end clipped at 0
    (shortfall and cost cannot be negative)."""
    mean = fmean(values)
    if len(values) < 2:
        return Stat(mean, None, None, None)
    sd = stdev(values)
    half = float(stats.t.ppf(0.975, len(values) - 1)) * sd / math.sqrt(len(values))
    return Stat(mean, sd, max(0.0, mean - half), mean + half)


def summarise(chosen: Sequence[Variant], runs: Sequence[Run]) -> list[VariantSummary]:
    """Per variant: shortfall and cost statistics, and whether no other variant has both a
    lower-or-equal mean shortfall and mean cost with one of them strictly lower."""
    stats = []
    for v, variant in enumerate(chosen):
        own = [r for r in runs if r.variant == v]
        stats.append(
            (
                variant,
                len(own),
                stat([r.shortfall for r in own]),
                stat([float(r.cost_usd) for r in own]),
            )
        )
    points = [(s.mean, c.mean) for _, _, s, c in stats]
    return [
        VariantSummary(variant, n, s, c, _undominated(points[i], points))
        for i, (variant, n, s, c) in enumerate(stats)
    ]


def _undominated(point: tuple[float, float], points: Sequence[tuple[float, float]]) -> bool:
    return not any(o[0] <= point[0] and o[1] <= point[1] and o != point for o in points)
