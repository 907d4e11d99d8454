"""Generate seeded synthetic scenario bundles of a given size for benchmarks.

`python benchmarks/generate.py --people 1000 --sites 30 --weeks 26 --seed 1 --out DIR`
writes a contract-v1 bundle. Same arguments, same bytes. The data are synthetic: random
bases and sites across the continental US, GSA-like rates, distance-based fares, demand
of roughly 1.3× what the rules let the roster supply, so shortfall trade-offs are real.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

START = date(2020, 2, 3)
QUALS = ("team_lead", "tactical", "spanish", "emt")
SHARE = {"team_lead": 0.15, "tactical": 0.2, "spanish": 0.3, "emt": 0.1}


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 3958.8 * 2 * math.asin(math.sqrt(h))


def generate(people: int, sites: int, weeks: int, seed: int, out: Path) -> None:
    """Write one bundle to `out`."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    end = START + timedelta(days=7 * weeks - 1)
    n_bases = max(2, people // 50)
    bases = [(f"B{b:02d}", rng.uniform(26, 33), rng.uniform(-117, -97)) for b in range(n_bases)]
    site_rows = [(f"S{s:02d}", rng.uniform(30, 47), rng.uniform(-122, -71)) for s in range(sites)]
    roster: list[list[object]] = []
    per_base: dict[str, int] = {}
    for i in range(people):
        base = bases[i % n_bases][0]
        per_base[base] = per_base.get(base, 0) + 1
        quals = []
        for q in QUALS:
            if rng.random() < SHARE[q]:
                if rng.random() < 0.1:
                    lapse = START + timedelta(days=rng.randrange(7 * weeks))
                    quals.append(f"{q}@2019-01-01..{lapse.isoformat()}")
                else:
                    quals.append(q)
        roster.append([f"P{i:04d}", f"Synthetic officer {i:04d}", base, ";".join(quals)])
    _write(out / "people.csv", ["person_id", "name", "base_id", "qualifications"], roster)
    _write(
        out / "bases.csv",
        ["base_id", "name", "lat", "lon", "max_away"],
        [
            [b, f"Base {b}", f"{lat:.4f}", f"{lon:.4f}", int(per_base[b] * 0.4)]
            for b, lat, lon in bases
        ],
    )
    _write(
        out / "sites.csv",
        ["site_id", "name", "lat", "lon", "priority"],
        [
            [s, f"Site {s}", f"{lat:.4f}", f"{lon:.4f}", rng.choice([1, 1, 2])]
            for s, lat, lon in site_rows
        ],
    )
    # Supply: ≤ 40% away and ≤ 10 weeks each; ask for ~1.3× that, spread over sites/weeks.
    supply = min(0.4 * people * weeks, 10 * people)
    per_cell = max(1, round(1.3 * supply / (sites * weeks * 0.85)))
    demand: list[list[object]] = []
    for s, _, _ in site_rows:
        opens = rng.randrange(0, max(1, weeks // 4))
        for k in range(opens, weeks):
            day = (START + timedelta(days=7 * k)).isoformat()
            demand.append([s, day, "*", max(1, per_cell + rng.randint(-1, 1))])
            demand.append([s, day, "team_lead", 1])
            if rng.random() < 0.3:
                demand.append([s, day, "tactical", rng.randint(1, 2)])
            if rng.random() < 0.2:
                demand.append([s, day, "spanish", 1])
    _write(out / "demand.csv", ["site_id", "period_start", "qualification", "required"], demand)
    leave = []
    for i in range(people):
        if rng.random() < 0.15:
            first = START + timedelta(days=rng.randrange(7 * weeks))
            leave.append(
                [
                    f"P{i:04d}",
                    first.isoformat(),
                    (first + timedelta(days=rng.randint(2, 20))).isoformat(),
                ]
            )
    _write(out / "unavailable.csv", ["person_id", "start", "end"], leave)
    months = sorted({(START + timedelta(days=d)).strftime("%Y-%m") for d in range(7 * weeks)})
    rates = []
    for s, _, _ in site_rows:
        lodging, mie = rng.randrange(96, 300), rng.choice([55, 56, 61, 66, 71, 76])
        for m in months:
            rates.append([s, m, lodging + rng.choice([0, 0, 20, -10]), mie])
    _write(out / "per_diem.csv", ["site_id", "month", "lodging_usd", "mie_usd"], rates)
    fares = [
        [b, s, f"{150 + 0.12 * _miles((blat, blon), (slat, slon)):.2f}"]
        for b, blat, blon in bases
        for s, slat, slon in site_rows
    ]
    _write(out / "travel.csv", ["base_id", "site_id", "round_trip_usd"], fares)
    (out / "scenario.yaml").write_text(
        f"name: Synthetic {people} x {sites} x {weeks} (seed {seed})\n"
        f"start: {START.isoformat()}\nend: {end.isoformat()}\nperiod: week\n"
        "people: people.csv\nbases: bases.csv\nsites: sites.csv\ndemand: demand.csv\n"
        "unavailable: unavailable.csv\nper_diem: per_diem.csv\ntravel: travel.csv\n"
        "rules:\n  rotation_min: 2\n  rotation_max: 6\n  rest_min: 2\n  deployed_max: 10\n"
        "  same_site_only: true\n",
        encoding="utf-8",
    )


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=100)
    parser.add_argument("--sites", type=int, default=10)
    parser.add_argument("--weeks", type=int, default=17)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.people, args.sites, args.weeks, args.seed, args.out)


if __name__ == "__main__":
    main()
