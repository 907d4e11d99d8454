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
    order); 0 and none where no window is worth more than nothing."""
    value = np.zeros((periods + 1, cap + 1))
    take = np.full((periods + 1, cap + 1), -1, dtype=np.int64)
    starting: dict[int, list[int]] = {}
    for w in range(len(first)):
        starting.setdefault(int(first[w]), []).append(w)
    for t in range(periods - 1, -1, -1):
        value[t] = value[t + 1]
        for w in starting.get(t, []):
            length = int(last[w] - first[w] + 1)
            if length > cap:
                continue
            after = min(periods, int(last[w]) + 1 + gap)
            candidate = score[w] + value[after, length:]
            better = candidate > value[t, : cap + 1 - length]
            value[t, : cap + 1 - length][better] = candidate[better]
            take[t, : cap + 1 - length][better] = w
    chosen, t, used = [], 0, 0
    while t < periods:
        w = int(take[t, used])
        if w < 0:
            t += 1
            continue
        chosen.append(w)
        used += int(last[w] - first[w] + 1)
        t = min(periods, int(last[w]) + 1 + gap)
    return float(value[0, 0]), chosen
