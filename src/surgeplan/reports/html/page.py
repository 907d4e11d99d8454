"""The page: the stylesheet and the assembly of header, navigation and sections."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from surgeplan.checker.ledger import Assignment, CheckReport
from surgeplan.reports.html.costs import costs
from surgeplan.reports.html.format import e
from surgeplan.reports.html.gantt import gantt
from surgeplan.reports.html.header import header, violations
from surgeplan.reports.html.heatmap import heatmap
from surgeplan.reports.html.histogram import histogram
from surgeplan.reports.html.layout import Grid, Sites, section
from surgeplan.reports.html.ledger import ledger
from surgeplan.reports.html.svg import SITE_PALETTE, ink
from surgeplan.scenario.model import Scenario


def _css() -> str:
    sites = "".join(
        f".c{k}{{fill:{colour}}}.chart .k{k}{{fill:{ink(colour)}}}"
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


def _reasons(reasons: Sequence[str]) -> str:
    """The shortfall explanations as a list (escaped); a short note when there are none."""
    if not reasons:
        return "<p>Every demand is met.</p>"
    items = "".join(f"<li>{e(reason)}</li>" for reason in reasons)
    return f'<ol class="reasons">{items}</ol>'


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
    grid = Grid.of(scenario)
    sites = Sites.of(scenario, assignments)
    unit = grid.unit
    reasons = [str(r) for r in summary.get("explanations", ()) or ()]
    sections = [
        (
            "rotations",
            "Rotations by officer",
            f"One row per deployed officer, grouped by home base; one column per {unit}; "
            "bars are rotations, coloured by site. Hover a bar for its dates.",
            gantt(scenario, assignments, sites, grid),
        ),
        (
            "coverage",
            "Coverage by site",
            f"Each cell compares officers deployed with the headcount required for that {unit}; "
            "darker is better covered, a red outline marks a shortfall. Indented rows show each "
            "demanded qualification's shortfall as the checker counted it.",
            heatmap(scenario, assignments, report, sites, grid),
        ),
        (
            "why",
            "Why demand is not met",
            "For every shortfall, what each officer who could fill it is doing, by the first "
            "rule that keeps them away (leave, a rotation elsewhere, rest, caps).",
            _reasons(reasons),
        ),
        (
            "cost",
            "Cost by site and category",
            "Travel (one round trip per rotation), lodging and meals & incidental expenses "
            "(M&IE), as priced by the checker.",
            costs(scenario, report, sites, grid),
        ),
        (
            "load",
            f"{unit.capitalize()}s deployed per officer",
            f"How the burden is spread: officers by the number of {unit}s they are deployed, "
            "including those never deployed.",
            histogram(scenario, assignments, grid),
        ),
        (
            "ledger",
            "Objective ledger",
            "The checker's independent account of the objective, tier by tier: "
            "unmet demand first, then money.",
            ledger(report, sites),
        ),
    ]
    nav = "".join(f'<a href="#{anchor}">{title}</a>' for anchor, title, _, _ in sections)
    content = "".join(section(*part) for part in sections)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{e(scenario.name)} · surge plan</title><style>{_css()}</style></head>"
        f"<body><main>{header(scenario, report, summary, grid)}"
        f'<nav aria-label="Sections">{nav}</nav>{violations(report)}{content}'
        "<footer>Made by surgeplan. Figures come from the plan and the checker's "
        "recomputation; the solver's own claims appear only where they differ.</footer>"
        "</main></body></html>\n"
    )
