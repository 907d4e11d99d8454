"""Section 2, rotations: one Gantt row per deployed officer, grouped by home base."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from surgeplan.checker.ledger import Assignment
from surgeplan.reports.html.format import clip, e, plural
from surgeplan.reports.html.layout import Grid, Sites, deployed, swatch
from surgeplan.reports.html.svg import SITE_PALETTE, f, svg, text
from surgeplan.scenario.model import Scenario


def _runs(cells: Mapping[int, str]) -> list[tuple[int, int, str]]:
    """(first column, length, site) of each same-site run of consecutive columns."""
    runs: list[tuple[int, int, str]] = []
    for column in sorted(cells):
        site = cells[column]
        if runs and runs[-1][2] == site and runs[-1][0] + runs[-1][1] == column:
            first, length, _ = runs[-1]
            runs[-1] = (first, length + 1, site)
        else:
            runs.append((column, 1, site))
    return runs


def gantt(scenario: Scenario, assignments: Sequence[Assignment], sites: Sites, grid: Grid) -> str:
    cells = deployed(assignments, grid)
    people = {p.person_id: p for p in scenario.people}
    groups: list[tuple[str, list[str]]] = []
    for base in scenario.bases:
        members = [p.person_id for p in scenario.people if p.base_id == base.base_id]
        groups.append((f"{base.name} ({base.base_id})", members))
    known_bases = {b.base_id for b in scenario.bases}
    stray = [p.person_id for p in scenario.people if p.base_id not in known_bases]
    stray += sorted(set(cells) - set(people))
    if stray:
        groups.append(("Not in the scenario's bases", stray))

    row_h, group_h, top = 18.0, 24.0, 0.0
    body: list[str] = []
    stripes: list[str] = []
    idle: list[tuple[str, list[str]]] = []
    y = top
    for title, members in groups:
        active = [pid for pid in members if cells.get(pid)]
        idle.append((title, [pid for pid in members if not cells.get(pid)]))
        if not active:
            continue
        body.append(
            text(8, y + 16, f"{title} · {len(active)} of {len(members)} deployed", cls="grp")
        )
        y += group_h
        for n, pid in enumerate(active):
            person = people.get(pid)
            name = person.name if person else "(unknown officer)"
            if n % 2 == 0:
                stripes.append(f"M0 {f(y)}h{f(grid.right)}v{f(row_h)}h-{f(grid.right)}z")
            short = clip(name, max(8, 34 - len(pid)))
            body.append(
                f'<text x="8" y="{f(y + 13)}" class="lab"><title>{e(name)} ({e(pid)})'
                f'</title>{e(short)} <tspan class="id">{e(pid)}</tspan></text>'
            )
            for first, length, site in _runs(cells[pid]):
                x, w = grid.x(first) + 1, grid.col_w * length - 2
                k = sites.colour_class(site)
                tip = (
                    f"{name} ({pid}): {sites.label(site)}, {grid.span(first, length)}, "
                    f"{plural(length, grid.unit)}"
                )
                body.append(
                    f'<rect x="{f(x)}" y="{f(y + 2)}" width="{f(w)}" height="{f(row_h - 4)}"'
                    f' rx="3" class="c{k}"><title>{e(tip)}</title></rect>'
                )
                if w >= len(site) * 6.4 + 6:
                    body.append(text(x + w / 2, y + 12.5, site, cls=f"bl k{k}", anchor="middle"))
            y += row_h

    never = sum(len(m) for _, m in idle)
    by_base = ", ".join(f"{e(t)}: {len(m)}" for t, m in idle if m)
    if never:
        names = "".join(
            f"<p><strong>{e(t)}</strong>: "
            + ", ".join(f"{e(people[p].name if p in people else p)} ({e(p)})" for p in m)
            + "</p>"
            for t, m in idle
            if m
        )
        idle_line = (
            f'<p class="note">{plural(never, "officer")} of {len(scenario.people):,} never '
            f"deployed — {by_base}.</p><details><summary>Who was never deployed</summary>"
            f"{names}</details>"
        )
    else:
        idle_line = '<p class="note">Every officer is deployed at least once.</p>'
    if y == top:
        return '<p class="empty">No officer is deployed in this plan.</p>' + idle_line

    legend = _site_legend(sites, cells)
    axis = svg(
        grid.width,
        34,
        "Weeks of the campaign" if grid.days == 7 else "Days",
        grid.axis(2),
        cls=grid.chart_class,
    )
    chart = svg(
        grid.width,
        y + 4,
        f"Rotations of {len([p for p in cells if cells[p]])} deployed officers by "
        f"{grid.unit}, coloured by site",
        [f'<path class="zebra" d="{"".join(stripes)}"/>', *grid.gridlines(top, y), *body],
        cls=grid.chart_class,
    )
    return f'{legend}<div class="gantt"><div class="sticky">{axis}</div>{chart}</div>{idle_line}'


def _site_legend(sites: Sites, cells: Mapping[str, Mapping[int, str]]) -> str:
    load = Counter(site for person in cells.values() for site in person.values())
    entries = [
        swatch(
            SITE_PALETTE[sites.colour_class(s)],
            f"{sites.label(s)} · {plural(load[s], 'officer-period')}",
        )
        for s in sites.order
        if load[s]
    ]
    return f'<ul class="legend" aria-label="Sites">{"".join(entries)}</ul>'
