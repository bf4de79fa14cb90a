"""Gates as borders over time: closures, restrictions, shared control and road cuts.

``trade/gate_events.csv`` records what happens to a crossing *as a border*,
apart from who holds it (``events.csv`` and the timeline's replay say that;
they never read this file):

``closed``         the gate carries no trade; ``by`` says who closed it
                   (``neighbour``: the country across, ``holder``: the
                   side that holds it, ``both``)
``restricted``     partly open (pedestrians only, one direction, a few goods)
``reopened``       open again, ending ``closed`` or ``restricted``
``shared``         held jointly: ``actor`` shares the gate's revenue with
                   its holder of record, taking ``share_low`` to
                   ``share_high`` of it (both empty when no source gives a
                   split: the range is then 0 to 1)
``sole``           the gate is back with one holder
``road_cut``       the road between the two places of ``segment`` (neighbours
                   on a route of ``routes.csv``) is closed to traffic
``road_reopened``  that road is open again

:func:`gate_log` turns the table into arrays, one row per day on which any of
this changes.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({
...     "event_id": ["g1", "g2"], "date": pd.to_datetime(["2024-07-01", "2025-01-20"]),
...     "place": ["gate", "gate"], "segment": [[], []], "kind": ["closed", "reopened"],
...     "by": ["neighbour", None], "actor": [None, None],
...     "share_low": [None, None], "share_high": [None, None]})
>>> log = gate_log(events, ["gate"], [], {}, pd.Timestamp("2024-01-01"))
>>> [STATUS_NAMES[s] for s in log.status[:, 0]]
['open', 'closed', 'open']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from territory.errors import DataError, DataProblem
from territory.schema import SPECS

__all__ = ["CLOSED", "OPEN", "RESTRICTED", "STATUS_NAMES", "GateLog", "gate_log"]

OPEN, RESTRICTED, CLOSED = 0, 1, 2
STATUS_NAMES = ("open", "restricted", "closed")
#: ``closed_by`` codes: index into this tuple (0: not closed or unknown).
CLOSERS = ("", "neighbour", "holder", "both")


@dataclass(frozen=True)
class GateLog:
    """Gate and road status on each change day (rows) for each gate / segment (columns).

    ``partner`` is the actor id that shares a gate ("" when none);
    ``share_low``/``share_high`` its part of the revenue.
    """

    days: np.ndarray  # datetime64[ns], sorted; the first is the baseline
    status: np.ndarray  # int8 (days, gates): OPEN / RESTRICTED / CLOSED
    closed_by: np.ndarray  # int8 (days, gates): index into CLOSERS
    partner: np.ndarray  # object (days, gates): actor id or ""
    share_low: np.ndarray  # float (days, gates)
    share_high: np.ndarray  # float (days, gates)
    cut: np.ndarray  # bool (days, segments)
    segments: tuple[tuple[str, str], ...]

    def rows(self, days: np.ndarray) -> np.ndarray:
        """The row of each day (datetime64[ns]) in this log."""
        return np.searchsorted(self.days, days, side="right") - 1


def _edge(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def gate_log(
    events: pd.DataFrame | None,
    gates: Sequence[str],
    edges: Sequence[tuple[str, str]],
    rows: Mapping[int, int],
    baseline: pd.Timestamp,
    file: str = SPECS["gate_events"].path,
) -> GateLog:
    """The status of every gate and road segment on each day anything changes.

    Parameters
    ----------
    events : pandas.DataFrame or None
        ``Dataset.gate_events``.
    gates : sequence of str
        The gate ids (columns of the result).
    edges : sequence of (str, str)
        The edges of the route graph: a road event must name one.
    rows : mapping of int to int
        Position in ``events`` -> spreadsheet row, for messages (default: position + 2).
    baseline : pandas.Timestamp
        The first row: every gate open and unshared, every road open.
    file : str
        Named in errors.

    Raises
    ------
    DataError
        Listing every row that names no gate, no road of ``routes.csv``, a
        shared gate without a co-holder, or ``share_low > share_high``.
    """
    position = {g: i for i, g in enumerate(gates)}
    known_edges = {_edge(a, b) for a, b in edges}
    table = events if events is not None else pd.DataFrame()
    problems: list[DataProblem] = []
    gate_kinds = {"closed", "reopened", "restricted", "shared", "sole"}
    segments: list[tuple[str, str]] = []
    parsed: list[tuple[pd.Timestamp, str, str, int, str, tuple[str, str] | None, dict]] = []
    for i, row in enumerate(table.to_dict("records") if len(table) else []):
        line = rows.get(i, i + 2)

        def problem(column: str, message: str, line: int = line) -> None:
            problems.append(DataProblem(file, line, column, message))

        kind = str(row.get("kind"))
        place = row.get("place")
        segment = None
        if kind in gate_kinds:
            if not isinstance(place, str) or place not in position:
                problem(
                    "place",
                    f"{place!r} is not a gate (a place of kind crossing or trade_zone); "
                    f"a {kind!r} event needs one",
                )
                continue
            if kind == "shared":
                if not isinstance(row.get("actor"), str) or not row.get("actor"):
                    problem("actor", "a 'shared' event needs the co-holder")
                    continue
                low, high = row.get("share_low"), row.get("share_high")
                low = 0.0 if low is None or pd.isna(low) else float(low)
                high = 1.0 if high is None or pd.isna(high) else float(high)
                if low > high:
                    problem("share_low", f"{low} > share_high {high}; expected low <= high")
                    continue
                row = {**row, "share_low": low, "share_high": high}
        else:
            stops = list(row.get("segment") or [])
            if len(stops) != 2 or _edge(*stops) not in known_edges:
                problem(
                    "segment",
                    f"{';'.join(map(str, stops))!r} is not a road segment; a {kind!r} event "
                    "needs two neighbouring places of one route in routes.csv",
                )
                continue
            segment = _edge(*stops)
            if segment not in segments:
                segments.append(segment)
        day = pd.Timestamp(row["date"])
        parsed.append((day, str(row.get("event_id")), kind, i, str(place), segment, row))
    if problems:
        raise DataError(problems, file=file)
    parsed.sort(key=lambda p: (p[0], p[1]))
    n, s = len(gates), len(segments)
    seg_pos = {seg: i for i, seg in enumerate(segments)}
    status = np.zeros(n, dtype=np.int8)
    closed_by = np.zeros(n, dtype=np.int8)
    partner = np.array([""] * n, dtype=object)
    share_low = np.zeros(n)
    share_high = np.zeros(n)
    cut = np.zeros(s, dtype=bool)

    def snapshot(day: pd.Timestamp) -> tuple[Any, ...]:
        return (day, status.copy(), closed_by.copy(), partner.copy(), share_low.copy(),
                share_high.copy(), cut.copy())  # fmt: skip

    snapshots = [snapshot(baseline)]
    for index, (day, _, kind, _, place, segment, row) in enumerate(parsed):
        if kind in ("closed", "restricted", "reopened"):
            g = position[place]
            status[g] = {"closed": CLOSED, "restricted": RESTRICTED, "reopened": OPEN}[kind]
            by = row.get("by")
            closed_by[g] = CLOSERS.index(by) if kind != "reopened" and by in CLOSERS else 0
        elif kind == "shared":
            g = position[place]
            partner[g] = row["actor"]
            share_low[g], share_high[g] = row["share_low"], row["share_high"]
        elif kind == "sole":
            g = position[place]
            partner[g], share_low[g], share_high[g] = "", 0.0, 0.0
        else:
            assert segment is not None
            cut[seg_pos[segment]] = kind == "road_cut"
        last = index == len(parsed) - 1 or parsed[index + 1][0] != day
        if last:
            snap = snapshot(max(day, baseline))
            if snap[0] == snapshots[-1][0]:
                snapshots[-1] = snap
            else:
                snapshots.append(snap)
    return GateLog(
        days=np.array([snap[0] for snap in snapshots], dtype="datetime64[ns]"),
        status=np.stack([snap[1] for snap in snapshots]),
        closed_by=np.stack([snap[2] for snap in snapshots]),
        partner=np.stack([snap[3] for snap in snapshots]),
        share_low=np.stack([snap[4] for snap in snapshots]),
        share_high=np.stack([snap[5] for snap in snapshots]),
        cut=np.stack([snap[6] for snap in snapshots]).reshape(len(snapshots), s),
        segments=tuple(segments),
    )
