"""Control rasters: a GeoTIFF with one band of actor codes per date.

Each zone is rasterized once into a grid of zone numbers; each date's band is
then a table look-up (zone number → the holder's actor code), so many dates
cost little more than one.  Codes are ``uint8``: 0 means no data (outside every
zone); actors are numbered from 1 in the order of the dataset's actors table.
The file carries the code → actor table in its metadata (tag ``ACTOR_CODES``,
JSON, ``ACTOR_COLOURS`` and one tag ``ACTOR_<code>`` per actor); each band's
description is its ISO date.  A one-band file has the actors' colour table;
every file has a QGIS style beside it (``<stem>.qml``: a paletted renderer
in the actors' colours), so QGIS shows actor colours for any band, however
many bands the stack has.

The holder of each zone on each band's date is read from the timeline's
state matrix (:meth:`ControlTimeline.holders
<territory.timeline.ControlTimeline.holders>`, :func:`zone_codes`).

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> zones, codes, by_date = zone_codes(tl, band_dates(tl, ["2023-11-01", "2024-09-01"]))
>>> [sorted(codes, key=codes.get)[c - 1] for c in by_date[:, list(zones.index).index("lashio")]]
['SAC', 'MNDAA']
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import numpy as np
import pandas as pd

from territory.crs import WGS84, check_equal_area, study_area_crs
from territory.dates import parse_days
from territory.errors import ArgumentError, TerritoryError
from territory.export.atomic import atomic_path, raster_check

if TYPE_CHECKING:
    from affine import Affine
    from shapely.geometry.base import BaseGeometry

    from territory.timeline import ControlTimeline

__all__ = [
    "NODATA",
    "actor_code_table",
    "band_dates",
    "code_lookup",
    "open_code_raster",
    "raster_style_path",
    "rasterize_zones",
    "write_code_raster",
    "write_geotiff",
    "write_raster_style",
    "zone_codes",
    "zone_grid",
]

#: The code of cells outside every zone.
NODATA = 0
#: Metres in one degree of latitude (for a grid in EPSG:4326).
_METRES_PER_DEGREE = 111_320.0


def actor_code_table(actors: Iterable[str]) -> dict[str, int]:
    """Number actors from 1 in the given order (0 is no data).

    Examples
    --------
    >>> actor_code_table(["SAC", "MNDAA", "TNLA"])
    {'SAC': 1, 'MNDAA': 2, 'TNLA': 3}
    """
    ids = list(dict.fromkeys(actors))
    if len(ids) > 255:
        raise TerritoryError(f"actors: {len(ids)} actors; a uint8 raster holds at most 255")
    return {actor: code for code, actor in enumerate(ids, start=1)}


def _grid_crs(crs: str, zones: gpd.GeoSeries) -> str:
    """``"albers"``: an equal-area CRS fitted to the zones; an equal-area CRS; or WGS84."""
    if crs.lower() == "albers":
        return study_area_crs(zones)
    if crs.upper() in ("EPSG:4326", "WGS84"):
        return WGS84
    try:
        return check_equal_area(crs)
    except ValueError:
        raise ArgumentError(
            f"crs: {crs!r} is not supported; expected 'albers', an equal-area CRS or 'EPSG:4326'"
        ) from None


def rasterize_zones(
    zones: gpd.GeoSeries, *, resolution_m: float = 1000.0, crs: str = "albers"
) -> tuple[np.ndarray, Affine, str]:
    """Burn each zone once into a grid of zone numbers.

    Parameters
    ----------
    zones : geopandas.GeoSeries
        One polygon per zone, in any CRS.
    resolution_m : float, default 1000
        Cell size in metres.  In EPSG:4326 the cell is square in degrees:
        ``resolution_m / 111320`` degrees.
    crs : {"albers", "EPSG:4326"}
        The grid's CRS: an Albers equal-area CRS fitted to the zones (cells of
        equal area), any other equal-area CRS, or WGS84.

    Returns
    -------
    (numpy.ndarray, affine.Affine, str)
        The grid (``int32``: the zone's position in ``zones`` plus 1; 0 outside
        every zone), its transform and its CRS.

    Examples
    --------
    >>> from shapely import box
    >>> z = gpd.GeoSeries([box(97.0, 22.0, 97.5, 22.5), box(97.5, 22.0, 98.0, 22.5)],
    ...                   crs="EPSG:4326")
    >>> grid, transform, crs = rasterize_zones(z, resolution_m=5000, crs="EPSG:4326")
    >>> grid.shape, sorted(set(np.unique(grid).tolist()) - {0})
    ((12, 23), [1, 2])
    """
    from rasterio import features

    shapes, shape, affine, grid_crs = zone_grid(zones, resolution_m=resolution_m, crs=crs)
    grid = features.rasterize(shapes, out_shape=shape, transform=affine, fill=0, dtype="int32")
    return grid, affine, grid_crs


def zone_grid(
    zones: gpd.GeoSeries, *, resolution_m: float, crs: str
) -> tuple[list[tuple[BaseGeometry, int]], tuple[int, int], Affine, str]:
    """The grid that covers the zones, without burning it.

    Returns
    -------
    (list, (int, int), affine.Affine, str)
        The (polygon, zone number) pairs to burn (numbers from 1, in ``zones``
        order), the grid's (height, width), its transform and its CRS.
    """
    from affine import Affine

    from territory.checks import check_grid_size

    if not resolution_m > 0:
        raise ArgumentError(f"resolution_m: {resolution_m!r}; expected a positive number")
    grid_crs = _grid_crs(crs, zones)
    projected = zones.to_crs(grid_crs)
    cell = resolution_m if grid_crs != WGS84 else resolution_m / _METRES_PER_DEGREE
    west, south, east, north = projected.total_bounds
    width = max(1, math.ceil((east - west) / cell))
    height = max(1, math.ceil((north - south) / cell))
    check_grid_size("resolution_m", resolution_m, width, height)
    shapes = [
        (geom, number)
        for number, geom in enumerate(projected.values, start=1)
        if geom is not None and not geom.is_empty
    ]
    return shapes, (height, width), Affine(cell, 0.0, west, 0.0, -cell, north), grid_crs


def _rgba(colour: str) -> tuple[int, int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16), 255


def write_code_raster(
    grid: np.ndarray,
    transform: Affine,
    crs: str,
    codes_by_date: np.ndarray,
    dates: Sequence[pd.Timestamp],
    codes: Mapping[str, int],
    colours: Mapping[str, str],
    path: str | Path,
) -> Path:
    """Write the zone grid relabelled for each date as a multi-band GeoTIFF.

    Parameters
    ----------
    grid : numpy.ndarray
        Zone numbers from :func:`rasterize_zones` (0 = outside).
    transform, crs
        The grid's transform and CRS.
    codes_by_date : numpy.ndarray
        From :func:`zone_codes`: (dates, zones) actor codes.
    dates : sequence of Timestamp
        One band each; the band description is the ISO date.
    codes : mapping of actor id to code
    colours : mapping of actor id to ``#rrggbb``
    path : str or Path
        The ``.tif`` to write (atomically).

    Returns
    -------
    Path
    """
    lookup = code_lookup(codes_by_date)
    with open_code_raster(path, grid.shape, transform, crs, dates, codes, colours) as dst:
        for band in range(1, len(dates) + 1):
            dst.write(lookup[band - 1][grid], band)
    return Path(path)


def code_lookup(codes_by_date: np.ndarray) -> np.ndarray:
    """Zone number → actor code, per date: ``codes_by_date`` with a 0 column for no zone."""
    lookup = np.zeros((len(codes_by_date), codes_by_date.shape[1] + 1), dtype=np.uint8)
    lookup[:, 1:] = codes_by_date
    return lookup


@contextmanager
def open_code_raster(
    path: str | Path,
    shape: tuple[int, int],
    transform: Affine,
    crs: str,
    dates: Sequence[pd.Timestamp],
    codes: Mapping[str, int],
    colours: Mapping[str, str],
) -> Iterator[Any]:
    """Open a GeoTIFF of actor codes for writing, atomically, with all but its pixels.

    The profile (``uint8``, deflate), the code → actor tags, each band's date
    and the colours are written; the caller writes the pixels.  The file
    appears at ``path`` only when the block ends without an error, with its
    QGIS style beside it (:func:`write_raster_style`).

    A TIFF holds one colour table, for a one-band file: with more bands GDAL
    drops it (bands 2 and up cannot carry one, and a 3- or 4-band palette
    file reads as grey).  So a one-band file is a palette TIFF; a stack is
    grey-scale (``PHOTOMETRIC=MINISBLACK``, so no tool mistakes it for RGB)
    and its colours travel in the QGIS style (paletted renderer, any band) and
    the ``ACTOR_COLOURS`` tag.
    """
    import rasterio

    if len(dates) == 0:
        raise ArgumentError("dates: empty; expected at least one date")
    height, width = shape
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": len(dates),
        "dtype": "uint8",
        "crs": crs,
        "transform": transform,
        "nodata": NODATA,
        "compress": "deflate",
        "tiled": height >= 256 and width >= 256,
        "photometric": "palette" if len(dates) == 1 else "minisblack",
        "interleave": "band",
    }
    rgba = {actor: _rgba(colours.get(actor, "#808080")) for actor in codes}
    check = raster_check(len(dates), width, height)
    with atomic_path(path, verify=check) as temporary:
        with rasterio.open(temporary, "w", **profile) as dst:
            if len(dates) == 1:
                colormap = {NODATA: (0, 0, 0, 0)}
                colormap.update({codes[actor]: value for actor, value in rgba.items()})
                dst.write_colormap(1, colormap)
            dst.update_tags(
                ACTOR_CODES=json.dumps({str(code): actor for actor, code in codes.items()}),
                ACTOR_COLOURS=json.dumps(
                    {
                        str(codes[a]): "#{:02x}{:02x}{:02x}".format(*value[:3])
                        for a, value in rgba.items()
                    }
                ),
                NODATA_MEANING="0 = outside every zone",
                **{f"ACTOR_{code}": actor for actor, code in codes.items()},
            )
            yield dst
            for band, date in enumerate(dates, start=1):
                iso = pd.Timestamp(date).date().isoformat()
                dst.set_band_description(band, iso)
                dst.update_tags(band, DATE=iso)
        _check_raster(temporary, len(dates))
    write_raster_style(path, codes, colours)


def _check_raster(path: Path, bands: int) -> None:
    """Read the file back before it replaces the target."""
    import rasterio

    with rasterio.open(path) as src:
        if src.count != bands or any(not d for d in src.descriptions):
            raise TerritoryError(
                f"{path.name}: {src.count} band(s) with dates {src.descriptions} after the "
                f"write; expected {bands}; the existing file is kept"
            )


def raster_style_path(path: str | Path) -> Path:
    """The QGIS style file QGIS loads by default with a raster: ``<stem>.qml`` beside it.

    >>> raster_style_path("out/stack.tif").as_posix()
    'out/stack.qml'
    """
    return Path(path).with_suffix(".qml")


def write_raster_style(
    path: str | Path, codes: Mapping[str, int], colours: Mapping[str, str]
) -> Path:
    """Write the paletted QGIS style of a code raster beside it (atomically).

    QGIS opens a raster with the ``<stem>.qml`` next to it as its default
    style: here a paletted renderer, one class per actor in its colour and
    named after it, which QGIS applies to whichever band is chosen.

    Returns
    -------
    Path
        The ``.qml`` file.
    """
    from territory.export.qgis_style import raster_qml

    target = raster_style_path(path)
    classes = [(code, actor, colours.get(actor, "#808080")) for actor, code in codes.items()]
    with atomic_path(target) as temporary:
        temporary.write_text(raster_qml(classes), encoding="utf-8")
    return target


def band_dates(tl: ControlTimeline, dates: Any) -> list[pd.Timestamp]:
    """The days of the bands: one date-like or many, each in the dataset's range.

    Raises
    ------
    DateRangeError
        When a date lies outside ``[baseline_date, as_of]`` of the timeline.
    TerritoryError
        When there is no date.
    """
    stamps = list(parse_days(dates, "dates", tl.baseline_date, tl.as_of))
    if not stamps:
        raise ArgumentError("dates: empty; expected at least one date")
    return stamps


def zone_codes(
    tl: ControlTimeline, stamps: Sequence[pd.Timestamp]
) -> tuple[gpd.GeoSeries, dict[str, int], np.ndarray]:
    """The zones, the actor code table and each zone's holder code on each date.

    Returns
    -------
    (geopandas.GeoSeries, dict, numpy.ndarray)
        One polygon per zone (indexed by ``zone_id``), actor id → code (the
        dataset's actor order), and the (dates, zones) codes of
        the state matrix (:meth:`ControlTimeline.holders
        <territory.timeline.ControlTimeline.holders>`).
    """
    zones = tl.zones.geometry.rename_axis("zone_id")
    codes = actor_code_table(tl.dataset.actors.index)
    state = tl.holders(stamps, list(zones.index))
    unknown = sorted({state.actors[i] for i in np.unique(state.holder)} - set(codes))
    if unknown:
        raise TerritoryError(f"actors {unknown} hold zones but have no code in the actors table")
    code_of = np.array([codes.get(actor, NODATA) for actor in state.actors], dtype=np.uint8)
    return zones, codes, code_of[state.holder]


def write_geotiff(
    tl: ControlTimeline,
    dates: Any,
    path: str | Path,
    *,
    resolution_m: float = 1000.0,
    crs: str = "albers",
) -> Path:
    """Write who holds each cell on each date as a GeoTIFF, one band per date.

    Parameters
    ----------
    tl : ControlTimeline
    dates : date-like or iterable of date-likes
        Each must lie in ``[baseline_date, as_of]`` of the dataset.
    path : str or Path
        The ``.tif`` to write (an existing file is replaced only on success).
    resolution_m : float, default 1000
        Cell size in metres.
    crs : {"albers", "EPSG:4326"}
        The grid's CRS.

    Returns
    -------
    Path

    Raises
    ------
    DateRangeError
        When a date lies outside the dataset's range.

    Notes
    -----
    Codes follow the dataset's actor order (1 = the first actor); the table is
    in the file's ``ACTOR_CODES`` tag.  A contested zone carries its holder's
    code (contest status is in the vector layers, not here).
    """
    from territory.checks import check_dates, check_path, check_positive, check_str, check_timeline

    check_timeline("tl", tl)
    dates = check_dates("dates", dates)
    check_path("path", path)
    check_positive("resolution_m", resolution_m, unit="m")
    check_str("crs", crs)
    ds = tl.dataset
    stamps = band_dates(tl, dates)
    zones, codes, by_date = zone_codes(tl, stamps)
    crs = ds.equal_area_crs if crs == "albers" else crs
    grid, affine, grid_crs = rasterize_zones(zones, resolution_m=resolution_m, crs=crs)
    colours = {str(a): str(c) for a, c in ds.actors["colour"].dropna().items()}
    return write_code_raster(grid, affine, grid_crs, by_date, stamps, codes, colours, path)
