"""What the sections share: the period grid, the site colour classes, sections, tables, legends."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from surgeplan.checker.ledger import Assignment
from surgeplan.reports.html.format import day, e
from surgeplan.reports.html.svg import SITE_PALETTE, f, text
from surgeplan.scenario.model import Scenario

LABEL_W = 240  # left margin of the time charts, where officer and site names go
CHART_W = 900  # target width of the time columns in pixels
RIGHT_W = 64  # right margin of the heat map (row totals)


@dataclass(frozen=True, slots=True)
class Grid:
    """The shared time axis of the Gantt and the heat map: one column per period."""

    periods: tuple[date, ...]
    days: int
    col_w: float
    left: float = LABEL_W

    @classmethod
    def of(cls, scenario: Scenario) -> Grid:
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
        return f"{day(self.periods[first])} – {day(end)}"

    def axis(self, top: float) -> list[str]:
        """Month names and period start days above the columns."""
        out: list[str] = []
        step = max(1, math.ceil(20 / self.col_w))
        for i, start in enumerate(self.periods):
            if i == 0 or start.month != self.periods[i - 1].month:
                month = f"{start:%b %Y}" if i == 0 or start.month == 1 else f"{start:%b}"
                out.append(text(self.x(i) + 2, top + 12, month, cls="ax-m"))
            if i % step == 0:
                out.append(
                    text(self.x(i) + self.col_w / 2, top + 27, str(start.day), anchor="middle")
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
            (dark if new_month else light).append(f"M{f(self.x(i))} {f(top)}V{f(bottom)}")
        return [
            f'<path class="gl" d="{"".join(light)}"/>',
            f'<path class="gm" d="{"".join(dark)}"/>',
        ]


@dataclass(frozen=True, slots=True)
class Sites:
    """Display name and colour class of every site: the scenario's, then unknown ids."""

    order: tuple[str, ...]
    names: Mapping[str, str]
    classes: Mapping[str, int]

    @classmethod
    def of(cls, scenario: Scenario, assignments: Sequence[Assignment]) -> Sites:
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


def deployed(assignments: Sequence[Assignment], grid: Grid) -> dict[str, dict[int, str]]:
    """Person → column → site, for assignments inside the campaign."""
    index = grid.index()
    cells: dict[str, dict[int, str]] = defaultdict(dict)
    for a in assignments:
        column = index.get(a.period_start)
        if column is not None:
            cells[a.person_id][column] = a.site_id
    return cells


def section(anchor: str, title: str, intro: str, body: str) -> str:
    """A report section with an h2 heading; `intro` and `body` are already HTML."""
    return (
        f'<section id="{anchor}" aria-labelledby="{anchor}-h"><h2 id="{anchor}-h">{title}</h2>'
        f'<p class="intro">{intro}</p>{body}</section>'
    )


def table(
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
        f"<table><caption>{e(caption)}</caption><thead>{line(head, 'th')}</thead>"
        f"<tbody>{body}</tbody>{footer}</table>"
    )


def swatch(colour: str, label: str, extra: str = "") -> str:
    """One legend entry in HTML (colour is ours, label is escaped)."""
    return f'<li><span class="sw" style="background:{colour}{extra}"></span>{e(label)}</li>'
