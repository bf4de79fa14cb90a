"""The GeoDataFrames the writers draw, built from a timeline.

The writers (maps, layers, rasters) take plain GeoDataFrames; this module
makes them from a :class:`~territory.timeline.ControlTimeline`: events as
points with their sources, the zones (one geometry per ``zone_id``) and
geometry simplified for the web.  Who holds a
zone on a date is never worked out here: the writers read the timeline's
state matrix (:meth:`~territory.timeline.ControlTimeline.holders`,
:meth:`~territory.timeline.ControlTimeline.active_intervals`).

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
import pandas as pd
import shapely

from territory.crs import WGS84, study_area_crs
from territory.dates import parse_day
from territory.errors import ArgumentError

if TYPE_CHECKING:
    from territory.dataset import Dataset
    from territory.timeline import ControlTimeline

__all__ = [
    "event_points",
    "in_window",
    "simplify_for_web",
    "zone_frame",
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


def zone_frame(tl: ControlTimeline) -> gpd.GeoDataFrame:
    """The timeline's zones as ``zone_id`` and geometry, in the zones' order.

    Examples
    --------
    >>> import territory
    >>> tl = territory.ControlTimeline(territory.load_shan())
    >>> list(zone_frame(tl).columns), len(zone_frame(tl)) == len(tl.zones)
    (['zone_id', 'geometry'], True)
    """
    zones = tl.zones
    ids = [str(z) for z in zones.index]
    return gpd.GeoDataFrame({"zone_id": ids}, geometry=zones.geometry.to_numpy(), crs=zones.crs)


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
