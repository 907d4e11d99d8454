"""Progress week by week and the projection to campaign end."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest

from surgeplan.tracking.progress import progress, project
from surgeplan.tracking.stats import nb_rate_ratio, poisson_rate_ratio

WEEKS = tuple(date(2020, 2, 3) + timedelta(days=7 * i) for i in range(6))


def test_each_step_is_the_rate_ratio_of_the_weeks_so_far() -> None:
    """Step k's change to date is the exact Poisson ratio of campaign weeks 1..k to baseline."""
    baseline = [20, 22, 18, 21]
    campaign = [25, 30, 27, 31, 26, 29]
    steps = progress(baseline, list(zip(WEEKS, campaign, strict=True)), alpha=0.0)
    for k, step in enumerate(steps, start=1):
        expected = poisson_rate_ratio(sum(campaign[:k]), k, sum(baseline), 4)
        assert step.index == k
        assert (step.cumulative.value, step.cumulative.low, step.cumulative.high) == (
            pytest.approx((expected.value, expected.low, expected.high))
        )


def test_negative_binomial_progress_uses_the_sites_dispersion() -> None:
    """With alpha > 0 every step uses the NB2 interval with that alpha."""
    baseline, campaign = [40, 55, 38, 61], [70, 52, 66]
    steps = progress(baseline, list(zip(WEEKS, campaign, strict=False)), alpha=0.05)
    expected = nb_rate_ratio(campaign, baseline, 0.05)
    assert steps[-1].cumulative.low == pytest.approx(expected.low)


def test_missing_week_is_skipped_not_zero() -> None:
    """A week without a count keeps the previous weeks' data instead of adding a zero."""
    steps = progress([10, 10], [(WEEKS[0], 12), (WEEKS[1], None), (WEEKS[2], 14)], alpha=0.0)
    assert steps[1].count is None
    assert steps[1].cumulative.value == pytest.approx(steps[0].cumulative.value)
    assert steps[2].cumulative.value == pytest.approx((26 / 2) / 10)


def test_projection_at_campaign_end_is_the_measured_change() -> None:
    """With no weeks left the projection equals the measured ratio and has no width."""
    est = project([30, 34, 29], 0, [20, 25], alpha=0.0)
    assert est.value == pytest.approx((93 / 3) / 22.5)
    assert est.low == pytest.approx(est.value) and est.high == pytest.approx(est.value)


def test_projection_interval_follows_the_variance_formula() -> None:
    """Var(final total) = m·V + m²·V/k with V = μ(1 + αμ), on the log scale."""
    observed, remaining, alpha = [30, 34, 29, 35], 6, 0.02
    mean = sum(observed) / 4
    variance = mean * (1 + alpha * mean)
    se = math.sqrt(6 * variance + 36 * variance / 4) / (mean * 10)
    est = project(observed, remaining, [25, 25], alpha)
    assert est.log_se == pytest.approx(se)
    assert est.high / est.value == pytest.approx(math.exp(1.959964 * se), rel=1e-6)


def test_projection_is_undefined_without_counts() -> None:
    """No campaign counts yet, or a zero baseline, give no projection."""
    assert not project([], 5, [10], 0.0).defined
    assert not project([3], 5, [0, 0], 0.0).defined


def test_projection_interval_covers_the_final_change_in_90_percent_of_runs() -> None:
    """Projected from week 8 of 17, the 95% prediction interval contains the final measured
    change in at least 90% of 200 seeded Poisson runs."""
    rng = np.random.default_rng(2020)
    hits = 0
    for _ in range(200):
        baseline = [int(x) for x in rng.poisson(40, 17)]
        campaign = [int(x) for x in rng.poisson(52, 17)]
        est = project(campaign[:8], 9, baseline, alpha=0.0)
        final = (sum(campaign) / 17) / (sum(baseline) / 17)
        hits += est.low <= final <= est.high
    assert hits / 200 >= 0.90
