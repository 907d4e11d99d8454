"""Inline SVG small multiples for tracking.html: counts, progress and the plan, per site.

Hand-written SVG keeps the report one offline file with no scripts. Every text is escaped
with html.escape; colours are never the only carrier of meaning (the sentence says it too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from surgeplan.tracking.analysis import SiteResult
from surgeplan.tracking.link import SitePlan
from surgeplan.tracking.stats import weekly_range
from surgeplan.tracking.target import Target

WIDTH = 380
LEFT, RIGHT, TOP = 48, 56, 14
SERIES, BAND, TARGET, SHOCK, GRID = "#1f3a93", "#e5e7eb", "#b45309", "#7c3aed", "#d1d5db"
VERDICT_COLOUR = {"met": "#15803d", "not met": "#b91c1c", "cannot be told": "#4b5563"}
DEPLOYED, SHORT = "#0f766e", "#fca5a5"


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(height: float, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {WIDTH} {_f(height)}" '
        f'width="{WIDTH}" height="{_f(height)}"><title>{escape(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _line(x1: float, y1: float, x2: float, y2: float, colour: str, dash: str = "") -> str:
    extra = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_f(x1)}" y1="{_f(y1)}" x2="{_f(x2)}" y2="{_f(y2)}" '
        f'stroke="{colour}" stroke-width="1.5"{extra}/>'
    )


def _text(x: float, y: float, content: str, anchor: str = "start", colour: str = "#374151") -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="10" text-anchor="{anchor}" '
        f'fill="{colour}">{escape(content)}</text>'
    )


def _step(top: float) -> float:
    """A 1-2-5 gridline step giving about four lines up to `top`."""
    raw = max(top, 1e-9) / 4
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


@dataclass(frozen=True, slots=True)
class Frame:
    """One chart's coordinates: campaign periods across, a value range up."""

    periods: tuple[date, ...]
    days: int
    low: float
    high: float
    height: float
    bottom: float = 22

    def x(self, index: float) -> float:
        """Centre of period `index` (fractions allowed)."""
        width = WIDTH - LEFT - RIGHT
        return LEFT + (index + 0.5) * width / max(len(self.periods), 1)

    def y(self, value: float) -> float:
        span = self.high - self.low or 1.0
        clipped = min(max(value, self.low), self.high)
        return TOP + (1 - (clipped - self.low) / span) * (self.height - TOP - self.bottom)

    def x_of(self, day: date) -> float | None:
        """Where a date falls, or None if outside the periods shown."""
        if not self.periods:
            return None
        offset = (day - self.periods[0]).days / self.days - 0.5
        if offset < -0.5 or offset > len(self.periods) - 0.5:
            return None
        return self.x(offset)

    def axes(self, fmt: str) -> list[str]:
        """Horizontal gridlines with labels, and the first and last period's date."""
        out: list[str] = []
        step = _step(self.high - self.low)
        value = math.ceil(self.low / step) * step
        while value <= self.high + 1e-9:
            y = self.y(value)
            out.append(_line(LEFT, y, WIDTH - RIGHT, y, GRID))
            out.append(_text(LEFT - 4, y + 3, fmt.format(value), "end"))
            value += step
        base = self.height - 6
        if self.periods:
            out.append(_text(self.x(0), base, f"{self.periods[0]:%d %b}", "middle"))
            last = len(self.periods) - 1
            if last > 0:
                out.append(_text(self.x(last), base, f"{self.periods[last]:%d %b}", "middle"))
        return out

    def shock(self, target: Target) -> list[str]:
        """The external shock as a labelled vertical line."""
        if target.shock is None:
            return []
        x = self.x_of(target.shock.date)
        if x is None:
            return []
        return [
            _line(x, TOP, x, self.height - self.bottom, SHOCK, "2 2"),
            _text(x + 2, TOP + 8, "shock", colour=SHOCK),
        ]


def _polylines(frame: Frame, values: Sequence[float | None], colour: str) -> list[str]:
    """Lines through consecutive known values; a missing period breaks the line."""
    out: list[str] = []
    run: list[str] = []
    for i, value in enumerate((*values, None)):
        if value is None:
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    'stroke-width="1.5"/>'
                )
            run = []
        else:
            run.append(f"{_f(frame.x(i))},{_f(frame.y(value))}")
    return out


