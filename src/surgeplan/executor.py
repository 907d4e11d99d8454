"""Where many independent solves run: a local process pool, or a Ray cluster.

`advise` and `sweep` hand over a module-level function and its arguments; an executor
runs them and yields each result as it completes (so progress advances as work finishes,
not in submission order). Local processes are the default; `--ray-address` sends the same
tasks to a Ray cluster (the optional extra `surgeplan[ray]`), imported only then.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from importlib import import_module
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class ExecutorError(RuntimeError):
    """The executor cannot run (Ray missing or unreachable): a message for the user."""


class Executor(Protocol):
    """Runs `fn(item)` for every item, anywhere, yielding `(index, result)` as each ends."""

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Every item's result with its index, in completion order."""
        ...


class LocalPool:
    """`jobs` worker processes on this machine."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Every item's result with its index, in completion order; if the caller stops
        early (Ctrl-C, an error), solves not yet started are cancelled."""
        pool = ProcessPoolExecutor(max_workers=self.jobs)
        try:
            futures = {pool.submit(fn, item): index for index, item in enumerate(items)}
            for future in as_completed(futures):
                yield futures[future], future.result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


class RayCluster:
    """A running Ray cluster (`ray start --head` prints its address); one CPU per task, as
    every solve advise and sweep send runs one CP-SAT worker."""

    def __init__(self, address: str) -> None:
        self.address = address

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """Every item's result with its index, in completion order; tasks still waiting
        when the caller stops early are cancelled, and the connection is closed afterwards
        if this call opened it."""
        ray = _ray()
        opened = not ray.is_initialized()
        if opened:
            _reachable(self.address)
            try:
                ray.init(address=self.address, log_to_driver=False, logging_level="ERROR")
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ExecutorError(
                    f"cannot reach the Ray cluster at {self.address}: {exc}. Start one with "
                    "`ray start --head` and pass the address it prints (host:port)"
                ) from exc
        waiting: list[Any] = []
        try:
            remote = ray.remote(num_cpus=1)(fn)
            pending = {remote.remote(item): index for index, item in enumerate(items)}
            waiting = list(pending)
            while waiting:
                done, waiting = ray.wait(waiting, num_returns=1)
                for ref in done:
                    yield pending[ref], ray.get(ref)
        finally:
            for ref in waiting:  # stopped early: nothing left running on the cluster
                ray.cancel(ref)
            if opened:
                ray.shutdown()


def _reachable(address: str) -> None:
    """Fail fast on a wrong host:port: Ray itself retries an unreachable one for minutes."""
    host, sep, port = address.rpartition(":")
    if not sep or not port.isdigit():
        raise ExecutorError(f"--ray-address {address!r}: give host:port, e.g. 127.0.0.1:6379")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except OSError as exc:
        raise ExecutorError(
            f"cannot reach the Ray cluster at {address} ({exc.strerror or exc}). Start one "
            "with `ray start --head` and pass the address it prints (host:port)"
        ) from exc


def _ray() -> Any:
    try:
        return import_module("ray")
    except ImportError as exc:
        raise ExecutorError(
            "--ray-address needs Ray, an optional extra: pip install 'surgeplan[ray]'"
        ) from exc


def executor_for(jobs: int, ray_address: str | None) -> Executor:
    """Ray when an address is given, else a local pool of `jobs` processes."""
    if ray_address:
        return RayCluster(ray_address)
    return LocalPool(jobs)
