"""The local executor: results with their indexes as they complete, and nothing more
started once the caller stops reading (Ctrl-C, an error)."""

from __future__ import annotations

import time
from pathlib import Path

from surgeplan.executor import LocalPool, executor_for


def _mark(item: tuple[Path, int]) -> int:
    """Leave a file for the item, take a moment, return its square."""
    folder, n = item
    (folder / str(n)).touch()
    time.sleep(0.3)
    return n * n


def test_every_result_comes_back_with_its_index(tmp_path: Path) -> None:
    """Four items on two processes: each index once, each with its own result."""
    found = dict(LocalPool(2).run(_mark, [(tmp_path, n) for n in range(4)]))
    assert found == {0: 0, 1: 1, 2: 4, 3: 9}


def test_stopping_early_cancels_what_has_not_started(tmp_path: Path) -> None:
    """One process, twelve items: after the first result the caller stops. The pool has
    handed a few items to its queue already (they run), the rest never start; without the
    cancellation all twelve would run before the pool closed."""
    results = LocalPool(1).run(_mark, [(tmp_path, n) for n in range(12)])
    next(results)
    results.close()
    assert 1 <= len(list(tmp_path.iterdir())) <= 6


def test_no_ray_address_means_local_processes() -> None:
    """Without --ray-address the executor is the local pool with the jobs asked for."""
    chosen = executor_for(3, None)
    assert isinstance(chosen, LocalPool)
    assert chosen.jobs == 3
