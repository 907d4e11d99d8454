"""Scenario bundles in memory: writing one is the exact inverse of loading it, and reading
one goes through the real loader with the bundle's own file names in every message."""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surgeplan.scenario.bundle import (
    BUNDLE_TABLES,
    HEADER_COMMENT,
    HEADER_COMMENT_V1_1,
    V1_1_TABLES,
    bundle_files,
    load_bundle_files,
    table_header,
    with_table,
)
from surgeplan.scenario.errors import InputError
from surgeplan.scenario.load import TABLES, load_scenario
from surgeplan.scenario.model import (
    Base,
    Demand,
    Fare,
    Grant,
    PerDiem,
    Person,
    Request,
    Rules,
    Scenario,
    Site,
    Unavailable,
    Weights,
)
from surgeplan.scenario.validate import months_of
from surgeplan.service import BUILTIN

TINY = Path(__file__).parents[2] / "fixtures" / "tiny"

# Strings YAML or CSV would mangle if written naively.
TRICKY = (
    "yes",
    "No",
    "on",
    "null",
    "~",
    "1e3",
    "0x1F",
    "0o17",
    ".inf",
    "12",
    "-3.5",
    "2020-01-01",
    "2020-01-01 10:00:00",
    "true",
    "a, b",
    'say "hi"',
    "'quoted'",
    'O\'Brien, "Jack"',
    "Ünïcødé ✓ 北京 🚓",
    "- dash",
    "# hash",
    "key: value",
    "[1, 2]",
    "{a: 1}",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "=SUM(A1)",
    "line\nbreak",
    "carriage\rreturn",
    "tab\tinside",
    "nel\x85and\u2028sep",
    "bom\ufeffinside",
    "bell\x07",
)
FREE_TEXT = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
    min_size=1,
    max_size=40,
)
NAMES = st.one_of(st.sampled_from(TRICKY), FREE_TEXT).map(str.strip).filter(bool)
IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,7}", fullmatch=True)
QUALIFICATIONS = st.sampled_from(("lead", "emt", "spanish", "k9.handler", "Q-1", "yes", "1e3"))
MONEY = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))


