"""Spatial models: how the holders of places become holders of ground.

Every model returns *zones* in one shape (:func:`model_zones`), so the
timeline, its series, its exports and the township roll-up read them alike:
a GeoDataFrame indexed by zone id, where each zone id is the id of the place
whose holder the zone follows, with ``zone_id``, ``place``, ``merged``,
``layer``, ``area_km2`` and the polygon (EPSG:4326);
``attrs["state_area_km2"]`` and ``attrs["pieces"]`` (zone_id, ts_pcode,
area_km2: each zone's ground in each township).  Zones always partition the
study area.

``"nearest"``
    Each town, township seat, base and outpost commands its nearest-place
    cell (:func:`territory.zones.build_zones`).  Uses townships only when they
    are passed to the timeline, so its numbers stay those of earlier versions.
``"seat"``
    A township's whole ground follows its seat (:func:`territory.zones.township_seats`);
    a township without a ``township_seat`` place follows the place with most
    ground in it under ``"nearest"``.
``"layered"``
    Two layers.  *Settlements* command a **footprint**: a disc of a radius by
    kind (:data:`DEFAULT_FOOTPRINT_M`, overridden per dataset by
    ``"footprint_m": {"town": 2500, ...}`` in ``dataset.json`` and per place
    by an optional ``footprint_m`` column of ``places.csv``), or the place's
    urban polygon from an optional ``boundaries/footprints.geojson`` (column
    ``place``).  Footprints that overlap are split by nearest place.
    *Countryside units* are places of kind ``countryside``: by default one per
    township (id ``cs_<township slug>``, its ``township`` column naming the
    township), covering the township minus the footprints.  An optional
    ``boundaries/areas.geojson`` (column ``place``, a countryside place id)
    adds finer units, cut out of the township units (an earlier row wins
    where two overlap).  Ground outside every township polygon (the outline's
    slivers) joins the countryside unit of the nearest township.

The countryside's holder is its own: baseline rows and events of the
countryside places, never the town's.  The reserved holders
:data:`UNASSESSED` (no source yet; drawn grey) and :data:`CONTESTED` (no one
side holds it) are pseudo-actors with sides ``unassessed`` and ``contested``.

Examples
--------
>>> import territory
>>> ds = territory.load_shan()
>>> zones = model_zones("layered", ds, ds.townships)
>>> sorted(zones["layer"].unique())
['countryside', 'footprint']
>>> round(float(zones["area_km2"].sum() / zones.attrs["state_area_km2"]), 6)
1.0
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from territory.crs import WGS84
from territory.dataset import Dataset
from territory.errors import DataError, DataProblem, TerritoryError
from territory.townships import township_slug
from territory.zones import (
    _cells,
    _outline,
    _polygonal,
    area_places,
    build_zones,
    check_townships,
    township_seats,
)

__all__ = [
    "CONTESTED",
    "DEFAULT_FOOTPRINT_M",
    "MODELS",
    "RESERVED_HOLDERS",
    "UNASSESSED",
    "Model",
    "default_model",
    "footprint_radii",
    "model_zones",
]

Model = Literal["layered", "nearest", "seat"]
#: The spatial models, the default first.
MODELS: tuple[str, ...] = ("layered", "nearest", "seat")
#: The reserved holder for ground no source has assessed yet (side ``unassessed``).
UNASSESSED = "UNASSESSED"
#: The reserved holder for ground that no one side holds (side ``contested``).
CONTESTED = "CONTESTED"
RESERVED_HOLDERS: tuple[str, ...] = (UNASSESSED, CONTESTED)
#: Footprint radius in metres by kind: a modelling choice, not a sourced fact
#: (a small district town's built-up area is a few km across; a base's perimeter
#: far less).  Override it in ``dataset.json`` or per place.
DEFAULT_FOOTPRINT_M: dict[str, float] = {
    "township_seat": 3000.0,
    "town": 2000.0,
    "base": 1000.0,
    "outpost": 500.0,
}
COUNTRYSIDE_KIND = "countryside"
FOOTPRINTS_FILE = "boundaries/footprints.geojson"
AREAS_FILE = "boundaries/areas.geojson"
_MIN_PIECE_M2 = 1.0
#: Polygon parts smaller than this (m²) are dropped from zones: slivers left by
#: cutting one outline with another, which collapse when written at 1e-6°.
_MIN_PART_M2 = 1000.0


def _clean(geometry: dict[str, BaseGeometry]) -> dict[str, BaseGeometry]:
    """The zones without their sliver parts (see :data:`_MIN_PART_M2`)."""
    out = {}
    for zone, g in geometry.items():
        parts = [p for p in shapely.get_parts(g) if p.area >= _MIN_PART_M2]
        out[zone] = (
            shapely.union_all(parts)
            if len(parts) > 1
            else (parts[0] if parts else shapely.Polygon())
        )
    return out


def default_model(dataset: Dataset, townships: gpd.GeoDataFrame | None) -> str:
    """``"layered"`` when there are townships and countryside places, else ``"nearest"``.

    Examples
    --------
    >>> import territory
    >>> ds = territory.load_shan()
    >>> default_model(ds, ds.townships), default_model(ds, None)
    ('layered', 'nearest')
    """
    has_countryside = bool((dataset.places["kind"] == COUNTRYSIDE_KIND).any())
    return "layered" if townships is not None and has_countryside else "nearest"


def footprint_radii(dataset: Dataset) -> pd.Series:
    """The footprint radius (metres) of every settlement: per place, else by kind.

    Raises
    ------
    DataError
        Naming the file, row and column of every bad value.

    Examples
    --------
    >>> import territory
    >>> float(footprint_radii(territory.load_shan())["lashio"])
    3000.0
    """
    radii = dict(DEFAULT_FOOTPRINT_M)
    problems: list[DataProblem] = []
    meta_path = dataset.path / "dataset.json"
    meta: dict[str, Any] = (
        json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    )
    given = meta.get("footprint_m", {})
    if not isinstance(given, Mapping):
        problems.append(
            DataProblem(str(meta_path), None, "footprint_m", "expected an object kind -> metres")
        )
        given = {}
    for kind, value in given.items():
        if kind not in DEFAULT_FOOTPRINT_M:
            problems.append(
                DataProblem(
                    str(meta_path),
                    None,
                    "footprint_m",
                    f"{kind!r} is not a settlement kind; expected one of {list(DEFAULT_FOOTPRINT_M)}",
                )
            )
        elif not isinstance(value, int | float) or not value > 0:
            problems.append(
                DataProblem(
                    str(meta_path),
                    None,
                    "footprint_m",
                    f"{kind}: {value!r} is not a positive number",
                )
            )
        else:
            radii[kind] = float(value)
    places = dataset.places
    out = places["kind"].map(radii).astype(float)
    if "footprint_m" in places.columns:
        path = dataset.path / "boundaries/places.csv"
        for row, (pid, text) in enumerate(zip(places.index, places["footprint_m"], strict=True)):
            if text is None or str(text).strip() in ("", "nan", "<NA>"):
                continue
            try:
                value = float(text)
            except ValueError:
                value = float("nan")
            if not np.isfinite(value) or value <= 0:
                problems.append(
                    DataProblem(
                        str(path),
                        row + 2,
                        "footprint_m",
                        f"{text!r} is not valid: expected metres > 0",
                    )
                )
            else:
                out[pid] = value
    if problems:
        raise DataError(problems)
    return out


def _polygons(dataset: Dataset, relative: str) -> gpd.GeoDataFrame | None:
    """An optional polygon file of the dataset with a ``place`` column, in its equal-area CRS."""
    path = dataset.path / relative
    if not path.is_file():
        return None
    frame = gpd.read_file(path)
    frame = frame.set_crs(WGS84) if frame.crs is None else frame
    problems = []
    if "place" not in frame.columns:
        problems.append(
            DataProblem(str(path), None, "place", "missing column 'place' (a place id)")
        )
    else:
        for row, (pid, geom) in enumerate(zip(frame["place"], frame.geometry, strict=True)):
            if pid not in dataset.places.index:
                problems.append(
                    DataProblem(str(path), row + 2, "place", f"unknown place id {pid!r}")
                )
            if (
                geom is None
                or not geom.is_valid
                or geom.geom_type not in ("Polygon", "MultiPolygon")
            ):
                problems.append(
                    DataProblem(str(path), row + 2, "geometry", "expected a valid polygon")
                )
    if problems:
        raise DataError(problems)
    return frame.to_crs(dataset.equal_area_crs)


def _regions(
    townships: gpd.GeoDataFrame, outline: BaseGeometry, crs: str
) -> list[tuple[str, BaseGeometry]]:
    """Each township's ground inside the study area, disjoint (an earlier row wins)."""
    taken: list[BaseGeometry] = []
    regions = []
    for pcode, polygon in zip(
        townships["TS_PCODE"], townships.geometry.to_crs(crs).to_numpy(), strict=True
    ):
        region = _polygonal(shapely.intersection(shapely.make_valid(polygon), outline))
        hits = [g for g in taken if shapely.intersects(g, region)]
        if hits:
            region = _polygonal(shapely.difference(region, shapely.union_all(hits)))
        if region.area > _MIN_PIECE_M2:
            regions.append((str(pcode), region))
            taken.append(region)
    return regions


