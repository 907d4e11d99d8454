"""A plan as one self-contained HTML page: header, rotations, coverage, cost, load, ledger.

The page opens offline and loads nothing: inline CSS and inline SVG, no script, and a
Content-Security-Policy that forbids fetching anything should a browser ever be tempted.
Every text from the scenario or the plan (names, ids, scopes, messages) is untrusted
input and passes through `html.escape` before it is written; class names and
coordinates are made by this module only. Money stays `Decimal` from the checker's
stretches to the printed `$1,234.56`; floats serve only as pixel coordinates.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from html import escape
from typing import Any

from surgeplan.checker.ledger import (
    COST_CATEGORIES,
    TIER_COST,
    TIER_SHORTFALL,
    Assignment,
    CheckReport,
    LedgerEntry,
    Stretch,
)
from surgeplan.scenario.model import ANY_QUALIFICATION, Scenario

CENT = Decimal("0.01")
LABEL_W = 240  # left margin of the time charts, where officer and site names go
CHART_W = 900  # target width of the time columns in pixels
RIGHT_W = 64  # right margin of the heat map (row totals)
DETAIL_ROWS = 5000  # cap of the collapsible ledger detail, keeping big plans' pages small
VIOLATIONS_SHOWN = 10

# Paul Tol's "muted" qualitative scheme (colour-blind safe) plus his pale grey.
SITE_PALETTE = (
    "#332288", "#88CCEE", "#44AA99", "#117733", "#999933",
    "#DDCC77", "#CC6677", "#882255", "#AA4499", "#DDDDDD",
)  # fmt: skip
# Tol's "bright" blue, "vibrant" orange and teal for travel / lodging / M&IE.
CATEGORY_COLOURS = {"travel": "#4477AA", "lodging": "#EE7733", "mie": "#009988"}
CATEGORY_LABELS = {"travel": "Travel", "lodging": "Lodging", "mie": "M&IE"}
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
TIER_ORDER = (TIER_SHORTFALL, "budget", TIER_COST, "fairness", "requests", "changes")
STATUS_TONE = {"OPTIMAL": "ok", "FEASIBLE": "info", "INFEASIBLE": "bad", "MODEL_INVALID": "bad"}
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")


# ---------------------------------------------------------------- text and numbers


def _e(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute (also valid inside SVG)."""
    return escape(str(value), quote=True)


def _money(amount: Decimal) -> str:
    """$1,234.56 from a Decimal, exactly (no float on the way)."""
    cents = amount.quantize(CENT)
    sign = "−" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def _money_short(amount: float) -> str:
    """Axis tick label: $0, $750, $12k, $1.5M (pixels only, never a reported figure)."""
    if amount >= 1_000_000:
        return f"${amount / 1_000_000:g}M"
    if amount >= 1_000:
        return f"${amount / 1_000:g}k"
    return f"${amount:g}"


def _num(value: Decimal | int) -> str:
    """A count or weight with thousands separators and no spurious decimals."""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


def _day(value: date) -> str:
    """3 Feb 2020."""
    return f"{value.day} {value:%b %Y}"


def _f(value: float) -> str:
    """A compact SVG coordinate."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _plain(value: object) -> str:
    """Any summary value as plain (not yet escaped) text."""
    if value is None:
        return "—"
    if isinstance(value, Mapping):
        return "; ".join(f"{key}: {_plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _percent(value: object) -> str:
    """A gap as HTML: 1.25 %, or one figure per objective stage when given as a dict."""
    if _is_number(value):
        return f"{value:.2f} %"
    if isinstance(value, Mapping):
        lines = "".join(f"<span>{_e(key)}: {_percent(item)}</span>" for key, item in value.items())
        return f'<span class="lines">{lines}</span>'

    return _e(_plain(value))


def _decimal(value: object) -> Decimal | None:
    """A summary amount (string, int or float as written to JSON) as a Decimal, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #RRGGBB."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ink(colour: str) -> str:
    """White or near-black text, whichever contrasts more with `colour`."""
    lum = _luminance(colour)
    return "#ffffff" if (1.05 / (lum + 0.05)) > ((lum + 0.05) / 0.0625) else "#111827"


# ---------------------------------------------------------------- tiny SVG helper


def _svg(width: float, height: float, label: str, body: Iterable[str], cls: str = "") -> str:
    """An accessible inline SVG: role=img, aria-label and <title> from `label` (escaped)."""
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<svg role="img" aria-label="{_e(label)}"'
        f' viewBox="0 0 {_f(width)} {_f(height)}" width="{_f(width)}"'
        f' height="{_f(height)}"{klass}><title>{_e(label)}</title>' + "".join(body) + "</svg>"
    )


def _rect(
    x: float,
    y: float,
    w: float,
    h: float,
    *,
    cls: str = "",
    fill: str = "",
    tip: str = "",
) -> str:
    """A rect with optional class, fill and tooltip (the tooltip text is escaped here)."""
    attrs = f'x="{_f(x)}" y="{_f(y)}" width="{_f(max(w, 0))}" height="{_f(max(h, 0))}"'
    if cls:
        attrs += f' class="{cls}"'
    if fill:
        attrs += f' fill="{fill}"'
    if tip:
        return f"<rect {attrs}><title>{_e(tip)}</title></rect>"
    return f"<rect {attrs}/>"


