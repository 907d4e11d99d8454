"""plan.xlsx and iCalendar exports: contents read back, formula guard, RFC 5545 basics."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from helpers import scenario
from surgeplan.checker import Assignment, Stretch
from surgeplan.reports.calendar import officer_calendars, site_calendars
from surgeplan.reports.workbook import plan_workbook
from surgeplan.scenario.model import Person

PERSON = Person(person_id="P1", name='=Doe, J.; "Jo" ' + "x" * 80, base_id="B1")
STRETCH = Stretch(
    "P1",
    "S1",
    date(2020, 2, 3),
    date(2020, 2, 16),
    2,
    Decimal("400"),
    Decimal("1625"),
    Decimal("1026"),
)
ROWS = [
    Assignment("P1", "S1", date(2020, 2, 3), date(2020, 2, 9)),
    Assignment("P1", "S1", date(2020, 2, 10), date(2020, 2, 16)),
]


def test_workbook_reads_back() -> None:
    """Both sheets hold the plan with real dates and numbers; a formula-like name is text."""
    s = scenario(weeks=2, people=[PERSON])
    book = load_workbook(BytesIO(plan_workbook(s, ROWS, [STRETCH])))
    rows = list(book["assignments"].iter_rows(values_only=True))
    assert rows[0] == ("person_id", "site_id", "period_start", "period_end")
    assert rows[1] == ("P1", "S1", datetime(2020, 2, 3), datetime(2020, 2, 9))
    rotation = list(book["rotations"].iter_rows(values_only=True))[1]
    assert rotation[1] == "'" + PERSON.name
    assert rotation[-1] == 3051.0


def test_officer_calendar_is_rfc5545() -> None:
    """CRLF lines ≤ 75 octets, escaped text, all-day event with an exclusive end date."""
    s = scenario(weeks=2, people=[PERSON])
    text = officer_calendars(s, [STRETCH])["P1"]
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert text.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20200203" in unfolded
    assert "DTEND;VALUE=DATE:20200217" in unfolded
    assert '=Doe\\, J.\\; "Jo"' in unfolded
    assert "UID:P1-S1-20200203@surgeplan" in unfolded


def test_site_calendar_lists_every_site() -> None:
    """Every site has a calendar, empty ones included; a rotation appears at its site."""
    s = scenario(weeks=2, people=[PERSON], sites=("S1", "S2"))
    calendars = site_calendars(s, [STRETCH])
    assert set(calendars) == {"S1", "S2"}
    assert calendars["S1"].count("BEGIN:VEVENT") == 1
    assert calendars["S2"].count("BEGIN:VEVENT") == 0
