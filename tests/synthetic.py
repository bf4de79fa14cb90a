"""Small in-memory datasets for tests: no files, no network.

Every value here is made up for testing and describes no real place; the
sources say so (``synthetic``).  Other test modules may import this one.

Examples
--------
>>> ds = make_dataset(
...     places=[("a", "town", 96.5, 21.0), ("b", "town", 97.5, 21.0)],
...     baseline={"a": "SAC", "b": "SAC"},
...     events=[event("2024-02-01", "b", "SAC", "MNDAA", "capture")],
... )
>>> len(ds.places), len(ds.events)
(2, 1)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely import LineString, Point, box, segmentize
from shapely.geometry.base import BaseGeometry

from territory.dataset import Dataset

__all__ = ["ACTORS", "STATE", "event", "make_dataset", "make_townships"]

#: Vertices every 0.01° along box edges, so that edges shared in lon/lat stay
#: shared once projected (a parallel is not straight in an Albers projection).
DENSIFY_DEG = 0.01
#: The default study area: a 2° × 2° box in northern Shan State's latitudes.
STATE = segmentize(box(96.0, 20.0, 98.0, 22.0), DENSIFY_DEG)

#: Default actors: id -> (side, colour).
ACTORS: dict[str, tuple[str, str]] = {
    "SAC": ("junta", "#c0392b"),
    "MNDAA": ("resistance", "#2980b9"),
    "TNLA": ("resistance", "#27ae60"),
    "UWSA": ("neutral", "#8e44ad"),
}


def event(
    date: str,
    place: str | None,
    from_actor: str,
    to_actor: str,
    kind: str,
    *,
    event_id: str | None = None,
    uncertainty: int = 0,
    reported: str | None = None,
    confidence: str = "high",
    source: str = "synthetic",
) -> dict[str, Any]:
    """One event row, as a dict (``event_id`` defaults to date + place + kind)."""
    return {
        "event_id": event_id or f"{date}_{place}_{kind}_{to_actor}",
        "date": date,
        "date_uncertainty_days": uncertainty,
        "reported": reported,
        "place": place,
        "from_actor": from_actor,
        "to_actor": to_actor,
        "kind": kind,
        "confidence": confidence,
        "source": source,
        "note": None,
    }


def make_dataset(
    places: Sequence[tuple[str, str, float, float]],
    baseline: Mapping[str, str],
    events: Iterable[Mapping[str, Any]] = (),
    *,
    state: BaseGeometry = STATE,
    actors: Mapping[str, tuple[str, str]] = ACTORS,
    baseline_date: str = "2024-01-01",
    as_of: str = "2024-12-31",
    population: pd.DataFrame | None = None,
    alt_names: Mapping[str, list[str]] | None = None,
) -> Dataset:
    """A :class:`~territory.Dataset` built in memory, shaped as the loader shapes one.

    Parameters
    ----------
    places : sequence of (id, kind, lon, lat)
    baseline : mapping of place id to holder
    events : iterable of event dicts (see :func:`event`)
    state : shapely geometry, default :data:`STATE`
    actors : mapping of actor id to (side, colour)
    baseline_date, as_of : str
    population : DataFrame, optional
        ``ts_pcode``, ``township``, ``population``.
    alt_names : mapping of place id to list of names, optional
    """
    alt_names = alt_names or {}
    place_frame = pd.DataFrame(
        {
            "id": [p[0] for p in places],
            "name": [p[0].replace("_", " ").title() for p in places],
            "alt_names": [list(alt_names.get(p[0], [])) for p in places],
            "kind": [p[1] for p in places],
            "township": [None] * len(places),
            "lon": [float(p[2]) for p in places],
            "lat": [float(p[3]) for p in places],
            "coord_source": ["synthetic"] * len(places),
            "coord_confidence": ["low"] * len(places),
        }
    )
    place_gdf = gpd.GeoDataFrame(
        place_frame,
        geometry=[
            Point(lon, lat)
            for lon, lat in zip(place_frame["lon"], place_frame["lat"], strict=True)
        ],
        crs="EPSG:4326",
    )
    place_gdf = place_gdf.set_index("id", drop=False).rename_axis(None)
    actor_frame = pd.DataFrame(
        {
            "id": list(actors),
            "name": list(actors),
            "aliases": [[] for _ in actors],
            "side": [side for side, _ in actors.values()],
            "coalition": [None] * len(actors),
            "colour": [colour for _, colour in actors.values()],
            "source": ["synthetic"] * len(actors),
        }
    ).set_index("id", drop=False)
    actor_frame = actor_frame.rename_axis(None)
    baseline_frame = pd.DataFrame(
        {
            "place": list(baseline),
            "holder": list(baseline.values()),
            "confidence": ["high"] * len(baseline),
            "source": ["synthetic baseline"] * len(baseline),
            "note": [None] * len(baseline),
        }
    )
    columns = list(event("2024-01-02", "x", "A", "B", "capture"))
    event_frame = pd.DataFrame(list(events), columns=columns)
    event_frame["date"] = pd.to_datetime(event_frame["date"])
    event_frame["reported"] = pd.to_datetime(event_frame["reported"]).fillna(event_frame["date"])
    event_frame["date_uncertainty_days"] = event_frame["date_uncertainty_days"].astype(int)
    event_frame["row"] = range(2, len(event_frame) + 2)
    event_frame = event_frame.sort_values(["date", "row"], kind="stable").reset_index(drop=True)
    state_gdf = gpd.GeoDataFrame({"name": ["synthetic state"]}, geometry=[state], crs="EPSG:4326")
    country = gpd.GeoDataFrame(
        {"name": ["synthetic"]}, geometry=[state.buffer(1.0)], crs="EPSG:4326"
    )
    _, ymin, xmax, ymax = state.bounds
    borders = gpd.GeoDataFrame(
        {"partner": ["CHN"]}, geometry=[LineString([(xmax, ymin), (xmax, ymax)])], crs="EPSG:4326"
    )
    return Dataset(
        name="synthetic",
        path=Path("synthetic"),
        baseline_date=pd.Timestamp(baseline_date),
        as_of=pd.Timestamp(as_of),
        places=place_gdf,
        actors=actor_frame,
        baseline=baseline_frame,
        events=event_frame,
        routes=pd.DataFrame(columns=["route_id", "name", "places", "source", "note"]),
        trade=pd.DataFrame(
            columns=["post", "partner_country", "period_start", "period_end", "total_usd"]
        ),
        population=population
        if population is not None
        else pd.DataFrame(columns=["ts_pcode", "township", "population"]),
        state=state_gdf,
        country=country,
        borders=borders,
    )


def make_townships(
    boxes: Mapping[str, tuple[float, float, float, float]], *, crs: str = "EPSG:4326"
) -> gpd.GeoDataFrame:
    """Township polygons (``TS_PCODE``, ``TS``, ``DT``) from pcode -> (xmin, ymin, xmax, ymax).

    The township name is the pcode in lower case.
    """
    return gpd.GeoDataFrame(
        {
            "TS_PCODE": list(boxes),
            "TS": [pcode.lower() for pcode in boxes],
            "DT": ["synthetic"] * len(boxes),
        },
        geometry=[segmentize(box(*b), DENSIFY_DEG) for b in boxes.values()],
        crs=crs,
    )