def _text(x: float, y: float, text: str, *, cls: str = "", anchor: str = "", fill: str = "") -> str:
    """A text element; `text` is escaped here."""
    attrs = f'x="{_f(x)}" y="{_f(y)}"'
    if cls:
        attrs += f' class="{cls}"'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    if fill:
        attrs += f' fill="{fill}"'
    return f"<text {attrs}>{_e(text)}</text>"


def _swatch(colour: str, label: str, extra: str = "") -> str:
    """One legend entry in HTML (colour is ours, label is escaped)."""
    return f'<li><span class="sw" style="background:{colour}{extra}"></span>{_e(label)}</li>'


def _table(
    caption: str,
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    foot: Sequence[str] | None = None,
    numeric_from: int = 1,
) -> str:
    """A table of already-escaped cells; columns from `numeric_from` are right-aligned."""

    def line(cells: Sequence[str], tag: str) -> str:
        out = []
        for i, cell in enumerate(cells):
            cell_tag = "th" if tag == "th" or i == 0 else "td"
            scope = ' scope="col"' if tag == "th" else (' scope="row"' if i == 0 else "")
            klass = ' class="n"' if i >= numeric_from else ""
            out.append(f"<{cell_tag}{scope}{klass}>{cell}</{cell_tag}>")
        return "<tr>" + "".join(out) + "</tr>"

    body = "".join(line(row, "td") for row in rows)
    footer = f"<tfoot>{line(foot, 'td')}</tfoot>" if foot else ""
    return (
        f"<table><caption>{_e(caption)}</caption><thead>{line(head, 'th')}</thead>"
        f"<tbody>{body}</tbody>{footer}</table>"
    )


# ---------------------------------------------------------------- shared context


