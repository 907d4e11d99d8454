"""Section 3, coverage: a heat map of deployed versus required headcount by site and period,
with one row per demanded qualification showing the checker's skill shortfall.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from surgeplan.checker.ledger import TIER_SHORTFALL, Assignment, CheckReport, LedgerEntry
from surgeplan.reports.html.format import clip, day, num
from surgeplan.reports.html.layout import RIGHT_W, Grid, Sites, swatch
from surgeplan.reports.html.svg import ink, rect, svg, text
from surgeplan.scenario.model import ANY_QUALIFICATION, Scenario

# ColorBrewer "Blues" (sequential, colour-blind safe): coverage bins from none to met.
COVERAGE_BINS = (
    (Decimal("0.25"), "#eff3ff", "0–24 %"),
    (Decimal("0.50"), "#c6dbef", "25–49 %"),
    (Decimal("0.75"), "#6baed6", "50–74 %"),
    (Decimal("1"), "#2171b5", "75–99 %"),
    (None, "#08306b", "met"),
)
NEUTRAL = ("#f3f4f6", "#111827")  # deployed where no headcount is demanded
SKILL_MET = ("#ffffff", "#4b5563")  # a qualification row's demand is met
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


def _qualification_in(scope: str, candidates: Iterable[str]) -> str | None:
    """The demanded qualification a `skill cover` scope names, or None if unclear."""
    options = sorted(candidates, key=len, reverse=True)
    tokens = {t.rstrip(".-") for t in TOKEN_RE.findall(scope)}
    named = [q for q in options if q in tokens] or [q for q in options if q in scope]
    if named:
        return named[0]
    return options[0] if len(options) == 1 else None


def _coverage_bin(covered: int | Decimal, required: int) -> tuple[str, str]:
    """Fill colour and ink of the coverage ratio covered / required (required > 0)."""
    ratio = Decimal(covered) / Decimal(required)
    for upper, colour, _ in COVERAGE_BINS:
        if upper is None or ratio < upper:
            return colour, ink(colour)
    raise AssertionError("the last coverage bin is open-ended")  # pragma: no cover


def _heat_cell(
    grid: Grid,
    column: int,
    y: float,
    h: float,
    *,
    lines: Sequence[str],
    tip: str,
    tone: tuple[str, str],
    kind: str,
) -> list[str]:
    """One coverage cell: `tone` is (fill, ink); `kind` is a CSS class (short, none, ok)."""
    x, w = grid.x(column) + 1.5, grid.col_w - 3
    colour, ink_colour = tone
    out = [rect(x, y + 1.5, w, h - 3, cls=f"cell {kind}".strip(), fill=colour, tip=tip)]
    if grid.col_w < 26:
        return out  # too narrow for text: the tooltip and the outline carry it
    shown = lines if h >= 30 and grid.col_w >= 34 else lines[-1:]
    for n, line in enumerate(shown):
        base = y + h / 2 + 4 if len(shown) == 1 else y + 13 + 13 * n
        klass = "hv b" if line.startswith("−") else "hv"
        out.append(text(x + w / 2, base, line, cls=klass, anchor="middle", fill=ink_colour))
    return out


def heatmap(
    scenario: Scenario,
    assignments: Sequence[Assignment],
    report: CheckReport,
    sites: Sites,
    grid: Grid,
) -> str:
    index = grid.index()
    crew: dict[tuple[str, int], set[str]] = defaultdict(set)
    for a in assignments:
        if a.period_start in index:
            crew[(a.site_id, index[a.period_start])].add(a.person_id)
    headcount: dict[tuple[str, int], int] = {}
    skills: dict[tuple[str, str, int], int] = {}
    for d in scenario.demand:
        if d.period_start not in index:
            continue
        if d.qualification == ANY_QUALIFICATION:
            headcount[(d.site_id, index[d.period_start])] = d.required
        else:
            skills[(d.site_id, d.qualification, index[d.period_start])] = d.required
    skill_short = _skill_shortfalls(report.ledger, skills, index)
    quals: dict[str, set[str]] = defaultdict(set)
    for site, qual, _ in [*skills, *skill_short]:
        quals[site].add(qual)

    site_h, qual_h = 34.0, 22.0
    body: list[str] = [text(grid.right + RIGHT_W / 2, 27, "short", anchor="middle", cls="ax-m")]
    top = y = 34.0
    marked = 0
    for site in sites.order:
        label = sites.label(site)
        body.append(text(8, y + 21, clip(label, 36), cls="lab b"))
        total = 0
        for column in range(len(grid.periods)):
            required = headcount.get((site, column), 0)
            present = len(crew.get((site, column), ()))
            if not required and not present:
                continue
            gap = max(0, required - present)
            total += gap
            where = f"{label}, {grid.unit} of {day(grid.periods[column])}"
            if required:
                tip = f"{where}: {present} deployed of {required} required"
                tip += f" — {gap} short" if gap else " — met"
                lines = [f"{present}/{required}", f"−{gap}"] if gap else [f"{present}/{required}"]
                tone, kind = _coverage_bin(present, required), "short" if gap else ""
            else:
                tip = f"{where}: {present} deployed, no headcount demand"
                lines, tone, kind = [str(present)], NEUTRAL, "none"
            marked += bool(gap)
            body += _heat_cell(grid, column, y, site_h, lines=lines, tip=tip, tone=tone, kind=kind)
        body.append(
            text(
                grid.right + RIGHT_W / 2,
                y + 21,
                f"{total:,}",
                anchor="middle",
                cls="hv b" if total else "hv",
            )
        )
        y += site_h
        for qual in sorted(quals[site]):
            body.append(text(22, y + 15, f"↳ {clip(qual, 30)}", cls="lab q"))
            q_total = Decimal(0)
            for column in range(len(grid.periods)):
                need = skills.get((site, qual, column), 0)
                gap_q = skill_short.get((site, qual, column), Decimal(0))
                if not need and not gap_q:
                    continue
                q_total += gap_q
                where = f"{qual} at {label}, {grid.unit} of {day(grid.periods[column])}"
                tip = f"{where}: at least {need} required — " + (
                    f"{num(gap_q)} short" if gap_q else "met"
                )
                if gap_q:
                    met = need - gap_q if need > gap_q else Decimal(0)
                    tone_q = _coverage_bin(met, need) if need else NEUTRAL
                    line, kind_q = f"−{num(gap_q)}", "short"
                else:  # met: kept pale so that the site rows and the gaps stand out
                    tone_q, line, kind_q = SKILL_MET, "✓", "ok"
                marked += bool(gap_q)
                body += _heat_cell(
                    grid, column, y, qual_h, lines=[line], tip=tip, tone=tone_q, kind=kind_q
                )
            body.append(
                text(
                    grid.right + RIGHT_W / 2,
                    y + 15,
                    num(q_total),
                    anchor="middle",
                    cls="hv b" if q_total else "hv",
                )
            )
            y += qual_h

    if y == top:
        return '<p class="empty">The scenario has no sites.</p>'
    legend = "".join(swatch(colour, bin_label) for _, colour, bin_label in COVERAGE_BINS)
    legend += swatch("#ffffff", "shortfall", ";box-shadow:inset 0 0 0 2px #c81e1e")
    legend += swatch(NEUTRAL[0], "deployed, no headcount demand", ";border:1px dashed #6b7280")
    legend += swatch(SKILL_MET[0], "✓ qualification met", ";border:1px solid #9ca3af")
    chart = svg(
        grid.width,
        y + 4,
        f"Coverage by site and {grid.unit}: deployed versus required headcount, "
        f"{marked} cells short",
        [*grid.axis(0), *grid.gridlines(top, y), *body],
        cls=grid.chart_class,
    )
    return (
        f'<ul class="legend" aria-label="Coverage colours">{legend}</ul>'
        f'<div class="scroll">{chart}</div>'
    )


def _skill_shortfalls(
    ledger: Iterable[LedgerEntry],
    skills: Mapping[tuple[str, str, int], int],
    index: Mapping[date, int],
) -> dict[tuple[str, str, int], Decimal]:
    """(site, qualification, column) → officers short, from the ledger's `skill cover` entries."""
    demanded: dict[tuple[str, int], set[str]] = defaultdict(set)
    for site, qual, at in skills:
        demanded[(site, at)].add(qual)
    short: dict[tuple[str, str, int], Decimal] = defaultdict(Decimal)
    for entry in ledger:
        if entry.tier != TIER_SHORTFALL or entry.rule != "skill cover" or entry.amount <= 0:
            continue
        column = index.get(entry.period_start) if entry.period_start else None
        if entry.site_id is None or column is None:
            continue
        named = _qualification_in(entry.scope, demanded.get((entry.site_id, column), ()))
        if named is not None:
            short[(entry.site_id, named, column)] += entry.amount
    return dict(short)