@st.composite
def grants(draw: st.DrawFn) -> Grant:
    """A qualification with no interval or a closed one (the two forms v1 can spell)."""
    name = draw(QUALIFICATIONS)
    if draw(st.booleans()):
        return Grant(name=name)
    first, last = sorted((draw(DAYS), draw(DAYS)))
    return Grant(name=name, valid_from=first, valid_to=last)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A small scenario that passes every check of contract v1."""
    period = draw(st.sampled_from(("week", "day")))
    monday = date(2020, 1, 6) + timedelta(weeks=draw(st.integers(0, 200)))
    count = draw(st.integers(1, 4))
    end = monday + timedelta(days=count * (7 if period == "week" else 1) - 1)
    base_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    site_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    person_ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    lat = st.floats(-90, 90, allow_nan=False)
    lon = st.floats(-180, 180, allow_nan=False)
    bases = tuple(
        Base(
            base_id=b,
            name=draw(NAMES),
            lat=draw(lat),
            lon=draw(lon),
            max_away=draw(st.none() | st.integers(0, 50)),
        )
        for b in base_ids
    )
    sites = tuple(
        Site(
            site_id=s,
            name=draw(NAMES),
            lat=draw(lat),
            lon=draw(lon),
            priority=draw(st.integers(1, 1_000_000)),
        )
        for s in site_ids
    )
    people = tuple(
        Person(
            person_id=p,
            name=draw(NAMES),
            base_id=draw(st.sampled_from(base_ids)),
            qualifications=tuple(draw(st.lists(grants(), max_size=3))),
        )
        for p in person_ids
    )
    draft = Scenario(
        name="draft", start=monday, end=end, period=period, people=(), bases=(), sites=()
    )
    slots = [
        (s, start, q)
        for s in site_ids
        for start in draft.period_starts()
        for q in ("*", "lead", "emt")
    ]
    demand = tuple(
        Demand(site_id=s, period_start=start, qualification=q, required=draw(st.integers(0, 9)))
        for s, start, q in draw(st.lists(st.sampled_from(slots), max_size=6, unique=True))
    )
    unavailable = []
    for _ in range(draw(st.integers(0, 3))):
        first, last = sorted((draw(DAYS), draw(DAYS)))
        unavailable.append(
            Unavailable(person_id=draw(st.sampled_from(person_ids)), start=first, end=last)
        )
    per_diem = None
    if draw(st.booleans()):
        per_diem = tuple(
            PerDiem(site_id=s, month=m, lodging_usd=draw(MONEY), mie_usd=draw(MONEY))
            for s in site_ids
            for m in months_of(monday, end)
        )
    travel = None
    if draw(st.booleans()):
        travel = tuple(
            Fare(base_id=b, site_id=s, round_trip_usd=draw(MONEY))
            for b in base_ids
            for s in site_ids
        )
    rotation_min = draw(st.integers(1, 3))
    rules = Rules(
        rotation_min=rotation_min,
        rotation_max=draw(st.none() | st.integers(rotation_min, 8)),
        rest_min=draw(st.integers(0, 3)),
        deployed_max=draw(st.none() | st.integers(0, 10)),
        same_site_only=draw(st.booleans()),
        budget_usd=draw(st.none() | MONEY),
    )
    weights = draw(
        st.just(Weights())
        | st.builds(Weights, shortfall=st.integers(1, 1_000_000), cost=st.integers(1, 1_000))
        | st.builds(
            Weights,
            shortfall=st.integers(1, 1_000_000),
            cost=st.integers(1, 1_000),
            fairness=st.integers(0, 1_000_000),
            requests=st.integers(0, 1_000_000),
        )
    )
    wishes = [
        (p, start, s, kind)
        for p in person_ids
        for start in draft.period_starts()
        for s in (*site_ids, "*")
        for kind in ("on", "off")
    ]
    requests = tuple(
        Request(
            person_id=p,
            period_start=start,
            site_id=s,
            kind=kind,
            weight=draw(st.integers(1, 1_000_000)),
        )
        for p, start, s, kind in draw(st.lists(st.sampled_from(wishes), max_size=5, unique=True))
    )
    return Scenario(
        name=draw(NAMES),
        start=monday,
        end=end,
        period=period,
        people=people,
        bases=bases,
        sites=sites,
        demand=demand,
        unavailable=tuple(unavailable),
        per_diem=per_diem,
        travel=travel,
        requests=requests,
        rules=rules,
        weights=weights,
    )


@pytest.mark.parametrize("folder", [BUILTIN, TINY], ids=["builtin", "tiny"])
def test_shipped_bundles_round_trip(folder: Path) -> None:
    """The built-in scenario and the tiny fixture come back equal after bundle and reload."""
    original = load_scenario(folder)
    assert load_bundle_files(bundle_files(original)) == original


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_generated_scenarios_round_trip(scenario: Scenario) -> None:
    """Any valid scenario, with awkward names and every optional part, round-trips exactly."""
    assert load_bundle_files(bundle_files(scenario)) == scenario


def test_bundle_holds_contract_v1_columns() -> None:
    """Each table has exactly its contract-v1 header, optional columns included; a
    scenario without v1.1 parts is a v1 bundle (no requests.csv, the v1 header)."""
    files = bundle_files(load_scenario(TINY))
    assert set(files) == {"scenario.yaml", *(f"{t}.csv" for t in BUNDLE_TABLES)}
    assert set(BUNDLE_TABLES) | V1_1_TABLES == set(TABLES)
    assert files["scenario.yaml"].startswith(HEADER_COMMENT)
    assert "requests" not in files["scenario.yaml"]
    for table in BUNDLE_TABLES:
        _, required, optional = TABLES[table]
        header = files[f"{table}.csv"].split("\n", 1)[0]
        assert header == ",".join(required + optional)
        assert "\r\n" not in files[f"{table}.csv"]
    assert "B2,Base Two,32.6,-117.0,\n" in files["bases.csv"]
    assert "B1,NYC,450.50\n" in files["travel.csv"]
    assert "P3,Officer Three,B2,lead@2020-02-01..2020-02-12;emt\n" in files["people.csv"]


def test_absent_cost_tables_are_left_out() -> None:
    """per_diem/travel of None (costs nothing) are not written as empty, refused tables."""
    tiny = load_scenario(TINY).model_copy(update={"per_diem": None, "travel": None})
    files = bundle_files(tiny)
    assert "per_diem.csv" not in files
    assert "travel" not in files["scenario.yaml"]
    assert load_bundle_files(files) == tiny


FARES = "base_id,site_id,round_trip_usd\nB1,CHI,300\nB1,NYC,310\nB2,CHI,320\nB2,NYC,330\n"


def test_with_table_adds_a_first_table_and_its_reference() -> None:
    """A travel table given to a bundle that had none is referenced from scenario.yaml and
    loads; replacing a table already referenced adds no second reference; an empty
    requests table is its header (`table_header`) and loads as no requests."""
    tiny = load_scenario(TINY).model_copy(update={"per_diem": None, "travel": None})
    files = with_table(bundle_files(tiny), "travel", FARES)
    assert files["scenario.yaml"].rstrip().endswith("travel: travel.csv")
    loaded = load_bundle_files(files)
    assert [str(f.round_trip_usd) for f in loaded.travel or ()] == [
        "300.00",
        "310.00",
        "320.00",
        "330.00",
    ]
    again = with_table(files, "travel", FARES.replace("300", "299"))
    assert again["scenario.yaml"].count("travel:") == 1
    assert str((load_bundle_files(again).travel or ())[0].round_trip_usd) == "299.00"
    no_wishes = with_table(files, "requests", table_header("requests"))
    assert no_wishes["requests.csv"] == "person_id,period_start,site_id,kind,weight\n"
    assert load_bundle_files(no_wishes).requests == ()


def test_empty_table_is_header_only() -> None:
    """An empty table is still a file, with its header and no rows."""
    tiny = load_scenario(TINY).model_copy(update={"unavailable": ()})
    files = bundle_files(tiny)
    assert files["unavailable.csv"] == "person_id,start,end\n"
    assert load_bundle_files(files) == tiny


def test_yaml_keeps_special_names_as_text() -> None:
    """A scenario name YAML would read as a bool, null, number or date stays a string, and
    one with a NEL (which PyYAML folds to a space when single-quoted) keeps it."""
    for name in ("yes", "null", "1e3", "2020-01-01", "0x1F", ".inf", "12", "a\x85b ✓"):
        tiny = load_scenario(TINY).model_copy(update={"name": name})
        assert load_bundle_files(bundle_files(tiny)).name == name


def test_rules_and_weights_written_when_set() -> None:
    """Unset rules are omitted, same_site_only kept; weights appear only if not default."""
    tiny = load_scenario(TINY)
    text = bundle_files(tiny)["scenario.yaml"]
    assert "rotation_max: 2" in text
    assert "same_site_only: true" in text
    assert "deployed_max" not in text
    assert "budget_usd" not in text
    assert "weights" not in text
    heavy = tiny.model_copy(
        update={
            "weights": Weights(shortfall=50, cost=3),
            "rules": Rules(rotation_min=1, budget_usd=Decimal("1234.50")),
        }
    )
    text = bundle_files(heavy)["scenario.yaml"]
    assert "weights:\n  shortfall: 50\n  cost: 3\n" in text
    assert "budget_usd: '1234.50'" in text
    assert load_bundle_files(bundle_files(heavy)) == heavy


def test_requests_and_v1_1_weights_round_trip() -> None:
    """Requests get requests.csv with the v1.1 columns, the new weights are written when
    not default, the header says v1.1, and everything loads back equal."""
    tiny = load_scenario(TINY)
    start = tiny.period_starts()[1]
    wishes = (
        Request(person_id="P1", period_start=start, site_id="NYC", kind="on", weight=3),
        Request(person_id="P2", period_start=start, site_id="*", kind="off", weight=1),
    )
    changed = tiny.model_copy(
        update={"requests": wishes, "weights": Weights(fairness=5, requests=2)}
    )
    files = bundle_files(changed)
    assert files["requests.csv"] == (
        "person_id,period_start,site_id,kind,weight\nP1,2020-02-10,NYC,on,3\nP2,2020-02-10,*,off,1\n"
    )
    text = files["scenario.yaml"]
    assert text.startswith(HEADER_COMMENT_V1_1)
    assert "requests: requests.csv\n" in text
    assert "weights:\n  shortfall: 1\n  cost: 1\n  fairness: 5\n  requests: 2\n" in text
    assert load_bundle_files(files) == changed


def test_v1_1_weights_left_out_when_default() -> None:
    """Changing only a v1 weight writes the v1 weights alone (still a v1 bundle)."""
    tiny = load_scenario(TINY).model_copy(update={"weights": Weights(shortfall=7)})
    text = bundle_files(tiny)["scenario.yaml"]
    assert text.startswith(HEADER_COMMENT)
    assert "weights:\n  shortfall: 7\n  cost: 1\n" in text
    assert "fairness" not in text
    assert "requests" not in text


def test_bad_request_in_edited_bundle_names_file_and_line() -> None:
    """A requests.csv added to a bundle is checked like a folder's, by line and field."""
    files = bundle_files(load_scenario(TINY))
    files["scenario.yaml"] += "requests: requests.csv\n"
    files["requests.csv"] = (
        "person_id,period_start,site_id,kind,weight\nP1,2020-02-03,CHI,on,1\nP1,2020-02-03,CHI,maybe,1\n"
    )
    with pytest.raises(InputError) as caught:
        load_bundle_files(files)
    assert str(caught.value).startswith("requests.csv:3: kind: 'maybe' is not allowed")


