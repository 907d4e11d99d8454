"""Pins: decisions a planner fixes by hand (`pins.csv`: person_id,period_start,site_id).

`site_id` HOME keeps the person at home that period. Pinned cells are hard rules for the
engine and the checker alike; re-planning from a date pins the past automatically.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError

from surgeplan.scenario.errors import IssueLog
from surgeplan.scenario.files import Rows, parse_table, read_table
from surgeplan.scenario.load import describe
from surgeplan.scenario.model import Frozen, Ident, Scenario

HOME_SITE = "HOME"
PIN_COLUMNS = ("person_id", "period_start", "site_id")


class Pin(Frozen):
    """A person-period fixed to a site, or to home (site_id HOME)."""

    person_id: Ident
    period_start: date
    site_id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]

    @property
    def home(self) -> bool:
        """True when the pin keeps the person at home."""
        return self.site_id == HOME_SITE


def load_pins(path: Path, scenario: Scenario) -> tuple[Pin, ...]:
    """Read and check pins.csv against a scenario.

    Raises
    ------
    InputError
        With every problem found, each naming file, line, field and the fix.
    """
    rows, log = read_table(path, PIN_COLUMNS)
    return _pins(rows, log, scenario)


def parse_pins(text: str, shown: str, scenario: Scenario) -> tuple[Pin, ...]:
    """Check pins given as CSV text (e.g. uploaded) against a scenario; InputError if bad."""
    rows, log = parse_table(text, shown, PIN_COLUMNS)
    return _pins(rows, log, scenario)


def _pins(rows: Rows, log: IssueLog, scenario: Scenario) -> tuple[Pin, ...]:
    shown = rows.file
    people = {p.person_id for p in scenario.people}
    sites = {s.site_id for s in scenario.sites} | {HOME_SITE}
    starts = set(scenario.period_starts())
    index = {d: t for t, d in enumerate(scenario.period_starts())}
    leave = scenario.leave_periods()
    pins: list[Pin] = []
    seen: dict[tuple[str, date], int] = {}
    for line, cells in rows.rows:
        try:
            pin = Pin.model_validate({k: v for k, v in cells.items() if v != ""})
        except ValidationError as exc:
            for error in exc.errors():
                log.add(shown, describe(error), line, str(error["loc"][0]))
            continue
        problems = [
            ("person_id", f"person_id {pin.person_id!r} is not in people")
            if pin.person_id not in people
            else None,
            ("site_id", f"site_id {pin.site_id!r} is not a site; give a site id or HOME")
            if pin.site_id not in sites
            else None,
            (
                "period_start",
                f"period_start {pin.period_start} is not the start of a "
                f"{scenario.period} of the campaign",
            )
            if pin.period_start not in starts
            else None,
        ]
        for field, message in filter(None, problems):
            log.add(shown, message, line, field)
        if any(problems):
            continue
        key = (pin.person_id, pin.period_start)
        if key in seen:
            log.add(
                shown,
                f"{pin.person_id} is pinned twice in the period of "
                f"{pin.period_start} (first on line {seen[key]}); keep one",
                line,
                "site_id",
            )
            continue
        seen[key] = line
        if not pin.home and index[pin.period_start] in leave.get(pin.person_id, ()):
            log.add(
                shown,
                f"{pin.person_id} is unavailable in the period of "
                f"{pin.period_start} but pinned to {pin.site_id}; pin HOME or drop the "
                "leave",
                line,
                "site_id",
            )
            continue
        pins.append(pin)
    log.check()
    return tuple(pins)


def freeze_before(
    scenario: Scenario, previous: Sequence[tuple[str, str, date]], until: date
) -> tuple[Pin, ...]:
    """Pins that keep every period starting before `until` as in a previous plan.

    `previous` holds (person_id, site_id, period_start) of the old plan's deployed cells;
    every other person-period before `until` is pinned HOME.
    """
    deployed = {(person, start): site for person, site, start in previous}
    return tuple(
        Pin(
            person_id=p.person_id,
            period_start=start,
            site_id=deployed.get((p.person_id, start), HOME_SITE),
        )
        for p in scenario.people
        for start in scenario.period_starts()
        if start < until
    )
