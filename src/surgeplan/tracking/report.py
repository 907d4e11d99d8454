"""tracking.html: one self-contained offline page a reader understands without the code.

Order of the page: what was asked (target), the answer per site in one sentence each, the
small multiples, the plan next to the outcomes, composition, then method and caveats. No
scripts, no external files; every text is escaped with html.escape.
"""

from __future__ import annotations

from html import escape

from surgeplan.tracking.analysis import Analysis, SiteResult
from surgeplan.tracking.charts import VERDICT_COLOUR, counts_chart, plan_chart, progress_chart
from surgeplan.tracking.link import NOT_CAUSAL
from surgeplan.tracking.stats import Estimate
from surgeplan.tracking.words import caveats, interval, method, pct, sentence, unit

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#111827;
max-width:1240px;line-height:1.45}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.sim{background:#fef3c7;border:2px solid #b45309;padding:.6rem .9rem;font-weight:600;margin:.8rem 0}
.sim-tag{background:#b45309;color:#fff;font-size:.7rem;padding:1px 5px;border-radius:3px;
margin-left:6px;vertical-align:middle}
table{border-collapse:collapse;font-size:.86rem;margin:.4rem 0}
th,td{border-bottom:1px solid #e5e7eb;padding:4px 8px;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(400px,1fr));gap:14px}
.card{border:1px solid #d1d5db;border-radius:6px;padding:10px}
.card h3{font-size:1rem;margin:0 0 .3rem}.card p{font-size:.85rem;margin:.2rem 0 .5rem}
.v{font-weight:600}.muted{color:#4b5563;font-size:.85rem}
.legend span{display:inline-block;margin-right:14px;font-size:.8rem}
.sw{display:inline-block;width:14px;height:9px;margin-right:4px;vertical-align:middle}
"""


def _cell(value: str, numeric: bool = False) -> str:
    return f'<td class="n">{escape(value)}</td>' if numeric else f"<td>{escape(value)}</td>"


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(cells) + "</tr>"


def _change(est: Estimate | None) -> str:
    if est is None or not est.defined:
        return "—"
    return f"{pct(est.value)} ({pct(est.low)} to {pct(est.high)})"


def _rate(est: Estimate) -> str:
    return "—" if not est.defined else f"{est.value:,.1f}"


def _verdict(site: SiteResult) -> str:
    colour = VERDICT_COLOUR.get(site.verdict, "#4b5563")
    return f'<td class="v" style="color:{colour}">{escape(site.verdict)}</td>'


def _model(site: SiteResult) -> str:
    name = "negative binomial" if site.dispersion.alpha > 0 else "Poisson exact"
    if site.dispersion.p_value is None:
        return f"{name} (dispersion not testable)"
    p = site.dispersion.p_value
    shown = "p<0.001" if p < 0.001 else f"p={p:.3f}"
    return f"{name} (dispersion {site.dispersion.ratio:.2f}, {shown})"


def _table(analysis: Analysis) -> str:
    per = unit(analysis)
    head = [
        "site",
        f"baseline per {per}",
        f"campaign per {per}",
        "change (95% CI)",
        "model",
        "vs comparison sites",
        "before the shock",
        "verdict",
    ]
    rows = [
        _row(
            [
                _cell(s.name),
                _cell(_rate(s.baseline_rate), True),
                _cell(_rate(s.campaign_rate), True),
                _cell(_change(s.change)),
                _cell(_model(s)),
                _cell(_change(s.did)),
                _cell(_change(s.pre_shock)),
                _verdict(s),
            ]
        )
        for s in (*analysis.sites, analysis.overall)
    ]
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _card(site: SiteResult, analysis: Analysis) -> str:
    tag = _tag(analysis)
    days = analysis.period_days
    parts = [
        f'<div class="card"><h3>{escape(site.name)} ({escape(site.site_id)}){tag}</h3>',
        f"<p>{escape(sentence(site, analysis))}</p>",
        counts_chart(site, analysis.target, days),
        progress_chart(site, analysis.target, days),
    ]
    if site.plan is not None:
        parts.append(plan_chart(site.plan, days))
    parts.append(f'<p class="muted">{escape(_projection(site, analysis))}</p></div>')
    return "".join(parts)


def _projection(site: SiteResult, analysis: Analysis) -> str:
    """The projection from the last period with data, or from mid-campaign once it is over."""
    steps = [s for s in site.progress if s.projection.defined]
    if not steps:
        return "No projection: too few counts."
    last = steps[-1]
    if last.index < len(site.progress):
        p = last.projection
        return (
            f"Projection to the campaign's end, from {last.period_start}: {pct(p.value)} "
            f"(95% prediction interval {pct(p.low)} to {pct(p.high)}) if the rate so far continues."
        )
    mid = next((s for s in steps if s.index >= len(site.progress) // 2), steps[0])
    p = mid.projection
    return (
        f"Campaign complete. Halfway (after {mid.period_start}) the projection to the end was "
        f"{pct(p.value)} (95% prediction interval {pct(p.low)} to {pct(p.high)}); the measured "
        f"change is {pct(site.change.value)}."
    )


def _legend(analysis: Analysis) -> str:
    items = [
        ("#e5e7eb", f"baseline: 95% range of one {unit(analysis)} if nothing changed"),
        ("#1f3a93", "campaign counts"),
        ("#b45309", "target (baseline rate × target)"),
        ("#c7d2fe", "change to date, 95% interval"),
    ]
    if analysis.target.shock is not None:
        items.append(("#7c3aed", f"shock: {analysis.target.shock.label}"))
    if analysis.association is not None:
        items += [("#0f766e", "officers deployed"), ("#fca5a5", "headcount short")]
    return (
        '<p class="legend">'
        + "".join(
            f'<span><i class="sw" style="background:{c}"></i>{escape(t)}</span>' for c, t in items
        )
        + "</p>"
    )


def _composition(analysis: Analysis) -> str:
    """One row per site, one column per category: baseline share → campaign share."""
    categories = analysis.target.composition
    results = [s for s in (*analysis.sites, analysis.overall) if s.composition]
    if not categories or not results:
        return ""
    head = "".join(f"<th>{escape(c)}: baseline → campaign</th>" for c in categories)
    rows = [
        _row(
            [_cell(s.name)]
            + [_cell(f"{_share(c.baseline)} → {_share(c.campaign)}") for c in s.composition]
        )
        for s in results
    ]
    return (
        f"<h2>Composition{_tag(analysis)}</h2><p>Share of each category in the categories' "
        "total, with 95% Wilson intervals.</p><table><thead><tr><th>site</th>"
        + head
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _tag(analysis: Analysis) -> str:
    return '<span class="sim-tag">SIMULATED</span>' if analysis.simulated else ""


def _share(est: Estimate) -> str:
    if not est.defined:
        return "—"
    return f"{est.value:.1%} ({est.low:.1%} to {est.high:.1%})"


def _plan_link(analysis: Analysis) -> str:
    link = analysis.association
    if link is None:
        return (
            "<h2>Plan and outcomes</h2><p>No plan was linked. Pass the plan's assignments to "
            "show officers deployed and headcount short next to each site's counts.</p>"
        )
    if link.rho is None:
        finding = f"too few sites with demand and a measurable change ({link.sites}) to rank"
    else:
        finding = (
            f"Spearman rank correlation between coverage (officer-{unit(analysis)}s deployed ÷ "
            f"demanded) and the change, across {link.sites} sites: ρ = {link.rho:+.2f}"
        )
    per = unit(analysis)
    rows = [
        _row(
            [
                _cell(s.name),
                _cell(f"{s.plan.deployed:,}", True),
                _cell(f"{s.plan.required:,}", True),
                _cell(f"{s.plan.shortfall:,}", True),
                _cell("—" if s.plan.coverage is None else f"{s.plan.coverage:.0%}", True),
                _cell(_change(s.change)),
            ]
        )
        for s in analysis.sites
        if s.plan is not None
    ]
    head = (
        f"<th>site</th><th>officer-{per}s deployed</th><th>demanded</th><th>short</th>"
        "<th>coverage</th><th>change (95% CI)</th>"
    )
    return (
        f"<h2>Plan and outcomes{_tag(analysis)}</h2><p><strong>"
        f"{escape(NOT_CAUSAL.capitalize())}.</strong> "
        f"{escape(finding)}. Sites were staffed by the planner's choice, not at random, so this "
        "says nothing about what the officers caused.</p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render(analysis: Analysis) -> str:
    """The whole page."""
    target = analysis.target
    title = f"Campaign outcomes against the target — {analysis.scenario_name}"
    banner = (
        '<div class="sim">SIMULATED DATA — every count on this page was generated by '
        "surgeplan's simulator (illustrative, with invented effects). It is not real and "
        f"supports no conclusion about any real operation. {escape(analysis.data_note)}</div>"
        if analysis.simulated
        else ""
    )
    ask = (
        f"Target: {target.metric} {pct(target.ratio)} against the baseline "
        f"{target.baseline_start} to {target.baseline_end}; campaign {analysis.campaign[0]} to "
        f"{analysis.campaign[1]}. Outcomes: {analysis.outcomes_source}. Target from "
        f"{target.origin}."
    )
    if target.comparison_sites:
        names = ", ".join(analysis.names.get(s, s) for s in target.comparison_sites)
        ask += f" Comparison sites without surge: {names}."
    body = [
        f"<h1>{escape(title)}</h1>",
        banner,
        f"<p>{escape(ask)}</p>",
        f"<p><strong>{escape(sentence(analysis.overall, analysis))}</strong></p>",
        f"<h2>Per site{_tag(analysis)}</h2>",
        _table(analysis),
        f"<h2>Small multiples{_tag(analysis)}</h2>",
        _legend(analysis),
        '<div class="grid">'
        + "".join(_card(s, analysis) for s in (*analysis.sites, analysis.overall))
        + "</div>",
        _plan_link(analysis),
        _composition(analysis),
        "<h2>Method</h2><ul>" + "".join(f"<li>{escape(m)}</li>" for m in method(analysis)),
        "</ul><h2>Caveats</h2><ul>"
        + "".join(f"<li>{escape(c)}</li>" for c in caveats(analysis))
        + "</ul>",
        f'<p class="muted">Intervals are 95%. {escape(interval_note())}</p>',
    ]
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


def interval_note() -> str:
    """How to read an interval, once, in plain words."""
    example = Estimate(1.2, 1.05, 1.37, "")
    return (
        f"An interval such as '{interval(example)}' is the range of changes consistent with "
        "the counts; a target inside it cannot be confirmed or ruled out."
    )
