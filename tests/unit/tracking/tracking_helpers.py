"""Shared builders for the tracking tests: a tiny bundle with a target and outcome files."""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from surgeplan.scenario.load import load_scenario
from surgeplan.scenario.model import Scenario
from surgeplan.tracking.target import Target

TINY = Path(__file__).resolve().parents[2] / "fixtures" / "tiny"
CAMPAIGN = tuple(date(2020, 2, 3) + timedelta(days=7 * i) for i in range(3))
BASELINE = tuple(date(2019, 12, 9) + timedelta(days=7 * i) for i in range(8))
TRACKING_YAML = """\
target:
  metric: arrests_total
  change_pct: 35
  baseline: {weeks_before: 8}
comparison_sites: [PHI]
"""


def bundle(tmp_path: Path, tracking: str | None = TRACKING_YAML) -> Path:
    """A copy of the tiny bundle (3 weeks from 2020-02-03; CHI, NYC) with a tracking.yaml."""
    folder = tmp_path / "bundle"
    shutil.copytree(TINY, folder)
    if tracking is not None:
        (folder / "tracking.yaml").write_text(tracking, encoding="utf-8")
    return folder


def tiny() -> Scenario:
    """The tiny scenario itself."""
    return load_scenario(TINY)


def tiny_target(**changes: object) -> Target:
    """+35% arrests_total against the 8 weeks before the tiny campaign, comparison PHI."""
    fields: dict[str, object] = {
        "baseline_start": BASELINE[0],
        "baseline_end": BASELINE[-1] + timedelta(days=6),
        "comparison_sites": ("PHI",),
    }
    return Target.model_validate(fields | changes)


def outcomes_text(rows: Iterable[tuple[str, date, str, int]], header: str | None = None) -> str:
    """An outcomes.csv text from (site, period, metric, value) rows."""
    lines = [header or "site_id,period_start,metric,value"]
    lines += [f"{s},{p},{m},{v}" for s, p, m, v in rows]
    return "\n".join(lines) + "\n"


def full_rows(level: int = 20, lift: int = 10) -> list[tuple[str, date, str, int]]:
    """Counts for CHI, NYC and PHI in every baseline and campaign week (campaign = +lift)."""
    rows = []
    for site in ("CHI", "NYC", "PHI"):
        for i, p in enumerate(BASELINE):
            rows.append((site, p, "arrests_total", level + i % 3))
        for i, p in enumerate(CAMPAIGN):
            extra = lift if site != "PHI" else 0
            rows.append((site, p, "arrests_total", level + extra + i % 2))
    return rows


def write(path: Path, text: str) -> Path:
    """Write text (UTF-8) and return the path."""
    path.write_text(text, encoding="utf-8")
    return path
