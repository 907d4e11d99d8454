"""Section 5, load: officers by the number of periods they are deployed."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from surgeplan.checker.ledger import Assignment
from surgeplan.reports.html.format import plural
from surgeplan.reports.html.layout import Grid, deployed, table
from surgeplan.reports.html.svg import f, nice_step, rect, svg, text
from surgeplan.scenario.model import Scenario


def histogram(scenario: Scenario, assignments: Sequence[Assignment], grid: Grid) -> str:
    cells = deployed(assignments, grid)
    load = {p.person_id: len(cells.get(p.person_id, {})) for p in scenario.people}
    counts = Counter(load.values())
    cap = scenario.rules.deployed_max
    top_k = max([*counts, cap or 0, 0])
    if not load:
        return '<p class="empty">The scenario has no officers.</p>'
    left, plot_h, base_y = 48.0, 180.0, 204.0
    bar_w = min(48.0, max(6.0, 640 / (top_k + 1)))
    most = max(counts.values())
    step = nice_step(float(most), 4) if most > 1 else 1.0
    body: list[str] = []
    lines = []
    tick = 0.0
    while tick <= most:
        y = base_y - tick / most * plot_h
        lines.append(f"M{f(left)} {f(y)}H{f(left + bar_w * (top_k + 1))}")
        body.append(text(left - 6, y + 4, f"{tick:g}", anchor="end", cls="ax-m"))
        tick += step
    body.insert(0, f'<path class="gl" d="{"".join(lines)}"/>')
    label_every = max(1, math.ceil(18 / bar_w))
    for k in range(top_k + 1):
        x = left + k * bar_w
        h = counts[k] / most * plot_h
        tip = f"{plural(counts[k], 'officer')} deployed {plural(k, grid.unit)}"
        body.append(rect(x + 1, base_y - h, bar_w - 2, h, cls="hist", tip=tip))
        if counts[k] and bar_w >= 16:
            body.append(
                text(x + bar_w / 2, base_y - h - 4, f"{counts[k]:,}", anchor="middle", cls="hv")
            )
        if k % label_every == 0:
            body.append(text(x + bar_w / 2, base_y + 15, str(k), anchor="middle"))
    if cap is not None:
        x = left + (cap + 1) * bar_w
        body.append(f'<path class="cap" d="M{f(x)} {f(base_y - plot_h - 8)}V{f(base_y)}"/>')
        body.append(
            text(x - 4, base_y - plot_h - 12, f"deployed_max {cap}", anchor="end", cls="ax-m")
        )
    body.append(
        text(
            left + bar_w * (top_k + 1) / 2,
            base_y + 34,
            f"{grid.unit}s deployed in the campaign",
            anchor="middle",
            cls="ax-m",
        )
    )
    chart = svg(
        max(left + bar_w * (top_k + 1) + 16, 320),
        base_y + 42,
        f"Officers by number of {grid.unit}s deployed",
        body,
        cls="chart",
    )
    ever_deployed = [v for v in load.values() if v]
    mean = Decimal(sum(load.values())) / len(load)
    stats = (
        f'<p class="note">{plural(len(load), "officer")}: {len(ever_deployed):,} deployed, '
        f"{len(load) - len(ever_deployed):,} never; {mean.quantize(Decimal('0.1'))} {grid.unit}s "
        f"per officer on average; the busiest serves {plural(max(load.values()), grid.unit)}."
        "</p>"
    )
    data = table(
        f"Officers by {grid.unit}s deployed",
        [f"{grid.unit.capitalize()}s", "Officers"],
        ([str(k), f"{counts[k]:,}"] for k in range(top_k + 1)),
    )
    return f"{chart}{stats}<details><summary>Data</summary>{data}</details>"