def _with_slivers(
    regions: list[tuple[str, BaseGeometry]], outline: BaseGeometry
) -> dict[str, BaseGeometry]:
    """Regions grown by the outline's ground outside every township, piece by nearest region."""
    grown = dict(regions)
    shapes = [g for _, g in regions]
    rest = _polygonal(shapely.difference(outline, shapely.union_all(shapes)))
    parts = [p for p in shapely.get_parts(rest) if p.area > _MIN_PIECE_M2]
    if parts:
        tree = shapely.STRtree(shapes)
        nearest = tree.query_nearest(parts, all_matches=False)[1]
        extra: dict[str, list[BaseGeometry]] = {}
        for part, k in zip(parts, nearest, strict=True):
            extra.setdefault(regions[int(k)][0], []).append(part)
        for pcode, pieces in extra.items():
            grown[pcode] = _polygonal(shapely.union_all([grown[pcode], *pieces]))
    return grown


def _repaired(geometry: BaseGeometry) -> BaseGeometry:
    """A valid polygonal version of ``geometry``, its holes still cut out.

    GEOS's "structure" method subtracts the holes from the shells; the default
    "linework" method can fill a hole that a reprojection pushed across its
    shell, so that the zone covers the footprint inside it a second time.
    """
    return _polygonal(shapely.make_valid(geometry, method="structure", keep_collapsed=False))


