"""Coordinate reference systems: storage in WGS84, areas and distances in an equal-area CRS.

Everything is stored in EPSG:4326.  Areas and distances are computed in an
equal-area projection *for the study area*, never in degrees or UTM:

* a dataset may name one in ``dataset.json`` (``"equal_area_crs"``, a PROJ
  string or anything :class:`pyproj.CRS` accepts); the embedded Shan State
  dataset names :data:`MYANMAR_ALBERS`;
* otherwise :func:`study_area_crs` fits one to the study area's extent.

Every module reads the dataset's choice through ``Dataset.equal_area_crs``.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> square = gpd.GeoSeries([box(96.0, 21.0, 97.0, 22.0)], crs=WGS84)
>>> round(float(area_km2(square).iloc[0]))
11473
>>> study_area_crs((10.0, 49.0, 12.0, 52.0))
'+proj=aea +lat_0=50.5 +lon_0=11 +lat_1=49.5 +lat_2=51.5 +datum=WGS84 +units=m +no_defs'
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd
import pyproj

__all__ = ["MYANMAR_ALBERS", "WGS84", "area_km2", "check_equal_area", "study_area_crs"]

WGS84 = "EPSG:4326"
#: The Albers equal-area CRS of the embedded Shan State dataset (named in its dataset.json).
MYANMAR_ALBERS = "+proj=aea +lat_0=19 +lon_0=96 +lat_1=12 +lat_2=26 +datum=WGS84 +units=m +no_defs"

#: Below this latitude (absolute, of the nearer standard parallel's mirror) an
#: Albers cone degenerates; see :func:`study_area_crs`.
_EQUATORIAL_DEG = 5.0


def _number(value: float) -> str:
    """A coordinate for a PROJ string: at most 4 decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def study_area_crs(bounds: Sequence[float] | gpd.GeoSeries | gpd.GeoDataFrame) -> str:
    """An equal-area CRS centred on a study area, as a PROJ string.

    Albers equal-area conic with standard parallels at 1/6 and 5/6 of the
    latitude span (the classic rule: scale error is then spread evenly over
    the area), centred on the extent's middle.  Albers needs its two
    parallels on the same side of the equator and away from it (the cone
    flattens into a cylinder as their mean nears 0°), so when the mean of the
    parallels lies within 5° of the equator, or the area spans it, the
    result is instead a Lambert azimuthal equal-area projection centred on
    the extent: equal-area too, and its distance error grows only with the
    distance from the centre, which for a study area of a few hundred
    kilometres is well under 1 %.

    Parameters
    ----------
    bounds : (west, south, east, north) in degrees, or a GeoSeries/GeoDataFrame
        The study area's extent in WGS84 longitude/latitude, or its shapes
        (reprojected to WGS84 when they have another CRS).

    Returns
    -------
    str
        A PROJ string in metres on the WGS84 datum.

    Examples
    --------
    >>> study_area_crs((96.0, 19.0, 101.0, 24.5))
    '+proj=aea +lat_0=21.75 +lon_0=98.5 +lat_1=19.9167 +lat_2=23.5833 +datum=WGS84 +units=m +no_defs'
    >>> study_area_crs((30.0, -1.0, 31.0, 2.0))
    '+proj=laea +lat_0=0.5 +lon_0=30.5 +datum=WGS84 +units=m +no_defs'
    """
    if isinstance(bounds, gpd.GeoSeries | gpd.GeoDataFrame):
        shapes = bounds if bounds.crs is None else bounds.to_crs(WGS84)
        bounds = tuple(float(v) for v in shapes.total_bounds)
    west, south, east, north = (float(v) for v in bounds)
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        from territory.errors import TerritoryError

        raise TerritoryError(
            f"bounds: {(west, south, east, north)} is not a (west, south, east, north) "
            "extent in degrees"
        )
    lon_0 = (west + east) / 2
    lat_0 = (south + north) / 2
    span = north - south
    lat_1, lat_2 = south + span / 6, north - span / 6
    tail = "+datum=WGS84 +units=m +no_defs"
    if lat_1 * lat_2 <= 0 or abs(lat_1 + lat_2) / 2 < _EQUATORIAL_DEG or span == 0:
        return f"+proj=laea +lat_0={_number(lat_0)} +lon_0={_number(lon_0)} {tail}"
    return (
        f"+proj=aea +lat_0={_number(lat_0)} +lon_0={_number(lon_0)} "
        f"+lat_1={_number(lat_1)} +lat_2={_number(lat_2)} {tail}"
    )


def check_equal_area(crs: str) -> str:
    """``crs`` if it is a projected CRS in metres, else a clear error.

    The projection's name is checked against PROJ's equal-area methods, since
    an area computed in another projection (UTM, Mercator, degrees) is wrong.

    Examples
    --------
    >>> check_equal_area(MYANMAR_ALBERS) == MYANMAR_ALBERS
    True
    >>> check_equal_area("EPSG:32647")
    Traceback (most recent call last):
    ...
    ValueError: equal_area_crs: 'EPSG:32647' is not an equal-area projection (got Transverse Mercator); expected e.g. '+proj=aea ...' or '+proj=laea ...'
    """
    try:
        parsed = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError as error:
        raise ValueError(
            f"equal_area_crs: {crs!r} is not a CRS PROJ understands ({error})"
        ) from None
    method = ""
    if parsed.coordinate_operation is not None:
        method = parsed.coordinate_operation.method_name
    equal_area = (
        "Albers Equal Area",
        "Lambert Azimuthal Equal Area",
        "Lambert Cylindrical Equal Area",
    )
    unit = parsed.axis_info[0].unit_name if parsed.axis_info else ""
    if not parsed.is_projected or not any(m in method for m in equal_area) or unit != "metre":
        got = method or ("geographic degrees" if parsed.is_geographic else parsed.name)
        raise ValueError(
            f"equal_area_crs: {crs!r} is not an equal-area projection (got {got}); "
            "expected e.g. '+proj=aea ...' or '+proj=laea ...'"
        )
    return crs


def area_km2(geometries: gpd.GeoSeries | gpd.GeoDataFrame, crs: str | None = None) -> pd.Series:
    """Area of each geometry in km², computed in an equal-area CRS.

    Parameters
    ----------
    geometries : GeoSeries or GeoDataFrame
        Any CRS; it is reprojected, so it must have one.
    crs : str, optional
        The equal-area CRS (normally ``Dataset.equal_area_crs``); default
        :func:`study_area_crs` of the geometries' own extent.

    Returns
    -------
    pandas.Series
        Areas in square kilometres, with the input's index.
    """
    from territory.checks import check_frame

    check_frame("geometries", geometries)
    if geometries.crs is None:
        from territory.errors import ArgumentError

        raise ArgumentError("area_km2: geometries has no CRS; expected one (normally EPSG:4326)")
    series = geometries.geometry if isinstance(geometries, gpd.GeoDataFrame) else geometries
    if crs is None:
        shapes = series[series.notna() & ~series.is_empty]
        if shapes.empty:  # nothing to measure: every area is 0
            return pd.Series(0.0, index=series.index)
        crs = study_area_crs(shapes)
    return series.to_crs(crs).area / 1e6
