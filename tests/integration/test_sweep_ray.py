"""The same sweep and advice on a real local Ray cluster (`ray start --head`, started and
stopped here) give the local pool's results; once the cluster is gone the command says so."""

from __future__ import annotations

import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pgcluster import free_port

TINY = Path(__file__).parents[1] / "fixtures" / "tiny"
RAY = Path(sys.executable).with_name("ray")
ENV = {
    **os.environ,
    "RAY_AUTH_MODE": "token",
    "RAY_AUTH_TOKEN": secrets.token_hex(32),  # this run's own: a clean machine has none
    "RAY_USAGE_STATS_ENABLED": "0",
}


@contextmanager
def ray_cluster() -> Iterator[str]:
    """A one-node Ray cluster in its own process group; yields its address."""
    temp = Path(tempfile.mkdtemp(prefix="ray", dir="/tmp"))  # short: socket paths ≤ 107
    log = temp / "start.log"
    port = free_port()
    with log.open("w") as out:
        head = subprocess.Popen(
            [str(RAY), "start", "--head", f"--port={port}", "--num-cpus=2",
             "--include-dashboard=false", "--disable-usage-stats",
             "--object-store-memory=100000000", f"--temp-dir={temp}", "--block"],
            stdout=out, stderr=subprocess.STDOUT, env=ENV, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while "will now block" not in log.read_text():
            assert head.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        address = next(
            line.split("--address='")[1].split("'")[0]
            for line in log.read_text().splitlines()
            if "--address='" in line
        )
        yield address
    finally:
        os.killpg(head.pid, signal.SIGKILL)
        head.wait(30)


def sweep(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`surgeplan sweep` on the tiny bundle, two variants × two replicates with attrition."""
    return subprocess.run(
        [sys.executable, "-m", "surgeplan", "sweep", str(TINY), "--vary", "rest_min=0,1",
         "--replicates", "2", "--attrition", "0.3", "--time-limit", "5", "--out", str(tmp),
         *extra],
        capture_output=True, text=True, env=ENV, timeout=300, check=False,
    )  # fmt: skip


def advise(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`surgeplan advise` on the tiny bundle (every candidate proven optimal there)."""
    return subprocess.run(
        [sys.executable, "-m", "surgeplan", "advise", str(TINY), "--time-limit", "5",
         "--out", str(tmp), *extra],
        capture_output=True, text=True, env=ENV, timeout=300, check=False,
    )  # fmt: skip


def results(folder: Path) -> list[dict[str, str]]:
    """runs.csv without the solve times (which differ run to run)."""
    with (folder / "runs.csv").open(encoding="utf-8") as handle:
        return [
            {k: v for k, v in r.items() if k != "solve_seconds"} for r in csv.DictReader(handle)
        ]


def test_sweep_and_advise_on_a_local_ray_cluster_match_local_processes(tmp_path: Path) -> None:
    """Every tiny solve is proven optimal, so Ray and local processes must agree on every
    run's figures and every advice line; without the cluster, exit 2 naming the address."""
    local = sweep(tmp_path / "local")
    assert local.returncode == 0, local.stderr
    assert advise(tmp_path / "advice-local").returncode == 0
    with ray_cluster() as address:
        remote = sweep(tmp_path / "ray", "--ray-address", address)
        assert remote.returncode == 0, remote.stderr
        advised = advise(tmp_path / "advice-ray", "--ray-address", address)
        assert advised.returncode == 0, advised.stderr
    assert results(tmp_path / "ray") == results(tmp_path / "local")
    advice = [(tmp_path / f"advice-{k}" / "advice.csv").read_text() for k in ("local", "ray")]
    assert advice[0] == advice[1]
    assert len(advice[0].splitlines()) > 1
    assert {r["status"] for r in results(tmp_path / "ray")} == {"OPTIMAL"}
    gone = sweep(tmp_path / "gone", "--ray-address", address)
    assert gone.returncode == 2
    assert f"cannot reach the Ray cluster at {address}" in " ".join(gone.stderr.split())
