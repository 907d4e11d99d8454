"""The results in plain words: one sentence per site, the method, and the caveats.

Shared by tracking.json and tracking.html so that both say exactly the same thing. A reader
who never sees the code must learn from these words what was measured, how sure one can be,
and what the numbers cannot show.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from surgeplan.tracking.analysis import Analysis, SiteResult
from surgeplan.tracking.link import NOT_CAUSAL
from surgeplan.tracking.stats import SIGNIFICANCE, Estimate

SHORT_BASELINE = 8
REAL_2020_SHOCK = date(2020, 3, 18)


def pct(ratio: float) -> str:
    """A rate ratio as a signed percent change: 1.097 → '+9.7%', 1.45 → '+45%'."""
    if math.isnan(ratio):
        return "n/a"
    if math.isinf(ratio):
        return "no upper limit"
    change = (ratio - 1) * 100
    text = f"{change:+.1f}%" if abs(change) < 10 else f"{change:+.0f}%"
    return text.replace("-", "−")


def interval(est: Estimate) -> str:
    """'95% CI +2% to +15%'."""
    return f"95% CI {pct(est.low)} to {pct(est.high)}"


def unit(analysis: Analysis) -> str:
    """'week' or 'day'."""
    return "week" if analysis.period_days == 7 else "day"


def sentence(site: SiteResult, analysis: Analysis) -> str:
    """Target met, not met, or cannot be told — in one sentence, with the numbers behind it."""
    target = analysis.target
    prefix = "SIMULATED data — " if analysis.simulated else ""
    goal = pct(target.ratio)
    head = f"{prefix}{site.name}: "
    reason = _why_undefined(site)
    if reason:
        return f"{head}cannot be told from these data — {reason}."
    change = (
        f"{target.metric} changed by {pct(site.change.value)} against the baseline "
        f"({interval(site.change)})"
    )
    if site.verdict == "met":
        text = f"target met — {change}, so even the low end of the interval reaches {goal}"
    elif site.verdict == "not met":
        text = f"target not met — {change}; even the high end of the interval is below {goal}"
    else:
        text = f"cannot be told from these data — {change}, an interval that includes {goal}"
    if site.did is not None and site.did.defined:
        text += (
            f"; against the comparison sites the change was {pct(site.did.value)} "
            f"({interval(site.did)})"
        )
    if site.pre_shock is not None and site.pre_shock.defined and target.shock is not None:
        text += (
            f"; in the weeks before the shock of {target.shock.date:%d %b %Y} it was "
            f"{pct(site.pre_shock.value)} ({interval(site.pre_shock)})"
        )
    return head + text + "."


def _why_undefined(site: SiteResult) -> str:
    if not site.series.baseline_counts:
        return "there are no baseline counts for this site"
    if not site.series.campaign_counts:
        return "there are no campaign counts for this site"
    if not site.change.defined:
        return "the counts are zero in both the baseline and the campaign"
    return ""


def method(analysis: Analysis) -> list[str]:
    """How every number was computed, in the order the report shows them."""
    per = unit(analysis)
    target = analysis.target
    return [
        f"Rate per {per}: the count divided by the {per}s that have a count (a {per} without "
        f"a row is left out, not taken as zero), with an exact Poisson interval, or a "
        "negative-binomial one where counts are over-dispersed.",
        f"Change: the rate ratio of campaign to baseline, shown as a percent change. A Pearson "
        f"χ² test (one mean for the baseline, one for the campaign; {SIGNIFICANCE:.0%} level) "
        "checks whether the counts vary more than a Poisson model allows. If not, the interval "
        "is the exact conditional (binomial, Clopper–Pearson) interval of the Poisson rate "
        "ratio; if so, a negative-binomial (NB2) model with its dispersion estimated by maximum "
        "likelihood gives a Wald interval on the log scale. Each site's row names the model used.",
        f"Verdict: 'target met' when the whole 95% interval is at or above {pct(target.ratio)}; "
        "'not met' when it is all below; 'cannot be told' when it straddles the target or "
        "nothing can be estimated.",
        "Each surge site is measured from its first period with demand in the plan's scenario "
        "to the campaign's end; 'all surge sites together' adds the sites up over the periods "
        "when every site was in its campaign.",
        "Against comparison sites (difference-in-differences): the site's rate ratio divided by "
        "the pooled comparison sites' rate ratio over the same periods, with a Wald interval on "
        "the log scale; it removes changes the surge and comparison sites share.",
        "Progress: the change from the campaign's start to each period, with its interval. "
        "Projection: where the measured change will land at the campaign's end if the rate so "
        "far continues, with a 95% prediction interval for the periods still to come.",
        "Composition: each category's share of the categories' total, with a Wilson interval.",
        f"Plan link: officers deployed and headcount short per site-{per}, and a Spearman rank "
        f"correlation across sites between coverage (deployed ÷ demanded) and the change — a "
        f"{NOT_CAUSAL}.",
    ]


def caveats(analysis: Analysis) -> list[str]:
    """What the numbers cannot show, for this analysis in particular."""
    target = analysis.target
    per = unit(analysis)
    first, last = analysis.campaign
    weeks = (target.baseline_end - target.baseline_start).days // analysis.period_days + 1
    out: list[str] = []
    if analysis.simulated:
        out.append(
            "SIMULATED data: these counts were generated by surgeplan's simulator with invented "
            "effects; they are not real arrests and say nothing about the 2020 operation."
        )
    out.append(
        "Before and after is not cause and effect: the change includes everything else that "
        "differed between the two windows (policy, staffing, reporting), not only the campaign."
    )
    if target.baseline_start == first - timedelta(days=364):
        out.append(
            "Seasonality: the baseline is the same weeks a year earlier, so the season matches, "
            "but any change between the two years (a trend) is counted as campaign change."
        )
    else:
        out.append(
            f"Seasonality: the baseline ({target.baseline_start} to {target.baseline_end}) "
            f"covers other weeks of the year than the campaign ({first} to {last}); seasonal "
            "swings (holidays, weather, fiscal-year effects) can mimic or hide a change."
        )
    if weeks == 1:
        out.append(
            f"Short baseline: a single baseline {per}; its rate rests on one count, and the "
            f"variation between {per}s cannot be seen in it."
        )
    elif weeks < SHORT_BASELINE:
        out.append(
            f"Short baseline: only {weeks} baseline {per}s; the baseline rate and the "
            "dispersion are uncertain, and intervals are wide."
        )
    if target.shock is not None:
        text = (
            f"External shock: {target.shock.label} on {target.shock.date}. Counts after it "
            "reflect that event as well as the campaign; the charts mark it with a vertical "
            "line, and each site's change before it is given separately."
        )
        text += (
            " A shift in the middle of the campaign also shows up as over-dispersion, which "
            "widens the intervals: they err on the cautious side."
        )
        if target.shock.date == REAL_2020_SHOCK:
            text += (
                " The real 2020 operation was curtailed from 18 Mar 2020, when ICE announced "
                "its COVID-19 enforcement posture (SOURCES.md §3.2)."
            )
        out.append(text)
    if target.comparison_sites:
        out.append(
            f"Comparison sites ({', '.join(target.comparison_sites)}) received no surge; the "
            "difference-in-differences assumes the surge sites would otherwise have changed "
            "like them (parallel trends), which the data cannot prove."
        )
    else:
        out.append(
            "No comparison sites: changes common to every office (policy, staffing, a "
            "pandemic) cannot be told apart from the campaign's effect."
        )
    missing = sum(s.series.missing for s in analysis.sites)
    if missing:
        out.append(
            f"Missing data: {missing} site-{per}s had no count and were left out, not counted "
            "as zero."
        )
    out.append(
        f"{per.capitalize()}s are treated as independent given the rate; runs of busy or "
        f"quiet {per}s "
        "(autocorrelation) would make the intervals too narrow."
    )
    if len(analysis.sites) > 1:
        out.append(
            f"Many sites: with {len(analysis.sites)} sites, about one 95% interval in twenty "
            "misses the true change by chance; intervals are not adjusted for that."
        )
    if target.composition:
        out.append(
            "Composition shares treat every counted event as independent; events counted in "
            "batches make the Wilson intervals too narrow."
        )
    if target.origin == "built-in defaults":
        out.append(
            "Areas: ICE areas of responsibility cover whole multi-state regions, far larger "
            "than the cities named in the deployment (SOURCES.md §2.1); the 35% target itself "
            "is reported second-hand (SOURCES.md §3.1)."
        )
    return out
