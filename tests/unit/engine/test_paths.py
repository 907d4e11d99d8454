"""One person's best schedule (`engine/paths.best_windows`) against every subset of their
windows: the longest path must be worth what the best subset is, and the windows it
picks must be one such subset."""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from surgeplan.engine.paths import best_windows


def _keeps(windows: list[tuple[int, int]], cap: int, gap: int) -> bool:
    """Whether `windows` (in time order) are `gap` periods apart and use at most `cap`."""
    apart = all(b[0] >= a[1] + 1 + gap for a, b in pairwise(windows))
    return apart and sum(last - first + 1 for first, last in windows) <= cap


@st.composite
def _cases(draw: st.DrawFn) -> tuple[int, int, int, list[tuple[int, int]], list[float]]:
    periods = draw(st.integers(1, 12))
    windows = draw(
        st.lists(
            st.integers(0, periods - 1).flatmap(
                lambda f: st.tuples(st.just(f), st.integers(f, min(periods - 1, f + 5)))
            ),
            max_size=8,
        )
    )
    scores = draw(
        st.lists(st.integers(-5, 20).map(float), min_size=len(windows), max_size=len(windows))
    )
    return periods, draw(st.integers(1, periods)), draw(st.integers(0, 3)), windows, scores


@settings(max_examples=300, deadline=None)
@given(_cases())
def test_the_path_is_worth_the_best_subset_of_windows(
    case: tuple[int, int, int, list[tuple[int, int]], list[float]],
) -> None:
    periods, cap, gap, windows, scores = case
    first = np.array([f for f, _ in windows], dtype=np.int64)
    last = np.array([e for _, e in windows], dtype=np.int64)
    worth, chosen = best_windows(periods, cap, gap, first, last, np.array(scores))
    best = 0.0
    for k in range(1, len(windows) + 1):
        for subset in combinations(sorted(range(len(windows)), key=lambda w: windows[w]), k):
            if _keeps([windows[w] for w in subset], cap, gap):
                best = max(best, sum(scores[w] for w in subset))
    assert worth == best
    assert _keeps([windows[w] for w in chosen], cap, gap)
    assert sum(scores[w] for w in chosen) == worth
