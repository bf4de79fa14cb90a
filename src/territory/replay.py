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
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["HOLDER_CHANGING", "STATUSES", "Holders", "States", "replay"]

#: Event kinds that make ``to_actor`` the holder.
HOLDER_CHANGING = ("capture", "handover")
#: The status codes: ``Holders.status`` holds positions in this tuple.
STATUSES: tuple[str, ...] = ("held", "contested")
_CONFIDENCE_RANK = {"low": 0, "medium": 1, "high": 2}
_ONE_DAY = pd.Timedelta(days=1)


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
    record: np.ndarray  # int64 row in ``records``, shape (days, places)
    records: pd.DataFrame  # one row per (place, interval), places in order, time order

    def rows(self, days: Iterable[pd.Timestamp] | pd.DatetimeIndex) -> np.ndarray:
        """The state row in force on each day (days on or after the baseline)."""
        stamps = pd.DatetimeIndex(days if isinstance(days, pd.DatetimeIndex) else list(days))
        found = np.searchsorted(self.days, stamps.to_numpy(dtype="datetime64[ns]"), "right")
        return np.asarray(found - 1, dtype=np.int64)


def _file_order(events: pd.DataFrame) -> pd.DataFrame:
    """Date order; within a day, the file's order (``row``), else the frame's."""
    keys = ["date", "row"] if "row" in events.columns else ["date"]
    return events.sort_values(keys, kind="stable")


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
    ``row``, the file row); only rows with a place and a non-ceasefire kind
    are used.
    """
    events = events.loc[events["place"].notna() & (events["kind"] != "ceasefire")]
    events = _file_order(events)
    columns = ["place", "date", "event_id", "kind", "to_actor", "confidence", "source"]
    by_place: dict[str, list[dict[str, Any]]] = {}
    values = [events[column].to_numpy(dtype=object) for column in columns]
    for row in zip(*values, strict=True):
        item = dict(zip(columns, row, strict=True))
        by_place.setdefault(item["place"], []).append(item)
    rows: list[dict[str, Any]] = []
    for pid in place_ids:
        rows.extend(_place_records(pid, baseline[pid], by_place.get(pid, []), baseline_date))
    return _matrix(place_ids, pd.DataFrame(rows), actor_code)


def _place_records(
    pid: str,
    base: tuple[str, str, str],
    place_events: list[dict[str, Any]],
    baseline_date: pd.Timestamp,
) -> list[dict[str, Any]]:
    """One place's intervals: a record per change of (holder, status, challenger)."""
    holder, confidence, source = base
    state: dict[str, Any] = {"holder": holder, "status": "held", "challenger": None}
    held_since = baseline_date
    changes: dict[pd.Timestamp, dict[str, Any]] = {
        baseline_date: {
            **state,
            "held_since": held_since,
            "confidence": confidence,
            "source": source,
            "event_ids": "",
        }
    }
    days: dict[pd.Timestamp, list[dict[str, Any]]] = {}
    for item in place_events:
        days.setdefault(pd.Timestamp(item["date"]), []).append(item)
    for day, day_events in days.items():
        meta = {
            "confidence": min(
                (e["confidence"] for e in day_events),
                key=lambda c: _CONFIDENCE_RANK.get(c, -1),
            ),
            "source": " | ".join(dict.fromkeys(str(e["source"]) for e in day_events)),
            "event_ids": ";".join(str(e["event_id"]) for e in day_events),
        }
        new_holders = list(
            dict.fromkeys(e["to_actor"] for e in day_events if e["kind"] in HOLDER_CHANGING)
        )
        before = dict(state)
        held_before = held_since
        for e in day_events:
            kind, to_actor = e["kind"], e["to_actor"]
            if kind in HOLDER_CHANGING:
                if to_actor != state["holder"]:
                    held_since = day
                state = {"holder": to_actor, "status": "held", "challenger": None}
            elif kind == "contested":
                state = {**state, "status": "contested", "challenger": to_actor}
            elif kind == "repelled":
                state = {**state, "status": "held", "challenger": None}
        if len(new_holders) >= 2:
            others = [a for a in new_holders if a != before["holder"]]
            changes[day] = {
                "holder": before["holder"],
                "status": "contested",
                "challenger": ";".join(others),
                "held_since": held_before,
                **meta,
            }
            changes[day + _ONE_DAY] = {**state, "held_since": held_since, **meta}
        else:
            changes[day] = {**state, "held_since": held_since, **meta}
    out: list[dict[str, Any]] = []
    previous: tuple[Any, Any, Any] | None = None
    for day in sorted(changes):
        change = changes[day]
        key = (change["holder"], change["status"], change["challenger"])
        if key != previous:
            out.append({"place": pid, "valid_from": day, **change})
            previous = key
    return out


def _matrix(place_ids: list[str], records: pd.DataFrame, actor_code: dict[str, int]) -> States:
    """Lay the records out as change days × places."""
    records["valid_to"] = records.groupby("place")["valid_from"].shift(-1)
    starts_at = records["valid_from"].to_numpy(dtype="datetime64[ns]")
    days = np.unique(starts_at)
    position = {pid: i for i, pid in enumerate(place_ids)}
    starts = np.searchsorted(days, starts_at)
    columns = records["place"].map(position).to_numpy()
    # Each place's records run in time order with rising row numbers, and its
    # first starts on the baseline day: mark where each record starts, then
    # carry the latest mark down the days.
    record = np.full((len(days), len(place_ids)), -1, dtype=np.int64)
    record[starts, columns] = np.arange(len(records))
    np.maximum.accumulate(record, axis=0, out=record)
    holder_codes = records["holder"].map(actor_code).to_numpy(dtype=np.int32)
    status_codes = records["status"].map(STATUSES.index).to_numpy(dtype=np.int8)
    return States(days, holder_codes[record], status_codes[record], record, records)
