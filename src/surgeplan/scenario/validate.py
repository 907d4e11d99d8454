"""Cross-table rules of contract v1.1: calendar, unique and known ids, complete cost tables.

Row-level checks live in the pydantic models; what needs two tables at once (a demand
row's site, a per diem table that misses a month) lives here, with each row's location.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from surgeplan.scenario.errors import IssueLog
from surgeplan.scenario.model import ANY_SITE, Scenario


@dataclass(frozen=True, slots=True)
class Located:
    """A validated row and the file and line it came from."""

    file: str
    line: int
    model: Any


def known_ids(ids: Iterable[str]) -> str:
    """The first few ids, sorted, for a message's "(known: …)"."""
    listed = sorted(ids)
    head = ", ".join(listed[:8])
    return head + (", …" if len(listed) > 8 else "")


def _once(
    rows: Sequence[Located], fields: tuple[str, ...], fix: str, log: IssueLog
) -> dict[tuple[Any, ...], int]:
    """Rows by their key `fields`; a key given twice is reported on its second line."""
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = tuple(getattr(row.model, f) for f in fields)
        if key in seen:
            named = ", ".join(f"{f} {v!s}" for f, v in zip(fields, key, strict=True))
            log.add(
                row.file,
                f"{named} is given twice (first on line {seen[key]}); {fix}",
                row.line,
                fields[-1],
            )
        else:
            seen[key] = row.line
    return seen


def _unique(rows: Sequence[Located], key: str, log: IssueLog) -> set[str]:
    return {k[0] for k in _once(rows, (key,), "ids must be unique", log)}


def _refers(rows: Sequence[Located], key: str, known: set[str], table: str, log: IssueLog) -> None:
    for row in rows:
        value = str(getattr(row.model, key))
        if value not in known:
            log.add(
                row.file,
                f"{key} {value!r} is not in {table} (known: {known_ids(known)})",
                row.line,
                key,
            )


def months_of(first: date, last: date) -> list[str]:
    """Every `YYYY-MM` touched by the days from `first` to `last`."""
    months: list[str] = []
    day = first
    while day <= last:
        label = day.strftime("%Y-%m")
        if not months or months[-1] != label:
            months.append(label)
        day += timedelta(days=1)
    return months


def _calendar(scenario: Scenario, shown: str, log: IssueLog) -> None:
    if scenario.end < scenario.start:
        log.add(
            shown, f"end {scenario.end} is before start {scenario.start}; swap them", field="end"
        )
        return
    if scenario.period == "week":
        if scenario.start.weekday() != 0:
            monday = scenario.start - timedelta(days=scenario.start.weekday())
            log.add(
                shown,
                f"start {scenario.start} is a {scenario.start:%A}; weekly "
                f"campaigns start on a Monday (e.g. {monday})",
                field="start",
            )
        days = (scenario.end - scenario.start).days + 1
        if days % 7:
            before = scenario.start + timedelta(days=days // 7 * 7 - 1)
            log.add(
                shown,
                f"end {scenario.end} does not close a whole week; use {before} or "
                f"{before + timedelta(days=7)} (start + 7k - 1)",
                field="end",
            )
    if not scenario.people:
        log.add(shown, "the roster is empty; people needs at least one person", field="people")
    if not scenario.sites:
        log.add(shown, "there are no sites; sites needs at least one site", field="sites")


def validate_scenario(
    scenario: Scenario, tables: dict[str, list[Located]], shown: str, log: IssueLog
) -> None:
    """Record every cross-table problem of `scenario` in `log`."""
    _calendar(scenario, shown, log)
    empty: list[Located] = []
    people = _unique(tables.get("people", empty), "person_id", log)
    bases = _unique(tables.get("bases", empty), "base_id", log)
    sites = _unique(tables.get("sites", empty), "site_id", log)
    _refers(tables.get("people", empty), "base_id", bases, "bases", log)
    demand = tables.get("demand", empty)
    _refers(demand, "site_id", sites, "sites", log)
    _once(demand, ("site_id", "period_start", "qualification"), "merge the rows", log)
    _period_starts(scenario, demand, log)
    _refers(tables.get("unavailable", empty), "person_id", people, "people", log)
    requests = tables.get("requests", empty)
    _refers(requests, "person_id", people, "people", log)
    for row in requests:
        site = row.model.site_id
        if site != ANY_SITE and site not in sites:
            log.add(
                row.file,
                f"site_id {site!r} is not in sites (known: {known_ids(sites)}; "
                f"or {ANY_SITE} for any site)",
                row.line,
                "site_id",
            )
    _period_starts(scenario, requests, log)
    _once(requests, ("person_id", "period_start", "site_id", "kind"), "keep one", log)
    if scenario.per_diem is not None and scenario.end >= scenario.start:
        _per_diem(
            tables.get("per_diem", empty),
            sites,
            months_of(scenario.start, scenario.end),
            shown,
            log,
        )
    if scenario.travel is not None:
        _travel(tables.get("travel", empty), bases, sites, shown, log)


def _period_starts(scenario: Scenario, rows: Sequence[Located], log: IssueLog) -> None:
    """Every row's `period_start` is the first day of a period of the campaign."""
    starts = set(scenario.period_starts())
    for row in rows:
        first = row.model.period_start
        if first not in starts:
            log.add(
                row.file,
                f"period_start {first} is not the start of a "
                f"{scenario.period} of the campaign ({scenario.start} to {scenario.end})",
                row.line,
                "period_start",
            )


def _per_diem(
    rows: list[Located], sites: set[str], months: list[str], shown: str, log: IssueLog
) -> None:
    _refers(rows, "site_id", sites, "sites", log)
    seen = _once(rows, ("site_id", "month"), "keep one", log)
    file = rows[0].file if rows else shown
    for site in sorted(sites):
        absent = [m for m in months if (site, m) not in seen]
        if absent:
            log.add(
                file,
                f"no per diem row for site {site} in month(s) {', '.join(absent)}; "
                "a present table must cover every site and campaign month",
                field="month",
            )


def _travel(
    rows: list[Located], bases: set[str], sites: set[str], shown: str, log: IssueLog
) -> None:
    _refers(rows, "base_id", bases, "bases", log)
    _refers(rows, "site_id", sites, "sites", log)
    seen = _once(rows, ("base_id", "site_id"), "keep one", log)
    file = rows[0].file if rows else shown
    missing = [f"{b}-{s}" for b in sorted(bases) for s in sorted(sites) if (b, s) not in seen]
    if missing:
        more = f" and {len(missing) - 6} more" if len(missing) > 6 else ""
        log.add(
            file,
            f"no fare for {', '.join(missing[:6])}{more}; a present travel table "
            "must price every base-site pair",
            field="round_trip_usd",
        )