def test_carriage_return_in_name_survives_csv() -> None:
    """A bare CR in a cell is quoted (3.11's csv module would not), so the row stays whole."""
    tiny = load_scenario(TINY)
    person = tiny.people[0].model_copy(update={"name": 'first\rsecond, "third"'})
    changed = tiny.model_copy(update={"people": (person, *tiny.people[1:])})
    assert load_bundle_files(bundle_files(changed)) == changed


def test_half_open_grant_written_with_sentinel_dates() -> None:
    """A grant with only one end has no v1 spelling: the open end is the first/last day
    representable, which covers exactly the same periods."""
    tiny = load_scenario(TINY)
    person = tiny.people[0].model_copy(
        update={
            "qualifications": (
                Grant(name="lead", valid_from=date(2020, 2, 10)),
                Grant(name="emt", valid_to=date(2020, 2, 9)),
            )
        }
    )
    changed = tiny.model_copy(update={"people": (person, *tiny.people[1:])})
    files = bundle_files(changed)
    assert "lead@2020-02-10..9999-12-31;emt@0001-01-01..2020-02-09" in files["people.csv"]
    reloaded = load_bundle_files(files).people[0]
    starts = changed.period_starts()
    for qualification in ("lead", "emt"):
        for first in starts:
            last = first + timedelta(days=6)
            assert reloaded.holds(qualification, first, last) == person.holds(
                qualification, first, last
            )