def _unfolded(geometry: BaseGeometry, crs: str) -> BaseGeometry:
    """A zone (EPSG:4326) whose ring reprojection folded: repaired, without sliver parts."""
    parts = shapely.get_parts(_repaired(geometry))
    areas = gpd.GeoSeries(parts, crs=WGS84).to_crs(crs).area.to_numpy()
    return shapely.union_all(parts[areas >= _MIN_PART_M2])


def _round_trip_valid(stored: np.ndarray, crs: str) -> np.ndarray:
    """Zones (EPSG:4326) that stay valid when projected back to the equal-area ``crs``.

    Vertices a hair apart can cross once reprojected; snapping such a zone to a
    grid of 1e-9° (0.1 mm) to 1e-7° (1 cm) removes them without moving its area.
    """

    def projected(g: BaseGeometry) -> BaseGeometry:
        return gpd.GeoSeries([g], crs=WGS84).to_crs(crs).iloc[0]

    def wgs84(g: BaseGeometry) -> BaseGeometry:
        return gpd.GeoSeries([g], crs=crs).to_crs(WGS84).iloc[0]

    back = gpd.GeoSeries(stored, crs=WGS84).to_crs(crs).to_numpy()
    for i in np.flatnonzero(~shapely.is_valid(back)):
        candidates = [shapely.set_precision(stored[i], grid) for grid in (1e-9, 1e-8, 1e-7)]
        repaired = back[i]
        for _ in range(3):  # repair in ``crs``, then in WGS84, until both are valid
            repaired = _repaired(repaired)
            candidates.append(_repaired(wgs84(repaired)))
            repaired = projected(candidates[-1])
        for candidate in candidates:
            if candidate.is_valid and projected(candidate).is_valid:
                stored[i] = candidate
                break
    return stored


