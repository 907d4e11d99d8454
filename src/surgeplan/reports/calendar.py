"""iCalendar (RFC 5545) files of a plan: one per officer and one per site.

Each rotation is one all-day event from its first to its last day (DTEND is exclusive, so
the day after). Text is escaped as the RFC requires and long lines are folded at 75
octets; UIDs are stable so a re-imported calendar updates instead of duplicating.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from surgeplan.checker.ledger import Stretch
from surgeplan.scenario.model import Scenario

PRODID = "-//surgeplan//deployment plan//EN"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Fold a content line at 75 octets (continuation lines start with a space)."""
    data = line.encode("utf-8")
    parts: list[str] = []
    start = 0
    while len(data) - start > 75:
        end = start + (75 if not parts else 74)
        while end > start and (data[end] & 0xC0) == 0x80:  # never split a UTF-8 character
            end -= 1
        parts.append(data[start:end].decode("utf-8"))
        start = end
    parts.append(data[start:].decode("utf-8"))
    return "\r\n ".join(parts)


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def _event(stretch: Stretch, summary: str, description: str, stamp: date) -> list[str]:
    uid = f"{stretch.person_id}-{stretch.site_id}-{_day(stretch.start)}@surgeplan"
    return [
        "BEGIN:VEVENT",
        f"UID:{_escape(uid)}",
        f"DTSTAMP:{_day(stamp)}T000000Z",
        f"DTSTART;VALUE=DATE:{_day(stretch.start)}",
        f"DTEND;VALUE=DATE:{_day(stretch.end + timedelta(days=1))}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
    ]


def _calendar(name: str, events: Iterable[list[str]]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += event
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def officer_calendars(scenario: Scenario, stretches: Sequence[Stretch]) -> dict[str, str]:
    """person_id → calendar of that officer's rotations (officers never deployed omitted)."""
    people = {p.person_id: p.name for p in scenario.people}
    sites = {s.site_id: s.name for s in scenario.sites}
    stamp = scenario.start
    out: dict[str, list[list[str]]] = {}
    for s in stretches:
        out.setdefault(s.person_id, []).append(
            _event(
                s,
                f"Deployment: {sites.get(s.site_id, s.site_id)}",
                f"{people.get(s.person_id, s.person_id)} at {s.site_id}, {s.start} to {s.end}",
                stamp,
            )
        )
    return {
        pid: _calendar(f"{people.get(pid, pid)}: deployments", events)
        for pid, events in out.items()
    }


def site_calendars(scenario: Scenario, stretches: Sequence[Stretch]) -> dict[str, str]:
    """site_id → calendar with one event per officer rotation at that site."""
    people = {p.person_id: p.name for p in scenario.people}
    out: dict[str, list[list[str]]] = {s.site_id: [] for s in scenario.sites}
    for s in stretches:
        out.setdefault(s.site_id, []).append(
            _event(
                s,
                f"{people.get(s.person_id, s.person_id)} ({s.person_id})",
                f"rotation {s.start} to {s.end}",
                scenario.start,
            )
        )
    names = {s.site_id: s.name for s in scenario.sites}
    return {
        sid: _calendar(f"{names.get(sid, sid)}: officers deployed", events)
        for sid, events in out.items()
    }
