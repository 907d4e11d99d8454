"""Section 1, the header: status, gap, time, shortfall, cost and the checker's verdict; the
violations banner. The solver summary is loosely typed, so its values are read with care.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, TypeGuard

from surgeplan.checker.ledger import CheckReport
from surgeplan.reports.html.format import day, e, gap_percent, money, num, plural
from surgeplan.reports.html.layout import Grid
from surgeplan.scenario.model import Scenario

VIOLATIONS_SHOWN = 10
STATUS_TONE = {"OPTIMAL": "ok", "FEASIBLE": "info", "INFEASIBLE": "bad", "MODEL_INVALID": "bad"}


def _is_number(value: object) -> TypeGuard[int | float | Decimal]:
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
        return e(gap_percent(float(value), " %"))
    if isinstance(value, Mapping):
        lines = "".join(f"<span>{e(key)}: {_percent(item)}</span>" for key, item in value.items())
        return f'<span class="lines">{lines}</span>'

    return e(_plain(value))


def _decimal(value: object) -> Decimal | None:
    """A summary amount (string, int or float as written to JSON) as a Decimal, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def header(scenario: Scenario, report: CheckReport, summary: Mapping[str, Any], grid: Grid) -> str:
    objective = summary.get("objective")
    claimed = objective if isinstance(objective, Mapping) else {}
    status = summary.get("status")
    tone = STATUS_TONE.get(str(status), "warn")
    badge = f'<span class="badge {tone}">{e(status)}</span>' if status else "—"
    if summary.get("interrupted") is True:
        badge += "<small>interrupted before the time limit</small>"
    cards = [("Status", badge)]
    if "gap_pct" in summary:
        cards.append(("Gap to bound", _percent(summary["gap_pct"])))
    seconds = summary.get("solve_seconds")
    if "solve_seconds" in summary:
        text = f"{seconds:,.1f} s" if _is_number(seconds) else e(_plain(seconds))
        cards.append(("Solve time", text))
    shortfall = num(report.shortfall)
    solver_short = _decimal(claimed.get("shortfall"))
    if solver_short is not None and solver_short != report.shortfall:
        shortfall += f"<small>solver claimed {num(solver_short)}</small>"
    cards.append(("Shortfall (priority-weighted)", shortfall))
    cost = money(report.cost_usd)
    solver_cost = _decimal(claimed.get("cost_usd", summary.get("cost_usd")))
    if solver_cost is not None and solver_cost != report.cost_usd:
        cost += f"<small>solver claimed {money(solver_cost)}</small>"
    cards.append(("Cost", cost))
    checked = (
        '<span class="badge ok">no violations</span>'
        if report.feasible
        else f'<span class="badge bad">{plural(len(report.violations), "violation")}</span>'
    )
    cards.append(("Checker", checked))
    tiles = "".join(f'<div class="card"><dt>{e(k)}</dt><dd>{v}</dd></div>' for k, v in cards)
    name = summary.get("scenario")
    other_name = (
        f' <span class="muted">(summary names “{e(name)}”)</span>'
        if name and str(name) != scenario.name
        else ""
    )
    facts = (
        f"{e(day(scenario.start))} – {e(day(scenario.end))} · "
        f"{plural(len(grid.periods), grid.unit)} · {plural(len(scenario.people), 'officer')}"
        f" from {plural(len(scenario.bases), 'base')} · {plural(len(scenario.sites), 'site')}"
    )
    raw = "".join(f"<dt>{e(k)}</dt><dd>{e(_plain(v))}</dd>" for k, v in summary.items())
    details = (
        f'<details class="raw"><summary>All solver summary fields</summary><dl>{raw}</dl></details>'
        if summary
        else ""
    )
    return (
        f'<header><p class="eyebrow">Surge deployment plan</p><h1>{e(scenario.name)}{other_name}'
        f'</h1><p class="facts">{facts}</p><dl class="cards">{tiles}</dl>{details}</header>'
    )


def violations(report: CheckReport) -> str:
    if report.feasible:
        return ""
    items = [
        f"<li><strong>{e(v.rule)}</strong> · {e(v.scope)} — {e(v.message)}</li>"
        for v in report.violations
    ]
    shown = "".join(items[:VIOLATIONS_SHOWN])
    rest = items[VIOLATIONS_SHOWN:]
    more = (
        f"<details><summary>{plural(len(rest), 'more violation')}</summary>"
        f"<ul>{''.join(rest)}</ul></details>"
        if rest
        else ""
    )
    count = plural(len(report.violations), "hard-rule violation")
    return (
        '<section class="banner" role="alert" aria-labelledby="violations-h">'
        f'<h2 id="violations-h">The checker found {count}</h2>'
        "<p>This plan breaks rules that must hold. Do not use it as it stands.</p>"
        f"<ul>{shown}</ul>{more}</section>"
    )
