"""The time cube: ``tl.to_xarray(dates)`` and its NetCDF file, read back by xarray and GDAL.

The oracle for the cells is ``tl.at(date, by="actor")`` (the dissolved control
polygons): points at least three cells from any polygon edge must carry the
code of the actor whose polygon holds them, so cell size cannot decide.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from rasterio.crs import CRS

from browser.harness import require
from export_cases import CASES, build
from territory.errors import DateRangeError
from territory.export import write_geotiff
from territory.export.cube import write_netcdf
from territory.timeline import ControlTimeline

xr = pytest.importorskip("xarray", reason="the territory[cube] extra is not installed")
RESOLUTION = 4000.0


@pytest.fixture(scope="module", params=CASES)
def timeline(request: pytest.FixtureRequest) -> ControlTimeline:
    return build(request.param)


def _days(tl: ControlTimeline, count: int = 3) -> list[str]:
    span = pd.date_range(tl.baseline_date, tl.as_of, periods=count).normalize()
    return [d.date().isoformat() for d in span]


def test_cube_cells_match_the_control_polygons(timeline: ControlTimeline) -> None:
    days = _days(timeline)
    cube = timeline.to_xarray(days, resolution_m=RESOLUTION)
    assert cube.dims == ("time", "y", "x")
    assert [str(t)[:10] for t in cube["time"].to_numpy()] == days
    crs = timeline.dataset.equal_area_crs  # the study area's own projection
    assert cube.rio.crs == CRS.from_string(crs)
    assert cube.rio.nodata == 0
    meanings = cube.attrs["flag_meanings"].split()
    code_of = dict(zip(meanings, cube.attrs["flag_values"].tolist(), strict=True))
    assert meanings == list(timeline.dataset.actors.index)
    west, south, east, north = timeline.dataset.state.to_crs(crs).total_bounds
    xs, ys = np.meshgrid(np.linspace(west, east, 40), np.linspace(south, north, 40))
    points = gpd.GeoSeries(gpd.points_from_xy(xs.ravel(), ys.ravel()), crs=crs)
    for day in days:
        control = timeline.at(day, by="actor").to_crs(crs)
        joined = gpd.sjoin(
            gpd.GeoDataFrame(geometry=points), control[["actor", "geometry"]], predicate="within"
        )
        joined = joined[joined.geometry.distance(control.boundary.union_all()) > 3 * RESOLUTION]
        assert len(joined) > 50
        got = cube.sel(time=day).sel(
            x=xr.DataArray(joined.geometry.x.to_numpy()),
            y=xr.DataArray(joined.geometry.y.to_numpy()),
            method="nearest",
        )
        assert got.to_numpy().tolist() == [code_of[a] for a in joined["actor"]], day


def test_netcdf_reads_back_in_xarray_and_gdal(timeline: ControlTimeline, tmp_path: Path) -> None:
    days = _days(timeline, 4)
    path = write_netcdf(timeline, days, tmp_path / "cube.nc", resolution_m=RESOLUTION)
    cube = timeline.to_xarray(days, resolution_m=RESOLUTION)
    with xr.open_dataset(path, decode_coords="all", mask_and_scale=False) as dataset:
        back = dataset["holder"]
        assert back.dtype == np.uint8
        assert np.array_equal(back.to_numpy(), cube.to_numpy())
        assert list(back["time"].to_numpy()) == list(cube["time"].to_numpy())
        assert back.rio.crs == cube.rio.crs
        assert back.attrs["flag_meanings"] == cube.attrs["flag_meanings"]
    require(shutil.which("gdalinfo") is not None, "gdalinfo missing: apt-get install gdal-bin")
    info = json.loads(
        subprocess.run(
            ["gdalinfo", "-json", f"NETCDF:{path}:holder"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert len(info["bands"]) == len(days)
    offsets = [int(b["metadata"][""]["NETCDF_DIM_time"]) for b in info["bands"]]
    first = pd.Timestamp(days[0])
    assert [first + pd.Timedelta(days=n) for n in offsets] == [pd.Timestamp(d) for d in days]
    # The same grid as the GeoTIFF stack at the same resolution.
    tif = write_geotiff(timeline, days, tmp_path / "stack.tif", resolution_m=RESOLUTION)
    with rasterio.open(tif) as src:
        assert info["geoTransform"] == pytest.approx(list(src.transform.to_gdal()))
        assert np.array_equal(src.read(), cube.to_numpy())


def test_a_failed_netcdf_write_keeps_the_old_file(
    timeline: ControlTimeline, tmp_path: Path
) -> None:
    path = write_netcdf(timeline, _days(timeline, 2), tmp_path / "keep.nc", resolution_m=8000)
    before = path.read_bytes()
    with pytest.raises(DateRangeError):
        write_netcdf(timeline, [timeline.as_of, "2099-01-01"], path, resolution_m=8000)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.nc"]
