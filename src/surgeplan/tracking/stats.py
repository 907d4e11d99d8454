"""Pure statistics for campaign outcomes: rates, rate ratios, dispersion, DiD and shares.

Inputs are aggregate counts per period (week); a missing period is left out of both the count
and the exposure, never read as zero. Every interval is a 95% interval by default, and every
result names its method, because a report must say which one it used.

Why these methods:
- a Poisson rate ratio with the exact conditional (binomial, Clopper–Pearson) interval is
  valid for small counts and zero counts, where Wald intervals fail;
- weekly counts of arrests vary more than Poisson allows (crews, holidays, operations), and
  a Poisson interval would then be too narrow: a Pearson dispersion test decides, and when it
  rejects, a negative-binomial (NB2) model with the dispersion estimated by maximum likelihood
  gives the interval instead;
- comparison sites remove changes shared with sites that got no surge (trend, season, a
  pandemic): the ratio of rate ratios, with a Wald interval on the log scale;
- shares by category use the Wilson interval, which behaves near 0% and 100%.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np
from scipy import optimize, special, stats  # type: ignore[import-untyped]

LEVEL = 0.95
SIGNIFICANCE = 0.05  # of the dispersion test
NAN = math.nan
INF = math.inf

EXACT = "Poisson, exact conditional (binomial) interval"
NEGBIN = "negative binomial (NB2), Wald interval on the log scale"
GARWOOD = "Poisson, exact (Garwood) interval"
DID = "ratio of rate ratios, Wald interval on the log scale"
WILSON = "Wilson score interval"

_ALPHA_MIN, _ALPHA_MAX = 1e-8, 1e2


def z_value(level: float = LEVEL) -> float:
    """The two-sided normal quantile for a confidence level (1.96 for 95%)."""
    return NormalDist().inv_cdf(0.5 + level / 2)


@dataclass(frozen=True, slots=True)
class Estimate:
    """A point estimate with its interval; NaN marks what the data cannot tell.

    `log_se` is the standard error of log(value) where one exists, so that independent
    estimates can be combined (difference-in-differences).
    """

    value: float
    low: float
    high: float
    method: str
    log_se: float | None = None

    @property
    def defined(self) -> bool:
        """True when the point and both bounds are numbers (an infinite bound is allowed)."""
        return not any(math.isnan(x) for x in (self.value, self.low, self.high))


def undefined(method: str) -> Estimate:
    """An estimate the data cannot support (no weeks, or zero counts on both sides)."""
    return Estimate(NAN, NAN, NAN, method)


@dataclass(frozen=True, slots=True)
class Dispersion:
    """Pearson test of Poisson variation, and the NB2 dispersion used when it rejects.

    `ratio` is the Pearson statistic over its degrees of freedom (1 for Poisson data);
    `p_value` is None when too few periods leave no degree of freedom; `alpha` is the NB2
    dispersion (variance = mean + alpha × mean²), 0 when the Poisson model is kept.
    """

    statistic: float
    df: int
    ratio: float
    p_value: float | None
    overdispersed: bool
    alpha: float = 0.0


def poisson_count_interval(count: int, level: float = LEVEL) -> tuple[float, float]:
    """Exact (Garwood) interval for a Poisson mean given one observed count."""
    tail = (1 - level) / 2
    low = 0.0 if count == 0 else float(stats.chi2.ppf(tail, 2 * count)) / 2
    high = float(stats.chi2.ppf(1 - tail, 2 * count + 2)) / 2
    return low, high


def rate_per_week(counts: Sequence[int], alpha: float = 0.0, level: float = LEVEL) -> Estimate:
    """Mean count per period with its interval: exact Poisson, or NB2 Wald when alpha > 0."""
    n = len(counts)
    if n == 0:
        return undefined(GARWOOD)
    total = sum(counts)
    mean = total / n
    if alpha > 0 and total > 0:
        se = math.sqrt((1 + alpha * mean) / (n * mean))
        z = z_value(level)
        return Estimate(mean, mean * math.exp(-z * se), mean * math.exp(z * se), NEGBIN, se)
    low, high = poisson_count_interval(total, level)
    log_se = 1 / math.sqrt(total) if total > 0 else None
    return Estimate(mean, low / n, high / n, GARWOOD, log_se)


def weekly_range(mean: float, alpha: float, level: float = LEVEL) -> tuple[float, float]:
    """Where one period's count falls with probability `level` at this mean, if nothing changed.

    Drawn as the baseline band: counts outside it are unusual for the baseline's rate.
    """
    if mean <= 0:
        return 0.0, 0.0
    tail = (1 - level) / 2
    if alpha > 0:
        size = 1 / alpha
        dist = stats.nbinom(size, size / (size + mean))
    else:
        dist = stats.poisson(mean)
    return float(dist.ppf(tail)), float(dist.ppf(1 - tail))


def poisson_rate_ratio(
    count: int, periods: int, base_count: int, base_periods: int, level: float = LEVEL
) -> Estimate:
    """Rate ratio (count/periods) / (base_count/base_periods) with the exact conditional CI.

    Given the total n, the campaign count is binomial(n, p) with p = R·t1 / (R·t1 + t0);
    the Clopper–Pearson interval for p maps to R = p / (1 − p) · t0 / t1.
    """
    if periods <= 0 or base_periods <= 0:
        return undefined(EXACT)
    total = count + base_count
    if total == 0:
        return Estimate(NAN, 0.0, INF, EXACT)
    tail = (1 - level) / 2
    scale = base_periods / periods
    p_low = 0.0 if count == 0 else float(stats.beta.ppf(tail, count, base_count + 1))
    p_high = 1.0 if base_count == 0 else float(stats.beta.ppf(1 - tail, count + 1, base_count))
    low = p_low / (1 - p_low) * scale
    high = INF if p_high >= 1 else p_high / (1 - p_high) * scale
    value = INF if base_count == 0 else (count / periods) / (base_count / base_periods)
    se = math.sqrt(1 / count + 1 / base_count) if count and base_count else None
    return Estimate(value, low, high, EXACT, se)


def pearson_dispersion(groups: Sequence[Sequence[int]]) -> Dispersion:
    """Pearson χ² test of Poisson variation, each group (baseline, campaign) with its own mean.

    Under a Poisson model Σ (y − ȳ_g)² / ȳ_g is about χ² with n − (number of groups) degrees
    of freedom; a large value means the counts vary more than Poisson (over-dispersion).
    """
    statistic = 0.0
    n = 0
    used = 0
    for values in groups:
        if not values:
            continue
        used += 1
        n += len(values)
        mean = sum(values) / len(values)
        if mean > 0:
            statistic += sum((y - mean) ** 2 for y in values) / mean
    df = n - used
    if df < 1:
        return Dispersion(statistic, 0, NAN, None, False)
    p_value = float(stats.chi2.sf(statistic, df))
    return Dispersion(statistic, df, statistic / df, p_value, p_value < SIGNIFICANCE)


def _nb_loglik(alpha: float, ys: np.ndarray, mus: np.ndarray) -> float:
    """NB2 log-likelihood of counts `ys` with means `mus` (all positive) and dispersion alpha."""
    r = 1.0 / alpha
    am = alpha * mus
    return float(
        np.sum(
            special.gammaln(ys + r)
            - special.gammaln(r)
            - special.gammaln(ys + 1)
            + ys * np.log(am / (1 + am))
            - r * np.log1p(am)
        )
    )


def _poisson_loglik(ys: np.ndarray, mus: np.ndarray) -> float:
    return float(np.sum(ys * np.log(mus) - mus - special.gammaln(ys + 1)))


def nb_alpha(groups: Sequence[Sequence[int]]) -> float:
    """Maximum-likelihood NB2 dispersion, each group with its own mean (0 if Poisson fits best).

    With one mean per group the ML means are the group means whatever alpha is, so alpha
    is a one-dimensional profile maximisation.
    """
    ys_list: list[float] = []
    mus_list: list[float] = []
    for values in groups:
        mean = sum(values) / len(values) if values else 0.0
        if mean > 0:  # an all-zero group adds nothing to the likelihood at any alpha
            ys_list.extend(values)
            mus_list.extend([mean] * len(values))
    if len(ys_list) < 2:
        return 0.0
    ys, mus = np.asarray(ys_list, dtype=float), np.asarray(mus_list, dtype=float)
    found = optimize.minimize_scalar(
        lambda log_a: -_nb_loglik(math.exp(log_a), ys, mus),
        bounds=(math.log(_ALPHA_MIN), math.log(_ALPHA_MAX)),
        method="bounded",
        options={"xatol": 1e-10},
    )
    alpha = math.exp(float(found.x))
    if _nb_loglik(alpha, ys, mus) <= _poisson_loglik(ys, mus) + 1e-9 or alpha <= 1e-7:
        return 0.0
    return alpha


def nb_rate_ratio(
    campaign: Sequence[int], baseline: Sequence[int], alpha: float, level: float = LEVEL
) -> Estimate:
    """Rate ratio of two groups of periods under NB2, Wald interval on the log scale.

    At the ML fit the information for each group's log mean is n·μ / (1 + α·μ), so
    Var(log RR) = (1 + α·μ1) / (n1·μ1) + (1 + α·μ0) / (n0·μ0) — the same standard error a
    negative-binomial regression on a campaign indicator reports.
    """
    if not campaign or not baseline:
        return undefined(NEGBIN)
    mean1, mean0 = sum(campaign) / len(campaign), sum(baseline) / len(baseline)
    if mean1 == 0 or mean0 == 0:
        return replace(
            poisson_rate_ratio(sum(campaign), len(campaign), sum(baseline), len(baseline), level),
            method=EXACT + " (a zero total leaves nothing to model)",
        )
    se = math.sqrt(
        (1 + alpha * mean1) / (len(campaign) * mean1)
        + (1 + alpha * mean0) / (len(baseline) * mean0)
    )
    ratio = mean1 / mean0
    z = z_value(level)
    return Estimate(ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se), NEGBIN, se)


def rate_ratio(
    campaign: Sequence[int], baseline: Sequence[int], level: float = LEVEL
) -> tuple[Estimate, Dispersion]:
    """Campaign against baseline rate: test dispersion, then Poisson exact or NB2 Wald."""
    test = pearson_dispersion((baseline, campaign))
    alpha = nb_alpha((baseline, campaign)) if test.overdispersed else 0.0
    test = replace(test, alpha=alpha)
    return ratio_with(campaign, baseline, alpha, level), test


def ratio_with(
    campaign: Sequence[int], baseline: Sequence[int], alpha: float, level: float = LEVEL
) -> Estimate:
    """The rate ratio by the model already chosen: Poisson exact (alpha 0) or NB2."""
    if alpha > 0:
        return nb_rate_ratio(campaign, baseline, alpha, level)
    return poisson_rate_ratio(sum(campaign), len(campaign), sum(baseline), len(baseline), level)


def ratio_of_ratios(treated: Estimate, comparison: Estimate, level: float = LEVEL) -> Estimate:
    """Difference-in-differences as a ratio of two independent rate ratios (log-scale Wald)."""
    if (
        treated.log_se is None
        or comparison.log_se is None
        or not 0 < treated.value < INF
        or not 0 < comparison.value < INF
    ):
        return undefined(DID)
    value = treated.value / comparison.value
    se = math.hypot(treated.log_se, comparison.log_se)
    z = z_value(level)
    return Estimate(value, value * math.exp(-z * se), value * math.exp(z * se), DID, se)


def wilson(count: int, total: int, level: float = LEVEL) -> Estimate:
    """A share count/total with the Wilson score interval."""
    if total <= 0:
        return Estimate(NAN, 0.0, 1.0, WILSON)
    z = z_value(level)
    p = count / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z / (1 + z * z / total) * math.sqrt(p * (1 - p) / total + z * z / (4 * total**2))
    return Estimate(p, max(0.0, centre - half), min(1.0, centre + half), WILSON)


def verdict(change: Estimate, target_ratio: float) -> str:
    """'met' if the whole interval reaches the target, 'not met' if it all falls short,
    else 'cannot be told' (the interval straddles the target, or nothing can be estimated)."""
    if not change.defined:
        return "cannot be told"
    if change.low >= target_ratio:
        return "met"
    if change.high < target_ratio:
        return "not met"
    return "cannot be told"
