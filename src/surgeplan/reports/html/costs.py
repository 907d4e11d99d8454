"""Section 4, cost: stacked bars and a table of travel, lodging and M&IE by site."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal

from surgeplan.checker.ledger import COST_CATEGORIES, CheckReport, Stretch
from surgeplan.reports.html.format import clip, e, money, money_short
from surgeplan.reports.html.layout import Grid, Sites, swatch, table
from surgeplan.reports.html.svg import f, nice_step, rect, svg, text
from surgeplan.scenario.model import Scenario

# Tol's "bright" blue, "vibrant" orange and teal for travel / lodging / M&IE.
CATEGORY_COLOURS = {"travel": "#4477AA", "lodging": "#EE7733", "mie": "#009988"}
CATEGORY_LABELS = {"travel": "Travel", "lodging": "Lodging", "mie": "M&IE"}


def _category_amounts(stretch: Stretch) -> dict[str, Decimal]:
    amounts = {"travel": stretch.travel_usd, "lodging": stretch.lodging_usd, "mie": stretch.mie_usd}
    return {category: amounts[category] for category in COST_CATEGORIES}


def costs(scenario: Scenario, report: CheckReport, sites: Sites, grid: Grid) -> str:
    per_site: dict[str, dict[str, Decimal]] = defaultdict(
        lambda: dict.fromkeys(COST_CATEGORIES, Decimal(0))
    )
    rotations: Counter[str] = Counter()
    periods: Counter[str] = Counter()
    for stretch in report.stretches:
        for category, amount in _category_amounts(stretch).items():
            per_site[stretch.site_id][category] += amount
        rotations[stretch.site_id] += 1
        periods[stretch.site_id] += stretch.periods
    if not per_site:
        return '<p class="empty">No costs to show: the checker priced no rotation.</p>'
    ranked = sorted(per_site, key=lambda s: (-sum(per_site[s].values()), sites.label(s)))
    totals = {c: sum((per_site[s][c] for s in per_site), Decimal(0)) for c in COST_CATEGORIES}
    grand = sum(totals.values(), Decimal(0))

    def share(amount: Decimal) -> str:
        return f"{(amount * 100 / grand).quantize(Decimal('0.1'))} %" if grand else "—"

    head = [
        "Site",
        "Rotations",
        f"Officer-{grid.unit}s",
        *(CATEGORY_LABELS[c] for c in COST_CATEGORIES),
        "Total",
        "Share",
    ]
    rows = [
        [
            e(sites.label(s)),
            f"{rotations[s]:,}",
            f"{periods[s]:,}",
            *(money(per_site[s][c]) for c in COST_CATEGORIES),
            f"<strong>{money(sum(per_site[s].values(), Decimal(0)))}</strong>",
            share(sum(per_site[s].values(), Decimal(0))),
        ]
        for s in ranked
    ]
    foot = [
        "All sites",
        f"{rotations.total():,}",
        f"{periods.total():,}",
        *(money(totals[c]) for c in COST_CATEGORIES),
        f'<strong class="grand">{money(grand)}</strong>',
        share(grand),
    ]
    breakdown = table("Cost by site and category (US dollars, exact to the cent)", head, rows, foot)
    budget = scenario.rules.budget_usd
    cap = (
        f'<p class="note">Budget cap {money(budget)}: this plan uses '
        f"{(grand * 100 / budget).quantize(Decimal('0.1')) if budget else '—'} % of it.</p>"
        if budget is not None
        else ""
    )
    return _cost_chart(ranked, per_site, sites) + breakdown + cap


def _cost_chart(
    ranked: Sequence[str], per_site: Mapping[str, Mapping[str, Decimal]], sites: Sites
) -> str:
    """Horizontal stacked bars, one per site; floats only for pixel widths."""
    top = max(float(sum(per_site[s].values(), Decimal(0))) for s in ranked)
    if top <= 0:
        return ""
    label_w, plot_w, row_h, axis_h = 220.0, 560.0, 26.0, 22.0
    step = nice_step(top)
    scale_top = math.ceil(top / step) * step
    per_px = plot_w / scale_top
    height = axis_h + row_h * len(ranked) + 6
    body: list[str] = []
    tick = 0.0
    lines = []
    while tick <= scale_top + step / 2:
        x = label_w + tick * per_px
        lines.append(f"M{f(x)} {f(axis_h - 4)}V{f(height - 4)}")
        body.append(text(x, 12, money_short(tick), anchor="middle", cls="ax-m"))
        tick += step
    body.insert(0, f'<path class="gl" d="{"".join(lines)}"/>')
    for n, site in enumerate(ranked):
        y = axis_h + n * row_h
        body.append(text(label_w - 8, y + 15, clip(sites.label(site), 32), anchor="end", cls="lab"))
        x = label_w
        for category in COST_CATEGORIES:
            amount = per_site[site][category]
            w = float(amount) * per_px
            tip = f"{sites.label(site)} · {CATEGORY_LABELS[category]}: {money(amount)}"
            body.append(rect(x, y + 3, w, row_h - 8, fill=CATEGORY_COLOURS[category], tip=tip))
            x += w
        total = sum(per_site[site].values(), Decimal(0))
        body.append(text(x + 6, y + 15, money(total), cls="hv"))
    legend = "".join(swatch(CATEGORY_COLOURS[c], CATEGORY_LABELS[c]) for c in COST_CATEGORIES)
    chart = svg(
        label_w + plot_w + 110,
        height,
        "Cost by site, stacked by travel, lodging and M&IE",
        body,
        cls="chart",
    )
    return f'<ul class="legend" aria-label="Cost categories">{legend}</ul>{chart}'
