"""Coordinate reference systems: storage in WGS84, areas in an equal-area CRS.

Everything is stored in EPSG:4326.  Areas and distances are computed in an
Albers equal-area projection fitted to Myanmar (standard parallels 12°N and
26°N, centred on 96°E, 19°N), never in degrees or UTM.

Examples
--------
>>> import geopandas as gpd
>>> from shapely import box
>>> square = gpd.GeoSeries([box(96.0, 21.0, 97.0, 22.0)], crs=WGS84)
>>> round(float(area_km2(square).iloc[0]))
11473
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

__all__ = ["MYANMAR_ALBERS", "WGS84", "area_km2"]

WGS84 = "EPSG:4326"
MYANMAR_ALBERS = "+proj=aea +lat_0=19 +lon_0=96 +lat_1=12 +lat_2=26 +datum=WGS84 +units=m +no_defs"


def area_km2(geometries: gpd.GeoSeries | gpd.GeoDataFrame) -> pd.Series:
    """Area of each geometry in km², computed in :data:`MYANMAR_ALBERS`.

    Parameters
    ----------
    geometries : GeoSeries or GeoDataFrame
        Any CRS; it is reprojected, so it must have one.

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
    return series.to_crs(MYANMAR_ALBERS).area / 1e6
