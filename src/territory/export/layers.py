"""Vector layers for GIS: GeoJSON (RFC 7946) and GeoPackage.

:func:`write_geojson` writes one GeoDataFrame as an RFC 7946 FeatureCollection:
WGS84 longitude/latitude, counter-clockwise exterior rings (clockwise holes),
no ``crs`` member, coordinates rounded to 6 decimals (about 0.1 m) and dates
as ISO strings.  :func:`write_geopackage` writes the timeline's layers into
one GeoPackage whose ``valid_from``/``valid_to`` are real DateTime fields, so
QGIS's Temporal Controller can animate them.  Both write atomically.

Examples
--------
>>> import geopandas as gpd, pandas as pd, tempfile
>>> from pathlib import Path
>>> from shapely import box
>>> layer = gpd.GeoDataFrame(
...     {"actor": ["TNLA"], "valid_from": [pd.Timestamp("2023-11-12")]},
...     geometry=[box(97.1234567, 23.0, 97.5, 23.5, ccw=False)], crs="EPSG:4326")
>>> path = write_geojson(layer, Path(tempfile.mkdtemp()) / "zones.geojson")
>>> doc = json.loads(path.read_text())
>>> doc["features"][0]["properties"]
{'actor': 'TNLA', 'valid_from': '2023-11-12'}
>>> doc["features"][0]["geometry"]["coordinates"][0][0]
[97.123457, 23.0]
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from territory.crs import WGS84
from territory.errors import ArgumentError, ArgumentTypeError, TerritoryError
from territory.export.atomic import atomic_path, geojson_check, layers_check
from territory.export.frames import event_points
from territory.export.qgis_style import (
    LayerStyle,
    layer_styles_for,
    write_layer_styles,
    write_qgis_project,
)

if TYPE_CHECKING:
    from territory.timeline import ControlTimeline

__all__ = [
    "GEOJSON_DECIMALS",
    "geopackage_layers",
    "to_rfc7946",
    "write_geojson",
    "write_geopackage",
    "write_layers",
]

#: Decimals kept in GeoJSON coordinates (RFC 7946 §11.2 recommends 6: ~0.1 m).
GEOJSON_DECIMALS = 6


def _check_frame(layer: object, name: str = "layer") -> gpd.GeoDataFrame:
    if not isinstance(layer, gpd.GeoDataFrame):
        raise ArgumentTypeError(f"{name}: expected a GeoDataFrame, got {type(layer).__name__}")
    if layer.crs is None:
        raise ArgumentError(f"{name}: the GeoDataFrame has no CRS; expected one (EPSG:4326)")
    return layer


def _rfc7946_geometries(geoms: gpd.GeoSeries, decimals: int) -> np.ndarray:
    """Reproject to WGS84, round, then orient rings (after rounding, so it sticks)."""
    values = geoms.to_crs(WGS84).to_numpy()
    rounded = shapely.transform(values, lambda xy: np.round(xy, decimals))
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _json_value(value: Any) -> Any:
    """One property value as plain JSON: ISO days for dates, None for missing."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (list, tuple)):
        return [_json_value(item) for item in value]
    if isinstance(value, np.ndarray):
        return [_json_value(item) for item in value.tolist()]
    if isinstance(value, (pd.Timestamp, datetime)):
        stamp = pd.Timestamp(value)
        if stamp.tz is None and stamp == stamp.normalize():
            return stamp.date().isoformat()
        return stamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if value is pd.NA:
        return None
    return value


