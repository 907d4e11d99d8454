"""The scenario loader: bundle and single self-contained YAML give the same scenario; untrusted
YAML is read safely; the built-in scenario loads."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import TABLES, load_scenario
from surgeplan.service import BUILTIN

TINY = Path(__file__).parents[2] / "fixtures" / "tiny"


def inline_yaml(bundle: Path) -> str:
    """The bundle's scenario.yaml with every CSV table written inline as a list of rows."""
    lines = []
    for line in (bundle / "scenario.yaml").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in TABLES and value.strip().endswith(".csv"):
            lines.append(f"{key}:")
            with (bundle / value.strip()).open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    cells = ", ".join(f'{k}: "{v}"' for k, v in row.items())
                    lines.append(f"  - {{{cells}}}")
        else:
            lines.append(line)
    return "\n".join(lines) + "\n"


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
