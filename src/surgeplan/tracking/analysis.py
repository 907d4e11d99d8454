"""From outcomes, target and (optionally) a plan to per-site and overall results.

Each surge site is measured over its own campaign: from its first period with demand to the
end (the built-in scenario phases sites in), because weeks before officers arrive would
dilute the change. "Overall" adds the sites up over the periods when every site was in its
campaign. Comparison sites are pooled into one series and measured over each site's periods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from surgeplan.checker.ledger import Assignment
from surgeplan.scenario.model import Scenario
from surgeplan.tracking.link import Association, SitePlan, SiteWeek, association, plan_by_site
from surgeplan.tracking.outcomes import Outcomes
from surgeplan.tracking.progress import Step, progress
from surgeplan.tracking.stats import (
    Dispersion,
    Estimate,
    rate_per_week,
    rate_ratio,
    ratio_of_ratios,
    ratio_with,
    verdict,
    wilson,
)
from surgeplan.tracking.target import Target

OVERALL_ID = "ALL"
Point = tuple[date, int | None]


@dataclass(frozen=True, slots=True)
class Series:
    """Counts of the target metric per baseline and campaign period; None = no row."""

    baseline: tuple[Point, ...]
    campaign: tuple[Point, ...]

    @property
    def baseline_counts(self) -> tuple[int, ...]:
        return tuple(v for _, v in self.baseline if v is not None)

    @property
    def campaign_counts(self) -> tuple[int, ...]:
        return tuple(v for _, v in self.campaign if v is not None)

    @property
    def missing(self) -> int:
        """Periods without a count, in both windows."""
        return sum(v is None for _, v in (*self.baseline, *self.campaign))


@dataclass(frozen=True, slots=True)
class Share:
    """The share of one category of the target metric, before and during the campaign."""

    metric: str
    baseline: Estimate
    campaign: Estimate
    baseline_count: int
    campaign_count: int


@dataclass(frozen=True, slots=True)
class SiteResult:
    """Everything measured for one site (or for all surge sites together)."""

    site_id: str
    name: str
    series: Series
    baseline_rate: Estimate
    campaign_rate: Estimate
    dispersion: Dispersion
    change: Estimate
    verdict: str
    comparison_change: Estimate | None
    did: Estimate | None
    pre_shock: Estimate | None
    progress: tuple[Step, ...]
    composition: tuple[Share, ...]
    plan: SitePlan | None


@dataclass(frozen=True, slots=True)
class Analysis:
    """The whole tracking result, ready for JSON and HTML."""

    scenario_name: str
    period_days: int
    campaign: tuple[date, date]
    target: Target
    outcomes_source: str
    simulated: bool
    sites: tuple[SiteResult, ...]
    overall: SiteResult
    names: Mapping[str, str]
    association: Association | None
    data_note: str = ""


def summed(outcomes: Outcomes, sites: Sequence[str], metric: str) -> dict[date, int]:
    """Per period, the sum over `sites`, only where every site has a count."""
    per_site = [outcomes.values(s, metric) for s in sites]
    if not per_site:
        return {}
    common = set.intersection(*(set(v) for v in per_site))
    return {p: sum(v[p] for v in per_site) for p in common}


def site_starts(scenario: Scenario) -> dict[str, date]:
    """A site's campaign starts with its first period of demand (the campaign start if none)."""
    starts = {s.site_id: scenario.end + timedelta(days=1) for s in scenario.sites}
    for d in scenario.demand:
        if d.required > 0:
            starts[d.site_id] = min(starts[d.site_id], d.period_start)
    return {k: v if v <= scenario.end else scenario.start for k, v in starts.items()}


