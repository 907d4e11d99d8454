"""Crash recovery of the team server, with real processes and no mocks.

Each test runs `surgeplan serve` as a subprocess on a free loopback port, makes a planner
with the CLI, stores one short plan, queues a long solve, waits until a worker runs it and
then SIGKILLs the server. Case A kills the worker too: after a restart the job must end
`failed` saying its worker is gone, with the earlier plan and the audit chain intact.
Case B leaves the worker alone: the restarted server adopts it, and a cancel makes the
worker commit its best plan itself.

Every process started here (the servers, and the workers, which run in sessions of their
own) is killed by process group in a `finally`, whatever happens.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx2
from sqlalchemy import create_engine, text

import serving

PASSWORD = "crash-recovery-password-123"
WORKER = b"surgeplan.server.worker"
TERMINAL = {"done", "failed", "cancelled"}
SHORT = {"time_limit": 3}
LONG = {"time_limit": 120}


def _env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "SURGEPLAN_DATABASE_URL": database_url,
        "SURGEPLAN_SECRET_KEY": "test-secret-key-0123456789abcdef",
        "SURGEPLAN_ENV": "development",
        "SURGEPLAN_ARGON2_TIME_COST": "1",
        "SURGEPLAN_ARGON2_MEMORY_KIB": "8192",
        "SURGEPLAN_MAX_SOLVES": "1",
        "SURGEPLAN_SOLVE_WORKERS": "1",
        "SURGEPLAN_PASSWORD": PASSWORD,
    }


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "surgeplan", *args, "--database-url", database_url],
        env=_env(database_url),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _is_worker(pid: int) -> bool:
    """True if `pid` is a live (not zombie) surgeplan worker process."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return WORKER in cmdline.split(b"\0") and state not in ("Z", "X")


def _wait(what: str, check: Callable[[], Any], timeout: float, context: Callable[[], str]) -> Any:
    """Poll `check` until it returns something truthy; fail with `context()` after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}\n{context()}")
        time.sleep(0.2)


class Cluster:
    """The server processes and workers of one test, on one database."""

    def __init__(self, database_url: str, logs: Path) -> None:
        self.url = database_url
        self.logs = logs
        self.servers: list[subprocess.Popen[bytes]] = []
        self.worker_pids: set[int] = set()
        self.port = 0
        self.client = httpx2.Client(timeout=30)
        self.headers: dict[str, str] = {}

    # --- processes ----------------------------------------------------------------------

    @property
    def server(self) -> subprocess.Popen[bytes]:
        return self.servers[-1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, lines: int = 40) -> str:
        parts = []
        for number in range(1, len(self.servers) + 1):
            path = self.logs / f"server-{number}.log"
            body = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            parts.append(f"--- {path.name} (last {lines} lines) ---\n" + "\n".join(body))
        return "\n".join(parts)

    def start(self) -> None:
        """Start `surgeplan serve` (in its own process group) and wait for /api/health."""
        self.port = serving.free_port()
        log = self.logs / f"server-{len(self.servers) + 1}.log"
        self.servers.append(serving.start(_env(self.url), self.port, log, self.url))
        serving.healthy(self.server, self.base, log, 30)

    def kill_server(self) -> None:
        """SIGKILL the running server process (only it: workers run in their own sessions)."""
        os.kill(self.server.pid, signal.SIGKILL)
        self.server.wait(timeout=10)

    def worker_pid(self, job_id: int) -> int:
        """The job's worker process id, read from the jobs table."""
        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                pid = connection.execute(
                    text("SELECT worker_pid FROM jobs WHERE id = :id"), {"id": job_id}
                ).scalar_one()
        finally:
            engine.dispose()
        assert pid is not None, f"job {job_id} is running without a worker_pid"
        self.worker_pids.add(int(pid))
        return int(pid)

    def cleanup(self) -> None:
        """Kill every server's and worker's process group; never raises."""
        self.client.close()
        for process in self.servers:
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
        for pid in self.worker_pids:
            if _is_worker(pid):  # its own session leader: its group id is its pid
                with suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)

    # --- the API ------------------------------------------------------------------------

    def sign_in(self) -> None:
        reply = self.client.post(
            f"{self.base}/api/auth/token", data={"username": "planner", "password": PASSWORD}
        )
        assert reply.status_code == 200, reply.text
        self.headers = {"Authorization": f"Bearer {reply.json()['access_token']}"}

    def get(self, path: str) -> httpx2.Response:
        return self.client.get(f"{self.base}{path}", headers=self.headers)

    def post(self, path: str, json: dict[str, Any] | None = None) -> httpx2.Response:
        return self.client.post(f"{self.base}{path}", headers=self.headers, json=json)

    def job(self, job_id: int) -> dict[str, Any]:
        reply = self.get(f"/api/jobs/{job_id}")
        assert reply.status_code == 200, reply.text
        body: dict[str, Any] = reply.json()
        return body

    def solve(self, scenario_id: int, params: dict[str, Any]) -> int:
        reply = self.post(f"/api/scenarios/{scenario_id}/solve", json=params)
        assert reply.status_code == 202, reply.text
        job_id: int = reply.json()["id"]
        return job_id

    def wait_status(self, job_id: int, wanted: set[str], timeout: float) -> dict[str, Any]:
        def reached() -> dict[str, Any] | None:
            job = self.job(job_id)
            if job["status"] in wanted:
                return job
            assert job["status"] not in TERMINAL, f"job {job_id} ended early: {job}"
            return None

        return _wait(
            f"job {job_id} to be {'/'.join(sorted(wanted))}",
            reached,
            timeout,
            lambda: f"job: {self.job(job_id)}\n{self.log_tail()}",
        )


