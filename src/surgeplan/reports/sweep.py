"""A sweep's files: runs.csv (one row per solve), summary.csv (per variant) and sweep.html,
a self-contained page with the shortfall-vs-cost chart (means with 95% intervals, the
frontier of variants no other beats on both) and the summary table."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from surgeplan.reports.exports import csv_text
from surgeplan.reports.html.format import e, money_short
from surgeplan.reports.html.layout import table
from surgeplan.reports.html.svg import f, nice_step, svg, text
from surgeplan.sweep import Run, Stat, Variant, VariantSummary

RUN_COLUMNS = (
    "variant",
    "replicate",
    "seed",
    "officers_lost",
    "demand_total",
    "shortfall",
    "shortfall_bound",
    "cost_usd",
    "status",
    "checked",
    "solve_seconds",
)
SUMMARY_COLUMNS = (
    "variant",
    "runs",
    "shortfall_mean",
    "shortfall_sd",
    "shortfall_ci95_low",
    "shortfall_ci95_high",
    "cost_usd_mean",
    "cost_usd_sd",
    "cost_usd_ci95_low",
    "cost_usd_ci95_high",
    "on_frontier",
)


def _r(value: float | None, places: int) -> Decimal | str:
    """A number cell (a Decimal, so a spreadsheet reads it as a number), or empty."""
    return "" if value is None else Decimal(f"{value:.{places}f}")


def runs_csv(chosen: Sequence[Variant], runs: Sequence[Run]) -> str:
    """runs.csv: every solve with the checker's figures and the engine's shortfall bound."""
    return csv_text(
        RUN_COLUMNS,
        (
            (
                chosen[r.variant].label,
                r.replicate,
                r.seed,
                r.officers_lost,
                r.demand_total,
                r.shortfall,
                r.shortfall_bound,
                r.cost_usd,
                r.status,
                str(r.checked).lower(),
                r.seconds,
            )
            for r in runs
        ),
    )


def _stat_cells(s: Stat, places: int) -> tuple[Decimal | str, ...]:
    return _r(s.mean, places), _r(s.sd, places), _r(s.low, places), _r(s.high, places)


def summary_csv(summaries: Sequence[VariantSummary]) -> str:
    """summary.csv: per variant, mean / sd / 95% interval of shortfall and cost."""
    return csv_text(
        SUMMARY_COLUMNS,
        (
            (
                s.variant.label,
                s.runs,
                *_stat_cells(s.shortfall, 2),
                *_stat_cells(s.cost_usd, 2),
                str(s.on_frontier).lower(),
            )
            for s in summaries
        ),
    )


def _upper(s: Stat) -> float:
    return s.mean if s.high is None else s.high


def _chart(summaries: Sequence[VariantSummary]) -> str:
    """Mean cost (x) against mean shortfall (y), whiskers for the 95% intervals, the
    frontier joined by a line."""
    left, top, width, height = 72.0, 16.0, 560.0, 300.0
    x_top = max([_upper(s.cost_usd) for s in summaries] + [1.0])
    y_top = max([_upper(s.shortfall) for s in summaries] + [1.0])
    x_step, y_step = nice_step(x_top), nice_step(y_top)
    x_max, y_max = x_step * (int(x_top / x_step) + 1), y_step * (int(y_top / y_step) + 1)

    def px(value: float) -> float:
        return left + value / x_max * width

    def py(value: float) -> float:
        return top + height - value / y_max * height

    body: list[str] = []
    grid = []
    tick = 0.0
    while tick <= y_max + 1e-9:
        grid.append(f"M{f(left)} {f(py(tick))}H{f(left + width)}")
        body.append(text(left - 6, py(tick) + 4, f"{tick:g}", anchor="end"))
        tick += y_step
    tick = 0.0
    while tick <= x_max + 1e-9:
        body.append(text(px(tick), top + height + 16, money_short(tick), anchor="middle"))
        tick += x_step
    body.insert(0, f'<path class="gl" d="{"".join(grid)}"/>')
    front = sorted((s.cost_usd.mean, s.shortfall.mean) for s in summaries if s.on_frontier)
    if len(front) > 1:
        path = "".join(
            f"{'M' if i == 0 else 'L'}{f(px(x))} {f(py(y))}" for i, (x, y) in enumerate(front)
        )
        body.append(f'<path class="front" d="{path}"/>')
    labels: dict[tuple[float, float], list[str]] = {}
    for s in summaries:
        x, y = px(s.cost_usd.mean), py(s.shortfall.mean)
        if s.shortfall.low is not None and s.shortfall.high is not None:
            body.append(
                f'<path class="ci" d="M{f(x)} {f(py(max(s.shortfall.low, 0)))}'
                f'V{f(py(s.shortfall.high))}"/>'
            )
        if s.cost_usd.low is not None and s.cost_usd.high is not None:
            body.append(
                f'<path class="ci" d="M{f(px(max(s.cost_usd.low, 0)))} {f(y)}'
                f'H{f(px(s.cost_usd.high))}"/>'
            )
        klass = "pt on" if s.on_frontier else "pt"
        tip = f"{s.variant.label}: shortfall {s.shortfall.mean:.1f}, cost ${s.cost_usd.mean:,.0f}"
        body.append(
            f'<circle class="{klass}" cx="{f(x)}" cy="{f(y)}" r="5"><title>{e(tip)}</title>'
            "</circle>"
        )
        labels.setdefault((x, y), []).append(s.variant.label)
    for (x, y), names in labels.items():  # variants with equal means share one label
        body.append(text(x + 8, y - 6, " · ".join(names), cls="lbl"))
    body.append(text(left + width / 2, top + height + 36, "mean cost (USD)", anchor="middle"))
    body.append(text(14, top + height / 2, "mean shortfall", anchor="middle", cls="yl"))
    return svg(
        left + width + 160,
        top + height + 48,
        "Mean shortfall against mean cost per variant, with 95% intervals and the frontier",
        body,
    )


CSS = (
    "body{font:14px/1.45 system-ui,sans-serif;color:#1f2937;margin:0}"
    "main{max-width:1000px;margin:0 auto;padding:24px}"
    "table{border-collapse:collapse;margin-top:16px}"
    "th,td{padding:4px 10px;border-bottom:1px solid #d1d5db;text-align:left}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "caption{text-align:left;font-weight:600;padding-bottom:6px}"
    "svg text{font-size:12px;fill:#374151}.gl{stroke:#e5e7eb;fill:none}"
    ".ci{stroke:#6b7280;stroke-width:1.5}.front{stroke:#1d4ed8;stroke-width:2;fill:none}"
    ".pt{fill:#9ca3af}.pt.on{fill:#1d4ed8}.lbl{font-size:11px}"
    ".yl{writing-mode:vertical-rl;transform-box:fill-box;transform-origin:center}"
    ".muted{color:#4b5563}"
)


SUMMARY_HEAD = ("variant", "runs", "mean shortfall", "95% interval", "mean cost", "frontier")


def summary_rows(summaries: Sequence[VariantSummary]) -> list[tuple[str, ...]]:
    """The per-variant table as plain text cells (SUMMARY_HEAD), for the page and the CLI."""
    rows: list[tuple[str, ...]] = []
    for s in summaries:
        low, high = s.shortfall.low, s.shortfall.high
        rows.append(
            (
                s.variant.label,
                str(s.runs),
                f"{s.shortfall.mean:.1f}",
                "" if low is None or high is None else f"{low:.1f}–{high:.1f}",
                f"${s.cost_usd.mean:,.0f}",
                "yes" if s.on_frontier else "",
            )
        )
    return rows


def sweep_html(title: str, summaries: Sequence[VariantSummary], note: str) -> str:
    """The whole page: it opens offline (no script, no link to any other file)."""
    rows = [tuple(e(cell) for cell in row) for row in summary_rows(summaries)]
    body = table(
        "Per variant (figures are the checker's)",
        SUMMARY_HEAD,
        rows,
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>"
        f'<h1>{e(title)}</h1><p class="muted">{e(note)}</p>{_chart(summaries)}{body}'
        "</main></body></html>"
    )
