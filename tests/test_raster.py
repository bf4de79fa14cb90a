"""GeoTIFF of actor codes, read back with rasterio.

The hand-made case uses two 0.5° squares whose holders are set by hand; the
real case writes the embedded Shan State timeline and checks the codes at
sample points against ``tl.at(date)`` (which actor's polygon contains the
point), keeping only points at least three cells from any polygon edge so
that cell size cannot decide the answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import rasterio
from shapely.geometry import Point, box

from browser.harness import require
from export_cases import CASES, build
from territory.crs import MYANMAR_ALBERS, study_area_crs
from territory.errors import DateRangeError
from territory.export import write_geotiff
from territory.export.raster import (
    actor_code_table,
    raster_style_path,
    rasterize_zones,
    write_code_raster,
)
from territory.timeline import ControlTimeline

COLOURS = {"SAC": "#4d4d33", "TNLA": "#009e73", "MNDAA": "#d55e00"}


@pytest.fixture
def squares() -> gpd.GeoSeries:
    """Two 0.5° squares: zone west and zone east."""
    west, east = box(97.0, 22.0, 97.5, 22.5), box(97.5, 22.0, 98.0, 22.5)
    return gpd.GeoSeries([west, east], index=pd.Index(["west", "east"]), crs="EPSG:4326")


@pytest.mark.parametrize("crs", ["albers", "EPSG:4326"])
def test_hand_made_raster_reads_back(squares: gpd.GeoSeries, crs: str, tmp_path: Path) -> None:
    dates = pd.to_datetime(["2023-11-11", "2023-11-12"])
    zones = squares
    codes = actor_code_table(["SAC", "MNDAA", "TNLA"])
    grid, transform, grid_crs = rasterize_zones(zones, resolution_m=2000, crs=crs)
    # Set by hand: west SAC (1) on the 11th, TNLA (3) on the 12th; east MNDAA (2).
    by_date = np.array([[1, 2], [3, 2]], dtype=np.uint8)
    path = write_code_raster(
        grid, transform, grid_crs, by_date, list(dates), codes, COLOURS, tmp_path / "c.tif"
    )
    with rasterio.open(path) as src:
        assert src.count == 2
        assert src.dtypes == ("uint8", "uint8")
        assert src.descriptions == ("2023-11-11", "2023-11-12")
        assert src.nodata == 0
        table = json.loads(src.tags()["ACTOR_CODES"])
        assert table == {"1": "SAC", "2": "MNDAA", "3": "TNLA"}
        # A stack's colours travel in the ACTOR_COLOURS tag and the QGIS style
        # (a TIFF colour table is for one-band files: test_one_band_file_...).
        assert json.loads(src.tags()["ACTOR_COLOURS"]) == {
            "1": "#4d4d33",
            "2": "#d55e00",
            "3": "#009e73",
        }
        expected_epsg = 4326 if crs == "EPSG:4326" else None
        assert src.crs.to_epsg() == expected_epsg
        if expected_epsg is None:
            assert src.crs == rasterio.crs.CRS.from_string(study_area_crs(zones))
        centres = gpd.GeoSeries([Point(97.25, 22.25), Point(97.75, 22.25)], crs="EPSG:4326")
        xy = [(p.x, p.y) for p in centres.to_crs(src.crs)]
        values = np.array(list(src.sample(xy, indexes=[1, 2])))
    # west: SAC (1) on the 11th, TNLA (3) from the 12th; east: MNDAA (2) on both.
    assert values.tolist() == [[1, 3], [2, 2]]


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module", params=CASES)
def timeline(request: pytest.FixtureRequest) -> ControlTimeline:
    """The real ControlTimeline on the synthetic case and on the embedded Shan data."""
    return build(request.param)


def _sample_dates(tl: ControlTimeline) -> list[str]:
    """The baseline, the as-of date and two days between."""
    ds = tl.dataset
    days = pd.date_range(ds.baseline_date, ds.as_of, periods=4).normalize()
    return [d.date().isoformat() for d in days]


def test_real_codes_match_control_polygons(timeline: ControlTimeline, tmp_path: Path) -> None:
    tl = timeline
    resolution = 2000.0
    sample_dates = _sample_dates(tl)
    path = write_geotiff(tl, sample_dates, tmp_path / "shan.tif", resolution_m=resolution)
    with rasterio.open(path) as src:
        assert src.descriptions == tuple(sample_dates)
        code_of = {
            actor: int(code) for code, actor in json.loads(src.tags()["ACTOR_CODES"]).items()
        }
        assert set(code_of) == set(tl.dataset.actors.index)
        west, south, east, north = tl.dataset.state.to_crs(MYANMAR_ALBERS).total_bounds
        xs, ys = np.meshgrid(np.linspace(west, east, 40), np.linspace(south, north, 40))
        points = gpd.GeoSeries(gpd.points_from_xy(xs.ravel(), ys.ravel()), crs=MYANMAR_ALBERS)
        for band, date in enumerate(sample_dates, start=1):
            control = tl.at(date, by="actor").to_crs(MYANMAR_ALBERS)
            joined = gpd.sjoin(
                gpd.GeoDataFrame(geometry=points),
                control[["actor", "geometry"]],
                predicate="within",
            )
            edges = control.boundary.union_all()
            joined = joined[joined.geometry.distance(edges) > 3 * resolution]
            assert len(joined) > 100, "too few sample points away from the edges"
            xy = [(p.x, p.y) for p in joined.geometry.to_crs(src.crs)]
            got = [int(v[0]) for v in src.sample(xy, indexes=band)]
            expected = [code_of[a] for a in joined["actor"]]
            assert got == expected, f"band {band} ({date})"


def test_each_zone_is_rasterized_once(
    timeline: ControlTimeline, tmp_path: Path, monkeypatch
) -> None:
    from rasterio import features

    calls: list[int] = []
    original = features.rasterize

    def counting(shapes, *args, **kwargs):
        shapes = list(shapes)
        calls.append(len(shapes))
        return original(shapes, *args, **kwargs)

    monkeypatch.setattr(features, "rasterize", counting)
    write_geotiff(timeline, _sample_dates(timeline), tmp_path / "once.tif", resolution_m=5000)
    zones = timeline.intervals()["zone_id"].nunique()
    assert calls == [zones]


def test_dates_outside_the_data_are_refused(timeline: ControlTimeline, tmp_path: Path) -> None:
    with pytest.raises(DateRangeError, match="dates: 2019-01-01 is outside"):
        write_geotiff(timeline, ["2019-01-01"], tmp_path / "x.tif")
    assert list(tmp_path.iterdir()) == []


def test_one_date_as_a_string(timeline: ControlTimeline, tmp_path: Path) -> None:
    day = timeline.dataset.as_of.date().isoformat()
    with rasterio.open(
        write_geotiff(timeline, day, tmp_path / "one.tif", resolution_m=5000)
    ) as src:
        assert src.count == 1
        assert src.descriptions == (day,)


def _palette(qml: Path) -> dict[int, tuple[str, str]]:
    root = ElementTree.parse(qml).getroot()
    renderer = root.find("pipe/rasterrenderer")
    assert renderer is not None and renderer.get("type") == "paletted"
    return {
        int(e.get("value", "")): (e.get("label", ""), e.get("color", ""))
        for e in renderer.iter("paletteEntry")
    }


def test_one_band_file_has_the_actor_colour_table(
    timeline: ControlTimeline, tmp_path: Path
) -> None:
    path = write_geotiff(timeline, timeline.as_of, tmp_path / "one.tif", resolution_m=8000)
    colours = timeline.dataset.actors["colour"].to_dict()
    with rasterio.open(path) as src:
        table = {int(k): v for k, v in json.loads(src.tags()["ACTOR_CODES"]).items()}
        colormap = src.colormap(1)
    for code, actor in table.items():
        assert "#{:02x}{:02x}{:02x}".format(*colormap[code][:3]) == colours[actor].lower()
    assert colormap[0][3] == 0  # no data is transparent


@pytest.mark.parametrize("bands", [3, 5])
def test_stack_of_many_bands_read_by_gdal(
    timeline: ControlTimeline, tmp_path: Path, bands: int
) -> None:
    """gdalinfo (Debian's GDAL) sees grey-scale bands dated in order, and the QGIS style."""
    span = pd.date_range(timeline.baseline_date, timeline.as_of, periods=bands).normalize()
    days = [d.date().isoformat() for d in span]
    path = write_geotiff(timeline, days, tmp_path / "stack.tif", resolution_m=8000)
    require(shutil.which("gdalinfo") is not None, "gdalinfo missing: apt-get install gdal-bin")
    info = json.loads(
        subprocess.run(
            ["gdalinfo", "-json", str(path)], capture_output=True, text=True, check=True
        ).stdout
    )
    assert [b["description"] for b in info["bands"]] == days
    # Not read as RGB(A): no band is Red, Green, Blue or Alpha.
    assert {b["colorInterpretation"] for b in info["bands"]} <= {"Gray", "Undefined"}
    tags = info["metadata"][""]
    codes = {int(k): v for k, v in json.loads(tags["ACTOR_CODES"]).items()}
    colours = timeline.dataset.actors["colour"].str.lower().to_dict()
    assert _palette(raster_style_path(path)) == {
        code: (actor, colours[actor]) for code, actor in codes.items()
    }


def test_a_failed_write_keeps_the_old_file_and_style(
    timeline: ControlTimeline, tmp_path: Path
) -> None:
    path = write_geotiff(timeline, timeline.as_of, tmp_path / "keep.tif", resolution_m=8000)
    before = (path.read_bytes(), raster_style_path(path).read_text())
    with pytest.raises(DateRangeError):
        write_geotiff(timeline, [timeline.as_of, "2099-01-01"], path, resolution_m=8000)
    assert (path.read_bytes(), raster_style_path(path).read_text()) == before
