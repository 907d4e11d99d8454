"""Progress toward the target period by period, and a projection to the campaign's end.

Why both: leaders ask mid-campaign "are we on track?". The cumulative change answers what has
happened so far (with its confidence interval); the projection answers where the measured
change will land at the end if the campaign's rate so far continues, with a prediction
interval that counts both the uncertainty of that rate and the week-to-week noise of the
periods still to come.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from surgeplan.tracking.stats import LEVEL, Estimate, ratio_with, undefined, z_value

PROJECTION = "projection of the end-of-campaign change if the rate so far continues (prediction)"


@dataclass(frozen=True, slots=True)
class Step:
    """The state after one campaign period: its count, the change so far, the projection."""

    index: int
    period_start: date
    count: int | None
    cumulative: Estimate
    projection: Estimate


def project(
    observed: Sequence[int],
    remaining: int,
    baseline: Sequence[int],
    alpha: float,
    level: float = LEVEL,
) -> Estimate:
    """Projected end-of-campaign rate ratio and its prediction interval.

    With k observed periods of mean μ1 and m periods to come, the final total is
    S + F; Var(F) = m·V + m²·V/k with V = μ1(1 + α·μ1) (noise of the m periods plus the
    uncertainty of μ1). The baseline is already measured, so it adds no uncertainty to what
    the final measured change will be. With m = 0 the projection is the measured change.
    """
    if not observed or not baseline:
        return undefined(PROJECTION)
    k = len(observed)
    mean1 = sum(observed) / k
    mean0 = sum(baseline) / len(baseline)
    if mean1 == 0 or mean0 == 0:
        return undefined(PROJECTION)
    ratio = mean1 / mean0
    variance = mean1 * (1 + alpha * mean1)
    final_total = mean1 * (k + remaining)
    se = math.sqrt(remaining * variance + remaining**2 * variance / k) / final_total
    z = z_value(level)
    return Estimate(ratio, ratio * math.exp(-z * se), ratio * math.exp(z * se), PROJECTION, se)


def progress(
    baseline: Sequence[int],
    campaign: Sequence[tuple[date, int | None]],
    alpha: float,
    level: float = LEVEL,
) -> tuple[Step, ...]:
    """One Step per campaign period (missing periods keep the previous estimate's data)."""
    steps: list[Step] = []
    seen: list[int] = []
    for index, (start, count) in enumerate(campaign, start=1):
        if count is not None:
            seen.append(count)
        remaining = len(campaign) - index
        cumulative = ratio_with(seen, baseline, alpha, level) if seen else undefined("")
        steps.append(
            Step(index, start, count, cumulative, project(seen, remaining, baseline, alpha, level))
        )
    return tuple(steps)