@dataclass(frozen=True, slots=True)
class _Grid:
    """The shared time axis of the Gantt and the heat map: one column per period."""

    periods: tuple[date, ...]
    days: int
    col_w: float
    left: float = LABEL_W

    @classmethod
    def of(cls, scenario: Scenario) -> _Grid:
        periods = scenario.period_starts()
        col_w = float(min(56, max(8, CHART_W // max(len(periods), 1))))
        return cls(periods, scenario.period_days, col_w)

    @property
    def unit(self) -> str:
        return "week" if self.days == 7 else "day"

    @property
    def right(self) -> float:
        return self.left + self.col_w * len(self.periods)

    @property
    def width(self) -> float:
        """Width of every time chart, so that the Gantt and the heat map scale alike."""
        return self.right + RIGHT_W

    @property
    def chart_class(self) -> str:
        return "chart" if self.col_w >= 26 else "chart narrow"

    def x(self, index: int) -> float:
        return self.left + self.col_w * index

    def index(self) -> dict[date, int]:
        return {start: i for i, start in enumerate(self.periods)}

    def span(self, first: int, count: int) -> str:
        """Human dates of `count` periods from column `first`, last day inclusive."""
        end = self.periods[first] + timedelta(days=self.days * count - 1)
        return f"{_day(self.periods[first])} – {_day(end)}"

    def axis(self, top: float) -> list[str]:
        """Month names and period start days above the columns."""
        out: list[str] = []
        step = max(1, math.ceil(20 / self.col_w))
        for i, start in enumerate(self.periods):
            if i == 0 or start.month != self.periods[i - 1].month:
                month = f"{start:%b %Y}" if i == 0 or start.month == 1 else f"{start:%b}"
                out.append(_text(self.x(i) + 2, top + 12, month, cls="ax-m"))
            if i % step == 0:
                out.append(
                    _text(self.x(i) + self.col_w / 2, top + 27, str(start.day), anchor="middle")
                )
        return out

    def gridlines(self, top: float, bottom: float) -> list[str]:
        """Column separators as two paths (months darker), not one element per cell."""
        light: list[str] = []
        dark: list[str] = []
        for i in range(len(self.periods) + 1):
            new_month = i in (0, len(self.periods)) or (
                self.periods[i].month != self.periods[i - 1].month
            )
            (dark if new_month else light).append(f"M{_f(self.x(i))} {_f(top)}V{_f(bottom)}")
        return [
            f'<path class="gl" d="{"".join(light)}"/>',
            f'<path class="gm" d="{"".join(dark)}"/>',
        ]


@dataclass(frozen=True, slots=True)
class _Sites:
    """Display name and colour class of every site: the scenario's, then unknown ids."""

    order: tuple[str, ...]
    names: Mapping[str, str]
    classes: Mapping[str, int]

    @classmethod
    def of(cls, scenario: Scenario, assignments: Sequence[Assignment]) -> _Sites:
        names = {s.site_id: s.name for s in scenario.sites}
        order = [s.site_id for s in scenario.sites]
        extra = {a.site_id for a in assignments} | {d.site_id for d in scenario.demand}
        order += sorted(extra - set(names))
        classes = {site: i % len(SITE_PALETTE) for i, site in enumerate(order)}
        return cls(tuple(order), names, classes)

    def colour_class(self, site_id: str) -> int:
        return self.classes.get(site_id, len(self.order) % len(SITE_PALETTE))

    def label(self, site_id: str) -> str:
        name = self.names.get(site_id)
        return f"{name} ({site_id})" if name else f"{site_id} (not in the scenario)"


def _deployed(assignments: Sequence[Assignment], grid: _Grid) -> dict[str, dict[int, str]]:
    """Person → column → site, for assignments inside the campaign."""
    index = grid.index()
    cells: dict[str, dict[int, str]] = defaultdict(dict)
    for a in assignments:
        column = index.get(a.period_start)
        if column is not None:
            cells[a.person_id][column] = a.site_id
    return cells


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


def _section(anchor: str, title: str, intro: str, body: str) -> str:
    """A report section with an h2 heading; `intro` and `body` are already HTML."""
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">{title}</h2>'
        f'<p class="intro">{intro}</p>{body}</section>'
    )


# ---------------------------------------------------------------- 1. header


def _header(
    scenario: Scenario, report: CheckReport, summary: Mapping[str, Any], grid: _Grid
) -> str:
    objective = summary.get("objective")
    claimed = objective if isinstance(objective, Mapping) else {}
    status = summary.get("status")
    tone = STATUS_TONE.get(str(status), "warn")
    badge = f'<span class="badge {tone}">{_e(status)}</span>' if status else "—"
    if summary.get("interrupted") is True:
        badge += "<small>interrupted before the time limit</small>"
    cards = [("Status", badge)]
    if "gap_pct" in summary:
        cards.append(("Gap to bound", _percent(summary["gap_pct"])))
    seconds = summary.get("solve_seconds")
    if "solve_seconds" in summary:
        text = f"{seconds:,.1f} s" if _is_number(seconds) else _e(_plain(seconds))
        cards.append(("Solve time", text))
    shortfall = _num(report.shortfall)
    solver_short = _decimal(claimed.get("shortfall"))
    if solver_short is not None and solver_short != report.shortfall:
        shortfall += f"<small>solver claimed {_num(solver_short)}</small>"
    cards.append(("Shortfall (priority-weighted)", shortfall))
    cost = _money(report.cost_usd)
    solver_cost = _decimal(claimed.get("cost_usd", summary.get("cost_usd")))
    if solver_cost is not None and solver_cost != report.cost_usd:
        cost += f"<small>solver claimed {_money(solver_cost)}</small>"
    cards.append(("Cost", cost))
    checked = (
        '<span class="badge ok">no violations</span>'
        if report.feasible
        else f'<span class="badge bad">{_plural(len(report.violations), "violation")}</span>'
    )
    cards.append(("Checker", checked))
    tiles = "".join(f'<div class="card"><dt>{_e(k)}</dt><dd>{v}</dd></div>' for k, v in cards)
    name = summary.get("scenario")
    other_name = (
        f' <span class="muted">(summary names “{_e(name)}”)</span>'
        if name and str(name) != scenario.name
        else ""
    )
    facts = (
        f"{_e(_day(scenario.start))} – {_e(_day(scenario.end))} · "
        f"{_plural(len(grid.periods), grid.unit)} · {_plural(len(scenario.people), 'officer')}"
        f" from {_plural(len(scenario.bases), 'base')} · {_plural(len(scenario.sites), 'site')}"
    )
    raw = "".join(f"<dt>{_e(k)}</dt><dd>{_e(_plain(v))}</dd>" for k, v in summary.items())
    details = (
        f'<details class="raw"><summary>All solver summary fields</summary><dl>{raw}</dl></details>'
        if summary
        else ""
    )
    return (
        f'<header><p class="eyebrow">Surge deployment plan</p><h1>{_e(scenario.name)}{other_name}'
        f'</h1><p class="facts">{facts}</p><dl class="cards">{tiles}</dl>{details}</header>'
    )


def _violations(report: CheckReport) -> str:
    if report.feasible:
        return ""
    items = [
        f"<li><strong>{_e(v.rule)}</strong> · {_e(v.scope)} — {_e(v.message)}</li>"
        for v in report.violations
    ]
    shown = "".join(items[:VIOLATIONS_SHOWN])
    rest = items[VIOLATIONS_SHOWN:]
    more = (
        f"<details><summary>{_plural(len(rest), 'more violation')}</summary>"
        f"<ul>{''.join(rest)}</ul></details>"
        if rest
        else ""
    )
    count = _plural(len(report.violations), "hard-rule violation")
    return (
        '<section class="banner" role="alert" aria-labelledby="violations-h">'
        f'<h2 id="violations-h">The checker found {count}</h2>'
        "<p>This plan breaks rules that must hold. Do not use it as it stands.</p>"
        f"<ul>{shown}</ul>{more}</section>"
    )


# ---------------------------------------------------------------- 2. Gantt


def _gantt(
    scenario: Scenario, assignments: Sequence[Assignment], sites: _Sites, grid: _Grid
) -> str:
    cells = _deployed(assignments, grid)
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
            _text(8, y + 16, f"{title} · {len(active)} of {len(members)} deployed", cls="grp")
        )
        y += group_h
        for n, pid in enumerate(active):
            person = people.get(pid)
            name = person.name if person else "(unknown officer)"
            if n % 2 == 0:
                stripes.append(f"M0 {_f(y)}h{_f(grid.right)}v{_f(row_h)}h-{_f(grid.right)}z")
            short = _clip(name, max(8, 34 - len(pid)))
            body.append(
                f'<text x="8" y="{_f(y + 13)}" class="lab"><title>{_e(name)} ({_e(pid)})'
                f'</title>{_e(short)} <tspan class="id">{_e(pid)}</tspan></text>'
            )
            for first, length, site in _runs(cells[pid]):
                x, w = grid.x(first) + 1, grid.col_w * length - 2
                k = sites.colour_class(site)
                tip = (
                    f"{name} ({pid}): {sites.label(site)}, {grid.span(first, length)}, "
                    f"{_plural(length, grid.unit)}"
                )
                body.append(
                    f'<rect x="{_f(x)}" y="{_f(y + 2)}" width="{_f(w)}" height="{_f(row_h - 4)}"'
                    f' rx="3" class="c{k}"><title>{_e(tip)}</title></rect>'
                )
                if w >= len(site) * 6.4 + 6:
                    body.append(_text(x + w / 2, y + 12.5, site, cls=f"bl k{k}", anchor="middle"))
            y += row_h

    never = sum(len(m) for _, m in idle)
    by_base = ", ".join(f"{_e(t)}: {len(m)}" for t, m in idle if m)
    if never:
        names = "".join(
            f"<p><strong>{_e(t)}</strong>: "
            + ", ".join(f"{_e(people[p].name if p in people else p)} ({_e(p)})" for p in m)
            + "</p>"
            for t, m in idle
            if m
        )
        idle_line = (
            f'<p class="note">{_plural(never, "officer")} of {len(scenario.people):,} never '
            f"deployed — {by_base}.</p><details><summary>Who was never deployed</summary>"
            f"{names}</details>"
        )
    else:
        idle_line = '<p class="note">Every officer is deployed at least once.</p>'
    if y == top:
        return '<p class="empty">No officer is deployed in this plan.</p>' + idle_line

    legend = _site_legend(sites, cells)
    axis = _svg(
        grid.width,
        34,
        "Weeks of the campaign" if grid.days == 7 else "Days",
        grid.axis(2),
        cls=grid.chart_class,
    )
    chart = _svg(
        grid.width,
        y + 4,
        f"Rotations of {len([p for p in cells if cells[p]])} deployed officers by "
        f"{grid.unit}, coloured by site",
        [f'<path class="zebra" d="{"".join(stripes)}"/>', *grid.gridlines(top, y), *body],
        cls=grid.chart_class,
    )
    return f'{legend}<div class="gantt"><div class="sticky">{axis}</div>{chart}</div>{idle_line}'


def _site_legend(sites: _Sites, cells: Mapping[str, Mapping[int, str]]) -> str:
    load = Counter(site for person in cells.values() for site in person.values())
    entries = [
        _swatch(
            SITE_PALETTE[sites.colour_class(s)],
            f"{sites.label(s)} · {_plural(load[s], 'officer-period')}",
        )
        for s in sites.order
        if load[s]
    ]
    return f'<ul class="legend" aria-label="Sites">{"".join(entries)}</ul>'


# ---------------------------------------------------------------- 3. coverage heat map


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
            return colour, _ink(colour)
    raise AssertionError("the last coverage bin is open-ended")  # pragma: no cover


def _heat_cell(
    grid: _Grid,
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
    colour, ink = tone
    out = [_rect(x, y + 1.5, w, h - 3, cls=f"cell {kind}".strip(), fill=colour, tip=tip)]
    if grid.col_w < 26:
        return out  # too narrow for text: the tooltip and the outline carry it
    shown = lines if h >= 30 and grid.col_w >= 34 else lines[-1:]
    for n, line in enumerate(shown):
        base = y + h / 2 + 4 if len(shown) == 1 else y + 13 + 13 * n
        klass = "hv b" if line.startswith("−") else "hv"
        out.append(_text(x + w / 2, base, line, cls=klass, anchor="middle", fill=ink))
    return out


def _heatmap(
    scenario: Scenario,
    assignments: Sequence[Assignment],
    report: CheckReport,
    sites: _Sites,
    grid: _Grid,
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
    body: list[str] = [_text(grid.right + RIGHT_W / 2, 27, "short", anchor="middle", cls="ax-m")]
    top = y = 34.0
    marked = 0
    for site in sites.order:
        label = sites.label(site)
        body.append(_text(8, y + 21, _clip(label, 36), cls="lab b"))
        total = 0
        for column in range(len(grid.periods)):
            required = headcount.get((site, column), 0)
            present = len(crew.get((site, column), ()))
            if not required and not present:
                continue
            gap = max(0, required - present)
            total += gap
            where = f"{label}, {grid.unit} of {_day(grid.periods[column])}"
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
            _text(
                grid.right + RIGHT_W / 2,
                y + 21,
                f"{total:,}",
                anchor="middle",
                cls="hv b" if total else "hv",
            )
        )
        y += site_h
        for qual in sorted(quals[site]):
            body.append(_text(22, y + 15, f"↳ {_clip(qual, 30)}", cls="lab q"))
            q_total = Decimal(0)
            for column in range(len(grid.periods)):
                need = skills.get((site, qual, column), 0)
                gap_q = skill_short.get((site, qual, column), Decimal(0))
                if not need and not gap_q:
                    continue
                q_total += gap_q
                where = f"{qual} at {label}, {grid.unit} of {_day(grid.periods[column])}"
                tip = f"{where}: at least {need} required — " + (
                    f"{_num(gap_q)} short" if gap_q else "met"
                )
                if gap_q:
                    met = need - gap_q if need > gap_q else Decimal(0)
                    tone_q = _coverage_bin(met, need) if need else NEUTRAL
                    line, kind_q = f"−{_num(gap_q)}", "short"
                else:  # met: kept pale so that the site rows and the gaps stand out
                    tone_q, line, kind_q = SKILL_MET, "✓", "ok"
                marked += bool(gap_q)
                body += _heat_cell(
                    grid, column, y, qual_h, lines=[line], tip=tip, tone=tone_q, kind=kind_q
                )
            body.append(
                _text(
                    grid.right + RIGHT_W / 2,
                    y + 15,
                    _num(q_total),
                    anchor="middle",
                    cls="hv b" if q_total else "hv",
                )
            )
            y += qual_h

    if y == top:
        return '<p class="empty">The scenario has no sites.</p>'
    legend = "".join(_swatch(colour, text) for _, colour, text in COVERAGE_BINS)
    legend += _swatch("#ffffff", "shortfall", ";box-shadow:inset 0 0 0 2px #c81e1e")
    legend += _swatch(NEUTRAL[0], "deployed, no headcount demand", ";border:1px dashed #6b7280")
    legend += _swatch(SKILL_MET[0], "✓ qualification met", ";border:1px solid #9ca3af")
    chart = _svg(
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


# ---------------------------------------------------------------- 4. costs


def _category_amounts(stretch: Stretch) -> dict[str, Decimal]:
    amounts = {"travel": stretch.travel_usd, "lodging": stretch.lodging_usd, "mie": stretch.mie_usd}
    return {category: amounts[category] for category in COST_CATEGORIES}


def _nice_step(top: float, ticks: int = 5) -> float:
    """A 1-2-5 step giving about `ticks` gridlines up to `top`."""
    raw = top / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _costs(scenario: Scenario, report: CheckReport, sites: _Sites, grid: _Grid) -> str:
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
            _e(sites.label(s)),
            f"{rotations[s]:,}",
            f"{periods[s]:,}",
            *(_money(per_site[s][c]) for c in COST_CATEGORIES),
            f"<strong>{_money(sum(per_site[s].values(), Decimal(0)))}</strong>",
            share(sum(per_site[s].values(), Decimal(0))),
        ]
        for s in ranked
    ]
    foot = [
        "All sites",
        f"{rotations.total():,}",
        f"{periods.total():,}",
        *(_money(totals[c]) for c in COST_CATEGORIES),
        f'<strong class="grand">{_money(grand)}</strong>',
        share(grand),
    ]
    table = _table("Cost by site and category (US dollars, exact to the cent)", head, rows, foot)
    budget = scenario.rules.budget_usd
    cap = (
        f'<p class="note">Budget cap {_money(budget)}: this plan uses '
        f"{(grand * 100 / budget).quantize(Decimal('0.1')) if budget else '—'} % of it.</p>"
        if budget is not None
        else ""
    )
    return _cost_chart(ranked, per_site, sites) + table + cap


def _cost_chart(
    ranked: Sequence[str], per_site: Mapping[str, Mapping[str, Decimal]], sites: _Sites
) -> str:
    """Horizontal stacked bars, one per site; floats only for pixel widths."""
    top = max(float(sum(per_site[s].values(), Decimal(0))) for s in ranked)
    if top <= 0:
        return ""
    label_w, plot_w, row_h, axis_h = 220.0, 560.0, 26.0, 22.0
    step = _nice_step(top)
    scale_top = math.ceil(top / step) * step
    per_px = plot_w / scale_top
    height = axis_h + row_h * len(ranked) + 6
    body: list[str] = []
    tick = 0.0
    lines = []
    while tick <= scale_top + step / 2:
        x = label_w + tick * per_px
        lines.append(f"M{_f(x)} {_f(axis_h - 4)}V{_f(height - 4)}")
        body.append(_text(x, 12, _money_short(tick), anchor="middle", cls="ax-m"))
        tick += step
    body.insert(0, f'<path class="gl" d="{"".join(lines)}"/>')
    for n, site in enumerate(ranked):
        y = axis_h + n * row_h
        body.append(
            _text(label_w - 8, y + 15, _clip(sites.label(site), 32), anchor="end", cls="lab")
        )
        x = label_w
        for category in COST_CATEGORIES:
            amount = per_site[site][category]
            w = float(amount) * per_px
            tip = f"{sites.label(site)} · {CATEGORY_LABELS[category]}: {_money(amount)}"
            body.append(_rect(x, y + 3, w, row_h - 8, fill=CATEGORY_COLOURS[category], tip=tip))
            x += w
        total = sum(per_site[site].values(), Decimal(0))
        body.append(_text(x + 6, y + 15, _money(total), cls="hv"))
    legend = "".join(_swatch(CATEGORY_COLOURS[c], CATEGORY_LABELS[c]) for c in COST_CATEGORIES)
    chart = _svg(
        label_w + plot_w + 110,
        height,
        "Cost by site, stacked by travel, lodging and M&IE",
        body,
        cls="chart",
    )
    return f'<ul class="legend" aria-label="Cost categories">{legend}</ul>{chart}'


# ---------------------------------------------------------------- 5. load histogram


def _histogram(scenario: Scenario, assignments: Sequence[Assignment], grid: _Grid) -> str:
    cells = _deployed(assignments, grid)
    load = {p.person_id: len(cells.get(p.person_id, {})) for p in scenario.people}
    counts = Counter(load.values())
    cap = scenario.rules.deployed_max
    top_k = max([*counts, cap or 0, 0])
    if not load:
        return '<p class="empty">The scenario has no officers.</p>'
    left, plot_h, base_y = 48.0, 180.0, 204.0
    bar_w = min(48.0, max(6.0, 640 / (top_k + 1)))
    most = max(counts.values())
    step = _nice_step(float(most), 4) if most > 1 else 1.0
    body: list[str] = []
    lines = []
    tick = 0.0
    while tick <= most:
        y = base_y - tick / most * plot_h
        lines.append(f"M{_f(left)} {_f(y)}H{_f(left + bar_w * (top_k + 1))}")
        body.append(_text(left - 6, y + 4, f"{tick:g}", anchor="end", cls="ax-m"))
        tick += step
    body.insert(0, f'<path class="gl" d="{"".join(lines)}"/>')
    label_every = max(1, math.ceil(18 / bar_w))
    for k in range(top_k + 1):
        x = left + k * bar_w
        h = counts[k] / most * plot_h
        tip = f"{_plural(counts[k], 'officer')} deployed {_plural(k, grid.unit)}"
        body.append(_rect(x + 1, base_y - h, bar_w - 2, h, cls="hist", tip=tip))
        if counts[k] and bar_w >= 16:
            body.append(
                _text(x + bar_w / 2, base_y - h - 4, f"{counts[k]:,}", anchor="middle", cls="hv")
            )
        if k % label_every == 0:
            body.append(_text(x + bar_w / 2, base_y + 15, str(k), anchor="middle"))
    if cap is not None:
        x = left + (cap + 1) * bar_w
        body.append(f'<path class="cap" d="M{_f(x)} {_f(base_y - plot_h - 8)}V{_f(base_y)}"/>')
        body.append(
            _text(x - 4, base_y - plot_h - 12, f"deployed_max {cap}", anchor="end", cls="ax-m")
        )
    body.append(
        _text(
            left + bar_w * (top_k + 1) / 2,
            base_y + 34,
            f"{grid.unit}s deployed in the campaign",
            anchor="middle",
            cls="ax-m",
        )
    )
    chart = _svg(
        max(left + bar_w * (top_k + 1) + 16, 320),
        base_y + 42,
        f"Officers by number of {grid.unit}s deployed",
        body,
        cls="chart",
    )
    deployed = [v for v in load.values() if v]
    mean = Decimal(sum(load.values())) / len(load)
    stats = (
        f'<p class="note">{_plural(len(load), "officer")}: {len(deployed):,} deployed, '
        f"{len(load) - len(deployed):,} never; {mean.quantize(Decimal('0.1'))} {grid.unit}s "
        f"per officer on average; the busiest serves {_plural(max(load.values()), grid.unit)}."
        "</p>"
    )
    data = _table(
        f"Officers by {grid.unit}s deployed",
        [f"{grid.unit.capitalize()}s", "Officers"],
        ([str(k), f"{counts[k]:,}"] for k in range(top_k + 1)),
    )
    return f"{chart}{stats}<details><summary>Data</summary>{data}</details>"


# ---------------------------------------------------------------- 6. ledger


def _tier_rank(tier: str) -> tuple[int, str]:
    return (TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER), tier)