def _frame(
    geometry: dict[str, BaseGeometry],
    layer: dict[str, str],
    merged: dict[str, str],
    pieces: list[tuple[str, str | None, float]],
    outline: BaseGeometry,
    crs: str,
) -> gpd.GeoDataFrame:
    """Zones in the shape every model returns (``geometry`` in metres of ``crs``)."""
    ids = [z for z, g in geometry.items() if not g.is_empty]
    shapes = [geometry[z] for z in ids]
    stored = gpd.GeoSeries(shapes, crs=crs).to_crs(WGS84).to_numpy()
    folded = ~shapely.is_valid(stored)
    stored[folded] = [_unfolded(g, crs) for g in stored[folded]]
    stored = _round_trip_valid(stored, crs)
    frame = gpd.GeoDataFrame(
        {
            "zone_id": ids,
            "place": ids,
            "merged": [merged.get(z, "") for z in ids],
            "layer": [layer[z] for z in ids],
            "area_km2": [g.area / 1e6 for g in shapes],
        },
        geometry=stored,
        crs=WGS84,
        index=pd.Index(ids),
    )
    frame.attrs["state_area_km2"] = outline.area / 1e6
    frame.attrs["pieces"] = pd.DataFrame(
        [p for p in pieces if p[2] > 0], columns=["zone_id", "ts_pcode", "area_km2"]
    )
    return frame


def _pieces(
    geometry: dict[str, BaseGeometry], regions: list[tuple[str, BaseGeometry]]
) -> list[tuple[str, str | None, float]]:
    """(zone, township, km²) for every zone's ground in every township; the rest as None."""
    shapes = [g for _, g in regions]
    tree = shapely.STRtree(shapes)
    out: list[tuple[str, str | None, float]] = []
    for zone, g in geometry.items():
        inside = 0.0
        for k in tree.query(g, predicate="intersects"):
            area = shapely.intersection(g, shapes[int(k)]).area
            inside += area
            out.append((zone, regions[int(k)][0], area / 1e6))
        if g.area - inside > _MIN_PIECE_M2:
            out.append((zone, None, (g.area - inside) / 1e6))
    return out


def _merged(zone_of: pd.Series) -> dict[str, str]:
    others: dict[str, list[str]] = {}
    for pid, zone in zone_of.items():
        if pid != zone:
            others.setdefault(str(zone), []).append(str(pid))
    return {zone: ";".join(sorted(ids)) for zone, ids in others.items()}


