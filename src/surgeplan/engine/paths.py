"""One person's best schedule as a longest path over (period, periods deployed so far).

Both the best responses (`best_response`, worth in shortfall and cents) and the shortfall
LP's schedule pricing (`shortfall_lp`, worth in dual prices) choose, from a person's
windows each worth a score, the rotations apart by a gap and within a deployed cap that
are worth the most together.
"""

from __future__ import annotations

import numpy as np


def best_windows(
    periods: int, cap: int, gap: int, first: np.ndarray, last: np.ndarray, score: np.ndarray
) -> tuple[float, list[int]]:
    """The most windows `first`..`last` worth `score` are worth together, at least `gap`
    periods apart and at most `cap` periods in all, and the windows that reach it (in time
    order); 0 and none where no window is worth more than nothing.

    Plain lists, not NumPy: a call sees about twenty windows and a cap of about ten, where
    NumPy's cost per call dominates (70 µs against 22 µs a call at 1,000 × 30 × 26, the
    same answers; BENCHMARKS.md §1)."""
    firsts, lasts, scores = first.tolist(), last.tolist(), score.tolist()
    starting: dict[int, list[int]] = {}
    for w, start in enumerate(firsts):
        starting.setdefault(start, []).append(w)
    value = [[0.0] * (cap + 1) for _ in range(periods + 1)]
    """value[t][u]: the most the windows from period t on are worth, u periods used."""
    take = [[-1] * (cap + 1) for _ in range(periods + 1)]
    """take[t][u]: the window starting at t that reaches value[t][u], or -1 (none)."""
    for t in range(periods - 1, -1, -1):
        row, taken = value[t], take[t]
        row[:] = value[t + 1]
        for w in starting.get(t, ()):
            length = lasts[w] - t + 1
            if length > cap:
                continue
            worth, after = scores[w], value[min(periods, lasts[w] + 1 + gap)]
            for used in range(cap + 1 - length):
                candidate = worth + after[used + length]
                if candidate > row[used]:
                    row[used], taken[used] = candidate, w
    chosen, t, used = [], 0, 0
    while t < periods:
        w = take[t][used]
        if w < 0:
            t += 1
            continue
        chosen.append(w)
        used += lasts[w] - firsts[w] + 1
        t = min(periods, lasts[w] + 1 + gap)
    return value[0][0], chosen
