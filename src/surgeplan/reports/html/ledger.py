"""Section 6, the objective ledger: totals by tier, shortfall entries, then cost and the rest."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from surgeplan.checker.ledger import TIER_COST, TIER_SHORTFALL, CheckReport, LedgerEntry
from surgeplan.reports.html.format import e, money, num
from surgeplan.reports.html.layout import Sites, table

DETAIL_ROWS = 5000  # cap of the collapsible ledger detail, keeping big plans' pages small
TIER_ORDER = (TIER_SHORTFALL, "budget", TIER_COST, "fairness", "requests", "changes")


def _tier_rank(tier: str) -> tuple[int, str]:
    return (TIER_ORDER.index(tier) if tier in TIER_ORDER else len(TIER_ORDER), tier)


def _amount(entry: LedgerEntry) -> str:
    return money(entry.amount) if entry.tier == TIER_COST else num(entry.amount)


def ledger(report: CheckReport, sites: Sites) -> str:
    if not report.ledger:
        return '<p class="empty">The ledger is empty: no objective term applies.</p>'
    tiers = sorted({entry.tier for entry in report.ledger}, key=_tier_rank)
    tier_rows = [
        [e(t), f"{sum(entry.tier == t for entry in report.ledger):,}", num(report.tier_total(t))]
        for t in tiers
    ]
    parts = [
        table("Objective by tier, most important first", ["Tier", "Entries", "Penalty"], tier_rows)
    ]

    def where(entry: LedgerEntry) -> list[str]:
        return [
            e(sites.label(entry.site_id)) if entry.site_id else "—",
            e(entry.period_start.isoformat()) if entry.period_start else "—",
        ]

    short = sorted(
        (entry for entry in report.ledger if entry.tier == TIER_SHORTFALL),
        key=lambda entry: (
            entry.period_start or date.min,
            entry.site_id or "",
            entry.rule,
            entry.scope,
        ),
    )
    parts.append(f"<h3>Shortfall entries ({len(short):,})</h3>")
    if short:
        rows = [
            [
                e(entry.rule),
                e(entry.scope),
                *where(entry),
                num(entry.amount),
                num(entry.weight),
                num(entry.penalty),
            ]
            for entry in short
        ]
        parts.append(
            table(
                "Unmet demand: officers short × weight (site priority)",
                ["Rule", "Scope", "Site", "Period", "Short", "Weight", "Penalty"],
                rows,
                numeric_from=4,
            )
        )
    else:
        parts.append('<p class="note">None: every demand row is met.</p>')

    rest = sorted(
        (entry for entry in report.ledger if entry.tier != TIER_SHORTFALL),
        key=lambda entry: (_tier_rank(entry.tier), entry.rule, entry.site_id or "", entry.scope),
    )
    if rest:
        groups: dict[tuple[str, str, str], list[LedgerEntry]] = defaultdict(list)
        for entry in rest:
            groups[(entry.tier, entry.rule, entry.site_id or "")].append(entry)
        rows = [
            [
                e(tier),
                e(rule),
                e(sites.label(site)) if site else "—",
                f"{len(items):,}",
                money(sum((i.amount for i in items), Decimal(0)))
                if tier == TIER_COST
                else num(sum((i.amount for i in items), Decimal(0))),
                num(sum((i.penalty for i in items), Decimal(0))),
            ]
            for (tier, rule, site), items in groups.items()
        ]
        parts.append(f"<h3>Cost and other entries, by rule and site ({len(rest):,} entries)</h3>")
        parts.append(
            table(
                "Entries summed by tier, rule and site",
                ["Tier", "Rule", "Site", "Entries", "Amount", "Penalty"],
                rows,
                numeric_from=3,
            )
        )
        detail = [
            [
                e(entry.tier),
                e(entry.rule),
                e(entry.scope),
                *where(entry),
                e(entry.person_id or "—"),
                _amount(entry),
                num(entry.weight),
                num(entry.penalty),
            ]
            for entry in rest[:DETAIL_ROWS]
        ]
        cut = (
            f'<p class="note">The first {DETAIL_ROWS:,} of {len(rest):,} entries are shown; '
            "the checker's output has them all.</p>"
            if len(rest) > DETAIL_ROWS
            else ""
        )
        parts.append(
            f"<details><summary>All {len(rest):,} entries</summary>{cut}"
            + table(
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
