"""Run a timeline's per-date work, and the writing of raster stacks, on Dask.

Needs the optional extra ``territory[dask]`` (``dask[array]``,
``distributed`` and ``dask-geopandas``); without it this module still
imports, and each function raises :class:`~territory.errors.TerritoryError`
saying what to install.  Every function gives exactly what the in-memory path
gives:

* :func:`build_zones` cuts the nearest-place cells township by township on
  partitions of a dask-geopandas frame of the townships (the same zones as
  :attr:`ControlTimeline.zones <territory.timeline.ControlTimeline.zones>`),
  and caches them on the timeline;
* :func:`series` computes the measure of every distinct state in blocks of
  states, one Dask task per block (the same sums, in the same order, as
  :meth:`ControlTimeline.series <territory.timeline.ControlTimeline.series>`);
* :func:`at_many` dissolves the zones for many dates, one Dask task per
  distinct state (the same dissolve as :meth:`ControlTimeline.at`);
* :func:`write_geotiff_chunked` writes the GeoTIFF of
  :func:`territory.export.write_geotiff` window by window: the stack is a
  lazy Dask array with one chunk per window (every band), each chunk
  rasterized and relabelled in its own task, so neither the zone grid nor a
  whole band is ever held in memory.

Tasks run on the active ``distributed.Client`` when there is one, else on
Dask's threaded scheduler.  The geometry work (GEOS, GDAL) releases the GIL,
so threads run in parallel.

Examples
--------
>>> import territory
>>> from territory import parallel
>>> tl = territory.ControlTimeline(territory.load_shan())
>>> s = parallel.series(tl, "2023-10-26", "2023-12-31") if parallel.available() else None
>>> s is None or s.equals(territory.ControlTimeline(tl.dataset).series("2023-10-26", "2023-12-31"))
True
"""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from territory.errors import TerritoryError

if TYPE_CHECKING:
    import geopandas as gpd

    from territory.timeline import ControlTimeline

__all__ = ["at_many", "available", "build_zones", "series", "write_geotiff_chunked"]

_INSTALL = "pip install 'territory[dask]'  (dask[array], distributed and dask-geopandas)"
_MODULES = ("dask", "distributed", "dask_geopandas")


def available() -> bool:
    """Whether Dask, distributed and dask-geopandas are installed.

    Examples
    --------
    >>> isinstance(available(), bool)
    True
    """
    return all(importlib.util.find_spec(name) is not None for name in _MODULES)


def _require() -> None:
    if not available():
        raise TerritoryError(f"territory.parallel needs Dask; install it with {_INSTALL}")


def _compute(*collections: Any) -> tuple[Any, ...]:
    """Compute on the active distributed client, or on threads without one."""
    import dask

    try:
        from distributed import get_client

        get_client()
        scheduler = None  # the client's
    except (ImportError, ValueError):
        scheduler = "threads"
    return dask.compute(*collections, scheduler=scheduler)


def _dask_table(
    holder: np.ndarray,
    columns: np.ndarray,
    weights: np.ndarray,
    group_of_code: np.ndarray | None,
    n_groups: int,
    *,
    states_per_task: int,
) -> np.ndarray:
    """:func:`territory.measures.group_table`, one Dask task per block of states."""
    import dask.array as da

    from territory.measures import group_table

    blocks = da.from_array(holder, chunks=(states_per_task, -1))
    if group_of_code is not None and group_of_code.ndim == 2:
        # A group per state row (each actor's side on the state's day): the
        # rows of the groups go with the rows of the states.
        groups = da.from_array(group_of_code, chunks=(states_per_task, -1))
        table = da.map_blocks(
            _rows_table,
            blocks,
            groups,
            columns,
            weights,
            n_groups,
            chunks=(blocks.chunks[0], (n_groups,)),
            dtype=float,
        )
    else:
        table = blocks.map_blocks(
            group_table,
            columns,
            weights,
            group_of_code,
            n_groups,
            chunks=(blocks.chunks[0], (n_groups,)),
            dtype=float,
        )
    return np.asarray(_compute(table)[0])


def _rows_table(
    holder: np.ndarray,
    groups: np.ndarray,
    columns: np.ndarray,
    weights: np.ndarray,
    n_groups: int,
) -> np.ndarray:
    """One block of :func:`_dask_table` with its own rows of groups."""
    from territory.measures import group_table

    return group_table(holder, columns, weights, groups, n_groups)


