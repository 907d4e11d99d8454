"""How a gap to the bound reads: never "0.00" for a plan that is not proven optimal."""

from __future__ import annotations

from surgeplan.reports.html.format import gap_percent


def test_a_proven_plan_reads_zero_and_a_tiny_gap_does_not() -> None:
    """$24 on $955,011 (0.0025 %) is not 0.00: it reads <0.01; two decimals otherwise."""
    assert gap_percent(0.0) == "0.00%"
    assert gap_percent(100 * 2_396 / 95_501_103) == "<0.01%"
    assert gap_percent(0.005) == "0.01%"
    assert gap_percent(17.0912) == "17.09%"
    assert gap_percent(1.5, " %") == "1.50 %"
