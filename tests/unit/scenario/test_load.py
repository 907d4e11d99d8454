"""The scenario loader: bundle and single self-contained YAML give the same scenario; untrusted
YAML is read safely; the built-in scenario loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import inline_yaml
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import load_scenario
from surgeplan.service import BUILTIN

TINY = Path(__file__).parents[2] / "fixtures" / "tiny"


def test_single_yaml_equals_bundle(tmp_path: Path) -> None:
    """One self-contained YAML with the tables inline loads to the same scenario as the bundle."""
    single = tmp_path / "surge.yaml"
    single.write_text(inline_yaml(TINY), encoding="utf-8")
    assert load_scenario(single) == load_scenario(TINY)


def test_inline_row_error_names_yaml_line(tmp_path: Path) -> None:
    """A bad inline row is reported with the YAML line it sits on."""
    text = inline_yaml(TINY).replace('required: "2"', 'required: "-2"', 1)
    single = tmp_path / "surge.yaml"
    single.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if 'required: "-2"' in row)
    with pytest.raises(InputError) as caught:
        load_scenario(single)
    assert f"surge.yaml:{line}: required:" in str(caught.value)


def test_yaml_alias_bomb_refused(tmp_path: Path) -> None:
    """Anchors and aliases (the expansion bomb) are refused, not expanded."""
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text('a: &a ["x","x"]\nb: &b [*a,*a]\nc: [*b,*b]\n', encoding="utf-8")
    with pytest.raises(InputError, match="aliases"):
        load_scenario(bomb)


def test_yaml_object_tag_refused(tmp_path: Path) -> None:
    """A tag that would build a Python object is refused."""
    evil = tmp_path / "evil.yaml"
    evil.write_text("name: !!python/object/apply:os.system ['true']\n", encoding="utf-8")
    with pytest.raises(InputError, match="only plain YAML data"):
        load_scenario(evil)


def test_symlink_out_of_bundle_refused(tmp_path: Path) -> None:
    """A table that is a symbolic link to a file outside the bundle is refused."""
    outside = tmp_path / "secret.csv"
    outside.write_text("person_id,name,base_id,qualifications\n", encoding="utf-8")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for f in TINY.iterdir():
        (bundle / f.name).write_bytes(f.read_bytes())
    (bundle / "people.csv").unlink()
    (bundle / "people.csv").symlink_to(outside)
    with pytest.raises(InputError, match="leads outside the scenario folder"):
        load_scenario(bundle)


def test_builtin_scenario_loads() -> None:
    """The shipped 2020 scenario: 100 officers, 10 sites, 17 weeks from 2020-02-03."""
    s = load_scenario(BUILTIN)
    assert (len(s.people), len(s.sites), len(s.period_starts())) == (100, 10, 17)
    assert str(s.start) == "2020-02-03"


def bundle_with_requests(tmp_path: Path, rows: str, weights: str = "") -> Path:
    """A copy of the tiny bundle with `requests.csv` (header + `rows`) referenced."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for f in TINY.iterdir():
        (bundle / f.name).write_bytes(f.read_bytes())
    with (bundle / "scenario.yaml").open("a", encoding="utf-8") as handle:
        handle.write("requests: requests.csv\n" + weights)
    header = "person_id,period_start,site_id,kind,weight\n"
    (bundle / "requests.csv").write_text(header + rows, encoding="utf-8")
    return bundle


def test_requests_and_v1_1_weights_load(tmp_path: Path) -> None:
    """Contract v1.1: requests (a site or `*`, on or off) and the fairness/requests weights."""
    rows = "P1,2020-02-10,NYC,on,3\nP2,2020-02-17,*,off,1\nP1,2020-02-10,NYC,off,2\n"
    s = load_scenario(
        bundle_with_requests(tmp_path, rows, "weights:\n  fairness: 4\n  requests: 2\n")
    )
    assert [
        (r.person_id, str(r.period_start), r.site_id, r.kind, r.weight) for r in s.requests
    ] == [
        ("P1", "2020-02-10", "NYC", "on", 3),
        ("P2", "2020-02-17", "*", "off", 1),
        ("P1", "2020-02-10", "NYC", "off", 2),
    ]
    assert (s.weights.fairness, s.weights.requests) == (4, 2)


def test_v1_scenario_has_no_requests_and_fairness_off() -> None:
    """A v1 bundle means what it meant: no requests, fairness weight 0, requests weight 1."""
    s = load_scenario(TINY)
    assert s.requests == ()
    assert (s.weights.fairness, s.weights.requests) == (0, 1)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("P9,2020-02-10,NYC,on,1\n", "requests.csv:2: person_id: person_id 'P9' is not in people"),
        ("P1,2020-02-10,ATL,on,1\n", "requests.csv:2: site_id: site_id 'ATL' is not in sites"),
        ("P1,2020-02-10,NYC,maybe,1\n", "requests.csv:2: kind: 'maybe' is not allowed; write"),
        ("P1,2020-02-10,NYC,on,0\n", "requests.csv:2: weight: '0' is too small; the minimum is 1"),
        ("P1,2020-02-10,NYC,on,1.5\n", "requests.csv:2: weight: '1.5' is not a whole number"),
        (
            "P1,2020-02-11,NYC,on,1\n",
            "requests.csv:2: period_start: period_start 2020-02-11 is not the start of a week",
        ),
        (
            "P1,2020-03-02,NYC,on,1\n",
            "requests.csv:2: period_start: period_start 2020-03-02 is not the start of a week",
        ),
        (
            "P1,2020-02-10,*,off,1\nP2,2020-02-10,*,off,1\nP1,2020-02-10,*,off,4\n",
            "requests.csv:4: kind: person_id P1, period_start 2020-02-10, site_id *, kind off "
            "is given twice (first on line 2)",
        ),
    ],
    ids=[
        "unknown-person",
        "unknown-site",
        "bad-kind",
        "zero-weight",
        "fraction-weight",
        "not-a-period-start",
        "after-the-campaign",
        "duplicate",
    ],
)
def test_bad_request_rows_are_located(tmp_path: Path, rows: str, expected: str) -> None:
    """Every bad request row is refused with requests.csv, its line and the field."""
    with pytest.raises(InputError) as caught:
        load_scenario(bundle_with_requests(tmp_path, rows))
    assert expected in str(caught.value), str(caught.value)


@pytest.mark.parametrize("weights", ["fairness: -1", "requests: -2", "fairness: x"])
def test_bad_v1_1_weights_refused(tmp_path: Path, weights: str) -> None:
    """The new weights are whole numbers ≥ 0, reported at their scenario.yaml line."""
    bundle = bundle_with_requests(tmp_path, "", f"weights:\n  {weights}\n")
    with pytest.raises(InputError) as caught:
        load_scenario(bundle)
    key = weights.split(":", maxsplit=1)[0]
    assert f"scenario.yaml:18: weights.{key}:" in str(caught.value), str(caught.value)


def test_inline_requests_in_single_yaml(tmp_path: Path) -> None:
    """Requests may be given inline like every other table; errors name the YAML line."""
    bundle = bundle_with_requests(tmp_path, "P1,2020-02-10,NYC,on,3\n")
    single = tmp_path / "surge.yaml"
    single.write_text(inline_yaml(bundle), encoding="utf-8")
    assert load_scenario(single) == load_scenario(bundle)
    text = inline_yaml(bundle).replace('kind: "on"', 'kind: "yes"')
    single.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if 'kind: "yes"' in row)
    with pytest.raises(InputError) as caught:
        load_scenario(single)
    assert f"surge.yaml:{line}: kind: 'yes' is not allowed" in str(caught.value)