def _amount(entry: LedgerEntry) -> str:
    return _money(entry.amount) if entry.tier == TIER_COST else _num(entry.amount)


def _ledger(report: CheckReport, sites: _Sites) -> str:
    if not report.ledger:
        return '<p class="empty">The ledger is empty: no objective term applies.</p>'
    tiers = sorted({e.tier for e in report.ledger}, key=_tier_rank)
    tier_rows = [
        [_e(t), f"{sum(e.tier == t for e in report.ledger):,}", _num(report.tier_total(t))]
        for t in tiers
    ]
    parts = [
        _table("Objective by tier, most important first", ["Tier", "Entries", "Penalty"], tier_rows)
    ]

    def where(entry: LedgerEntry) -> list[str]:
        return [
            _e(sites.label(entry.site_id)) if entry.site_id else "—",
            _e(entry.period_start.isoformat()) if entry.period_start else "—",
        ]

    short = sorted(
        (e for e in report.ledger if e.tier == TIER_SHORTFALL),
        key=lambda e: (e.period_start or date.min, e.site_id or "", e.rule, e.scope),
    )
    parts.append(f"<h3>Shortfall entries ({len(short):,})</h3>")
    if short:
        rows = [
            [_e(e.rule), _e(e.scope), *where(e), _num(e.amount), _num(e.weight), _num(e.penalty)]
            for e in short
        ]
        parts.append(
            _table(
                "Unmet demand: officers short × weight (site priority)",
                ["Rule", "Scope", "Site", "Period", "Short", "Weight", "Penalty"],
                rows,
                numeric_from=4,
            )
        )
    else:
        parts.append('<p class="note">None: every demand row is met.</p>')

    rest = sorted(
        (e for e in report.ledger if e.tier != TIER_SHORTFALL),
        key=lambda e: (_tier_rank(e.tier), e.rule, e.site_id or "", e.scope),
    )
    if rest:
        groups: dict[tuple[str, str, str], list[LedgerEntry]] = defaultdict(list)
        for entry in rest:
            groups[(entry.tier, entry.rule, entry.site_id or "")].append(entry)
        rows = [
            [
                _e(tier),
                _e(rule),
                _e(sites.label(site)) if site else "—",
                f"{len(items):,}",
                _money(sum((i.amount for i in items), Decimal(0)))
                if tier == TIER_COST
                else _num(sum((i.amount for i in items), Decimal(0))),
                _num(sum((i.penalty for i in items), Decimal(0))),
            ]
            for (tier, rule, site), items in groups.items()
        ]
        parts.append(f"<h3>Cost and other entries, by rule and site ({len(rest):,} entries)</h3>")
        parts.append(
            _table(
                "Entries summed by tier, rule and site",
                ["Tier", "Rule", "Site", "Entries", "Amount", "Penalty"],
                rows,
                numeric_from=3,
            )
        )
        detail = [
            [
                _e(e.tier),
                _e(e.rule),
                _e(e.scope),
                *where(e),
                _e(e.person_id or "—"),
                _amount(e),
                _num(e.weight),
                _num(e.penalty),
            ]
            for e in rest[:DETAIL_ROWS]
        ]
        cut = (
            f'<p class="note">The first {DETAIL_ROWS:,} of {len(rest):,} entries are shown; '
            "the checker's output has them all.</p>"
            if len(rest) > DETAIL_ROWS
            else ""
        )
        parts.append(
            f"<details><summary>All {len(rest):,} entries</summary>{cut}"
            + _table(
                "Every cost and other entry",
                [
                    "Tier",
                    "Rule",
                    "Scope",
                    "Site",
                    "Period",
                    "Officer",
                    "Amount",
                    "Weight",
                    "Penalty",
                ],
                detail,
                numeric_from=6,
            )
            + "</details>"
        )
    return "".join(parts)


