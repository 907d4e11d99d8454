"""track() end to end: the built-in scenario with simulated outcomes, a bundle with its own
outcomes and plan, and what the written report says."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from tracking_helpers import CAMPAIGN, bundle, full_rows, outcomes_text, write

from surgeplan.checker import read_assignments
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import load_scenario
from surgeplan.tracking import track
from surgeplan.tracking.analysis import OVERALL_ID
from surgeplan.tracking.link import NOT_CAUSAL

VERDICTS = ("target met", "target not met", "cannot be told")


def strict_json(path: Path) -> dict[str, Any]:
    """tracking.json parsed, refusing NaN and Infinity (not JSON)."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} in tracking.json")

    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)
    return data


@pytest.fixture(scope="module")
def builtin_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """track() on the built-in scenario with its simulated outcomes, once for the module."""
    out = tmp_path_factory.mktemp("builtin")
    return track(None, None, out), out


def test_builtin_run_writes_both_files_labelled_simulated(
    builtin_run: tuple[dict[str, Any], Path],
) -> None:
    """Both files are written; JSON and HTML say SIMULATED; ten sites plus the overall."""
    data, out = builtin_run
    assert strict_json(out / "tracking.json") == data
    html = (out / "tracking.html").read_text(encoding="utf-8")
    assert data["simulated"] is True and data["data_label"].startswith("SIMULATED")
    assert len(data["sites"]) == 10 and data["overall"]["site_id"] == OVERALL_ID
    assert html.count("SIMULATED") >= 10 and "SIMULATED DATA" in html
    assert all(s["sentence"].startswith("SIMULATED data") for s in data["sites"])


def test_every_site_has_one_sentence_with_a_verdict(
    builtin_run: tuple[dict[str, Any], Path],
) -> None:
    """Each site's sentence is one sentence and says met, not met or cannot be told."""
    data, _ = builtin_run
    for site in data["sites"]:
        text = site["sentence"]
        assert any(v in text for v in VERDICTS)
        assert text.endswith(".") and text.count(". ") == 0
        assert site["verdict"] in ("met", "not met", "cannot be told")
        assert site["model"] and site["change"]["method"] == site["model"]