def series(
    tl: ControlTimeline,
    start: Any = None,
    end: Any = None,
    freq: str = "D",
    *,
    by: str = "side",
    measure: str = "area_km2",
    states_per_task: int = 256,
) -> pd.DataFrame:
    """:meth:`ControlTimeline.series` with the per-state table computed on Dask.

    Parameters
    ----------
    tl : ControlTimeline
    start, end, freq, by, measure
        As for :meth:`ControlTimeline.series` (``bounds`` is not offered).
    states_per_task : int, default 256
        Distinct states per Dask task.

    Returns
    -------
    pandas.DataFrame
        Equal, value for value, to ``tl.series(start, end, freq, by=by,
        measure=measure)``; the table is cached on ``tl`` like the in-memory
        one.

    Raises
    ------
    TerritoryError
        Without Dask, or for an invalid ``by``, ``measure`` or
        ``states_per_task``.
    """
    _require()
    from territory.measures import MEASURES

    if by not in ("actor", "side"):
        raise TerritoryError(f"by: {by!r} is not valid; expected 'actor' or 'side'")
    if measure not in MEASURES:
        raise TerritoryError(
            f"measure: {measure!r} is not valid; expected one of {list(MEASURES)}"
        )
    if not (isinstance(states_per_task, int) and states_per_task > 0):
        raise TerritoryError(f"states_per_task: {states_per_task!r}; expected a positive int")
    tl._table(by, measure, compute=partial(_dask_table, states_per_task=states_per_task))
    return tl.series(start, end, freq, by=by, measure=measure)


def build_zones(tl: ControlTimeline, *, npartitions: int | None = None) -> gpd.GeoDataFrame:
    """The timeline's zones, with the cells cut township by township on Dask.

    The township regions go into a dask-geopandas frame; each partition runs
    :func:`territory.zones.region_pieces` in its own task.  The result equals
    the in-memory :attr:`ControlTimeline.zones` (same pieces in the same
    order) and is cached on ``tl``, so every later ``at``, ``series`` or
    export uses it.

    Parameters
    ----------
    tl : ControlTimeline
        Built with ``townships=``: without townships the zones are one Voronoi
        diagram of the whole area, which does not split.
    npartitions : int, optional
        Default: one partition per 8 townships.

    Returns
    -------
    geopandas.GeoDataFrame
        ``tl.zones``.

    Raises
    ------
    TerritoryError
        Without Dask, without townships, or for a bad ``npartitions``.
    """
    _require()
    import dask_geopandas

    from territory.zones import build_zones as build_in_memory

    if tl.model != "nearest":
        raise TerritoryError(
            f"tl: build_zones cuts nearest-place cells; this timeline's model is {tl.model!r}: "
            "build it with model='nearest'"
        )
    if tl.townships is None:
        raise TerritoryError(
            "tl: this timeline has no townships; build_zones splits the work by township, "
            "so pass townships=territory.read_townships(path) to ControlTimeline"
        )
    if npartitions is not None and not (isinstance(npartitions, int) and npartitions > 0):
        raise TerritoryError(f"npartitions: {npartitions!r}; expected a positive whole number")

    def on_partitions(function: Any, regions: gpd.GeoDataFrame, **shared: Any) -> Any:
        parts = npartitions or max(1, math.ceil(len(regions) / 8))
        frame = dask_geopandas.from_geopandas(regions, npartitions=min(parts, len(regions)))
        meta = function(regions.iloc[:0], **shared)
        (pieces,) = _compute(frame.map_partitions(function, **shared, meta=meta))
        return pieces.reset_index(drop=True)

    zones = build_in_memory(
        tl.dataset.places,
        tl.dataset.state,
        tl.townships,
        map_regions=on_partitions,
        crs=tl.dataset.equal_area_crs,
    )
    tl._ground.adopt(zones)  # the zones cannot be swapped once built
    return tl.zones


def at_many(
    tl: ControlTimeline, dates: Iterable[Any], *, by: str = "actor"
) -> list[gpd.GeoDataFrame]:
    """:meth:`ControlTimeline.at` for many dates, one Dask task per distinct state.

    Parameters
    ----------
    tl : ControlTimeline
    dates : iterable of date-like
    by : {"actor", "side"}

    Returns
    -------
    list of geopandas.GeoDataFrame
        ``[tl.at(d, by=by) for d in dates]``; the dissolves are cached on
        ``tl`` like the in-memory ones.

    Raises
    ------
    TerritoryError
        Without Dask, or for an invalid ``by``.
    DateRangeError
        For a date outside the timeline.
    """
    _require()
    import dask

    def run(tasks: list[Any]) -> tuple[Any, ...]:
        return _compute(*[dask.delayed(task)() for task in tasks])

    return tl._dissolve_many(dates, by, run)


