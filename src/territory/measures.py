"""Measures: how much of a measure each actor or side holds in each distinct state.

A measure is a weight per place column (km² of a zone, people, 1 per place,
1 per township seat).  :func:`group_table` sums the weights by holder code
(or by the holder's side) for every state row of the state matrix; a daily
series is then an index lookup per day.  :func:`uncertainty_shifts` gives the
shifted logs of the low and high bands of ``series(bounds=True)``.

Examples
--------
>>> import numpy as np
>>> holder = np.array([[0, 0, 1], [1, 1, 1]])
>>> group_table(holder, np.arange(3), np.array([1.0, 2.0, 4.0]), None, 2).tolist()
[[3.0, 4.0], [0.0, 7.0]]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import pandas as pd

from territory.replay import HOLDER_CHANGING

__all__ = ["MEASURES", "TABLE_CHUNK", "group_table", "uncertainty_shifts"]

#: What :meth:`ControlTimeline.series <territory.timeline.ControlTimeline.series>` can measure.
MEASURES = ("area_km2", "population", "places", "townships")
#: Distinct states per bincount in :func:`group_table`.
TABLE_CHUNK = 256


def group_table(
    holder: np.ndarray,
    columns: np.ndarray,
    weights: np.ndarray,
    group_of_code: np.ndarray | None,
    n_groups: int,
    chunk: int = TABLE_CHUNK,
) -> np.ndarray:
    """Measure per state row and group: shape (rows of ``holder``, ``n_groups``).

    ``holder`` holds actor codes (state rows × place columns); ``columns``
    picks the measured columns and ``weights`` weighs them; ``group_of_code``
    maps an actor code to its group (``None``: the actor is the group).  A few
    hundred rows at a time: the same sums, in the same order, as one bincount
    over every row, without full-size temporaries.
    """
    n_rows = len(holder)
    out = np.empty((n_rows, n_groups))
    tiled = np.tile(weights, min(chunk, n_rows))
    for first in range(0, n_rows, chunk):
        codes = holder[first : first + chunk, columns]
        if group_of_code is not None:
            codes = group_of_code[codes]
        rows = len(codes)
        offsets = codes + (np.arange(rows) * n_groups)[:, None]
        out[first : first + rows] = np.bincount(
            offsets.ravel(), weights=tiled[: offsets.size], minlength=rows * n_groups
        ).reshape(rows, n_groups)
    return out


def uncertainty_shifts(
    events: pd.DataFrame,
    labels: list[str],
    group_of: Callable[[object], object],
    earliest: pd.Timestamp,
) -> Iterator[tuple[int, pd.DataFrame | None, pd.DataFrame | None]]:
    """For each group: the logs of its low and high band (``None``: nothing uncertain).

    The low band moves every uncertain event that gives the group a place to
    the late end of its window and every one that takes a place from it to
    the early end (never before ``earliest``); the high band does the opposite.
    """
    spread = pd.to_timedelta(events["date_uncertainty_days"].fillna(0).astype(int), unit="D")
    uncertain = (spread > pd.Timedelta(0)) & events["kind"].isin(HOLDER_CHANGING)
    gets = events["to_actor"].map(group_of)
    loses = events["from_actor"].map(group_of)
    early = (events["date"] - spread).where(events["date"] - spread >= earliest, earliest)
    late = events["date"] + spread
    for g, label in enumerate(labels):
        gain = uncertain & (gets == label) & (loses != label)
        loss = uncertain & (loses == label) & (gets != label)
        if not (gain | loss).any():
            yield g, None, None
            continue
        low, high = (
            events.assign(date=events["date"].where(~gain, gain_to).where(~loss, loss_to))
            for gain_to, loss_to in ((late, early), (early, late))
        )
        yield g, low, high