def test_report_is_self_contained_with_charts_shock_and_caveats(
    builtin_run: tuple[dict[str, Any], Path],
) -> None:
    """One offline file: inline SVG per site, the shock line, method and caveats, no links out."""
    _, out = builtin_run
    html = (out / "tracking.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 2 * 11
    assert "shock" in html and "Seasonality" in html and "Caveats" in html
    assert not re.search(r"<script|src=|href=|@import", html)


def test_builtin_json_carries_progress_projection_comparison_and_composition(
    builtin_run: tuple[dict[str, Any], Path],
) -> None:
    """Chicago's entry has 17 progress steps, a DiD against PHI/SEA/DEN, a pre-shock change and
    three composition shares; the plan link is absent without a plan."""
    data, _ = builtin_run
    chicago = data["sites"][0]
    assert chicago["site_id"] == "CHI" and len(chicago["progress"]) == 17
    assert chicago["difference_in_differences"]["value"] is not None
    assert chicago["pre_shock_change"]["value"] is not None
    assert [c["metric"] for c in chicago["composition"]] == [
        "arrests_convicted",
        "arrests_pending",
        "arrests_other",
    ]
    assert chicago["plan"] is None and data["association"] is None
    last = chicago["progress"][-1]
    assert last["projection_to_end"]["value"] == pytest.approx(chicago["change"]["value"])


def test_bundle_with_outcomes_and_plan_links_deployment(tmp_path: Path) -> None:
    """A bundle's tracking.yaml, outcomes.csv and assignments.csv give per-week officers and
    shortfall next to the counts, and a labelled, non-causal association."""
    folder = bundle(tmp_path)
    scenario = load_scenario(folder)
    outcomes = write(tmp_path / "outcomes.csv", outcomes_text(full_rows()))
    plan = write(
        tmp_path / "assignments.csv",
        "person_id,site_id,period_start,period_end\n"
        f"P1,CHI,{CAMPAIGN[0]},{CAMPAIGN[0] + timedelta(days=6)}\n"
        f"P2,CHI,{CAMPAIGN[0]},{CAMPAIGN[0] + timedelta(days=6)}\n"
        f"P3,NYC,{CAMPAIGN[1]},{CAMPAIGN[1] + timedelta(days=6)}\n",
    )
    data = track(folder, outcomes, tmp_path / "out", read_assignments(plan, scenario))
    chicago, new_york = data["sites"]
    assert (
        data["simulated"] is False
        and "SIMULATED" not in (tmp_path / "out/tracking.html").read_text()
    )
    weeks = chicago["plan"]["periods"]
    assert [(w["officers_deployed"], w["headcount_required"], w["shortfall"]) for w in weeks] == [
        (2, 2, 0),
        (0, 0, 0),
        (0, 0, 0),
    ]
    # New York from 2020-02-10: 1 deployed of 1 demanded, then 0 of 2.
    assert new_york["plan"]["officer_periods_short"] == 2
    assert data["association"]["label"] == NOT_CAUSAL
    assert data["overall"]["campaign_periods"]["first"] == str(CAMPAIGN[1])  # both sites active
    assert data["target"]["comparison_sites"] == [{"site_id": "PHI", "name": "PHI"}]


def test_missing_weeks_are_reported_and_left_out(tmp_path: Path) -> None:
    """A campaign week without a count is null in the series and named in the caveats."""
    folder = bundle(tmp_path)
    rows = [r for r in full_rows() if not (r[0] == "CHI" and r[1] == CAMPAIGN[1])]
    data = track(folder, write(tmp_path / "o.csv", outcomes_text(rows)), tmp_path / "out")
    chicago = data["sites"][0]
    assert chicago["series"]["campaign"][1]["count"] is None
    assert chicago["campaign_periods"] == {"first": str(CAMPAIGN[0]), "planned": 3, "with_count": 2}
    assert any("1 site-weeks had no count" in c for c in data["caveats"])


def test_site_without_counts_cannot_be_told(tmp_path: Path) -> None:
    """A site with no rows gets 'cannot be told' and the reason, and the report still renders."""
    folder = bundle(tmp_path)
    rows = [r for r in full_rows() if r[0] != "NYC"]
    data = track(folder, write(tmp_path / "o.csv", outcomes_text(rows)), tmp_path / "out")
    new_york = data["sites"][1]
    assert new_york["verdict"] == "cannot be told"
    assert "there are no baseline counts" in new_york["sentence"]
    assert "no counts to draw" in (tmp_path / "out" / "tracking.html").read_text(encoding="utf-8")


def test_other_scenario_without_outcomes_is_an_input_error(tmp_path: Path) -> None:
    """Simulated outcomes exist only for the built-in scenario; others must give a file."""
    with pytest.raises(InputError, match="simulated outcomes exist only for the built-in"):
        track(bundle(tmp_path), None, tmp_path / "out")


def test_row_level_outcomes_stop_before_anything_is_written(tmp_path: Path) -> None:
    """A row-level file raises InputError and writes no report."""
    folder = bundle(tmp_path)
    bad = write(
        tmp_path / "o.csv", "name,site_id,period_start,metric,value\nX,CHI,2020-02-03,a,1\n"
    )
    with pytest.raises(InputError):
        track(folder, bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_text_from_inputs_is_escaped_in_html(tmp_path: Path) -> None:
    """A site name with markup appears escaped in tracking.html, never as a tag."""
    folder = bundle(tmp_path)
    sites = (folder / "sites.csv").read_text(encoding="utf-8")
    (folder / "sites.csv").write_text(
        sites.replace("Chicago", "<script>alert(1)</script>"), encoding="utf-8"
    )
    track(folder, write(tmp_path / "o.csv", outcomes_text(full_rows())), tmp_path / "out")
    html = (tmp_path / "out" / "tracking.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