# ---------------------------------------------------------------- page


def _css() -> str:
    sites = "".join(
        f".c{k}{{fill:{colour}}}.chart .k{k}{{fill:{_ink(colour)}}}"
        for k, colour in enumerate(SITE_PALETTE)
    )
    return (
        ":root{--ink:#1f2937;--muted:#4b5563;--line:#d1d5db;--soft:#f3f4f6;--accent:#1d4ed8}"
        "*{box-sizing:border-box}"
        "body{margin:0;color:var(--ink);background:#fff;font:14px/1.45 system-ui,-apple-system,"
        '"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}'
        "main{max-width:1260px;margin:0 auto;padding:24px 28px 48px}"
        "h1{font-size:26px;margin:2px 0 4px;font-weight:650}"
        "h2{font-size:19px;margin:40px 0 6px;padding-bottom:6px;"
        "border-bottom:1px solid var(--line)}"
        "h3{font-size:15px;margin:24px 0 8px}"
        ".eyebrow{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;"
        "color:var(--muted)}"
        ".facts,.intro,.note,.muted{color:var(--muted)}.intro{margin:0 0 12px;max-width:80ch}"
        ".empty{padding:12px;background:var(--soft);border-radius:6px}"
        "nav{display:flex;gap:16px;flex-wrap:wrap;margin:16px 0 0;font-size:13px}"
        "nav a{color:var(--accent);text-decoration:none}nav a:hover{text-decoration:underline}"
        ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;"
        "margin:16px 0 8px}"
        ".card{border:1px solid var(--line);border-radius:8px;padding:10px 12px}"
        ".card dt{font-size:12px;color:var(--muted)}"
        ".card dd{margin:2px 0 0;font-size:18px;font-weight:600;font-variant-numeric:tabular-nums}"
        ".lines span{display:block;font-size:14px}"
        ".card small{display:block;font-size:12px;font-weight:400;color:#9a3412}"
        ".badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:14px}"
        ".badge.ok{background:#dcfce7;color:#14532d}.badge.info{background:#dbeafe;color:#1e3a8a}"
        ".badge.warn{background:#fef3c7;color:#78350f}.badge.bad{background:#fee2e2;color:#7f1d1d}"
        ".raw{font-size:13px;color:var(--muted)}.raw dl{display:grid;"
        "grid-template-columns:max-content 1fr;gap:2px 16px}.raw dd{margin:0}"
        ".banner{margin:20px 0 0;padding:12px 16px;border:1px solid #fca5a5;"
        "border-left:6px solid #b91c1c;border-radius:6px;background:#fef2f2;color:#7f1d1d}"
        ".banner h2{margin:0 0 4px;border:0;padding:0;font-size:17px}"
        ".banner ul{margin:6px 0;padding-left:20px}"
        "details{margin:8px 0}summary{cursor:pointer;color:var(--accent)}"
        "table{border-collapse:collapse;margin:8px 0 12px;font-size:13px;"
        "font-variant-numeric:tabular-nums}"
        "caption{text-align:left;color:var(--muted);padding-bottom:4px}"
        "th,td{padding:4px 10px;border-bottom:1px solid #e5e7eb;text-align:left;"
        "vertical-align:top}"
        "thead th{border-bottom:2px solid var(--line);font-weight:600}"
        "tbody th{font-weight:400}tbody tr:nth-child(even){background:#f9fafb}"
        "tfoot th,tfoot td{border-top:2px solid var(--line);font-weight:600}"
        ".n{text-align:right;white-space:nowrap}"
        ".legend{list-style:none;display:flex;flex-wrap:wrap;gap:4px 18px;padding:0;"
        "margin:8px 0;font-size:13px}"
        ".sw{display:inline-block;width:14px;height:14px;border-radius:3px;margin-right:6px;"
        "vertical-align:-2px}"
        ".scroll{overflow-x:auto}"
        "svg.chart{display:block;max-width:100%;height:auto;font-size:11px;fill:#374151}"
        ".chart .lab{font-size:12px;fill:#111827}"
        ".chart .id{fill:#6b7280;font-size:11px}.chart .grp{font-weight:600;font-size:12px;"
        "fill:#111827}.chart .ax-m{fill:#4b5563;font-size:11px}"
        ".chart .b{font-weight:600}.chart .q{fill:#4b5563;font-size:11px}"
        ".chart .bl{font-size:10.5px;pointer-events:none}.chart .hv{font-size:11px}"
        ".gl{stroke:#e5e7eb;stroke-width:1;fill:none}.gm{stroke:#9ca3af;stroke-width:1;fill:none}"
        ".zebra{fill:#f5f7fa}.hist{fill:#4477AA}"
        ".cap{stroke:#7f1d1d;stroke-dasharray:4 3;stroke-width:1.5}"
        ".cell.short{stroke:#c81e1e;stroke-width:2.5}.cell.ok{stroke:#d1d5db}"
        ".cell.none{stroke:#6b7280;stroke-dasharray:3 2}"
        ".narrow .cell.short{stroke-width:1.2}.narrow .cell.none{stroke:none}"
        ".gantt .sticky{position:sticky;top:0;background:#fff;z-index:1;"
        "border-bottom:1px solid var(--line)}"
        "footer{margin-top:48px;color:var(--muted);font-size:12px}"
        "@media print{.gantt .sticky{position:static}details{display:block}"
        "h2{break-after:avoid}svg{break-inside:avoid}}" + sites
    )


