"""Read latency of the team server's main endpoints under concurrent clients (bounded).

`python benchmarks/api_load.py [--officers 5000] [--clients 20] [--requests 50]
[--database-url URL | --pgcluster] [--port PORT] [--solve-time-limit 0]`

Starts a real `surgeplan serve` on 127.0.0.1 (default: a fresh SQLite file in a temporary
folder; `--pgcluster` starts a throw-away PostgreSQL cluster with tests/pgcluster.py and
stops it at the end), makes a planner with the CLI, generates a synthetic scenario with
benchmarks/generate.py (`--officers` × `--sites` × `--weeks`, seed 1), imports it as a .zip
bundle through POST /api/scenarios, optionally stores one plan by a short solve, then runs
`--clients` threads, each sending `--requests` GETs round-robin over the main read
endpoints on its own keep-alive connection. Prints a markdown table of p50/p95/max
latency and requests/s per endpoint. Nothing is left running or on disk afterwards
(except a database given with --database-url).
"""

from __future__ import annotations

import argparse
import io
import math
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2
from generate import generate

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from pgcluster import PgCluster  # noqa: E402 - tests/ is put on the path just above
from serving import free_port, serving  # noqa: E402

PASSWORD = "load-test-password-0123"
USER = "loadplanner"


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SURGEPLAN_DATABASE_URL": database_url,
        "SURGEPLAN_SECRET_KEY": secrets.token_urlsafe(32),
        "SURGEPLAN_ENV": "development",
        "SURGEPLAN_ARGON2_TIME_COST": "1",
        "SURGEPLAN_ARGON2_MEMORY_KIB": "8192",
        "SURGEPLAN_MAX_SOLVES": "1",
        "SURGEPLAN_SOLVE_WORKERS": "2",
        "SURGEPLAN_PASSWORD": PASSWORD,
    }


