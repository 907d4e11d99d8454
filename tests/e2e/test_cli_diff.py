"""`surgeplan diff`: two plans of one scenario compared per officer, per site and per tier."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from surgeplan.cli import app

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
HEADER = "person_id,site_id,period_start,period_end\n"


def test_diff_names_officer_site_and_tier_deltas(tmp_path: Path) -> None:
    """Moving P1's week from CHI to NYC shows P1, both sites, and the tier deltas."""
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(HEADER + "P1,CHI,2020-02-03,2020-02-09\n", encoding="utf-8")
    b.write_text(HEADER + "P1,NYC,2020-02-03,2020-02-09\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(TINY), str(a), str(b)])
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "1 officers with different orders" in text
    assert "Officer One (P1)" in text
    # A: CHI headcount short 1 (×2) + NYC weeks 1 and 2 short 1 + 2 = 5.
    # B: CHI headcount short 2 (×4) + CHI lead short 1 (×2) + NYC 3 = 9 (NYC wants no one
    # in week 0, so P1 there counts for nothing).
    assert "shortfall (weighted) │ 5 │ 9 │ +4" in text
    assert "│ CHI │ 1 │ 0 │" in text


def test_diff_of_identical_plans_is_empty(tmp_path: Path) -> None:
    """A plan compared with itself: no officer, no site, zero deltas."""
    a = tmp_path / "a.csv"
    a.write_text(HEADER + "P1,CHI,2020-02-03,2020-02-09\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(TINY), str(a), str(a)])
    assert result.exit_code == 0
    assert "0 officers with different orders" in result.output
    assert "+0" in result.output
