"""The contents of tracking.json: every number of the report, plus its words.

JSON has no infinity or NaN: a bound the data cannot give (a zero baseline has no upper
limit) is written as null, and the sentence says why.
"""

from __future__ import annotations

import math
from typing import Any

from surgeplan.tracking.analysis import Analysis, Series, SiteResult
from surgeplan.tracking.link import Association, SitePlan
from surgeplan.tracking.stats import Estimate
from surgeplan.tracking.words import caveats, method, sentence


def num(value: float | None, digits: int = 4) -> float | None:
    """A finite number rounded for reading, or None."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def estimate(est: Estimate | None, change: bool = True) -> dict[str, Any] | None:
    """An estimate as ratio (or rate) and, for ratios, percent change."""
    if est is None:
        return None
    out: dict[str, Any] = {"value": num(est.value), "low": num(est.low), "high": num(est.high)}
    if change:
        out |= {
            f"change_pct{suffix}": num((v - 1) * 100, 2)
            for suffix, v in (("", est.value), ("_low", est.low), ("_high", est.high))
        }
    out["method"] = est.method
    return out


def _series(series: Series) -> dict[str, Any]:
    return {
        window: [{"period_start": str(p), "count": v} for p, v in points]
        for window, points in (("baseline", series.baseline), ("campaign", series.campaign))
    }


def _plan(plan: SitePlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        "officer_periods_deployed": plan.deployed,
        "officer_periods_required": plan.required,
        "officer_periods_short": plan.shortfall,
        "coverage": num(plan.coverage),
        "periods": [
            {
                "period_start": str(w.period_start),
                "officers_deployed": w.deployed,
                "headcount_required": w.required,
                "shortfall": w.shortfall,
            }
            for w in plan.weeks
        ],
    }


def site(result: SiteResult, analysis: Analysis) -> dict[str, Any]:
    """One site's results."""
    series = result.series
    return {
        "site_id": result.site_id,
        "name": result.name,
        "verdict": result.verdict,
        "sentence": sentence(result, analysis),
        "baseline_periods": {
            "planned": len(series.baseline),
            "with_count": len(series.baseline_counts),
        },
        "campaign_periods": {
            "first": str(series.campaign[0][0]) if series.campaign else None,
            "planned": len(series.campaign),
            "with_count": len(series.campaign_counts),
        },
        "baseline_rate_per_period": estimate(result.baseline_rate, change=False),
        "campaign_rate_per_period": estimate(result.campaign_rate, change=False),
        "dispersion": {
            "pearson_chi2": num(result.dispersion.statistic),
            "df": result.dispersion.df,
            "ratio": num(result.dispersion.ratio),
            "p_value": num(result.dispersion.p_value),
            "overdispersed": result.dispersion.overdispersed,
            "nb2_alpha": num(result.dispersion.alpha, 6),
        },
        "model": result.change.method,
        "change": estimate(result.change),
        "comparison_change": estimate(result.comparison_change),
        "difference_in_differences": estimate(result.did),
        "pre_shock_change": estimate(result.pre_shock),
        "series": _series(series),
        "progress": [
            {
                "index": s.index,
                "period_start": str(s.period_start),
                "count": s.count,
                "change_to_date": estimate(s.cumulative),
                "projection_to_end": estimate(s.projection),
            }
            for s in result.progress
        ],
        "composition": [
            {
                "metric": c.metric,
                "baseline_count": c.baseline_count,
                "campaign_count": c.campaign_count,
                "baseline_share": estimate(c.baseline, change=False),
                "campaign_share": estimate(c.campaign, change=False),
            }
            for c in result.composition
        ],
        "plan": _plan(result.plan),
    }


def _association(link: Association | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "label": link.label,
        "statistic": "Spearman rank correlation across sites",
        "x": "coverage (officer-periods deployed / demanded)",
        "y": "rate ratio campaign / baseline",
        "rho": num(link.rho),
        "sites": link.sites,
        "points": [
            {"site_id": s, "coverage": num(x), "rate_ratio": num(y)} for s, x, y in link.points
        ],
    }


def as_json(analysis: Analysis) -> dict[str, Any]:
    """The whole of tracking.json."""
    target = analysis.target
    return {
        "simulated": analysis.simulated,
        "data_label": "SIMULATED — not real data" if analysis.simulated else "",
        "scenario": analysis.scenario_name,
        "outcomes": analysis.outcomes_source,
        "data_note": analysis.data_note,
        "confidence_level": 0.95,
        "target": {
            "metric": target.metric,
            "change_pct": target.change_pct,
            "rate_ratio": num(target.ratio),
            "baseline_start": str(target.baseline_start),
            "baseline_end": str(target.baseline_end),
            "comparison_sites": [
                {"site_id": s, "name": analysis.names.get(s, s)} for s in target.comparison_sites
            ],
            "shock": (
                {"date": str(target.shock.date), "label": target.shock.label}
                if target.shock
                else None
            ),
            "composition": list(target.composition),
            "from": target.origin,
        },
        "campaign": {"start": str(analysis.campaign[0]), "end": str(analysis.campaign[1])},
        "sites": [site(s, analysis) for s in analysis.sites],
        "overall": site(analysis.overall, analysis),
        "association": _association(analysis.association),
        "method": method(analysis),
        "caveats": caveats(analysis),
    }
