"""The plan next to the outcomes: officer-weeks deployed and headcount shortfall per site-week.

Why only descriptive: which sites got more officers was decided by the planner, not at random,
so a link between coverage and outcome change across a handful of sites says nothing about
cause. We report a rank correlation, labelled as such, and nothing stronger.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from scipy import stats  # type: ignore[import-untyped]

from surgeplan.checker.ledger import Assignment
from surgeplan.scenario.model import ANY_QUALIFICATION, Scenario

NOT_CAUSAL = "descriptive association, not a causal claim"


@dataclass(frozen=True, slots=True)
class SiteWeek:
    """Officers deployed at a site in one period against the headcount demanded."""

    period_start: date
    deployed: int
    required: int

    @property
    def shortfall(self) -> int:
        """Officers short of the demanded headcount (never negative)."""
        return max(0, self.required - self.deployed)


@dataclass(frozen=True, slots=True)
class SitePlan:
    """A site's plan over the campaign, period by period."""

    site_id: str
    weeks: tuple[SiteWeek, ...]

    @property
    def deployed(self) -> int:
        """Officer-periods deployed (officer-weeks for weekly campaigns)."""
        return sum(w.deployed for w in self.weeks)

    @property
    def required(self) -> int:
        """Officer-periods of headcount demanded."""
        return sum(w.required for w in self.weeks)

    @property
    def shortfall(self) -> int:
        """Officer-periods short of demand."""
        return sum(w.shortfall for w in self.weeks)

    @property
    def coverage(self) -> float | None:
        """Share of demanded headcount deployed; None when nothing was demanded."""
        return self.deployed / self.required if self.required else None


@dataclass(frozen=True, slots=True)
class Association:
    """Spearman rank correlation across sites between coverage and the outcome change."""

    rho: float | None
    sites: int
    points: tuple[tuple[str, float, float], ...]  # (site_id, coverage, change as a ratio)
    label: str = NOT_CAUSAL


def plan_by_site(scenario: Scenario, assignments: Sequence[Assignment]) -> dict[str, SitePlan]:
    """Officers deployed and headcount demanded per site and period."""
    deployed = Counter((a.site_id, a.period_start) for a in assignments)
    required = Counter[tuple[str, date]]()
    for d in scenario.demand:
        if d.qualification == ANY_QUALIFICATION:
            required[d.site_id, d.period_start] += d.required
    periods = scenario.period_starts()
    return {
        s.site_id: SitePlan(
            s.site_id,
            tuple(SiteWeek(p, deployed[s.site_id, p], required[s.site_id, p]) for p in periods),
        )
        for s in scenario.sites
    }


def association(points: Sequence[tuple[str, float, float]]) -> Association:
    """Rank correlation of coverage with change; None with fewer than 3 sites or no spread."""
    usable = tuple(p for p in points if math.isfinite(p[1]) and math.isfinite(p[2]))
    rho: float | None = None
    xs, ys = [p[1] for p in usable], [p[2] for p in usable]
    if len(usable) >= 3 and len(set(xs)) > 1 and len(set(ys)) > 1:
        rho = float(stats.spearmanr(xs, ys).statistic)
    return Association(rho, len(usable), usable)