class _Context:
    """What every site's measurement shares: windows, comparison series, target, plan."""

    def __init__(
        self,
        scenario: Scenario,
        target: Target,
        outcomes: Outcomes,
        plans: Mapping[str, SitePlan] | None,
    ) -> None:
        self.scenario = scenario
        self.target = target
        self.outcomes = outcomes
        self.plans = plans
        self.baseline = target.baseline_periods(scenario.period_days)
        self.campaign = scenario.period_starts()
        metric = target.metric
        self.comparison = (
            summed(outcomes, target.comparison_sites, metric) if target.comparison_sites else None
        )

    def series(self, values: Mapping[date, int], first: date) -> Series:
        return Series(
            tuple((p, values.get(p)) for p in self.baseline),
            tuple((p, values.get(p)) for p in self.campaign if p >= first),
        )

    def measure(self, site_id: str, name: str, sites: Sequence[str], first: date) -> SiteResult:
        """All measures for the sum of `sites` over campaign periods from `first`."""
        series = self.series(summed(self.outcomes, sites, self.target.metric), first)
        base, camp = series.baseline_counts, series.campaign_counts
        change, dispersion = rate_ratio(camp, base)
        alpha = dispersion.alpha
        comparison_change = did = None
        if self.comparison is not None:
            other = self.series(self.comparison, first)
            comparison_change, _ = rate_ratio(other.campaign_counts, other.baseline_counts)
            did = ratio_of_ratios(change, comparison_change)
        plan = self.plans.get(site_id) if self.plans is not None else None
        if plan is not None:
            plan = SitePlan(plan.site_id, tuple(w for w in plan.weeks if w.period_start >= first))
        return SiteResult(
            site_id=site_id,
            name=name,
            series=series,
            baseline_rate=rate_per_week(base, alpha),
            campaign_rate=rate_per_week(camp, alpha),
            dispersion=dispersion,
            change=change,
            verdict=verdict(change, self.target.ratio),
            comparison_change=comparison_change,
            did=did,
            pre_shock=self._pre_shock(series, alpha),
            progress=progress(base, series.campaign, alpha),
            composition=self._composition(sites, series),
            plan=plan,
        )

    def _pre_shock(self, series: Series, alpha: float) -> Estimate | None:
        """The change over campaign periods that ended before the shock, if some did not."""
        shock = self.target.shock
        if shock is None:
            return None
        days = self.scenario.period_days
        before = [v for p, v in series.campaign if p + timedelta(days=days - 1) < shock.date]
        if not before or len(before) == len(series.campaign):
            return None
        return ratio_with([v for v in before if v is not None], series.baseline_counts, alpha)

    def _composition(self, sites: Sequence[str], series: Series) -> tuple[Share, ...]:
        """Shares of each category, over periods where every category has a count."""
        categories = self.target.composition
        if not categories:
            return ()
        values = [summed(self.outcomes, sites, m) for m in categories]
        common = set.intersection(*(set(v) for v in values))
        windows = (
            {p for p, _ in series.baseline} & common,
            {p for p, _ in series.campaign} & common,
        )
        totals = [[sum(v[p] for p in w) for v in values] for w in windows]
        return tuple(
            Share(
                metric,
                wilson(totals[0][i], sum(totals[0])),
                wilson(totals[1][i], sum(totals[1])),
                totals[0][i],
                totals[1][i],
            )
            for i, metric in enumerate(categories)
        )


def analyse(
    scenario: Scenario,
    target: Target,
    outcomes: Outcomes,
    assignments: Sequence[Assignment] | None = None,
    names: Mapping[str, str] | None = None,
    data_note: str = "",
) -> Analysis:
    """Measure every scenario site, all of them together, and the plan link if a plan is given."""
    plans = plan_by_site(scenario, assignments) if assignments is not None else None
    context = _Context(scenario, target, outcomes, plans)
    starts = site_starts(scenario)
    tracked = [s for s in scenario.sites if s.site_id not in target.comparison_sites]
    sites = tuple(
        context.measure(s.site_id, s.name, (s.site_id,), starts[s.site_id]) for s in tracked
    )
    every = tuple(s.site_id for s in tracked)
    overall = context.measure(
        OVERALL_ID,
        "All surge sites together",
        every,
        max((starts[s] for s in every), default=scenario.start),
    )
    if plans is not None:
        overall = replace(overall, plan=_total_plan(plans.values(), overall.series))
    all_names = {s.site_id: s.name for s in scenario.sites} | dict(names or {})
    link = _association(sites) if plans is not None else None
    return Analysis(
        scenario_name=scenario.name,
        period_days=scenario.period_days,
        campaign=(scenario.start, scenario.end),
        target=target,
        outcomes_source=outcomes.source,
        simulated=outcomes.simulated,
        sites=sites,
        overall=overall,
        names=all_names,
        association=link,
        data_note=data_note,
    )


def _total_plan(plans: Iterable[SitePlan], series: Series) -> SitePlan:
    """The plans of all sites added up over the overall campaign periods."""
    periods = [p for p, _ in series.campaign]
    weeks = {p: [0, 0] for p in periods}
    for plan in plans:
        for w in plan.weeks:
            if w.period_start in weeks:
                weeks[w.period_start][0] += w.deployed
                weeks[w.period_start][1] += w.required
    return SitePlan(OVERALL_ID, tuple(SiteWeek(p, *weeks[p]) for p in periods))


def _association(sites: Sequence[SiteResult]) -> Association:
    """Coverage against change across the sites that had demand and a measurable change."""
    points = []
    for s in sites:
        coverage = s.plan.coverage if s.plan is not None else None
        if coverage is not None and s.change.defined:
            points.append((s.site_id, coverage, s.change.value))
    return association(points)