def _layered(dataset: Dataset, townships: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    places, state, crs = dataset.places, dataset.state, dataset.equal_area_crs
    outline = _outline(state, crs)
    regions = _regions(townships, outline, crs)
    grown = _with_slivers(regions, outline)
    # Settlements: footprints, split by nearest place where they overlap.
    zone_of = area_places(places, state, crs=crs)
    ids = [str(p) for p, z in zone_of.items() if p == z]
    points = places.geometry.loc[ids].to_crs(crs).to_numpy()
    radii = footprint_radii(dataset)
    urban = _polygons(dataset, FOOTPRINTS_FILE)
    urban_of = (
        {}
        if urban is None
        else {str(p): g for p, g in zip(urban["place"], urban.geometry, strict=True)}
    )
    discs = [
        urban_of[pid]
        if pid in urban_of
        else shapely.buffer(point, float(radii[pid]), quad_segs=16)
        for pid, point in zip(ids, points, strict=True)
    ]
    cells = _cells(points, outline)
    geometry: dict[str, BaseGeometry] = {
        pid: _polygonal(shapely.intersection(disc, cell))
        for pid, disc, cell in zip(ids, discs, cells, strict=True)
    }
    layer = dict.fromkeys(ids, "footprint")
    settled = shapely.union_all(list(geometry.values()))
    # Countryside: finer units first, then one unit per township.
    countryside = places.loc[places["kind"] == COUNTRYSIDE_KIND]
    areas = _polygons(dataset, AREAS_FILE)
    taken = settled
    if areas is not None:
        for pid, polygon in zip(areas["place"], areas.geometry, strict=True):
            unit = _polygonal(shapely.difference(shapely.intersection(polygon, outline), taken))
            geometry[str(pid)] = _polygonal(
                shapely.union_all([geometry.get(str(pid), unit), unit])
            )
            layer[str(pid)] = "countryside"
            taken = shapely.union_all([taken, unit])
    fine = set(geometry) - set(ids)
    unit_of: dict[str, str] = {}
    for pid, township in zip(countryside.index, countryside["township"], strict=True):
        if str(pid) not in fine:
            unit_of.setdefault(township_slug(str(township)), str(pid))
    missing: list[str] = []
    for pcode, name in zip(townships["TS_PCODE"], townships["TS"], strict=True):
        if str(pcode) not in grown:
            continue
        unit_id = unit_of.get(township_slug(str(name)))
        if unit_id is None:
            missing.append(str(name))
            continue
        geometry[unit_id] = _polygonal(shapely.difference(grown[str(pcode)], taken))
        layer[unit_id] = "countryside"
    if missing:
        raise DataError(
            DataProblem(
                str(dataset.path / "boundaries/places.csv"),
                None,
                "kind",
                f"the layered model needs a place of kind 'countryside' for every township; "
                f"none names {len(missing)} township(s) in its 'township' column: {missing[:10]}",
            )
        )
    geometry = _clean(geometry)
    return _frame(geometry, layer, _merged(zone_of), _pieces(geometry, regions), outline, crs)


def _seat(dataset: Dataset, townships: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    places, state, crs = dataset.places, dataset.state, dataset.equal_area_crs
    outline = _outline(state, crs)
    regions = _regions(townships, outline, crs)
    grown = _with_slivers(regions, outline)
    nearest = build_zones(places, state, townships, crs=crs)
    pieces = nearest.attrs["pieces"].dropna(subset=["ts_pcode"])
    largest = (
        pieces.sort_values(["ts_pcode", "area_km2", "zone_id"], ascending=[True, False, True])
        .drop_duplicates("ts_pcode")
        .set_index("ts_pcode")["zone_id"]
    )
    seats = township_seats(places, townships, crs=crs)["seat"]
    decider = seats.where(seats.notna(), largest.reindex(seats.index))
    parts: dict[str, list[BaseGeometry]] = {}
    owned: list[tuple[str, str]] = []
    for pcode, region in grown.items():
        zone = str(decider[pcode])
        parts.setdefault(zone, []).append(region)
        owned.append((zone, pcode))
    geometry = {z: _polygonal(shapely.union_all(g)) for z, g in parts.items()}
    layer = dict.fromkeys(geometry, "township")
    cut = dict(regions)
    piece_rows: list[tuple[str, str | None, float]] = []
    for zone, pcode in owned:
        inside = cut[pcode].area
        piece_rows.append((zone, pcode, inside / 1e6))
        if grown[pcode].area - inside > _MIN_PIECE_M2:
            piece_rows.append((zone, None, (grown[pcode].area - inside) / 1e6))
    return _frame(geometry, layer, {}, piece_rows, outline, crs)


def model_zones(
    model: str, dataset: Dataset, townships: gpd.GeoDataFrame | None
) -> gpd.GeoDataFrame:
    """The zones of a spatial model (see the module docs for their shape).

    Parameters
    ----------
    model : {"layered", "nearest", "seat"}
    dataset : Dataset
    townships : geopandas.GeoDataFrame or None
        Needed by ``"layered"`` and ``"seat"``.

    Raises
    ------
    TerritoryError
        For an unknown model, or a model that needs townships without them.
    DataError
        When the layered model's inputs are wrong (every problem at once).
    """
    if model not in MODELS:
        raise TerritoryError(f"model: {model!r} is not known; expected one of {list(MODELS)}")
    if model == "nearest":
        return build_zones(dataset.places, dataset.state, townships, crs=dataset.equal_area_crs)
    if townships is None:
        raise TerritoryError(
            f"model: {model!r} needs township polygons; the dataset ships none, so pass "
            "townships=territory.read_townships(path) or use model='nearest'"
        )
    check_townships(townships)
    return _layered(dataset, townships) if model == "layered" else _seat(dataset, townships)
