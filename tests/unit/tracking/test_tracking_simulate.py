"""The simulator: seeded, labelled, anchored on the FY2016–FY2017 figures, aggregate only,
and its known true effect recovered by the intervals at the promised rate."""

from __future__ import annotations

from functools import cache

import pytest

from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Scenario
from surgeplan.service import BUILTIN
from surgeplan.tracking.analysis import site_starts, summed
from surgeplan.tracking.outcomes import load_outcomes, outcomes_csv
from surgeplan.tracking.simulate import WEEKS_PER_YEAR, SimulationSpec, anchors, simulate
from surgeplan.tracking.stats import rate_ratio, ratio_of_ratios
from surgeplan.tracking.target import builtin_target

RUNS = 200


@cache
def builtin() -> Scenario:
    """The built-in scenario, loaded once."""
    return load_scenario(BUILTIN)


def test_same_seed_same_counts_and_labelled_simulated() -> None:
    """A seed fixes every count; the outcomes say SIMULATED in their flag and their source."""
    target = builtin_target()
    first = simulate(builtin(), target, SimulationSpec(seed=5)).outcomes
    again = simulate(builtin(), target, SimulationSpec(seed=5)).outcomes
    other = simulate(builtin(), target, SimulationSpec(seed=6)).outcomes
    assert first == again and first.counts != other.counts
    assert first.simulated and first.source.startswith("SIMULATED")


def test_levels_are_the_fy2016_fy2017_mean_scaled_to_weeks() -> None:
    """Chicago's weekly level is (7,056 + 8,604) / 2 / (365.25 / 7), from the committed copy."""
    name, level = anchors()["CHI"]
    assert name == "Chicago"
    assert level == pytest.approx((7056 + 8604) / 2 / WEEKS_PER_YEAR)
    assert {"PHI", "SEA", "DEN"} <= set(anchors())


def test_simulated_file_is_aggregate_and_passes_the_loader(tmp_path) -> None:
    """Written as outcomes.csv, simulated counts load: one row per site, week and metric."""
    target = builtin_target()
    sim = simulate(builtin(), target)
    path = tmp_path / "outcomes.csv"
    path.write_text(outcomes_csv(sim.outcomes), encoding="utf-8")
    loaded = load_outcomes(path, builtin(), target)
    assert loaded.counts == sim.outcomes.counts
    keys = {(c.site_id, c.period_start, c.metric) for c in loaded.counts}
    assert len(keys) == len(loaded.counts)


def test_categories_add_up_to_the_total() -> None:
    """The composition metrics split each weekly total exactly."""
    target = builtin_target()
    outcomes = simulate(builtin(), target).outcomes
    total = outcomes.values("NYC", "arrests_total")
    parts = [outcomes.values("NYC", m) for m in target.composition]
    assert all(sum(p[day] for p in parts) == total[day] for day in total)


def test_truth_marks_comparison_sites_as_untreated() -> None:
    """Comparison sites have a true effect of 1; surge sites the spec's effect."""
    sim = simulate(builtin(), builtin_target())
    assert sim.true("PHI").effect == 1.0
    assert sim.true("CHI").effect == dict(SimulationSpec().effects)["CHI"]


def coverage(spec_changes: dict[str, float], site: str) -> tuple[float, float]:
    """Share of RUNS seeds whose DiD CI holds the true effect, and whose before/after CI
    holds the expected ratio."""
    scenario, target = builtin(), builtin_target()
    baseline = target.baseline_periods(7)
    first = site_starts(scenario)[site]
    campaign = [p for p in scenario.period_starts() if p >= first]
    did_hits = ratio_hits = 0
    for seed in range(RUNS):
        sim = simulate(scenario, target, SimulationSpec(seed=seed, **spec_changes))
        own = sim.outcomes.values(site, target.metric)
        other = summed(sim.outcomes, target.comparison_sites, target.metric)
        change, _ = rate_ratio([own[p] for p in campaign], [own[p] for p in baseline])
        control, _ = rate_ratio([other[p] for p in campaign], [other[p] for p in baseline])
        did = ratio_of_ratios(change, control)
        truth = sim.true(site)
        did_hits += did.low <= truth.effect <= did.high
        ratio_hits += change.low <= truth.expected_ratio <= change.high
    return did_hits / RUNS, ratio_hits / RUNS


def test_intervals_cover_the_true_effect_with_the_builtin_shock() -> None:
    """With the built-in settings (shock included), ≥ 90% of 200 seeded runs' 95% DiD intervals
    contain Chicago's true effect, and the before/after intervals the expected ratio."""
    did, ratio = coverage({}, "CHI")
    assert did >= 0.90 and ratio >= 0.90


def test_intervals_cover_the_true_effect_without_shock_for_a_phased_site() -> None:
    """Without the shock, for a site that starts in March (Boston, NB noise α = 0.05), ≥ 90%
    of 200 runs' intervals contain the truth."""
    did, ratio = coverage({"shock_factor": 1.0, "alpha": 0.05}, "BOS")
    assert did >= 0.90 and ratio >= 0.90
