"""The target: built-in defaults, tracking.yaml in its three baseline forms, and refusals
that name the line and field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tracking_helpers import bundle, tiny

from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import load_scenario
from surgeplan.service import BUILTIN
from surgeplan.tracking.target import Target, builtin_target, read_target


def read(tmp_path: Path, text: str | None) -> Target:
    """The target read from a tiny bundle with `text` as tracking.yaml (None: no file)."""
    folder = bundle(tmp_path, text)
    return read_target(folder / "scenario.yaml", load_scenario(folder))


def refused(tmp_path: Path, text: str) -> InputError:
    """The InputError a tracking.yaml raises."""
    with pytest.raises(InputError) as caught:
        read(tmp_path, text)
    return caught.value


def test_builtin_target_is_plus_35_percent_with_shock_and_comparisons() -> None:
    """The built-in scenario's target: +35% arrests, 2019 same weeks, 18 Mar 2020 shock."""
    target = read_target(None, load_scenario(BUILTIN))
    assert target == builtin_target()
    assert target.ratio == pytest.approx(1.35)
    assert (target.baseline_start, target.baseline_end) == (date(2019, 2, 4), date(2019, 6, 2))
    assert target.shock is not None and target.shock.date == date(2020, 3, 18)
    assert target.comparison_sites == ("PHI", "SEA", "DEN")


def test_no_tracking_yaml_gives_eight_weeks_before(tmp_path: Path) -> None:
    """Without tracking.yaml a scenario gets +35% arrests_total against the 8 prior weeks."""
    target = read(tmp_path, None)
    assert (target.metric, target.change_pct) == ("arrests_total", 35)
    assert (target.baseline_start, target.baseline_end) == (date(2019, 12, 9), date(2020, 2, 2))


def test_explicit_window_comparisons_shock_and_composition(tmp_path: Path) -> None:
    """Every key of the documented format is read."""
    target = read(
        tmp_path,
        "target:\n  metric: arrests_convicted\n  change_pct: 20\n"
        "  baseline: {start: 2019-02-04, end: 2019-02-24}\n"
        "comparison_sites: [PHI, SEA]\nshock: {date: 2020-02-12, label: storm}\n"
        "composition: [a_share, b_share]\n",
    )
    assert target.metric == "arrests_convicted" and target.ratio == pytest.approx(1.2)
    assert target.baseline_periods(7) == (date(2019, 2, 4), date(2019, 2, 11), date(2019, 2, 18))
    assert target.comparison_sites == ("PHI", "SEA")
    assert target.shock is not None and target.shock.label == "storm"
    assert target.origin.endswith("tracking.yaml")


def test_previous_year_is_the_campaign_52_weeks_earlier(tmp_path: Path) -> None:
    """`previous_year: true` keeps the weekday: the tiny campaign's weeks in 2019."""
    target = read(tmp_path, "target:\n  baseline: {previous_year: true}\n")
    assert (target.baseline_start, target.baseline_end) == (date(2019, 2, 4), date(2019, 2, 24))


@pytest.mark.parametrize(
    ("text", "line", "field", "words"),
    [
        ("target:\n  metrc: x\n", 2, "target.metrc", "unknown key 'metrc'"),
        ("target:\n  change_pct: -120\n", 2, "target.change_pct", "too small"),
        (
            "target:\n  baseline: {start: 2019-02-30, end: 2019-03-03}\n",
            2,
            "target.baseline",
            "date",
        ),
        (
            "target:\n  baseline: {start: 2019-01-07, end: 2019-01-09}\n",
            None,
            "target.baseline",
            "not whole weeks",
        ),
        (
            "target:\n  baseline: {start: 2020-01-27, end: 2020-02-09}\n",
            None,
            "target.baseline",
            "not before the campaign",
        ),
        ("target:\n  baseline: {weeks_before: 0}\n", 2, "target.baseline.weeks_before", "1 to 520"),
        ("comparison_sites: [CHI]\n", None, "comparison_sites", "has demand"),
        ("shock: {date: 2020-13-01}\n", 1, "shock.date", "not a date"),
    ],
)
def test_bad_tracking_yaml_names_line_and_field(
    tmp_path: Path, text: str, line: int | None, field: str, words: str
) -> None:
    """Each mistake is one issue with its line (where YAML gives one), field and a fix."""
    error = refused(tmp_path, text)
    issue = error.issues[0]
    assert (issue.line, issue.field) == (line, field)
    assert words in issue.message


def test_duplicate_keys_and_aliases_are_refused(tmp_path: Path) -> None:
    """tracking.yaml is untrusted YAML: a key given twice is refused with its line."""
    error = refused(tmp_path, "target:\n  change_pct: 35\n  change_pct: 50\n")
    assert error.issues[0].line == 3 and "given twice" in error.issues[0].message


def test_target_is_immutable() -> None:
    """A Target cannot be changed after it is made."""
    target = builtin_target()
    with pytest.raises(ValueError, match="frozen"):
        target.change_pct = 50  # type: ignore[misc]
    assert tiny().name == "Tiny surge"