@contextmanager
def _pgcluster() -> Iterator[str]:
    """A throw-away PostgreSQL cluster (tests/pgcluster.py) and one database on it."""
    directory = Path(tempfile.mkdtemp(prefix="surgeplan-pg-"))
    cluster = PgCluster(directory)
    try:
        cluster.start()
        yield cluster.url(cluster.create_database())
    finally:
        cluster.stop()
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def _server(database_url: str, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`surgeplan serve` (tests/serving.py) with the load test's account, killed at the end."""
    env = _env(database_url)
    made = subprocess.run(
        [sys.executable, "-m", "surgeplan", "admin", "create-user", USER, "--role", "planner"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        raise SystemExit(f"create-user failed: {made.stdout}{made.stderr}")
    with serving(env, log, database_url, port) as (_, process):
        yield process


def _bundle_zip(officers: int, sites: int, weeks: int, folder: Path) -> bytes:
    generate(officers, sites, weeks, 1, folder)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, path.name)
    return data.getvalue()


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rank(sorted_ms: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    return sorted_ms[max(0, math.ceil(pct / 100 * len(sorted_ms)) - 1)]


def _load(
    base: str, headers: dict[str, str], endpoints: list[tuple[str, str]], args: argparse.Namespace
) -> tuple[dict[str, list[tuple[float, int, int]]], float]:
    """Run the clients; per endpoint name, (latency ms, status, bytes) of every request."""
    results: dict[str, list[tuple[float, int, int]]] = defaultdict(list)
    lock = threading.Lock()
    barrier = threading.Barrier(args.clients + 1)

    def client(number: int) -> None:
        mine: list[tuple[str, float, int, int]] = []
        with httpx2.Client(base_url=base, headers=headers, timeout=120) as http:
            barrier.wait()
            for i in range(args.requests):
                name, path = endpoints[(number + i) % len(endpoints)]
                began = time.perf_counter()
                try:
                    reply = http.get(path)
                    status, size = reply.status_code, len(reply.content)
                except httpx2.HTTPError:
                    status, size = 0, 0
                mine.append((name, 1000 * (time.perf_counter() - began), status, size))
        with lock:
            for name, ms, status, size in mine:
                results[name].append((ms, status, size))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--officers", type=int, default=5000)
    parser.add_argument("--sites", type=int, default=30)
    parser.add_argument("--weeks", type=int, default=26)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=50, help="requests per client")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="default: a temporary SQLite file")
    where.add_argument(
        "--pgcluster",
        action="store_true",
        help="use a throw-away PostgreSQL cluster (tests/pgcluster.py), stopped at the end",
    )
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument(
        "--solve-time-limit",
        type=float,
        default=0,
        help="store one plan of the generated scenario by a solve of this many seconds "
        "(0: no solve; the plan endpoints then read a plan of the built-in scenario)",
    )
    args = parser.parse_args()

    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="api-load-")))
        if args.pgcluster:
            url = stack.enter_context(_pgcluster())
        else:
            url = args.database_url or f"sqlite:///{folder}/api_load.db"
        port = args.port or free_port()
        base = f"http://127.0.0.1:{port}"
        bundle = _bundle_zip(args.officers, args.sites, args.weeks, folder / "bundle")
        server = stack.enter_context(_server(url, port, folder / "server.log"))
        http = stack.enter_context(httpx2.Client(base_url=base, timeout=600))
        token = http.post("/api/auth/token", data={"username": USER, "password": PASSWORD})
        token.raise_for_status()
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        http.headers.update(headers)

        began = time.perf_counter()
        made = http.post("/api/scenarios", files={"file": ("bundle.zip", bundle)})
        if made.status_code != 201:
            raise SystemExit(f"import failed ({made.status_code}): {made.text[:2000]}")
        scenario = made.json()
        sid = scenario["id"]
        print(
            f"imported {scenario['name']!r} (counts {scenario['counts']}, "
            f"{len(bundle):,} B zip) in {time.perf_counter() - began:.2f} s"
        )

        if args.solve_time_limit > 0:
            solve_id, limit = sid, args.solve_time_limit
        else:  # a small plan for the plan endpoints, from the built-in scenario
            solve_id = next(s["id"] for s in http.get("/api/scenarios").json() if s["id"] != sid)
            limit = 3.0
        began = time.perf_counter()
        job = http.post(f"/api/scenarios/{solve_id}/solve", json={"time_limit": limit}).json()
        while job["status"] not in ("done", "failed", "cancelled"):
            time.sleep(0.5)
            job = http.get(f"/api/jobs/{job['id']}").json()
        print(
            f"solve of scenario {solve_id} ({limit:g} s limit): {job['status']} in "
            f"{time.perf_counter() - began:.1f} s, plan {job['plan_id']} {job['error'] or ''}"
        )

        endpoints = [
            ("GET /api/scenarios", "/api/scenarios"),
            ("GET /api/scenarios/{id}", f"/api/scenarios/{sid}"),
            ("GET /api/scenarios/{id}/tables/people", f"/api/scenarios/{sid}/tables/people"),
            ("GET /api/scenarios/{id}/tables/demand", f"/api/scenarios/{sid}/tables/demand"),
            ("GET /api/plans", "/api/plans"),
            ("GET /api/jobs", "/api/jobs"),
        ]
        if job["plan_id"] is not None:
            endpoints.insert(5, ("GET /api/plans/{id}", f"/api/plans/{job['plan_id']}"))
        for name, path in endpoints:  # warm caches; first-request latency reported apart
            began = time.perf_counter()
            http.get(path).raise_for_status()
            print(f"first {name}: {1000 * (time.perf_counter() - began):.0f} ms")

        load_before = os.getloadavg()[0]
        cpu_before = _cpu_seconds(server.pid)
        results, wall = _load(base, headers, endpoints, args)
        cpu = _cpu_seconds(server.pid) - cpu_before
        total = sum(len(v) for v in results.values())
        print(
            f"\n{args.clients} clients × {args.requests} requests = {total} in {wall:.1f} s "
            f"({total / wall:.1f} req/s); server CPU {cpu:.1f} s ({100 * cpu / wall:.0f}% of "
            f"one core); {os.cpu_count()} cores, load average {load_before:.2f} before, "
            f"{os.getloadavg()[0]:.2f} after\n"
        )
        print("| endpoint | requests | errors | bytes | p50 ms | p95 ms | max ms | req/s |")
        print("|---|---|---|---|---|---|---|---|")
        everything: list[float] = []
        for name, _ in endpoints:
            rows = results[name]
            ms = sorted(r[0] for r in rows)
            everything.extend(ms)
            errors = sum(1 for r in rows if r[1] != 200)
            size = max(r[2] for r in rows)
            print(
                f"| {name} | {len(rows)} | {errors} | {size:,} | {_rank(ms, 50):.0f} | "
                f"{_rank(ms, 95):.0f} | {ms[-1]:.0f} | {len(rows) / wall:.1f} |"
            )
        everything.sort()
        print(
            f"| **all** | {total} | | | {_rank(everything, 50):.0f} | "
            f"{_rank(everything, 95):.0f} | {everything[-1]:.0f} | {total / wall:.1f} |"
        )


if __name__ == "__main__":
    main()