def _window_codes(
    shapes: list[tuple[Any, int]],
    coefficients: tuple[float, ...],
    height: int,
    width: int,
    lookup: np.ndarray,
) -> np.ndarray:
    """Rasterize the zones into one window and relabel: (bands, rows, cols) uint8.

    ``coefficients`` are the window's affine transform (a, b, c, d, e, f); a
    plain tuple, because Dask would unpack an ``Affine`` (a named tuple).
    """
    from affine import Affine
    from rasterio import features

    grid = features.rasterize(
        shapes,
        out_shape=(height, width),
        transform=Affine(*coefficients),
        fill=0,
        dtype="int32",
    )
    return lookup[:, grid]


def write_geotiff_chunked(
    tl: ControlTimeline,
    dates: Any,
    path: str | Path,
    *,
    resolution_m: float = 1000.0,
    crs: str = "albers",
    block: int = 512,
) -> Path:
    """:func:`territory.export.write_geotiff`, window by window on Dask.

    The grid is cut into ``block`` × ``block`` windows, the chunks of a lazy
    Dask array of shape (dates, rows, cols); each chunk is rasterized and
    relabelled for every date in its own task, and written as it arrives.
    Memory holds a few windows, never the whole grid.

    Parameters
    ----------
    tl : ControlTimeline
    dates : date-like or iterable of date-likes
    path : str or Path
        The ``.tif`` to write (atomically).
    resolution_m : float, default 1000
    crs : {"albers", "EPSG:4326"}
    block : int, default 512
        Window size in cells (a multiple of 16: the GeoTIFF's tiles).

    Returns
    -------
    Path
        The same pixels, tags, band descriptions and colour table as
        :func:`territory.export.write_geotiff` with the same arguments.

    Raises
    ------
    TerritoryError
        Without Dask, for a bad ``block``, ``resolution_m`` or ``crs``.
    DateRangeError
        When a date lies outside the dataset's range.
    """
    _require()
    import dask
    import dask.array as da
    from affine import Affine
    from rasterio.windows import Window

    from territory.export.raster import (
        band_dates,
        code_lookup,
        open_code_raster,
        zone_codes,
        zone_grid,
    )

    if not (isinstance(block, int) and block > 0 and block % 16 == 0):
        raise TerritoryError(f"block: {block!r}; expected a positive multiple of 16")
    ds = tl.dataset
    stamps = band_dates(tl, dates)
    zones, codes, by_date = zone_codes(tl, stamps)
    crs = ds.equal_area_crs if crs == "albers" else crs
    lookup = code_lookup(by_date)
    shapes, (height, width), transform, grid_crs = zone_grid(
        zones, resolution_m=resolution_m, crs=crs
    )

    # The stack as a lazy Dask array (bands, rows, cols), one chunk per window.
    delayed_shapes = dask.delayed(shapes, traverse=False)
    delayed_lookup = dask.delayed(lookup, traverse=False)

    def chunk(window: Window) -> da.Array:
        coefficients = tuple(transform @ Affine.translation(window.col_off, window.row_off))[:6]
        task = dask.delayed(_window_codes)(
            delayed_shapes, coefficients, window.height, window.width, delayed_lookup
        )
        return da.from_delayed(
            task, shape=(len(stamps), window.height, window.width), dtype=np.uint8
        )

    windows = [
        [
            Window(col, row, min(block, width - col), min(block, height - row))
            for col in range(0, width, block)
        ]
        for row in range(0, height, block)
    ]
    stack = da.block([[chunk(window) for window in row] for row in windows])
    flat = [window for row in windows for window in row]
    batch = 8  # windows in flight at once
    colours = {str(a): str(c) for a, c in ds.actors["colour"].items()}
    with open_code_raster(
        path, (height, width), transform, grid_crs, stamps, codes, colours
    ) as dst:
        for first in range(0, len(flat), batch):
            part = flat[first : first + batch]
            pieces = [
                stack[:, w.row_off : w.row_off + w.height, w.col_off : w.col_off + w.width]
                for w in part
            ]
            for window, values in zip(part, _compute(*pieces), strict=True):
                dst.write(values, window=window)
    return Path(path)