@contextmanager
def _cluster(database_url: str, logs: Path) -> Iterator[Cluster]:
    cluster = Cluster(database_url, logs)
    try:
        yield cluster
    finally:
        cluster.cleanup()


def _plan_then_long_running_solve(cluster: Cluster) -> tuple[dict[str, Any], str, int]:
    """Make the planner, start the server, store a short plan, start a long solve.

    Returns the stored plan, its assignments.csv and the id of the running long job.
    """
    made = _cli(cluster.url, "admin", "create-user", "planner", "--role", "planner")
    assert made.returncode == 0, made.stdout + made.stderr
    cluster.start()
    cluster.sign_in()
    scenarios = cluster.get("/api/scenarios").json()
    assert len(scenarios) == 1, scenarios  # the built-in 2020 scenario
    scenario_id = scenarios[0]["id"]

    short = cluster.solve(scenario_id, SHORT)
    finished = cluster.wait_status(short, {"done"}, 90)
    assert finished["plan_id"] is not None, finished
    plan = cluster.get(f"/api/plans/{finished['plan_id']}")
    assert plan.status_code == 200, plan.text
    assignments = cluster.get(f"/api/plans/{finished['plan_id']}/assignments")
    assert assignments.status_code == 200 and len(assignments.text.splitlines()) > 1

    long = cluster.solve(scenario_id, LONG)
    cluster.wait_status(long, {"running"}, 60)
    return plan.json(), assignments.text, long


def test_a_job_whose_worker_died_with_the_server_fails_and_nothing_else_is_lost(
    database_url: str, tmp_path: Path
) -> None:
    with _cluster(database_url, tmp_path) as cluster:
        plan, assignments, job_id = _plan_then_long_running_solve(cluster)
        worker = cluster.worker_pid(job_id)
        assert _is_worker(worker)

        cluster.kill_server()
        os.kill(worker, signal.SIGKILL)
        _wait("the worker to die", lambda: not _is_worker(worker), 10, cluster.log_tail)

        cluster.start()
        cluster.sign_in()
        job = cluster.wait_status(job_id, {"failed"}, 15)
        assert job["plan_id"] is None, job
        assert "worker is gone" in (job["error"] or ""), job

        again = cluster.get(f"/api/plans/{plan['id']}")
        assert again.status_code == 200, again.text
        assert again.json() == plan
        kept = cluster.get(f"/api/plans/{plan['id']}/assignments")
        assert kept.status_code == 200 and kept.text == assignments

        verified = _cli(cluster.url, "audit", "verify")
        assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_running_worker_is_adopted_after_a_server_crash_and_commits_its_plan(
    database_url: str, tmp_path: Path
) -> None:
    with _cluster(database_url, tmp_path) as cluster:
        plan, _, job_id = _plan_then_long_running_solve(cluster)
        worker = cluster.worker_pid(job_id)

        cluster.kill_server()
        assert _is_worker(worker), "the worker died with the server"

        cluster.start()
        cluster.sign_in()
        # The adopted worker goes on reporting progress; wait for an incumbent so the
        # cancel below has a plan to keep.
        _wait(
            f"an incumbent of job {job_id}",
            lambda: cluster.job(job_id)["progress"].get("objective") is not None,
            90,
            lambda: f"job: {cluster.job(job_id)}\n{cluster.log_tail()}",
        )
        assert cluster.job(job_id)["status"] == "running"
        cancel = cluster.post(f"/api/jobs/{job_id}/cancel")
        assert cancel.status_code == 200, cancel.text

        job = cluster.wait_status(job_id, {"cancelled", "done"}, 60)
        assert job["plan_id"] is not None, job
        assert job["plan_id"] != plan["id"]
        stored = cluster.get(f"/api/plans/{job['plan_id']}")
        assert stored.status_code == 200, stored.text
        assert stored.json()["job_id"] == job_id
        rows = cluster.get(f"/api/plans/{job['plan_id']}/assignments")
        assert rows.status_code == 200 and len(rows.text.splitlines()) > 1

        # Once the worker has exited, the dispatcher's reaping must not overwrite the end.
        _wait("the worker to exit", lambda: not _is_worker(worker), 10, cluster.log_tail)
        time.sleep(0.6)  # a couple of dispatcher ticks
        assert cluster.job(job_id)["status"] == job["status"]
