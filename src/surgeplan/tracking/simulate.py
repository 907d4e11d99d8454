"""SIMULATED weekly outcome counts for the built-in scenario, with a known true effect.

Why a simulator: no public source gives the 2020 operation's weekly arrests per site
(SOURCES.md §3.2), so the built-in report must run on invented numbers — and says so
everywhere. A seeded simulator with a known effect also lets tests check that the intervals
cover the truth as often as they claim.

The model of one site's count in one period (mean μ, then negative binomial NB2 with
variance μ + alpha·μ²):

    μ = level × season × trend × shock × effect

- level: the site's FY2016–FY2017 mean annual ERO arrests / (365.25 / 7)
  (data/tracking/arrests_fy2016_2017.csv; the only per-AOR figures found);
- season: 1 + amplitude·sin(2π·(day of year − 80) / 365.25), shared by every site;
- trend: a common factor on campaign-year periods (1 = none);
- shock: after the target's shock date, counts everywhere fall to `shock_factor`
  (pro rata for the period it falls in) — the real operation was curtailed from
  18 Mar 2020 (SOURCES.md §3.2); WaPo reported arrests down "about one-third";
- effect: the surge's true rate ratio, at surge sites from their first week of demand.

The category counts split each total by the FY2017 shares (data/tracking/criminality_fy2017.csv).
Because season, trend and shock are shared, the ratio of rate ratios (surge site against the
comparison sites) estimates `effect`; the plain before/after ratio estimates
`expected_ratio`, which mixes the effect with the shock.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from surgeplan.scenario.model import Scenario
from surgeplan.tracking.analysis import site_starts
from surgeplan.tracking.outcomes import Count, Outcomes
from surgeplan.tracking.target import Target

DATA = Path(__file__).resolve().parent.parent / "data" / "tracking"
WEEKS_PER_YEAR = 365.25 / 7
SEED = 20200203
LABEL = "SIMULATED"

# Invented true effects (rate ratios) per built-in site; illustrative, not estimates.
BUILTIN_EFFECTS: tuple[tuple[str, float], ...] = (
    ("CHI", 1.45), ("NYC", 1.50), ("SFR", 1.10), ("LOS", 1.20), ("ATL", 1.30),
    ("HOU", 1.05), ("BOS", 1.40), ("NOL", 1.25), ("DET", 1.35), ("NEW", 1.30),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class SimulationSpec:
    """The simulator's invented parameters; defaults are the built-in report's."""

    seed: int = SEED
    effects: tuple[tuple[str, float], ...] = BUILTIN_EFFECTS
    default_effect: float = 1.30
    alpha: float = 0.01
    trend: float = 1.0
    season_amplitude: float = 0.06
    shock_factor: float = 0.67


@dataclass(frozen=True, slots=True)
class Truth:
    """What the simulation put in for one site, to compare estimates with."""

    site_id: str
    level: float
    effect: float
    expected_ratio: float


@dataclass(frozen=True, slots=True)
class Simulation:
    """Simulated outcomes and the truth behind them."""

    outcomes: Outcomes
    truth: tuple[Truth, ...]
    spec: SimulationSpec

    def true(self, site_id: str) -> Truth:
        """The truth for one site."""
        return next(t for t in self.truth if t.site_id == site_id)


def anchors() -> dict[str, tuple[str, float]]:
    """Site id → (AOR name, weekly level) from the FY2016–FY2017 per-AOR figures."""
    years: dict[str, list[int]] = defaultdict(list)
    names: dict[str, str] = {}
    with (DATA / "arrests_fy2016_2017.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            years[row["site_id"]].append(int(row["administrative_arrests"]))
            names[row["site_id"]] = row["aor"]
    return {k: (names[k], sum(v) / len(v) / WEEKS_PER_YEAR) for k, v in years.items()}


def category_shares() -> tuple[tuple[str, float], ...]:
    """FY2017 shares of arrests by criminality category (secondary source; see the README)."""
    with (DATA / "criminality_fy2017.csv").open(encoding="utf-8", newline="") as handle:
        rows = [(r["metric"], float(r["share_pct"]) / 100) for r in csv.DictReader(handle)]
    total = sum(s for _, s in rows)
    return tuple((m, s / total) for m, s in rows)


def simulate(
    scenario: Scenario,
    target: Target,
    spec: SimulationSpec = SimulationSpec(),
    levels: dict[str, float] | None = None,
) -> Simulation:
    """Counts for every scenario and comparison site over the baseline and campaign periods.

    `levels` (site → weekly mean) replaces the anchored levels, e.g. for other scenarios.
    """
    if levels is None:
        levels = {k: v for k, (_, v) in anchors().items()}
    sites = [s.site_id for s in scenario.sites] + list(target.comparison_sites)
    unknown = [s for s in sites if s not in levels]
    if unknown:
        raise ValueError(f"no simulation level for site(s) {', '.join(unknown)}")
    rng = np.random.default_rng(spec.seed)
    days = scenario.period_days
    baseline = target.baseline_periods(days)
    campaign = scenario.period_starts()
    starts = site_starts(scenario)
    effects = dict(spec.effects)
    shares = category_shares() if target.composition else ()
    counts: list[Count] = []
    truth: list[Truth] = []
    for site in sites:
        treated = site in starts
        effect = effects.get(site, spec.default_effect) if treated else 1.0
        first = starts.get(site, scenario.start)
        means: dict[date, float] = {}
        for p in (*baseline, *campaign):
            factor = _season(p, spec) * _shock(p, days, target, spec)
            if p >= scenario.start:
                factor *= spec.trend * (effect if treated and p >= first else 1.0)
            means[p] = levels[site] * factor
        for p, mean in means.items():
            total = _draw(rng, mean, spec.alpha)
            counts.append(Count(site, p, target.metric, total))
            counts.extend(_split(rng, site, p, total, shares, target))
        camp = [means[p] for p in campaign if p >= first]
        base = [means[p] for p in baseline]
        ratio = (sum(camp) / len(camp)) / (sum(base) / len(base)) if camp and base else math.nan
        truth.append(Truth(site, levels[site], effect, ratio))
    source = f"{LABEL}: generated by surgeplan.tracking.simulate (seed {spec.seed})"
    return Simulation(Outcomes(source, tuple(counts), simulated=True), tuple(truth), spec)


def _season(day: date, spec: SimulationSpec) -> float:
    doy = day.timetuple().tm_yday
    return 1 + spec.season_amplitude * math.sin(2 * math.pi * (doy - 80) / 365.25)


def _shock(start: date, days: int, target: Target, spec: SimulationSpec) -> float:
    """1 before the shock, `shock_factor` after, pro rata in the period it falls in."""
    if target.shock is None:
        return 1.0
    end = start + timedelta(days=days)
    after = min(days, max(0, (end - target.shock.date).days))
    return 1 - (1 - spec.shock_factor) * after / days


def _draw(rng: np.random.Generator, mean: float, alpha: float) -> int:
    if alpha <= 0:
        return int(rng.poisson(mean))
    size = 1 / alpha
    return int(rng.negative_binomial(size, size / (size + mean)))


def _split(
    rng: np.random.Generator,
    site: str,
    day: date,
    total: int,
    shares: tuple[tuple[str, float], ...],
    target: Target,
) -> list[Count]:
    """Category counts of one total, for the target's composition metrics."""
    if not shares:
        return []
    parts = rng.multinomial(total, [s for _, s in shares])
    known = dict(zip((m for m, _ in shares), (int(x) for x in parts), strict=True))
    return [Count(site, day, m, known[m]) for m in target.composition if m in known]
