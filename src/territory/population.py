"""Population of zones: census totals spread over area, or a raster's zonal sums.

Two ways to put people into the nearest-place zones:

Census (default, needs townships)
    Each township's 2014 census total (``dataset.population``, keyed by
    ``ts_pcode``) is spread evenly over the township's ground inside the study
    area, and each zone gets the share that falls in it.  Townships without a
    census figure contribute nothing, and a zone with no ground in a township
    that has a figure is NaN (unknown), never 0; :func:`census_population`
    reports the share of the study area that has a figure, and
    :func:`population_coverage` says it in words, so a total is never passed
    off as complete.  :func:`known_sum` adds people up that way: NaN when none
    of the parts is known.
Raster
    With a population raster (a WorldPop-style GeoTIFF of people per pixel),
    each zone gets the sum of the pixels whose centres fall inside it
    (:func:`raster_population`, through rasterio, imported when called).

Examples
--------
>>> pieces = pd.DataFrame({"zone_id": ["a", "b", "b"], "ts_pcode": ["T1", "T1", "T2"],
...                        "area_km2": [30.0, 10.0, 50.0]})
>>> table = pd.DataFrame({"ts_pcode": ["T1"], "population": [4000]})
>>> people, coverage = census_population(pieces, table, ["a", "b"])
>>> people.to_dict(), round(coverage, 3)
({'a': 3000.0, 'b': 1000.0}, 0.444)
>>> people, _ = census_population(pieces, table, ["a", "b", "c"])
>>> people.to_dict()
{'a': 3000.0, 'b': 1000.0, 'c': nan}
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.errors import DataError

__all__ = ["census_population", "known_sum", "population_coverage", "raster_population"]


def census_population(
    pieces: pd.DataFrame, table: pd.DataFrame, zone_ids: list[str]
) -> tuple[pd.Series, float]:
    """Spread township totals over area and add them up by zone.

    Parameters
    ----------
    pieces : pandas.DataFrame
        ``zone_id``, ``ts_pcode`` and ``area_km2``: each zone's area in each
        township (``build_zones(...).attrs["pieces"]``).
    table : pandas.DataFrame
        ``ts_pcode`` and ``population`` (the census totals).
    zone_ids : list of str
        The zones to report, in order.

    Returns
    -------
    (pandas.Series, float)
        People per zone (indexed by zone id; NaN for a zone with no ground in
        a township that has a figure), and the share of the pieces' area that
        lies in a township with a census figure.
    """
    totals = (
        pd.to_numeric(table["population"], errors="coerce")
        .groupby(table["ts_pcode"])
        .sum(min_count=1)
    )
    township_area = pieces.groupby("ts_pcode")["area_km2"].sum()
    density = (totals / township_area).reindex(pieces["ts_pcode"]).to_numpy(dtype=float)
    people = pieces["area_km2"].to_numpy(dtype=float) * density
    known = ~np.isnan(people)
    by_zone = (
        pd.Series(people, index=pieces["zone_id"].to_numpy())
        .groupby(level=0)
        .sum(min_count=1)
        .reindex(zone_ids)
    )
    total_area = float(pieces["area_km2"].sum())
    coverage = float(pieces.loc[known, "area_km2"].sum()) / total_area if total_area else 0.0
    return by_zone.astype(float), coverage


def known_sum(values: np.ndarray) -> float:
    """The sum of the known values; NaN when none is known (never a 0 for "unknown").

    Examples
    --------
    >>> known_sum(np.array([1.0, np.nan])), known_sum(np.array([np.nan]))
    (1.0, nan)
    >>> known_sum(np.array([]))
    0.0
    """
    values = np.asarray(values, dtype=float)
    if len(values) and np.isnan(values).all():
        return float("nan")
    return float(np.nansum(values))


def population_coverage(
    table: pd.DataFrame, townships: pd.DataFrame, *, crs: str | None = None
) -> str:
    """In words, how much of the ground has a census figure.

    Parameters
    ----------
    table : pandas.DataFrame
        ``ts_pcode`` and ``population`` (the census totals).
    townships : pandas.DataFrame
        The township polygons, indexed by pcode, with geometry.
    crs : str, optional
        The equal-area CRS of the areas (normally ``Dataset.equal_area_crs``);
        default :func:`territory.crs.study_area_crs` of the townships.

    Returns
    -------
    str
        "population known for N of M townships, X % of the area".
    """
    from territory.crs import study_area_crs

    polygons = gpd.GeoSeries(townships.geometry, crs=townships.crs)
    known = set(table.loc[pd.to_numeric(table["population"], errors="coerce").notna(), "ts_pcode"])
    areas = polygons.to_crs(crs or study_area_crs(polygons)).area
    has = townships.index.isin(list(known))
    share = float(areas[has].sum() / areas.sum()) if len(areas) else 0.0
    return (
        f"population known for {int(has.sum())} of {len(townships)} townships, "
        f"{share:.0%} of the area"
    )


def raster_population(zones: gpd.GeoDataFrame, path: str | Path) -> pd.Series:
    """Zonal sums of a population raster: the people in each zone.

    A pixel counts for the zone that contains its centre; nodata pixels and
    negative values count as nothing.

    Parameters
    ----------
    zones : geopandas.GeoDataFrame
        Non-overlapping polygons, any CRS (reprojected to the raster's).
    path : str or Path
        A single-band GeoTIFF of people per pixel (WorldPop style).

    Returns
    -------
    pandas.Series
        People per zone, with the zones' index.

    Raises
    ------
    DataError
        When the file is missing or has no CRS.
    """
    import rasterio
    from rasterio import features

    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"population_raster: no such file {str(path)!r}; expected a GeoTIFF", file=path
        )
    with rasterio.open(path) as source:
        if source.crs is None:
            raise DataError(
                f"population_raster: {path.name} has no CRS; expected a georeferenced GeoTIFF",
                file=path,
            )
        values = source.read(1, masked=True).astype("float64")
        projected = zones.geometry.to_crs(source.crs)
        labels = features.rasterize(
            [(geom, i + 1) for i, geom in enumerate(projected) if geom is not None],
            out_shape=(source.height, source.width),
            transform=source.transform,
            fill=0,
            dtype="int32",
        )
    people = np.ma.filled(values, 0.0)
    people = np.where(np.isfinite(people) & (people > 0), people, 0.0)
    sums = np.bincount(labels.ravel(), weights=people.ravel(), minlength=len(zones) + 1)
    return pd.Series(sums[1:], index=zones.index, dtype=float)
