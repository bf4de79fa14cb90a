"""The replay: an event log over a baseline, as one state matrix.

:func:`replay` sorts the events by date and, within a day, keeps the file's
order (the ``row`` column the loader adds), never the order of the event ids.
It returns :class:`States`: one row per *distinct state* (each day on which
some place's holder or status changes, and the baseline day), one column per
place.  Every view of a timeline reads this matrix: a question about any set
of dates is a :func:`numpy.searchsorted` on its days (:meth:`States.rows`).
:class:`Holders` is the public slice of it that
:meth:`ControlTimeline.holders <territory.timeline.ControlTimeline.holders>`
returns.

Rules (``docs/data.md``): ``capture`` and ``handover`` make ``to_actor`` the
holder (status ``held``); ``contested`` keeps the holder and sets the status
``contested`` (``challenger`` = ``to_actor``); ``repelled`` sets it back to
``held``; ``ceasefire`` changes nothing.  When one day's events for a place
name two or more different new holders, that day is ``contested`` (the
holder stays the one from before the day) and the day's last event applies
from the next day.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({"place": ["a", "a"], "date": pd.to_datetime(["2024-02-01"] * 2),
...     "row": [2, 3], "event_id": ["e9", "e10"], "kind": ["capture", "capture"],
...     "to_actor": ["X", "Y"], "confidence": ["high"] * 2, "source": ["s"] * 2})
>>> st = replay(["a"], {"a": ("B", "high", "b")}, events, {"B": 0, "X": 1, "Y": 2},
...             pd.Timestamp("2024-01-01"))
>>> st.records[["valid_from", "holder", "status"]].astype(str).values.tolist()
[['2024-01-01', 'B', 'held'], ['2024-02-01', 'B', 'contested'], ['2024-02-02', 'Y', 'held']]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["HOLDER_CHANGING", "STATUSES", "Holders", "States", "replay"]

#: Event kinds that make ``to_actor`` the holder.
HOLDER_CHANGING = ("capture", "handover")
#: The status codes: ``Holders.status`` holds positions in this tuple.
STATUSES: tuple[str, ...] = ("held", "contested")
_CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Holders:
    """Who holds each place, and its status, on each date: the public state matrix.

    Attributes
    ----------
    dates : pandas.DatetimeIndex
        The rows.
    places : tuple of str
        The columns: place ids.
    holder : numpy.ndarray
        ``int32`` codes of shape (dates, places): positions in ``actors``.
    status : numpy.ndarray
        ``int8`` codes of shape (dates, places): positions in ``statuses``.
    actors : tuple of str
        The holder code table.
    statuses : tuple of str
        The status code table, :data:`STATUSES`.

    Examples
    --------
    >>> h = Holders(pd.DatetimeIndex(["2024-01-01"]), ("a",), np.array([[1]]),
    ...             np.array([[0]]), ("SAC", "TNLA"))
    >>> h.holder_frame().loc["2024-01-01", "a"], h.status_frame().loc["2024-01-01", "a"]
    ('TNLA', 'held')
    """

    dates: pd.DatetimeIndex
    places: tuple[str, ...]
    holder: np.ndarray
    status: np.ndarray
    actors: tuple[str, ...]
    statuses: tuple[str, ...] = STATUSES

    def holder_frame(self) -> pd.DataFrame:
        """The holders as actor ids: a DataFrame indexed by date, one column per place."""
        labels = np.asarray(self.actors, dtype=object)[self.holder]
        return pd.DataFrame(labels, index=self.dates, columns=list(self.places))

    def status_frame(self) -> pd.DataFrame:
        """The statuses as text: a DataFrame indexed by date, one column per place."""
        labels = np.asarray(self.statuses, dtype=object)[self.status]
        return pd.DataFrame(labels, index=self.dates, columns=list(self.places))


@dataclass(frozen=True)
class States:
    """Every distinct state of a log: change days × places (private to the engine)."""

    days: np.ndarray  # datetime64[ns], sorted, first = baseline
    holder: np.ndarray  # int32 actor codes, shape (days, places)
    status: np.ndarray  # int8 status codes, shape (days, places)
    record: np.ndarray  # int32 row in ``records``, shape (days, places)
    records: pd.DataFrame  # one row per (place, interval), places in order, time order
    record_place: np.ndarray  # int64 place column of each record
    #: int64 side codes of each actor on each row, shape (days, actors), set by
    #: the timeline from the sides over time (:mod:`territory.sides`).
    side: np.ndarray | None = None

    def rows(self, days: Iterable[pd.Timestamp] | pd.DatetimeIndex) -> np.ndarray:
        """The state row in force on each day (days on or after the baseline)."""
        stamps = pd.DatetimeIndex(days if isinstance(days, pd.DatetimeIndex) else list(days))
        found = np.searchsorted(self.days, stamps.to_numpy(dtype="datetime64[ns]"), "right")
        return np.asarray(found - 1, dtype=np.int64)


def replay(
    place_ids: list[str],
    baseline: dict[str, tuple[str, str, str]],
    events: pd.DataFrame,
    actor_code: dict[str, int],
    baseline_date: pd.Timestamp,
) -> States:
    """Replay ``events`` over the baseline.

    ``baseline`` maps place id to (holder, confidence, source).  ``events``
    has place, date, event_id, kind, to_actor, confidence, source (and
    ``row``, the file row); only rows with a place of ``place_ids`` and a
    non-ceasefire kind are used.  The work is vectorised: one pass of
    array operations over the events sorted by place, date and file row,
    and a Python loop only over the days that have several events at one
    place.
    """
    position = {pid: i for i, pid in enumerate(place_ids)}
    used = events.loc[events["place"].isin(position) & (events["kind"] != "ceasefire")]
    place = used["place"].map(position).to_numpy(dtype=np.int64)
    date = used["date"].to_numpy(dtype="datetime64[ns]")
    row = used["row"].to_numpy() if "row" in used.columns else np.arange(len(used))
    order = np.lexsort((row, date, place))
    place, date = place[order], date[order]
    kind = used["kind"].to_numpy(dtype=object)[order]
    to_actor = used["to_actor"].to_numpy(dtype=object)[order]
    n = len(order)
    base_holder = np.array([baseline[pid][0] for pid in place_ids], dtype=object)
    base_day = np.datetime64(baseline_date, "ns")

    # The state after each event: the holder is the last new holder so far
    # (else the baseline's); status and challenger follow the event itself.
    changing = np.isin(kind, HOLDER_CHANGING)
    first_of_place = np.ones(n, dtype=bool)
    first_of_place[1:] = place[1:] != place[:-1]
    holder_after = (
        pd.Series(np.where(changing, to_actor, None), dtype=object)
        .groupby(place)
        .ffill()
        .to_numpy(dtype=object)
    )
    holder_after = np.where(pd.isna(holder_after), base_holder[place], holder_after)
    holder_before = np.empty(n, dtype=object)
    holder_before[1:] = holder_after[:-1]
    holder_before[first_of_place] = base_holder[place[first_of_place]]
    switched = changing & (to_actor != holder_before)
    since = pd.Series(np.where(switched, date, np.datetime64("NaT", "ns")))
    since_after = (
        since.groupby(place).ffill().fillna(baseline_date).to_numpy(dtype="datetime64[ns]")
    )
    since_before = np.empty(n, dtype="datetime64[ns]")
    since_before[1:] = since_after[:-1]
    since_before[first_of_place] = base_day
    contested = kind == "contested"
    status_after = np.where(contested, "contested", "held").astype(object)
    challenger_after = np.where(contested, to_actor, None)

    # One record per (place, day): the state at the end of the day's events.
    new_day = first_of_place.copy()
    new_day[1:] |= date[1:] != date[:-1]
    starts = np.flatnonzero(new_day)
    ends = np.append(starts[1:], n)[: len(starts)] - 1
    meta = _day_meta(used, order, starts, ends)
    day_holder = holder_after[ends]
    day_status = status_after[ends]
    day_challenger = challenger_after[ends]
    day_since = since_after[ends]
    extra: list[int] = []
    for k in np.flatnonzero(ends > starts):  # days with several events at one place
        a, b = int(starts[k]), int(ends[k]) + 1
        new = list(dict.fromkeys(to_actor[i] for i in range(a, b) if changing[i]))
        if len(new) >= 2:
            extra.append(int(k))
            before = holder_before[a]
            day_holder[k], day_status[k], day_since[k] = before, "contested", since_before[a]
            day_challenger[k] = ";".join(str(x) for x in new if x != before)
    extra_idx = np.array(extra, dtype=np.int64)
    frames = [
        pd.DataFrame(
            {
                "place": np.arange(len(place_ids)),
                "valid_from": np.full(len(place_ids), base_day),
                "holder": base_holder,
                "status": "held",
                "challenger": None,
                "held_since": np.full(len(place_ids), base_day),
                "confidence": [baseline[pid][1] for pid in place_ids],
                "source": [baseline[pid][2] for pid in place_ids],
                "event_ids": "",
                "priority": 0,
            }
        ),
        pd.DataFrame(
            {
                "place": place[starts],
                "valid_from": date[starts],
                "holder": day_holder,
                "status": day_status,
                "challenger": day_challenger,
                "held_since": day_since,
                **meta,
                "priority": 2,
            }
        ),
        # After a day with two new holders, its last event applies from the next day.
        pd.DataFrame(
            {
                "place": place[starts[extra_idx]],
                "valid_from": date[starts[extra_idx]] + np.timedelta64(1, "D"),
                "holder": holder_after[ends[extra_idx]],
                "status": status_after[ends[extra_idx]],
                "challenger": challenger_after[ends[extra_idx]],
                "held_since": since_after[ends[extra_idx]],
                **{key: np.asarray(value)[extra_idx] for key, value in meta.items()},
                "priority": 1,
            }
        ),
    ]
    records = pd.concat([f for f in frames if len(f)], ignore_index=True)
    records = records.sort_values(["place", "valid_from", "priority"], kind="stable")
    # A later record on the same day replaces an earlier one (a day's events
    # replace the baseline or the next-day record of a two-holder day).
    records = records.drop_duplicates(["place", "valid_from"], keep="last")
    key = records["holder"].astype(str) + "|" + records["status"] + "|"
    key = key + records["challenger"].fillna("").astype(str)
    same_place = records["place"].eq(records["place"].shift())
    records = records.loc[~(same_place & key.eq(key.shift()))]
    records = records.drop(columns="priority").reset_index(drop=True)
    columns = records["place"].to_numpy(dtype=np.int64)
    records["place"] = np.asarray(place_ids, dtype=object)[columns]
    return _matrix(len(place_ids), records, columns, actor_code)


def _day_meta(
    used: pd.DataFrame, order: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> dict[str, list[str]]:
    """Per (place, day): the lowest confidence, the sources and the event ids."""
    confidence = used["confidence"].to_numpy(dtype=object)[order]
    source = used["source"].to_numpy(dtype=object)[order]
    event_id = used["event_id"].to_numpy(dtype=object)[order]
    out = {
        "confidence": confidence[starts].tolist(),
        "source": [str(x) for x in source[starts]],
        "event_ids": [str(x) for x in event_id[starts]],
    }
    for k in np.flatnonzero(ends > starts).tolist():  # days with several events
        a, b = int(starts[k]), int(ends[k]) + 1
        out["confidence"][k] = min(confidence[a:b], key=lambda c: _CONFIDENCE_RANK.get(c, -1))
        out["source"][k] = " | ".join(dict.fromkeys(str(x) for x in source[a:b]))
        out["event_ids"][k] = ";".join(str(x) for x in event_id[a:b])
    return out


def _matrix(
    n_places: int, records: pd.DataFrame, columns: np.ndarray, actor_code: dict[str, int]
) -> States:
    """Lay the records (sorted by place column, then time) out as change days × places."""
    starts_at = records["valid_from"].to_numpy(dtype="datetime64[ns]")
    valid_to = np.full(len(records), np.datetime64("NaT", "ns"))
    same = columns[1:] == columns[:-1]
    valid_to[:-1][same] = starts_at[1:][same]
    records["valid_to"] = valid_to
    days = np.unique(starts_at)
    starts = np.searchsorted(days, starts_at)
    # Each place's records run in time order with rising row numbers, and its
    # first starts on the baseline day (row 0): mark where each record starts,
    # then carry the latest mark down the days.
    record = np.zeros((len(days), n_places), dtype=np.int32)
    record[starts, columns] = np.arange(len(records))
    np.maximum.accumulate(record, axis=0, out=record)
    holder_codes = records["holder"].map(actor_code).to_numpy(dtype=np.int32)
    status_codes = records["status"].map(STATUSES.index).to_numpy(dtype=np.int8)
    holder = holder_codes[record]  # plain indexing: several times faster than np.take here
    status = status_codes[record]
    return States(days, holder, status, record, records, columns)
