"""`surgeplan serve` as a child process, for the tests and benchmarks that need a real
server: started in its own process group (so its solve workers go with it), waited for
until /api/health answers, and killed group and all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx2

from pgcluster import free_port

__all__ = ["free_port", "healthy", "serving", "start"]


def start(
    env: dict[str, str], port: int, log: Path, database_url: str | None = None
) -> subprocess.Popen[bytes]:
    """`surgeplan serve` on 127.0.0.1:`port` with `env`, its output in `log`; the database
    from `env` unless `database_url` is given."""
    command = [
        sys.executable,
        "-m",
        "surgeplan",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    if database_url is not None:
        command += ["--database-url", database_url]
    with log.open("wb") as out:
        return subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def healthy(process: subprocess.Popen[bytes], url: str, log: Path, seconds: float = 60) -> None:
    """Wait until the server at `url` answers /api/health; RuntimeError with the log's tail
    if it exits first or does not answer within `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"surgeplan serve exited with {process.returncode}:\n{_tail(log)}")
        try:
            if httpx2.get(f"{url}/api/health", timeout=1).status_code == 200:
                return
        except httpx2.TransportError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"surgeplan serve did not answer in {seconds} s:\n{_tail(log)}")
        time.sleep(0.2)


@contextmanager
def serving(
    env: dict[str, str], log: Path, database_url: str | None = None, port: int = 0
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A healthy server for the block, on `port` (0: a free one): its URL and process,
    killed with its group after."""
    port = port or free_port()
    process = start(env, port, log, database_url)
    try:
        url = f"http://127.0.0.1:{port}"
        healthy(process, url, log)
        yield url, process
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
