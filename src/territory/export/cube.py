"""The control raster as a time cube: an ``xarray.DataArray`` and a NetCDF file.

The cube holds the same codes as the GeoTIFF stack (:mod:`territory.export.raster`):
one ``uint8`` layer per date, 0 where no zone is, actors numbered from 1 in
the dataset's order.  Dimensions are ``(time, y, x)``; the CRS and transform
are attached through rioxarray, and the code table follows the CF
conventions for categories (``flag_values`` and ``flag_meanings``), with the
actors' colours in ``flag_colors``.  xarray, rioxarray and h5netcdf are the
``territory[cube]`` extra and are imported inside the functions.

Examples
--------
>>> import territory
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> cube = to_xarray(tl, ["2023-10-26", "2024-08-10"], resolution_m=20000)
>>> cube.dims, [str(t)[:10] for t in cube["time"].values]
(('time', 'y', 'x'), ['2023-10-26', '2024-08-10'])
>>> cube.attrs["flag_meanings"].split()[:3]
['SAC', 'MNDAA', 'TNLA']
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from territory.errors import TerritoryError
from territory.export.atomic import atomic_path
from territory.export.raster import (
    NODATA,
    band_dates,
    code_lookup,
    rasterize_zones,
    zone_codes,
)

if TYPE_CHECKING:
    import xarray

    from territory.timeline import ControlTimeline

__all__ = ["to_xarray", "write_netcdf"]

#: The variable's name in the NetCDF file.
VARIABLE = "holder"


def to_xarray(
    tl: ControlTimeline,
    dates: Any,
    *,
    resolution_m: float = 1000.0,
    crs: str = "albers",
) -> xarray.DataArray:
    """Who holds each cell on each date, as a DataArray with a ``time`` coordinate.

    Parameters
    ----------
    tl : ControlTimeline
    dates : date-like or iterable of date-likes
        Each within ``[baseline_date, as_of]`` of the timeline.
    resolution_m : float, default 1000
        Cell size in metres.
    crs : {"albers", "EPSG:4326"}
        The grid's CRS.

    Returns
    -------
    xarray.DataArray
        ``uint8`` codes, dims ``(time, y, x)``, named ``holder``, with the CRS
        (``.rio.crs``), nodata 0 (``.rio.nodata``), and attrs ``flag_values``,
        ``flag_meanings`` (actor ids, space-separated) and ``flag_colors``.

    Raises
    ------
    DateRangeError
        When a date lies outside the timeline's range.
    """
    import pandas as pd
    import rioxarray  # noqa: F401  (registers the .rio accessor)
    import xarray as xr

    stamps = band_dates(tl, dates)
    zones, codes, by_date = zone_codes(tl, stamps)
    crs = tl.dataset.equal_area_crs if crs == "albers" else crs  # the study area's own
    grid, transform, grid_crs = rasterize_zones(zones, resolution_m=resolution_m, crs=crs)
    stack = code_lookup(by_date)[:, grid]  # (time, y, x)
    height, width = grid.shape
    x = transform.c + transform.a * (np.arange(width) + 0.5)
    y = transform.f + transform.e * (np.arange(height) + 0.5)
    colours = tl.dataset.actors["colour"].to_dict()
    ordered = sorted(codes.items(), key=lambda item: item[1])
    cube = xr.DataArray(
        stack,
        dims=("time", "y", "x"),
        coords={"time": pd.DatetimeIndex(stamps), "y": y, "x": x},
        name=VARIABLE,
        attrs={
            "long_name": "holder of the ground (actor code)",
            "flag_values": np.array([code for _, code in ordered], dtype=np.uint8),
            "flag_meanings": " ".join(actor for actor, _ in ordered),
            "flag_colors": " ".join(str(colours.get(actor, "#808080")) for actor, _ in ordered),
            "source": f"territory {tl.dataset.name}, as of {tl.as_of.date()}",
        },
    )
    cube = cube.rio.write_crs(grid_crs).rio.write_transform(transform)
    cube = cube.rio.write_coordinate_system()  # CF names and units of x and y
    return cube.rio.write_nodata(NODATA, encoded=False)


def write_netcdf(
    tl: ControlTimeline,
    dates: Any,
    path: str | Path,
    *,
    resolution_m: float = 1000.0,
    crs: str = "albers",
) -> Path:
    """Write the time cube of :func:`to_xarray` as a NetCDF-4 file, atomically.

    Written with h5netcdf; GDAL's netCDF driver and xarray read it back
    (``xarray.open_dataset(path, decode_coords="all")["holder"]``;
    ``gdalinfo NETCDF:"path":holder``).

    Returns
    -------
    Path
    """
    cube = to_xarray(tl, dates, resolution_m=resolution_m, crs=crs)
    encoding: dict[Hashable, dict[str, Any]] = {
        # grid_mapping (from rioxarray) ties the variable to its CRS; _FillValue is
        # in the attrs (.rio.nodata); coordinates have no fill value.
        VARIABLE: {**cube.encoding, "zlib": True, "complevel": 4},
        "x": {"_FillValue": None},
        "y": {"_FillValue": None},
    }
    with atomic_path(path) as temporary:
        cube.to_netcdf(temporary, engine="h5netcdf", encoding=encoding)
        _check(temporary, cube)
    return Path(path)


def _check(path: Path, cube: xarray.DataArray) -> None:
    """Read the file back before it replaces the target."""
    import xarray as xr

    with xr.open_dataset(
        path, engine="h5netcdf", mask_and_scale=False, decode_coords="all"
    ) as dataset:
        back = dataset[VARIABLE]
        if back.shape != cube.shape or not np.array_equal(back.to_numpy(), cube.to_numpy()):
            raise TerritoryError(
                f"{path.name}: the cube read back differs from the one written; "
                "the existing file is kept"
            )
