"""The GeoDataFrames the writers draw, built from a timeline.

The writers (maps, layers, rasters) take plain GeoDataFrames; this module
makes them from a :class:`~territory.timeline.ControlTimeline`: events as
points with their sources, the zones (one geometry per ``zone_id``), the
zone state on a list of dates, and geometry simplified for the web.

Examples
--------
>>> import pandas as pd
>>> events = pd.DataFrame({"event_id": ["e1"], "date": [pd.Timestamp("2024-01-05")],
...                        "place": ["laukkai"], "kind": ["capture"]})
>>> in_window(events, "2024-01-10", days=7)["event_id"].tolist()
['e1']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory.crs import WGS84, study_area_crs
from territory.dates import parse_day
from territory.errors import ArgumentError

if TYPE_CHECKING:
    from territory.dataset import Dataset

__all__ = [
    "event_points",
    "in_window",
    "interval_rows",
    "simplify_for_web",
    "zone_geometries",
]

_EVENT_COLUMNS = [
    "event_id",
    "date",
    "date_uncertainty_days",
    "reported",
    "place",
    "from_actor",
    "to_actor",
    "kind",
    "confidence",
    "source",
    "note",
]


def event_points(ds: Dataset) -> gpd.GeoDataFrame:
    """Every event with a place, as a point at that place.

    Ceasefires signed at no named place have no point and are left out; the
    event table in the dataset still holds them.

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    geopandas.GeoDataFrame
        The event columns of ``docs/data.md`` plus ``place_name``, in EPSG:4326.
    """
    events = ds.events
    columns = [c for c in _EVENT_COLUMNS if c in events.columns]
    located = events.loc[events["place"].notna() & events["place"].isin(ds.places.index), columns]
    points = ds.places.geometry.reindex(located["place"]).to_numpy()
    names = ds.places["name"].reindex(located["place"]).to_numpy()
    out = gpd.GeoDataFrame(
        located.assign(place_name=names).reset_index(drop=True),
        geometry=list(points),
        crs=WGS84,
    )
    return out


def in_window(events: pd.DataFrame, date: object, *, days: int) -> pd.DataFrame:
    """The events of the ``days`` days that end on ``date``: ``(date - days, date]``.

    Parameters
    ----------
    events : DataFrame
        With a ``date`` column.
    date : date-like
    days : int
        The window's length; 0 gives an empty frame.
    """
    if days < 0:
        raise ArgumentError(f"days: {days!r}; expected a whole number >= 0")
    end = parse_day(date)
    start = end - pd.Timedelta(days=days)
    dates = pd.to_datetime(events["date"])
    return events[(dates > start) & (dates <= end)]


def zone_geometries(intervals: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per zone: ``zone_id`` and its geometry (the first interval's).

    Examples
    --------
    >>> from shapely import box
    >>> iv = gpd.GeoDataFrame({"zone_id": ["a", "a", "b"]},
    ...                       geometry=[box(0, 0, 1, 1)] * 2 + [box(1, 0, 2, 1)], crs=WGS84)
    >>> zone_geometries(iv)["zone_id"].tolist()
    ['a', 'b']
    """
    zones = intervals.drop_duplicates("zone_id")[["zone_id", intervals.geometry.name]]
    return zones.reset_index(drop=True)


def interval_rows(
    intervals: pd.DataFrame, zone_ids: list[object], dates: pd.DatetimeIndex
) -> np.ndarray:
    """For each date and zone, the position of the interval that covers it.

    Parameters
    ----------
    intervals : DataFrame
        ``zone_id``, ``valid_from``, ``valid_to`` (exclusive; NaT = open).
    zone_ids : list
        The zones, in output column order.
    dates : DatetimeIndex

    Returns
    -------
    numpy.ndarray
        ``int64`` of shape (len(dates), len(zone_ids)): a row position in
        ``intervals``, or -1 where no interval covers the date.

    Examples
    --------
    >>> iv = pd.DataFrame({"zone_id": ["a", "a"],
    ...                    "valid_from": pd.to_datetime(["2024-01-01", "2024-02-01"]),
    ...                    "valid_to": pd.to_datetime(["2024-02-01", None])})
    >>> interval_rows(iv, ["a", "b"], pd.to_datetime(["2024-01-31", "2024-02-01"])).tolist()
    [[0, -1], [1, -1]]
    """
    position = {zone: i for i, zone in enumerate(zone_ids)}
    zone_of_row = intervals["zone_id"].map(position).to_numpy(dtype=float)
    stamps = pd.DatetimeIndex(dates).normalize().to_numpy()
    start = pd.to_datetime(intervals["valid_from"]).to_numpy()
    end = pd.to_datetime(intervals["valid_to"]).to_numpy()
    covers = (start[:, None] <= stamps[None, :]) & (
        np.isnat(end)[:, None] | (stamps[None, :] < end[:, None])
    )
    covers &= ~np.isnan(zone_of_row)[:, None]
    out = np.full((len(stamps), len(zone_ids)), -1, dtype=np.int64)
    hit_row, hit_date = np.nonzero(covers)
    out[hit_date, zone_of_row[hit_row].astype(np.int64)] = hit_row
    return out


def simplify_for_web(frame: gpd.GeoDataFrame, *, tolerance_m: float = 100.0) -> gpd.GeoDataFrame:
    """Simplify polygons that tile an area, keeping shared edges shared.

    Uses :func:`shapely.coverage_simplify` in an equal-area CRS fitted to the frame, so the
    tolerance is in metres and neighbouring zones stay free of gaps and
    slivers.  ``tolerance_m=0`` returns the frame unchanged.

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        Non-overlapping polygons.
    tolerance_m : float, default 100
        Largest distance a vertex may move.

    Returns
    -------
    geopandas.GeoDataFrame
        In EPSG:4326.
    """
    if tolerance_m < 0:
        raise ArgumentError(f"tolerance_m: {tolerance_m!r}; expected a distance >= 0 in metres")
    out = frame.to_crs(WGS84)
    if tolerance_m == 0 or out.empty:
        return out
    crs = study_area_crs(out)
    projected = out.geometry.to_crs(crs)
    simplified = shapely.coverage_simplify(projected.values, tolerance_m)
    if not shapely.is_valid(simplified).all():
        simplified = shapely.simplify(projected.values, tolerance_m, preserve_topology=True)
    out = out.copy()
    out[out.geometry.name] = gpd.GeoSeries(simplified, crs=crs, index=out.index).to_crs(WGS84)
    return out