def to_rfc7946(
    layer: gpd.GeoDataFrame, *, id_column: str | None = None, decimals: int = GEOJSON_DECIMALS
) -> dict[str, Any]:
    """A GeoDataFrame as an RFC 7946 FeatureCollection (a plain dict).

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        Any CRS (it is reprojected to EPSG:4326).
    id_column : str, optional
        A column to use as each feature's ``id`` (it stays a property too).
    decimals : int, default 6
        Decimals kept in the coordinates.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``, with no ``crs``
        member.  Date and datetime values become ISO strings (``YYYY-MM-DD``
        for days at midnight); NaN, NaT and None become ``null``.

    Raises
    ------
    TerritoryError
        When ``layer`` is not a GeoDataFrame, has no CRS, or lacks ``id_column``.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame({"name": ["Laukkai"]}, geometry=[Point(98.0, 23.0)],
    ...                        crs="EPSG:4326")
    >>> to_rfc7946(pts, id_column="name")["features"][0]["id"]
    'Laukkai'
    """
    from territory.checks import MAX_DECIMALS, check_int_range, check_str

    check_int_range("decimals", decimals, 0, MAX_DECIMALS)
    check_str("id_column", id_column, optional=True)
    layer = _check_frame(layer)
    if id_column is not None and id_column not in layer.columns:
        raise ArgumentError(
            f"id_column: {id_column!r} is not a column of the layer; "
            f"expected one of {[c for c in layer.columns if c != layer.geometry.name]}"
        )
    geoms = _rfc7946_geometries(layer.geometry, decimals)
    columns = [c for c in layer.columns if c != layer.geometry.name]
    records = layer[columns].to_dict("records") if columns else [{}] * len(layer)
    features = []
    for geom, record in zip(geoms, records, strict=True):
        feature: dict[str, Any] = {"type": "Feature"}
        if id_column is not None:
            feature["id"] = _json_value(record[id_column])
        feature["properties"] = {key: _json_value(value) for key, value in record.items()}
        feature["geometry"] = (
            None if geom is None or shapely.is_empty(geom) else shapely.geometry.mapping(geom)
        )
        features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def write_geojson(
    layer: gpd.GeoDataFrame,
    path: str | Path,
    *,
    id_column: str | None = None,
    decimals: int = GEOJSON_DECIMALS,
) -> Path:
    """Write a layer as an RFC 7946 GeoJSON file, atomically.

    Parameters
    ----------
    layer : geopandas.GeoDataFrame
        For example ``tl.at(date)``, ``tl.intervals()`` or ``tl.changes(d0, d1)``.
    path : str or Path
        The file to write (replaced only when the write succeeds).
    id_column : str, optional
        A column whose values become the features' ``id``.
    decimals : int, default 6
        Decimals kept in the coordinates.

    Returns
    -------
    Path
        ``path``.

    See Also
    --------
    to_rfc7946 : the same document as a dict.

    Examples
    --------
    >>> import geopandas as gpd, tempfile
    >>> from pathlib import Path
    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(97.75, 22.93)], crs="EPSG:4326")
    >>> out = write_geojson(pts, Path(tempfile.mkdtemp()) / "p.geojson")
    >>> "crs" in json.loads(out.read_text())
    False
    """
    from territory.checks import check_path

    check_path("path", path)
    document = to_rfc7946(layer, id_column=id_column, decimals=decimals)
    check = geojson_check(len(document["features"]))
    with (
        atomic_path(path, verify=check) as temporary,
        temporary.open("w", encoding="utf-8") as stream,
    ):
        json.dump(document, stream, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Path(path)


def _gpkg_ready(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Columns GDAL can store: lists joined with ``;``, datetimes as naive days."""
    out = layer.to_crs(WGS84) if layer.crs != WGS84 else layer.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            out[column] = series.dt.tz_convert(None)
        elif series.dtype == object:
            sample = series.dropna()
            if len(sample) and isinstance(sample.iloc[0], (list, tuple, np.ndarray)):
                out[column] = series.map(
                    lambda v: (
                        ";".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v
                    )
                )
            elif len(sample) and isinstance(sample.iloc[0], (pd.Timestamp, datetime)):
                out[column] = pd.to_datetime(series)
    return _polygonal_collections(out).reset_index(drop=True)


def _polygonal_collections(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """In a polygon layer, replace GeometryCollections by their polygonal parts.

    Overlays (``changes``) can yield collections holding slivers of lines or
    points next to the polygons; a GeoPackage layer needs one geometry type.
    """
    kinds = frame.geometry.geom_type
    collections = kinds == "GeometryCollection"
    if not collections.any() or not kinds.isin(["Polygon", "MultiPolygon"]).any():
        return frame
    fixed = []
    for geom in frame.geometry[collections]:
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
        fixed.append(shapely.union_all(parts) if parts else shapely.MultiPolygon())
    frame.loc[collections, frame.geometry.name] = fixed
    return frame


def _mixed_multi(kinds: set[str]) -> bool:
    """True for one geometry type mixed with its multi-part form (Polygon + MultiPolygon).

    >>> _mixed_multi({"Polygon", "MultiPolygon"}), _mixed_multi({"Point"})
    (True, False)
    """
    return len(kinds) > 1 and len({k.removeprefix("Multi") for k in kinds}) == 1


def write_layers(
    layers: Mapping[str, gpd.GeoDataFrame],
    path: str | Path,
    *,
    metadata: Mapping[str, str] | None = None,
    styles: Mapping[str, LayerStyle] | None = None,
    project: tuple[Any, Any] | None = None,
) -> Path:
    """Write several GeoDataFrames as the layers of one GeoPackage, atomically.

    Datetime columns become GeoPackage DateTime fields (NaT is NULL); list
    columns are joined with ``;``.

    Parameters
    ----------
    layers : mapping of str to GeoDataFrame
        Layer name to layer, written in this order.  Empty layers are written too.
    path : str or Path
        The ``.gpkg`` file (replaced only when every layer was written).
    metadata : mapping of str to str, optional
        Written as every layer's metadata (e.g. ``ATTRIBUTION``).
    styles : mapping of layer name to LayerStyle, optional
        Default QGIS styles stored in the ``layer_styles`` table
        (:mod:`territory.export.qgis_style`).
    project : (date, date), optional
        With ``styles``: also store a QGIS project of the layers, its
        Temporal Controller over this range (``qgis_style.write_qgis_project``).

    Returns
    -------
    Path

    Examples
    --------
    >>> import geopandas as gpd, pandas as pd, tempfile, pyogrio
    >>> from pathlib import Path
    >>> from shapely import Point
    >>> pts = gpd.GeoDataFrame({"valid_from": [pd.Timestamp("2024-01-05")]},
    ...                        geometry=[Point(98.0, 23.0)], crs="EPSG:4326")
    >>> out = write_layers({"places": pts}, Path(tempfile.mkdtemp()) / "t.gpkg")
    >>> [name for name, _ in pyogrio.list_layers(out)]
    ['places']
    """
    from territory.checks import check_path

    check_path("path", path)
    if not layers:
        raise ArgumentError("layers: empty; expected at least one named GeoDataFrame")
    import pyogrio

    check = layers_check(
        {name: len(layer) for name, layer in layers.items()},
        extra=("layer_styles",) if styles else (),
    )
    with atomic_path(path, verify=check) as temporary:
        for name, layer in layers.items():
            frame = _gpkg_ready(_check_frame(layer, f"layers[{name!r}]"))
            kinds = set(frame.geometry.dropna().geom_type)
            pyogrio.write_dataframe(
                frame,
                temporary,
                layer=name,
                driver="GPKG",
                # Polygon + MultiPolygon in one layer: declare MultiPolygon, so GIS
                # tools see one geometry type instead of "Unknown".
                promote_to_multi=_mixed_multi(kinds),
                # 1.2, not GDAL 3.12's default 1.4: older GDAL (Debian's 3.6, most
                # QGIS installs) reads it without warnings.
                dataset_options={"VERSION": "1.2"},
                layer_metadata=dict(metadata) if metadata else None,
            )
        if styles:
            write_layer_styles(temporary, styles)
            if project is not None:
                write_qgis_project(
                    temporary, styles, start=project[0], end=project[1], gpkg_name=Path(path).name
                )
        _check_written(temporary, list(layers), len(styles or {}))
    return Path(path)


def _check_written(path: Path, names: list[str], styles: int) -> None:
    """Read the file back before it replaces the target: every layer, every style."""
    import pyogrio

    found = {str(name) for name, _ in pyogrio.list_layers(path)}
    missing = [name for name in names if name not in found]
    if missing or (styles and "layer_styles" not in found):
        raise TerritoryError(
            f"{path.name}: layers {missing or ['layer_styles']} are missing after the write; "
            "the existing file is kept"
        )


def _with_interval_columns(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("valid_from", "valid_to"):
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column])
    return frame


def geopackage_layers(
    tl: ControlTimeline,
    *,
    changes_between: tuple[object, object] | None = None,
) -> dict[str, gpd.GeoDataFrame]:
    """The layers :func:`write_geopackage` writes, as GeoDataFrames.

    Parameters
    ----------
    tl : ControlTimeline
    changes_between : (date, date), optional
        The period of the ``changes`` layer; default: from the baseline date to
        the as-of date of the dataset.

    Returns
    -------
    dict of str to GeoDataFrame
        ``control_intervals`` (zone polygons, one row per holder interval),
        ``places`` (every place with its holder on the as-of date),
        ``crossings`` (one row per holder interval of each crossing and trade
        zone: the gates that carry border trade),
        ``events`` (points, with their sources) and ``changes``
        (who lost ground to whom over ``changes_between``).
    """
    ds = tl.dataset
    d0, d1 = changes_between or (tl.baseline_date, tl.as_of)
    places = tl.places_at(tl.as_of)
    crossing_ids = list(ds.places.index[ds.places["kind"].isin(["crossing", "trade_zone"])])
    return {
        "control_intervals": _with_interval_columns(tl.intervals()),
        "places": places,
        "crossings": _with_interval_columns(tl.place_intervals(crossing_ids)),
        "events": event_points(ds),
        "changes": tl.changes(d0, d1),
    }


def write_geopackage(
    tl: ControlTimeline,
    path: str | Path,
    *,
    changes_between: tuple[object, object] | None = None,
) -> Path:
    """Write the timeline as a GeoPackage for QGIS, atomically.

    Layers: ``control_intervals``, ``places``, ``crossings`` (with their holder
    intervals), ``events`` and ``changes`` (see :func:`geopackage_layers`).
    ``valid_from`` and ``valid_to`` are DateTime fields.  The end is
    exclusive; a NULL ``valid_to`` means the interval is still open on the
    dataset's as-of date.

    Each layer carries a default QGIS style in the ``layer_styles`` table
    (actor colours, a hatch over contested zones, labels), and the file holds
    a QGIS project, ``territory``, of all the layers with temporal settings
    on: open it (Browser, or *Project > Open From > GeoPackage*) and the
    Temporal Controller animates the data in weekly frames, each showing the
    state on its first day, open intervals ending after the as-of date (see
    :mod:`territory.export.qgis_style`).

    Parameters
    ----------
    tl : ControlTimeline
    path : str or Path
        The ``.gpkg`` file to write.
    changes_between : (date, date), optional
        The period of the ``changes`` layer (default: the whole dataset).

    Returns
    -------
    Path
    """
    from territory.checks import check_pair, check_path, check_timeline

    check_timeline("tl", tl)
    check_path("path", path)
    check_pair("changes_between", changes_between)
    colours = {str(a): str(c) for a, c in tl.dataset.actors["colour"].items()}
    styles = layer_styles_for(colours, tl.as_of)
    project = (tl.baseline_date, tl.as_of + pd.Timedelta(days=1))
    credits = (
        {"ATTRIBUTION": "; ".join(tl.dataset.attributions)} if tl.dataset.attributions else None
    )
    return write_layers(
        geopackage_layers(tl, changes_between=changes_between),
        path,
        metadata=credits,
        styles=styles,
        project=project,
    )