@pytest.mark.parametrize(
    "name", ["../people.csv", "sub/people.csv", "..", ".", "", "a\\b.csv", "/etc/x"]
)
def test_bad_file_name_refused(name: str) -> None:
    """Only plain file names are written; anything that could leave the folder is refused."""
    files = bundle_files(load_scenario(TINY)) | {name: "x\n"}
    with pytest.raises(InputError) as caught:
        load_bundle_files(files)
    assert [issue.file for issue in caught.value.issues] == [name]
    assert "plain file name" in str(caught.value)


def test_missing_scenario_yaml_refused() -> None:
    """Without scenario.yaml there is nothing to load; say so by name."""
    files = bundle_files(load_scenario(TINY))
    del files["scenario.yaml"]
    with pytest.raises(InputError, match=r"^scenario\.yaml: is missing"):
        load_bundle_files(files)


def test_unknown_site_in_edited_demand_names_file_and_line() -> None:
    """An edited demand.csv is checked like a folder's, and the message names its line."""
    files = bundle_files(load_scenario(BUILTIN))
    lines = files["demand.csv"].split("\n")
    lines[13] = lines[13].replace(lines[13].split(",", 1)[0], "ATLANTIS", 1)
    files["demand.csv"] = "\n".join(lines)
    with pytest.raises(InputError) as caught:
        load_bundle_files(files)
    assert str(caught.value).startswith("demand.csv:14: site_id: site_id 'ATLANTIS' is not in")
    assert tempfile.gettempdir() not in str(caught.value)


def test_unreadable_scenario_yaml_names_no_temporary_path() -> None:
    """The loader names scenario.yaml by full path when it cannot read it; a bundle's
    message uses the plain name instead of the private folder."""
    files = bundle_files(load_scenario(TINY))
    files["scenario.yaml"] = "name: a\x00b\n"
    with pytest.raises(InputError, match=r"^scenario\.yaml: is a binary file"):
        load_bundle_files(files)


def test_csv_text_parses_with_csv_module() -> None:
    """The tables are ordinary CSV: any reader gets back the same cells."""
    files = bundle_files(load_scenario(BUILTIN))
    rows = list(csv.reader(io.StringIO(files["bases.csv"], newline="")))
    assert rows[1][1] == "BORTAC (Border Patrol Tactical Unit) headquarters, El Paso (Fort Bliss)"


def test_temporary_folder_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The files exist only while loading: nothing is left behind after success or failure."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    files = bundle_files(load_scenario(TINY))
    load_bundle_files(files)
    assert list(tmp_path.iterdir()) == []
    files["demand.csv"] = "nonsense\n"
    with pytest.raises(InputError, match=r"^demand\.csv:1: missing column"):
        load_bundle_files(files)
    assert list(tmp_path.iterdir()) == []