def render_report(
    scenario: Scenario,
    assignments: Sequence[Assignment],
    report: CheckReport,
    summary: Mapping[str, Any],
) -> str:
    """Render a plan as one self-contained, offline HTML document.

    Parameters
    ----------
    scenario
        The scenario the plan was made for (its names and ids are untrusted text).
    assignments
        The plan: one row per person and deployed period.
    report
        The checker's recomputation of the plan: violations, ledger and priced stretches.
    summary
        The dict written to summary.json; every key is optional.

    Returns
    -------
    str
        An HTML5 document with inline CSS and SVG, loading nothing from anywhere.
    """
    grid = _Grid.of(scenario)
    sites = _Sites.of(scenario, assignments)
    unit = grid.unit
    sections = [
        (
            "rotations",
            "Rotations by officer",
            f"One row per deployed officer, grouped by home base; one column per {unit}; "
            "bars are rotations, coloured by site. Hover a bar for its dates.",
            _gantt(scenario, assignments, sites, grid),
        ),
        (
            "coverage",
            "Coverage by site",
            f"Each cell compares officers deployed with the headcount required for that {unit}; "
            "darker is better covered, a red outline marks a shortfall. Indented rows show each "
            "demanded qualification's shortfall as the checker counted it.",
            _heatmap(scenario, assignments, report, sites, grid),
        ),
        (
            "cost",
            "Cost by site and category",
            "Travel (one round trip per rotation), lodging and meals & incidental expenses "
            "(M&IE), as priced by the checker.",
            _costs(scenario, report, sites, grid),
        ),
        (
            "load",
            f"{unit.capitalize()}s deployed per officer",
            f"How the burden is spread: officers by the number of {unit}s they are deployed, "
            "including those never deployed.",
            _histogram(scenario, assignments, grid),
        ),
        (
            "ledger",
            "Objective ledger",
            "The checker's independent account of the objective, tier by tier: "
            "unmet demand first, then money.",
            _ledger(report, sites),
        ),
    ]
    nav = "".join(f'<a href="#{anchor}">{title}</a>' for anchor, title, _, _ in sections)
    content = "".join(_section(*section) for section in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{_e(scenario.name)} · surge plan</title><style>{_css()}</style></head>"
        f"<body><main>{_header(scenario, report, summary, grid)}"
        f'<nav aria-label="Sections">{nav}</nav>{_violations(report)}{content}'
        "<footer>Made by surgeplan. Figures come from the plan and the checker's "
        "recomputation; the solver's own claims appear only where they differ.</footer>"
        "</main></body></html>\n"
    )