def counts_chart(site: SiteResult, target: Target, days: int) -> str:
    """Campaign counts per period against the baseline band, the target line and the
    interval of the change (drawn on the count scale at the right)."""
    periods = tuple(p for p, _ in site.series.campaign)
    values = [v for _, v in site.series.campaign]
    mean0 = site.baseline_rate.value
    known = [v for v in values if v is not None]
    if not periods or math.isnan(mean0):
        return _svg(40, f"{site.name}: no counts to draw", [_text(LEFT, 24, "no counts to draw")])
    band = weekly_range(mean0, site.dispersion.alpha)
    goal = mean0 * target.ratio
    change = site.change
    bar = [mean0 * r for r in (change.low, change.value, change.high) if math.isfinite(r)]
    top = max([*known, band[1], goal, *bar, 1.0]) * 1.1
    frame = Frame(periods, days, 0.0, top, 170)
    body = frame.axes("{:,.0f}")
    body.append(
        f'<rect x="{LEFT}" y="{_f(frame.y(band[1]))}" width="{WIDTH - LEFT - RIGHT}" '
        f'height="{_f(frame.y(band[0]) - frame.y(band[1]))}" fill="{BAND}"><title>'
        f"{escape(f'baseline: 95% of periods fall between {band[0]:,.0f} and {band[1]:,.0f}')}"
        "</title></rect>"
    )
    body.append(_line(LEFT, frame.y(mean0), WIDTH - RIGHT, frame.y(mean0), "#6b7280", "4 3"))
    body.append(_line(LEFT, frame.y(goal), WIDTH - RIGHT, frame.y(goal), TARGET, "6 3"))
    body.append(_text(WIDTH - RIGHT - 2, frame.y(goal) - 3, "target", "end", TARGET))
    body += frame.shock(target)
    body += _polylines(frame, values, SERIES)
    for i, (p, v) in enumerate(site.series.campaign):
        if v is not None:
            body.append(
                f'<circle cx="{_f(frame.x(i))}" cy="{_f(frame.y(v))}" r="2.2" fill="{SERIES}">'
                f"<title>{escape(f'{p}: {v:,}')}</title></circle>"
            )
    body += _interval_bar(frame, site, mean0)
    return _svg(frame.height, f"{site.name}: counts per period against baseline and target", body)


def _interval_bar(frame: Frame, site: SiteResult, mean0: float) -> list[str]:
    change = site.change
    if not change.defined:
        return []
    x = WIDTH - RIGHT + 22
    colour = VERDICT_COLOUR.get(site.verdict, "#4b5563")
    low, high = frame.y(mean0 * change.low), frame.y(mean0 * min(change.high, 1e12))
    return [
        _line(x, low, x, high, colour),
        _line(x - 4, low, x + 4, low, colour),
        _line(x - 4, high, x + 4, high, colour),
        f'<circle cx="{_f(x)}" cy="{_f(frame.y(mean0 * change.value))}" r="3" fill="{colour}">'
        "<title>campaign rate with the 95% interval of the change</title></circle>",
        _text(x, TOP - 4, "95% CI", "middle", colour),
    ]


def progress_chart(site: SiteResult, target: Target, days: int) -> str:
    """Change to date per period (percent) with its interval, against the target."""
    steps = [s for s in site.progress if s.cumulative.defined]
    periods = tuple(s.period_start for s in site.progress)
    if not steps:
        return _svg(40, f"{site.name}: no progress to draw", [_text(LEFT, 24, "no data yet")])
    goal = (target.ratio - 1) * 100
    lows = [max((s.cumulative.low - 1) * 100, -100) for s in steps]
    highs = [min((s.cumulative.high - 1) * 100, 300) for s in steps]
    frame = Frame(periods, days, min(-10.0, *lows), max(goal + 10, *highs), 130)
    index = {p: i for i, p in enumerate(periods)}
    xs = [frame.x(index[s.period_start]) for s in steps]
    upper = [f"{_f(x)},{_f(frame.y(h))}" for x, h in zip(xs, highs, strict=True)]
    lower = [f"{_f(x)},{_f(frame.y(lo))}" for x, lo in zip(xs, lows, strict=True)]
    body = frame.axes("{:+.0f}%")
    body.append(
        f'<polygon points="{" ".join(upper + lower[::-1])}" fill="#c7d2fe" opacity="0.8">'
        "<title>95% interval of the change to date</title></polygon>"
    )
    body.append(_line(LEFT, frame.y(0), WIDTH - RIGHT, frame.y(0), "#6b7280"))
    body.append(_line(LEFT, frame.y(goal), WIDTH - RIGHT, frame.y(goal), TARGET, "6 3"))
    body.append(_text(WIDTH - RIGHT + 2, frame.y(goal) + 3, f"{goal:+.0f}%", colour=TARGET))
    body += frame.shock(target)
    values: list[float | None] = [None] * len(periods)
    for s in steps:
        values[index[s.period_start]] = (s.cumulative.value - 1) * 100
    body += _polylines(frame, values, SERIES)
    return _svg(frame.height, f"{site.name}: change to date with its 95% interval", body)


def plan_chart(plan: SitePlan, days: int) -> str:
    """Officers deployed (solid) and headcount short (pale) per period."""
    periods = tuple(w.period_start for w in plan.weeks)
    top = max([max(w.deployed, w.required) for w in plan.weeks] + [1])
    frame = Frame(periods, days, 0.0, float(top), 70, bottom=18)
    width = (WIDTH - LEFT - RIGHT) / max(len(periods), 1) * 0.7
    body = frame.axes("{:.0f}")
    for i, w in enumerate(plan.weeks):
        x = frame.x(i) - width / 2
        tip = escape(
            f"{w.period_start}: {w.deployed} deployed, {w.required} demanded, {w.shortfall} short"
        )
        y_dep = frame.y(w.deployed)
        body.append(
            f'<rect x="{_f(x)}" y="{_f(y_dep)}" width="{_f(width)}" '
            f'height="{_f(frame.y(0) - y_dep)}" fill="{DEPLOYED}"><title>{tip}</title></rect>'
        )
        if w.shortfall:
            y_short = frame.y(w.deployed + w.shortfall)
            body.append(
                f'<rect x="{_f(x)}" y="{_f(y_short)}" width="{_f(width)}" '
                f'height="{_f(y_dep - y_short)}" fill="{SHORT}"><title>{tip}</title></rect>'
            )
    return _svg(frame.height, "officers deployed and short per period", body)
