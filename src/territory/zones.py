"""Zones: the ground each place commands, in the nearest-place model.

Sources report that a town, a base or a gate fell, never that a polygon did.
The nearest-place model turns those points into ground: each *area-bearing*
place commands the part of the study area that is closer to it than to any
other area-bearing place (its Voronoi cell), and the cell belongs to whoever
holds the place.  Distances are measured in the dataset's equal-area CRS
(``crs``; default :func:`~territory.crs.study_area_crs` of the study area),
in metres, never in degrees.

Which places bear area
    Only places of kind ``town``, ``township_seat``, ``base`` and ``outpost``
    (:data:`AREA_KINDS`) that lie inside the study area, or within
    :data:`OUTLINE_TOLERANCE_M` (2 km) of its outline: an outline drawn at
    1:10m scale can miss a border town by a few hundred metres (two towns
    of the embedded data).  Their cells are still clipped to the outline.  Crossings and trade
    zones are points only: a gate sits on the border a few kilometres from its
    town, so giving it a cell would move a slice of the town's ground each time
    the gate changed hands, and the area series would jump for reasons that
    have nothing to do with ground.  Places outside the study area (a road
    origin, posts across an internal border) are points only too.
Places at one spot
    When several area-bearing places lie within :data:`SAME_SPOT_M` metres of
    each other, one of them bears the zone: a ``township_seat`` before a
    ``town`` before a ``base`` before an ``outpost``, then the smallest id.  The
    others are points only; :func:`build_zones` lists them in ``merged``.
With townships
    The cells are built township by township: inside a township that contains
    area-bearing places (or that is the nearest township, within 2 km, to a
    place no township covers), the ground is shared among those places only, so no
    place commands ground across a township line.  A township that contains no
    area-bearing place, and any sliver of the study area that no township
    covers, is shared by the nearest places overall.  Every piece is clipped
    to the study area, so the zones always partition it.

Zone ids are the ids of the places that bear them.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import Point, box
>>> places = gpd.GeoDataFrame(
...     {"id": ["a", "b", "gate"], "kind": ["town", "town", "crossing"]},
...     geometry=[Point(96.2, 21.5), Point(96.8, 21.5), Point(96.9, 21.5)],
...     crs="EPSG:4326").set_index("id", drop=False)
>>> state = gpd.GeoSeries([box(96.0, 21.0, 97.0, 22.0)], crs="EPSG:4326")
>>> zones = build_zones(places, state)
>>> zones.index.tolist()
['a', 'b']
>>> round(float(zones["area_km2"].sum() / zones.attrs["state_area_km2"]), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Callable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from territory.crs import WGS84, study_area_crs
from territory.errors import DataError, DataProblem

__all__ = [
    "AREA_KINDS",
    "OUTLINE_TOLERANCE_M",
    "SAME_SPOT_M",
    "area_places",
    "build_zones",
    "check_townships",
    "region_pieces",
    "township_seats",
]

#: Kinds of place that command ground; crossings and trade zones are points only.
AREA_KINDS: tuple[str, ...] = ("town", "township_seat", "base", "outpost")
#: Area-bearing places closer than this (in metres) share one zone.
SAME_SPOT_M = 50.0
#: A place this close (in metres) to the study area's outline, or to a
#: township, counts as inside it: outlines drawn at 1:10m scale can be off by
#: hundreds of metres along a border river or ridge.
OUTLINE_TOLERANCE_M = 2000.0
_KIND_RANK = {"township_seat": 0, "town": 1, "base": 2, "outpost": 3}


def _outline(
    state: gpd.GeoSeries | gpd.GeoDataFrame | BaseGeometry, crs: str | None = None
) -> BaseGeometry:
    """The study area as one valid geometry in metres of ``crs`` (default: fitted to it)."""
    if isinstance(state, BaseGeometry):
        series = gpd.GeoSeries([state], crs=WGS84)
    else:
        series = state.geometry if isinstance(state, gpd.GeoDataFrame) else state
        if series.crs is None:
            series = series.set_crs(WGS84)
    projected = series.to_crs(crs or study_area_crs(series))
    return shapely.make_valid(shapely.union_all(projected.to_numpy()))


def _polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Keep only the polygons of a geometry (intersections can add lines)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def area_places(
    places: gpd.GeoDataFrame,
    state: gpd.GeoSeries | gpd.GeoDataFrame,
    *,
    crs: str | None = None,
) -> pd.Series:
    """Which places bear a zone: the id of the place whose zone each one falls in.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Indexed by place id, with ``kind`` and point geometry in EPSG:4326.
    state : GeoSeries or GeoDataFrame
        The study area.

    Returns
    -------
    pandas.Series
        Indexed by place id (area-bearing places only): the zone id, which is
        the place's own id, or another id for a place merged at the same spot.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point, box
    >>> places = gpd.GeoDataFrame({"kind": ["outpost", "township_seat", "town"]},
    ...     index=["camp", "seat", "far"],
    ...     geometry=[Point(96.5, 21.5), Point(96.5, 21.5), Point(99.0, 21.5)], crs="EPSG:4326")
    >>> area_places(places, gpd.GeoSeries([box(96, 21, 97, 22)], crs="EPSG:4326")).to_dict()
    {'seat': 'seat', 'camp': 'seat'}
    """
    crs = crs or study_area_crs(state)
    outline = _outline(state, crs)
    projected = places.geometry.to_crs(crs)
    inside = shapely.dwithin(outline, projected.to_numpy(), OUTLINE_TOLERANCE_M)
    candidates = places.loc[places["kind"].isin(AREA_KINDS).to_numpy() & inside]
    kinds = candidates["kind"].to_dict()
    order = sorted(candidates.index, key=lambda pid: (_KIND_RANK[kinds[pid]], str(pid)))
    points = projected.loc[order].to_numpy()
    rank = {pid: i for i, pid in enumerate(order)}
    near: dict[int, list[int]] = {}
    left, right = shapely.STRtree(points).query(points, predicate="dwithin", distance=SAME_SPOT_M)
    for a, b in zip(left, right, strict=True):
        if a != b:
            near.setdefault(int(a), []).append(int(b))
    zone_of: dict[str, str] = {}
    for pid in order:
        i = rank[pid]
        match = next(
            (order[j] for j in sorted(near.get(i, [])) if j < i and zone_of[order[j]] == order[j]),
            None,
        )
        zone_of[pid] = pid if match is None else match
    return pd.Series(zone_of, dtype=object)


def _cells(points: np.ndarray, region: BaseGeometry) -> list[BaseGeometry]:
    """Voronoi cells of ``points`` (Albers) clipped to ``region``, in input order."""
    if len(points) == 0 or region.is_empty:
        return [shapely.Polygon() for _ in points]
    if len(points) == 1:
        return [region]
    xmin, ymin, xmax, ymax = shapely.bounds(shapely.union_all([region, *points]))
    pad = max(xmax - xmin, ymax - ymin) + 1.0
    frame = shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad)
    diagram = shapely.voronoi_polygons(
        shapely.MultiPoint(list(points)), extend_to=frame, ordered=True
    )
    cells = list(shapely.get_parts(diagram))
    if len(cells) != len(points):  # pragma: no cover - shapely guarantees one cell per point
        raise RuntimeError("voronoi_polygons returned a cell count that differs from the points")
    # Only the cells that reach the region's edge need cutting (most lie well inside).
    shapely.prepare(region)
    inside = shapely.contains_properly(region, np.asarray(cells, dtype=object))
    return [
        cell if within else _polygonal(shapely.intersection(cell, region))
        for cell, within in zip(cells, inside, strict=True)
    ]


def township_seats(
    places: gpd.GeoDataFrame, townships: gpd.GeoDataFrame, *, crs: str | None = None
) -> pd.DataFrame:
    """The place that stands for each township: its seat.

    The seat is the ``township_seat`` place inside the township whose name or
    alt name matches the township's ``TS`` (case-insensitive); failing that,
    the only ``township_seat`` inside it, then the first in id order.  A
    township with no ``township_seat`` place has no seat (``seat`` is None).

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Indexed by place id: ``name``, ``kind`` and optionally ``alt_names``.
    townships : geopandas.GeoDataFrame
        As :func:`territory.read_townships` returns them.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``TS_PCODE``: ``township`` (the TS name) and ``seat``.
    """
    seats = places.loc[places["kind"] == "township_seat"]
    crs = crs or study_area_crs(townships)
    projected_towns = townships.geometry.to_crs(crs).to_numpy()
    projected_seats = seats.geometry.to_crs(crs).to_numpy()
    rows = []
    for pcode, name, polygon in zip(
        townships.index, townships["TS"], projected_towns, strict=True
    ):
        inside = [
            pid
            for pid, point in zip(seats.index, projected_seats, strict=True)
            if shapely.covers(polygon, point)
        ]

        def names(pid: str) -> set[str]:
            alts = seats.loc[pid, "alt_names"] if "alt_names" in seats.columns else []
            alts = alts if isinstance(alts, list) else []
            return {str(n).strip().lower() for n in [seats.loc[pid, "name"], *alts]}

        named = [pid for pid in inside if str(name).strip().lower() in names(pid)]
        chosen = (named or sorted(inside) or [None])[0]
        rows.append({"ts_pcode": pcode, "township": name, "seat": chosen})
    return pd.DataFrame(rows).set_index("ts_pcode").rename_axis(None)


def check_townships(townships: gpd.GeoDataFrame, name: str = "townships") -> None:
    """Raise :class:`DataError` unless ``townships`` is usable as township polygons.

    Parameters
    ----------
    townships : geopandas.GeoDataFrame
    name : str
        What to call the argument in messages.

    Raises
    ------
    DataError
        When it has no ``TS_PCODE`` column, is not in EPSG:4326, or has
        invalid or missing geometries; the message says which.
    """
    if not isinstance(townships, gpd.GeoDataFrame):
        raise DataError(f"{name}: expected a GeoDataFrame, got {type(townships).__name__}")
    if "TS_PCODE" not in townships.columns:
        columns = sorted(str(c) for c in townships.columns if c != townships.geometry.name)
        raise DataError(
            DataProblem(
                name,
                None,
                "TS_PCODE",
                f"missing column TS_PCODE; township polygons need TS_PCODE (found {columns})",
            )
        )
    if townships.crs is None or townships.crs.to_epsg() != 4326:
        found = "none" if townships.crs is None else townships.crs.to_string()
        raise DataError(
            DataProblem(name, None, "geometry", f"CRS is {found}; expected EPSG:4326 (WGS84)")
        )
    bad = townships.geometry.isna() | ~townships.geometry.is_valid
    if bad.any():
        problems = [
            DataProblem(
                name,
                None,
                "geometry",
                f"invalid geometry for TS_PCODE {pcode!r}: "
                f"{shapely.is_valid_reason(geom) if geom is not None else 'missing'}",
            )
            for pcode, geom in zip(
                townships.loc[bad, "TS_PCODE"], townships.geometry[bad], strict=True
            )
        ]
        raise DataError(problems)


def region_pieces(
    regions: gpd.GeoDataFrame,
    points: np.ndarray,
    ids: list[str],
    owner: np.ndarray,
    global_cells: list[BaseGeometry],
    crs: str | None = None,
) -> gpd.GeoDataFrame:
    """The zone pieces inside each township region (in ``regions``' CRS).

    A region with places of its own is cut into their Voronoi cells; a region
    without any takes the pieces of the state-wide cells that cross it.  Each
    region is independent of the others, so the work can be split by rows
    (:func:`territory.parallel.build_zones` does it on Dask).

    Parameters
    ----------
    regions : geopandas.GeoDataFrame
        ``k`` (the region's number in ``owner``), ``ts_pcode`` and the region.
    points : numpy.ndarray
        The area-bearing places (Albers points), in ``ids`` order.
    ids : list of str
    owner : numpy.ndarray
        For each point, the ``k`` of the region it lies in, or -1.
    global_cells : list of shapely geometries
        The points' Voronoi cells clipped to the whole study area.

    Returns
    -------
    geopandas.GeoDataFrame
        ``zone_id``, ``ts_pcode`` and the piece, region by region, in order.
    """
    tree = shapely.STRtree(global_cells)
    pieces: list[tuple[str, str, BaseGeometry]] = []
    for k, pcode, region in zip(regions["k"], regions["ts_pcode"], regions.geometry, strict=True):
        inside = np.flatnonzero(owner == k)
        if len(inside):
            local = _cells(points[inside], region)
            pieces += [(ids[i], pcode, c) for i, c in zip(inside, local, strict=True)]
        else:
            hits = sorted(int(j) for j in tree.query(region, predicate="intersects"))
            pieces += [
                (ids[j], pcode, _polygonal(shapely.intersection(global_cells[j], region)))
                for j in hits
            ]
    return gpd.GeoDataFrame(
        {"zone_id": [p[0] for p in pieces], "ts_pcode": [p[1] for p in pieces]},
        geometry=[p[2] for p in pieces],
        crs=crs or regions.crs,
    )


def build_zones(
    places: gpd.GeoDataFrame,
    state: gpd.GeoSeries | gpd.GeoDataFrame,
    townships: gpd.GeoDataFrame | None = None,
    *,
    map_regions: Callable[..., gpd.GeoDataFrame] | None = None,
    crs: str | None = None,
) -> gpd.GeoDataFrame:
    """Nearest-place zones that partition the study area.

    Parameters
    ----------
    places : geopandas.GeoDataFrame
        Indexed by place id, with ``kind`` and point geometry in EPSG:4326.
    state : GeoSeries or GeoDataFrame
        The study area (EPSG:4326).
    townships : geopandas.GeoDataFrame, optional
        Township polygons with ``TS_PCODE`` (see :func:`territory.read_townships`).
    map_regions : callable, optional
        How to run :func:`region_pieces` over the township regions: called as
        ``map_regions(region_pieces, regions, points=..., ids=..., owner=...,
        global_cells=...)``; it must return what ``region_pieces`` returns for
        all the regions, in order.  Default: one call in this process.
    crs : str, optional
        The equal-area CRS for distances and areas (normally
        ``Dataset.equal_area_crs``); default :func:`territory.crs.study_area_crs`
        of ``state``.

    Returns
    -------
    geopandas.GeoDataFrame
        Indexed by zone id (the id of the place that bears the zone), with
        ``zone_id``, ``place``, ``merged`` (ids of other places at the same
        spot, ``;``-joined), ``area_km2`` and the polygon in EPSG:4326.
        ``attrs["state_area_km2"]`` holds the study area's area; with
        townships, ``attrs["pieces"]`` is a DataFrame of (zone_id, ts_pcode,
        area_km2) giving each zone's area in each township.

    Raises
    ------
    DataError
        When no place bears area, or the townships are unusable.
    """
    crs = crs or study_area_crs(state)
    outline = _outline(state, crs)
    zone_of = {str(p): str(z) for p, z in area_places(places, state, crs=crs).items()}
    ids = [pid for pid, zone in zone_of.items() if pid == zone]
    if not ids:
        raise DataError(
            "places: no place of kind "
            f"{list(AREA_KINDS)} lies inside the study area; at least one must, to bear area"
        )
    points = places.geometry.loc[ids].to_crs(crs).to_numpy()
    global_cells = _cells(points, outline)
    pieces: list[tuple[str, str | None, BaseGeometry]] = []
    if townships is None:
        pieces = [(pid, None, cell) for pid, cell in zip(ids, global_cells, strict=True)]
    else:
        check_townships(townships)
        projected = townships.geometry.to_crs(crs).to_numpy()
        regions: list[tuple[str | None, BaseGeometry]] = []
        for pcode, polygon in zip(townships["TS_PCODE"], projected, strict=True):
            region = _polygonal(shapely.intersection(shapely.make_valid(polygon), outline))
            if not region.is_empty:
                regions.append((pcode, region))
        shapes = np.array([region for _, region in regions], dtype=object)
        # Each place belongs to the township that covers it, else to the
        # nearest one within the tolerance, else to none.
        owner = np.full(len(points), -1)
        for k, region in enumerate(shapes):
            owner[shapely.covers(region, points) & (owner < 0)] = k
        for i in np.flatnonzero(owner < 0):
            distances = shapely.distance(shapes, points[i])
            if len(distances) and distances.min() <= OUTLINE_TOLERANCE_M:
                owner[i] = int(np.argmin(distances))
        # The ground outside every township (outline slivers) goes last, as a
        # region with no places of its own: the state-wide cells that cross it.
        rest = _polygonal(shapely.difference(outline, shapely.union_all(shapes)))
        if not rest.is_empty and rest.area > 1.0:
            regions.append((None, rest))
        frame = gpd.GeoDataFrame(
            {"k": np.arange(len(regions)), "ts_pcode": [pcode for pcode, _ in regions]},
            geometry=[region for _, region in regions],
            crs=crs,
        )
        run = map_regions or (lambda function, frame, **kwargs: function(frame, **kwargs))
        cut = run(
            region_pieces, frame, points=points, ids=ids, owner=owner, global_cells=global_cells
        )
        pieces = list(zip(cut["zone_id"], cut["ts_pcode"], cut.geometry, strict=True))
    pieces = [(pid, pcode, g) for pid, pcode, g in pieces if not g.is_empty]
    piece_frame = pd.DataFrame(
        {
            "zone_id": [p[0] for p in pieces],
            "ts_pcode": [p[1] for p in pieces],
            "area_km2": [p[2].area / 1e6 for p in pieces],
        }
    )
    parts: dict[str, list[BaseGeometry]] = {zone: [] for zone in ids}
    for pid, _, g in pieces:
        parts[pid].append(g)
    geometry = [
        parts[zone][0] if len(parts[zone]) == 1 else _polygonal(shapely.union_all(parts[zone]))
        for zone in ids
    ]
    others: dict[str, list[str]] = {zone: [] for zone in ids}
    for p, z in zone_of.items():
        if p != z:
            others[z].append(p)
    merged = {zone: ";".join(sorted(others[zone])) for zone in ids}
    # Reprojecting can fold a ring where two vertices lie a hair apart; repair those.
    stored = gpd.GeoSeries(geometry, crs=crs).to_crs(WGS84).to_numpy()
    folded = ~shapely.is_valid(stored)
    stored[folded] = [_polygonal(shapely.make_valid(g)) for g in stored[folded]]
    frame = gpd.GeoDataFrame(
        {
            "zone_id": ids,
            "place": ids,
            "merged": [merged[z] for z in ids],
            "area_km2": [g.area / 1e6 for g in geometry],
        },
        geometry=stored,
        crs=WGS84,
        index=pd.Index(ids),
    )
    frame.attrs["state_area_km2"] = outline.area / 1e6
    if townships is not None:
        frame.attrs["pieces"] = piece_frame
    return frame
