"""Runs queued jobs in worker processes, at most `max_solves` at once.

The queue lives in the database, so it survives restarts: at start-up a job left
`running` by a previous server is adopted if its worker process is still alive (it
will commit its plan itself) and marked failed if not. Queued jobs simply wait.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from surgeplan.server.store import Store

TICK_S = 0.25
WORKER = "surgeplan.server.worker"


def _alive(pid: int, job_id: int) -> bool:
    """True if `pid` is a live worker of `job_id` (checked by its command line on Linux)."""
    cmdline = Path(f"/proc/{pid}/cmdline")
    try:
        parts = cmdline.read_bytes().split(b"\0")
    except OSError:
        return False
    return WORKER.encode() in parts and str(job_id).encode() in parts


class Dispatcher:
    """A background thread that starts workers for queued jobs and reaps finished ones."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.children: dict[int, subprocess.Popen[bytes]] = {}
        self.adopted: dict[int, int] = {}
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="surgeplan-dispatcher", daemon=True)

    def start(self) -> None:
        """Recover jobs from a previous run, then start dispatching."""
        self.recover()
        self.thread.start()

    def stop(self) -> None:
        """Stop dispatching; running workers go on and commit their plans themselves."""
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def recover(self) -> None:
        """Adopt live workers of `running` jobs; fail the jobs whose worker is gone."""
        with self.store.write() as uow:
            for job in uow.jobs.with_status("running"):
                if job.worker_pid is not None and _alive(job.worker_pid, job.id):
                    self.adopted[job.id] = job.worker_pid
                else:
                    uow.end_job(
                        job.id,
                        "failed",
                        error="the server stopped while this job ran and its worker is gone; "
                        "start the solve again",
                    )

    def _loop(self) -> None:
        while not self.stop_event.wait(TICK_S):
            try:
                self.tick()
            except Exception as error:
                print(f"surgeplan dispatcher: {error}", file=sys.stderr)

    def tick(self) -> None:
        """Reap finished workers, then start queued jobs while slots are free."""
        ended: list[tuple[int, int | None]] = []
        for job_id, child in list(self.children.items()):
            code = child.poll()
            if code is not None:
                ended.append((job_id, code))
                del self.children[job_id]
        for job_id, pid in list(self.adopted.items()):
            if not _alive(pid, job_id):
                ended.append((job_id, None))
                del self.adopted[job_id]
        if ended:
            with self.store.write() as uow:
                for job_id, code in ended:
                    reason = "stopped" if code is None else f"exited with code {code}"
                    uow.end_job(
                        job_id, "failed", error=f"the worker {reason} before finishing the job"
                    )
        free = self.store.settings.max_solves - len(self.children) - len(self.adopted)
        if free <= 0:
            return
        with self.store.read() as uow:
            waiting = [j.id for j in uow.jobs.with_status("queued") if j.id not in self.children]
        for job_id in waiting[:free]:
            self.children[job_id] = self._spawn(job_id)

    def _spawn(self, job_id: int) -> subprocess.Popen[bytes]:
        settings = self.store.settings
        env = {
            **os.environ,
            "SURGEPLAN_DATABASE_URL": settings.database_url,
            "SURGEPLAN_SECRET_KEY": settings.secret_key,
            "SURGEPLAN_ENV": settings.env,
            "SURGEPLAN_SOLVE_WORKERS": str(settings.solve_workers),
        }
        return subprocess.Popen(
            [sys.executable, "-m", WORKER, str(job_id)], env=env, start_new_session=True
        )
