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

__all__ = [
    "MEASURES",
    "TABLE_CHUNK",
    "group_series",
    "group_series_by_period",
    "group_table",
    "uncertainty_shifts",
]

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
    maps an actor code to its group (``None``: the actor is the group), or,
    of shape (rows of ``holder``, actors), does so row by row (a side on
    each state's day, :mod:`territory.sides`).  A few
    hundred rows at a time: the same sums, in the same order, as one bincount
    over every row, without full-size temporaries.
    """
    n_rows = len(holder)
    out = np.empty((n_rows, n_groups))
    tiled = np.tile(weights, min(chunk, n_rows))
    for first in range(0, n_rows, chunk):
        codes = holder[first : first + chunk, columns]
        if group_of_code is not None and group_of_code.ndim == 2:  # a group per row
            codes = np.take_along_axis(group_of_code[first : first + chunk], codes, axis=1)
        elif group_of_code is not None:
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
    group_of: Callable[[pd.Series, pd.Series], pd.Series],
    earliest: pd.Timestamp,
) -> Iterator[tuple[int, pd.DataFrame | None, pd.DataFrame | None]]:
    """For each group: the logs of its low and high band (``None``: nothing uncertain).

    ``group_of(actors, days)`` gives the group of each actor on each event's
    day (an actor's side may change over time).

    The low band moves every uncertain event that gives the group a place to
    the late end of its window and every one that takes a place from it to
    the early end (never before ``earliest``); the high band does the opposite.
    """
    spread = pd.to_timedelta(events["date_uncertainty_days"].fillna(0).astype(int), unit="D")
    uncertain = (spread > pd.Timedelta(0)) & events["kind"].isin(HOLDER_CHANGING)
    gets = group_of(events["to_actor"], events["date"])
    loses = group_of(events["from_actor"], events["date"])
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


def group_series(
    events: pd.DataFrame,
    place_pos: dict[str, int],
    base_holder: np.ndarray,
    actor_code: dict[str, int],
    in_group: np.ndarray,
    weight: np.ndarray,
    dates: np.ndarray,
) -> np.ndarray:
    """One group's measure on ``dates`` under a log, without a full replay.

    Only the holder matters for a measure, so only the holder-changing events
    are replayed, by the same rules as :func:`territory.replay.replay`: a
    place's events apply by date and then file row; a day with two or more
    different new holders keeps the holder from before it, and its last
    event applies from the next day.  The measure starts from the baseline's
    and changes by ``weight[place]`` each time a place enters or leaves the
    group: a cumulative sum over the changes, looked up on ``dates``.

    Parameters
    ----------
    events : DataFrame
        ``place``, ``date``, ``kind``, ``to_actor`` (and ``row``).
    place_pos : dict
        Place id -> column.
    base_holder : numpy.ndarray
        The baseline holder code of each column.
    actor_code : dict
        Actor id -> code.
    in_group : numpy.ndarray
        Per actor code: whether the actor counts for the group.
    weight : numpy.ndarray
        Per column: its weight in the measure.
    dates : numpy.ndarray
        ``datetime64[ns]`` days, on or after the baseline.

    Examples
    --------
    >>> ev = pd.DataFrame({"place": ["a", "a"], "date": pd.to_datetime(["2024-01-05"] * 2),
    ...                    "kind": ["capture"] * 2, "to_actor": ["X", "Y"], "row": [2, 3]})
    >>> days = pd.to_datetime(["2024-01-04", "2024-01-05", "2024-01-06"]).to_numpy()
    >>> group_series(ev, {"a": 0}, np.array([0]), {"B": 0, "X": 1, "Y": 2},
    ...              np.array([False, False, True]), np.array([2.0]), days).tolist()
    [0.0, 0.0, 2.0]
    """
    used = events.loc[events["kind"].isin(HOLDER_CHANGING) & events["place"].isin(place_pos)]
    place = used["place"].map(place_pos).to_numpy(dtype=np.int64)
    day = used["date"].to_numpy(dtype="datetime64[ns]")
    row = used["row"].to_numpy() if "row" in used.columns else np.arange(len(used))
    order = np.lexsort((row, day, place))
    place, day = place[order], day[order]
    to = used["to_actor"].map(actor_code).to_numpy(dtype=np.int64)[order]
    base = float(weight[in_group[base_holder]].sum())
    if len(order) == 0:
        return np.full(len(dates), base)
    # Groups of one place's events on one day.
    new_day = np.ones(len(order), dtype=bool)
    new_day[1:] = (place[1:] != place[:-1]) | (day[1:] != day[:-1])
    starts = np.flatnonzero(new_day)
    ends = np.append(starts[1:], len(order)) - 1
    group_of_event = np.cumsum(new_day) - 1
    differs = to != to[starts][group_of_event]
    several = np.maximum.reduceat(differs, starts).astype(bool)
    effective = day[starts] + several * np.timedelta64(1, "D")
    g_place, g_holder = place[starts], to[ends]
    # Sorted by place, effective day, group: on one day the later group wins.
    keep = np.ones(len(starts), dtype=bool)
    keep[:-1] = (g_place[1:] != g_place[:-1]) | (effective[1:] != effective[:-1])
    g_place, g_holder, effective = g_place[keep], g_holder[keep], effective[keep]
    before = np.empty_like(g_holder)
    before[1:] = g_holder[:-1]
    first = np.ones(len(g_place), dtype=bool)
    first[1:] = g_place[1:] != g_place[:-1]
    before[first] = base_holder[g_place[first]]
    delta = weight[g_place] * (in_group[g_holder].astype(float) - in_group[before].astype(float))
    by_day = np.argsort(effective, kind="stable")
    when = effective[by_day]
    total = base + np.concatenate([[0.0], np.cumsum(delta[by_day])])
    return total[np.searchsorted(when, dates, side="right")]


def group_series_by_period(
    events: pd.DataFrame,
    place_pos: dict[str, int],
    base_holder: np.ndarray,
    actor_code: dict[str, int],
    in_group: np.ndarray,
    period_starts: np.ndarray,
    weight: np.ndarray,
    dates: np.ndarray,
) -> np.ndarray:
    """:func:`group_series` when group membership changes over time.

    ``in_group`` has one row per period (actors as columns); period ``k``
    runs from ``period_starts[k]`` (sorted, the first on or before every
    date) to the next start.  Each date takes the measure under its period's
    membership: an actor that changes side moves its ground with it on that
    day, without any change of holder.

    Examples
    --------
    >>> ev = pd.DataFrame({"place": ["a"], "date": pd.to_datetime(["2024-01-05"]),
    ...                    "kind": ["capture"], "to_actor": ["X"], "row": [2]})
    >>> days = pd.to_datetime(["2024-01-04", "2024-01-06", "2024-01-08"]).to_numpy()
    >>> starts = pd.to_datetime(["2024-01-01", "2024-01-07"]).to_numpy()
    >>> group_series_by_period(ev, {"a": 0}, np.array([0]), {"B": 0, "X": 1},
    ...     np.array([[False, True], [False, False]]), starts, np.array([2.0]), days).tolist()
    [0.0, 2.0, 0.0]
    """
    period = np.searchsorted(period_starts, dates, side="right") - 1
    out = np.empty(len(dates))
    for k in np.unique(period):
        on = period == k
        out[on] = group_series(
            events, place_pos, base_holder, actor_code, in_group[k], weight, dates[on]
        )
    return out
