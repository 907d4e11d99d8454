"""Statistics of tracking, checked against independent computations (statsmodels, scipy,
closed forms and published tables), including zero counts, one baseline week and
over-dispersion."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.rates import test_poisson_2indep as poisson_2indep

from surgeplan.tracking.stats import (
    EXACT,
    NEGBIN,
    Estimate,
    nb_alpha,
    nb_rate_ratio,
    pearson_dispersion,
    poisson_count_interval,
    poisson_rate_ratio,
    rate_per_week,
    rate_ratio,
    ratio_of_ratios,
    verdict,
    weekly_range,
    wilson,
)


def nb_counts(seed: int, means: tuple[float, float], n: tuple[int, int], alpha: float):
    """Two groups of NB2 counts (baseline, campaign)."""
    rng = np.random.default_rng(seed)
    size = 1 / alpha
    return tuple(
        [int(x) for x in rng.negative_binomial(size, size / (size + m), k)]
        for m, k in zip(means, n, strict=True)
    )


def sm_negbin(baseline: list[int], campaign: list[int]):
    """statsmodels' NB2 regression of counts on a campaign indicator."""
    y = np.asarray(baseline + campaign, dtype=float)
    x = sm.add_constant(np.r_[np.zeros(len(baseline)), np.ones(len(campaign))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.NegativeBinomial(y, x, loglike_method="nb2").fit(disp=0, maxiter=500)


def test_garwood_interval_matches_published_table() -> None:
    """The exact Poisson interval for counts 0, 1 and 10 equals the classic table values."""
    assert poisson_count_interval(0) == pytest.approx((0.0, 3.6889), abs=1e-4)
    assert poisson_count_interval(1) == pytest.approx((0.0253, 5.5716), abs=1e-4)
    assert poisson_count_interval(10) == pytest.approx((4.7954, 18.3904), abs=1e-4)


@pytest.mark.parametrize(
    ("x1", "t1", "x0", "t0"), [(30, 10, 20, 10), (7, 4, 25, 8), (120, 17, 80, 17)]
)
def test_exact_rate_ratio_bounds_are_where_the_exact_test_gives_2_5_percent(
    x1: int, t1: int, x0: int, t0: int
) -> None:
    """At each bound of the exact conditional CI, statsmodels' one-sided exact test gives 0.025."""
    est = poisson_rate_ratio(x1, t1, x0, t0)
    assert est.value == pytest.approx((x1 / t1) / (x0 / t0))
    assert est.method == EXACT
    p_low = poisson_2indep(x1, t1, x0, t0, value=est.low, method="exact-cond", alternative="larger")
    p_high = poisson_2indep(
        x1, t1, x0, t0, value=est.high, method="exact-cond", alternative="smaller"
    )
    assert p_low.pvalue == pytest.approx(0.025, abs=1e-6)
    assert p_high.pvalue == pytest.approx(0.025, abs=1e-6)


def test_exact_rate_ratio_matches_scipy_clopper_pearson() -> None:
    """The ratio CI is scipy's Clopper–Pearson interval for the campaign's share, transformed."""
    x1, t1, x0, t0 = 45, 13, 30, 17
    ci = stats.binomtest(x1, x1 + x0).proportion_ci(0.95, method="exact")
    est = poisson_rate_ratio(x1, t1, x0, t0)
    expected = [p / (1 - p) * t0 / t1 for p in (ci.low, ci.high)]
    assert (est.low, est.high) == pytest.approx(expected, rel=1e-9)


def test_zero_campaign_count_has_zero_estimate_and_closed_form_upper_bound() -> None:
    """With no campaign events the ratio is 0, the lower bound 0, the upper from (α/2)^(1/n)."""
    est = poisson_rate_ratio(0, 5, 40, 8)
    p_high = 1 - 0.025 ** (1 / 40)
    assert (est.value, est.low) == (0.0, 0.0)
    assert est.high == pytest.approx(p_high / (1 - p_high) * 8 / 5, rel=1e-9)
    assert est.log_se is None


def test_zero_baseline_count_has_no_upper_limit() -> None:
    """With no baseline events the ratio and its upper bound are infinite, the lower finite."""
    est = poisson_rate_ratio(12, 4, 0, 8)
    p_low = 0.025 ** (1 / 12)
    assert math.isinf(est.value) and math.isinf(est.high)
    assert est.low == pytest.approx(p_low / (1 - p_low) * 8 / 4, rel=1e-9)
    assert verdict(est, 1.35) == "met"


def test_zero_counts_on_both_sides_cannot_be_told() -> None:
    """All-zero data give an interval from 0 to infinity and the verdict 'cannot be told'."""
    est = poisson_rate_ratio(0, 3, 0, 8)
    assert math.isnan(est.value) and est.low == 0 and math.isinf(est.high)
    assert verdict(est, 1.35) == "cannot be told"
    estimate, test = rate_ratio([0, 0, 0], [0] * 8)
    assert not estimate.defined and not test.overdispersed


def test_pearson_dispersion_matches_statsmodels_poisson_glm() -> None:
    """Pearson χ² and its df equal those of a statsmodels Poisson GLM on a campaign indicator."""
    base, camp = nb_counts(1, (40, 55), (12, 9), alpha=0.05)
    glm = sm.GLM(
        np.asarray(base + camp, dtype=float),
        sm.add_constant(np.r_[np.zeros(len(base)), np.ones(len(camp))]),
        family=sm.families.Poisson(),
    ).fit()
    test = pearson_dispersion((base, camp))
    assert test.statistic == pytest.approx(glm.pearson_chi2, rel=1e-9)
    assert test.df == glm.df_resid
    assert test.p_value == pytest.approx(stats.chi2.sf(glm.pearson_chi2, glm.df_resid))


def test_nb_alpha_and_rate_ratio_match_statsmodels_negative_binomial() -> None:
    """NB2 dispersion, log rate ratio and its standard error equal statsmodels' NB2 fit."""
    base, camp = nb_counts(7, (60, 90), (17, 17), alpha=0.08)
    fit = sm_negbin(base, camp)
    alpha = nb_alpha((base, camp))
    est = nb_rate_ratio(camp, base, alpha)
    assert alpha == pytest.approx(fit.params[2], rel=1e-4)
    assert math.log(est.value) == pytest.approx(fit.params[1], rel=1e-6)
    assert est.log_se == pytest.approx(fit.bse[1], rel=1e-4)
    low, high = np.exp(fit.conf_int()[1])
    assert (est.low, est.high) == pytest.approx((low, high), rel=1e-4)


def test_overdispersed_counts_switch_to_negative_binomial() -> None:
    """Strongly over-dispersed counts are detected and get the NB2 interval, wider than Poisson."""
    base, camp = nb_counts(3, (80, 100), (17, 17), alpha=0.1)
    est, test = rate_ratio(camp, base)
    poisson = poisson_rate_ratio(sum(camp), len(camp), sum(base), len(base))
    assert test.overdispersed and test.p_value is not None and test.p_value < 0.05
    assert test.alpha > 0 and est.method == NEGBIN
    assert est.high - est.low > poisson.high - poisson.low


def test_dispersion_test_holds_its_level_on_poisson_counts() -> None:
    """On Poisson counts the test rejects about 5% of the time; otherwise Poisson exact is kept."""
    rng = np.random.default_rng(11)
    rejected = 0
    for _ in range(400):
        base = [int(x) for x in rng.poisson(50, 17)]
        camp = [int(x) for x in rng.poisson(60, 17)]
        est, test = rate_ratio(camp, base)
        rejected += test.overdispersed
        if not test.overdispersed:
            assert est.method == EXACT and test.alpha == 0
    assert 0.02 <= rejected / 400 <= 0.09


def test_single_baseline_week_is_estimable_and_dispersion_uses_campaign_weeks() -> None:
    """One baseline week still gives a ratio; the dispersion test's df comes from the campaign."""
    est, test = rate_ratio([30, 34, 29, 41], [25])
    expected = poisson_rate_ratio(134, 4, 25, 1)
    assert test.df == 3
    assert (est.value, est.low, est.high) == pytest.approx(
        (expected.value, expected.low, expected.high)
    )


def test_one_week_each_leaves_dispersion_untestable() -> None:
    """With a single week on each side there is no degree of freedom: Poisson exact is used."""
    est, test = rate_ratio([30], [20])
    assert test.p_value is None and test.df == 0 and not test.overdispersed
    assert est.method == EXACT


def test_poisson_difference_in_differences_matches_glm_interaction() -> None:
    """Ratio of rate ratios and its SE equal the interaction of a Poisson GLM on weekly counts."""
    rng = np.random.default_rng(5)
    groups = [rng.poisson(m, 10) for m in (40, 60, 30, 33)]  # t0, t1, c0, c1
    t0, t1, c0, c1 = ([int(x) for x in g] for g in groups)
    treated = poisson_rate_ratio(sum(t1), 10, sum(t0), 10)
    comparison = poisson_rate_ratio(sum(c1), 10, sum(c0), 10)
    did = ratio_of_ratios(treated, comparison)
    y = np.concatenate(groups).astype(float)
    site = np.r_[np.ones(20), np.zeros(20)]
    after = np.r_[np.zeros(10), np.ones(10), np.zeros(10), np.ones(10)]
    x = sm.add_constant(np.column_stack([site, after, site * after]))
    glm = sm.GLM(y, x, family=sm.families.Poisson()).fit()
    assert math.log(did.value) == pytest.approx(glm.params[3], rel=1e-8)
    assert did.log_se == pytest.approx(glm.bse[3], rel=1e-6)


def test_negative_binomial_difference_in_differences_adds_variances() -> None:
    """The NB ratio of rate ratios has log-SE √(se_t² + se_c²) of two statsmodels NB2 fits."""
    tb, tc = nb_counts(21, (70, 100), (17, 17), alpha=0.06)
    cb, cc = nb_counts(22, (50, 55), (17, 17), alpha=0.06)
    fit_t, fit_c = sm_negbin(tb, tc), sm_negbin(cb, cc)
    treated = nb_rate_ratio(tc, tb, nb_alpha((tb, tc)))
    comparison = nb_rate_ratio(cc, cb, nb_alpha((cb, cc)))
    did = ratio_of_ratios(treated, comparison)
    assert math.log(did.value) == pytest.approx(fit_t.params[1] - fit_c.params[1], rel=1e-5)
    assert did.log_se == pytest.approx(math.hypot(fit_t.bse[1], fit_c.bse[1]), rel=1e-4)


def test_difference_in_differences_is_undefined_without_a_standard_error() -> None:
    """A zero count on either side leaves no log-scale SE, so DiD is reported as undefined."""
    did = ratio_of_ratios(poisson_rate_ratio(0, 4, 10, 4), poisson_rate_ratio(5, 4, 5, 4))
    assert not did.defined


@pytest.mark.parametrize(("count", "total"), [(30, 100), (0, 25), (25, 25), (737, 1000)])
def test_wilson_matches_statsmodels(count: int, total: int) -> None:
    """The Wilson interval equals statsmodels' proportion_confint(method='wilson')."""
    est = wilson(count, total)
    low, high = proportion_confint(count, total, alpha=0.05, method="wilson")
    assert (est.low, est.high) == pytest.approx((low, high), abs=1e-12)
    assert est.value == count / total


def test_rate_per_week_is_exact_or_negative_binomial() -> None:
    """The Poisson rate CI is the Garwood interval over weeks; NB uses √((1+αμ)/(nμ)) on logs."""
    counts = [12, 9, 15, 11]
    low, high = poisson_count_interval(47)
    est = rate_per_week(counts)
    assert (est.value, est.low, est.high) == pytest.approx((47 / 4, low / 4, high / 4))
    nb = rate_per_week(counts, alpha=0.1)
    se = math.sqrt((1 + 0.1 * 11.75) / (4 * 11.75))
    assert nb.low == pytest.approx(11.75 * math.exp(-1.959964 * se), rel=1e-6)
    assert not rate_per_week([]).defined


def test_weekly_range_matches_scipy_quantiles() -> None:
    """The baseline band is the 2.5% and 97.5% quantiles of Poisson or NB2 at the baseline mean."""
    assert weekly_range(40, 0) == stats.poisson(40).interval(0.95)
    size = 1 / 0.05
    assert weekly_range(40, 0.05) == stats.nbinom(size, size / (size + 40)).interval(0.95)


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [(1.40, 1.60, "met"), (1.35, 1.50, "met"), (1.0, 1.3, "not met"), (1.2, 1.5, "cannot be told")],
)
def test_verdict_compares_the_whole_interval_with_the_target(
    low: float, high: float, expected: str
) -> None:
    """Met only if the low end reaches the target; not met only if the high end is below it."""
    assert verdict(Estimate((low + high) / 2, low, high, ""), 1.35) == expected
