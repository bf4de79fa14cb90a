"""GeoJSON (RFC 7946) and GeoPackage layers, read back by GDAL's own ogrinfo.

Two sources of data:

* small frames built here by hand (a clockwise square with a clockwise hole,
  in the Albers CRS, so that reprojection, winding and rounding all have work
  to do);
* the embedded Shan State data through the real ``ControlTimeline``.

``ogrinfo`` is Debian's ``gdal-bin`` (a different GDAL build from the one
inside pyogrio's wheel).  Locally the GDAL tests skip when it is missing; on
CI (``CI=true``) they fail instead, because ``.ci/run`` installs it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import Polygon

from browser.harness import require
from export_cases import CASES, build
from territory.crs import MYANMAR_ALBERS
from territory.errors import TerritoryError
from territory.export import write_geojson, write_geopackage, write_layers
from territory.timeline import ControlTimeline

# A 0.5° square near Lashio with a hole, both rings clockwise (wrong for RFC 7946).
OUTER_CW = [(97.5, 22.5), (97.5, 23.0), (98.0, 23.0), (98.0, 22.5), (97.5, 22.5)]
HOLE_CW = [(97.6, 22.6), (97.6, 22.7), (97.7, 22.7), (97.7, 22.6), (97.6, 22.6)]


def _shoelace(ring: list[list[float]]) -> float:
    """Twice the signed area of a ring: > 0 counter-clockwise, < 0 clockwise."""
    xy = np.asarray(ring, dtype=float)
    x, y = xy[:, 0], xy[:, 1]
    return float(np.sum(x[:-1] * y[1:] - x[1:] * y[:-1]))


def _ogrinfo(*args: str) -> str:
    require(shutil.which("ogrinfo") is not None, "ogrinfo missing: apt-get install gdal-bin")
    done = subprocess.run(
        ["ogrinfo", "-ro", *args], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout


@pytest.fixture
def hand_layer() -> gpd.GeoDataFrame:
    """Two features in the Albers CRS, with dates, a NaT and a NaN."""
    polygon = Polygon(OUTER_CW, [HOLE_CW])
    layer = gpd.GeoDataFrame(
        {
            "zone_id": ["lashio", "hsenwi"],
            "actor": ["MNDAA", "TNLA"],
            "valid_from": pd.to_datetime(["2024-08-03", "2023-12-26"]),
            "valid_to": pd.to_datetime(pd.Series(["2025-04-22", None])),
            "area_km2": [123.4, np.nan],
        },
        geometry=[polygon, shapely.affinity.translate(polygon, 1.0, 0.0)],
        crs="EPSG:4326",
    )
    return layer.to_crs(MYANMAR_ALBERS)


def test_geojson_follows_rfc7946(hand_layer: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write_geojson(hand_layer, tmp_path / "zones.geojson")
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert "crs" not in document
    assert document["type"] == "FeatureCollection"
    first, second = document["features"]
    # Dates as ISO strings; NaT and NaN as null.
    assert first["properties"]["valid_from"] == "2024-08-03"
    assert first["properties"]["valid_to"] == "2025-04-22"
    assert second["properties"]["valid_to"] is None
    assert second["properties"]["area_km2"] is None
    for feature in document["features"]:
        exterior, hole = feature["geometry"]["coordinates"]
        # lon/lat order: the square lies at 97.5-99°E, 22.5-23°N.
        assert all(97.4 < lon < 99.1 and 22.4 < lat < 23.1 for lon, lat in exterior)
        assert _shoelace(exterior) > 0, "exterior ring must be counter-clockwise"
        assert _shoelace(hole) < 0, "holes must be clockwise"
    # Reprojected back from Albers, so the exact input vertices come back only to 6 decimals.
    assert [97.5, 22.5] in first["geometry"]["coordinates"][0]
    decimals = [len(m) for m in re.findall(r"-?\d+\.(\d+)", text)]
    assert max(decimals) <= 6


def test_geojson_is_read_by_gdal(hand_layer: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write_geojson(hand_layer, tmp_path / "zones.geojson")
    summary = _ogrinfo("-so", "-al", str(path))
    assert "Feature Count: 2" in summary
    assert "Geometry: Polygon" in summary
    assert 'ID["EPSG",4326]' in summary
    assert re.search(r"^valid_from: Date", summary, re.MULTILINE)
    full = _ogrinfo("-al", "-q", str(path))
    polygons = [shapely.from_wkt(line.strip()) for line in full.splitlines() if "POLYGON" in line]
    assert len(polygons) == 2
    for polygon in polygons:
        assert isinstance(polygon, Polygon)
        assert polygon.exterior.is_ccw
        assert not polygon.interiors[0].is_ccw
    numbers = re.findall(r"-?\d+\.(\d+)", " ".join(p.wkt for p in polygons))
    assert max(len(n) for n in numbers) <= 6


def test_geojson_feature_ids(hand_layer: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write_geojson(hand_layer, tmp_path / "zones.geojson", id_column="zone_id")
    ids = [f["id"] for f in json.loads(path.read_text())["features"]]
    assert ids == ["lashio", "hsenwi"]
    with pytest.raises(TerritoryError, match="id_column: 'nope'"):
        write_geojson(hand_layer, tmp_path / "other.geojson", id_column="nope")


def test_geopackage_fields_are_datetime(hand_layer: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write_layers({"control_intervals": hand_layer}, tmp_path / "t.gpkg")
    summary = _ogrinfo("-so", str(path), "control_intervals")
    assert "Feature Count: 2" in summary
    assert re.search(r"^valid_from: DateTime", summary, re.MULTILINE)
    assert re.search(r"^valid_to: DateTime", summary, re.MULTILINE)
    assert 'ID["EPSG",4326]' in summary
    nulls = _ogrinfo(
        str(path), "-sql", "SELECT COUNT(*) AS n FROM control_intervals WHERE valid_to IS NULL"
    )
    assert re.search(r"n \(Integer\) = 1", nulls)
    # Debian's older GDAL reads the file without complaint.
    done = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-q", str(path)], capture_output=True, text=True, check=True
    )
    assert "Warning" not in done.stderr
    assert "2025/04/22 00:00:00" in done.stdout


@pytest.mark.parametrize("writer", ["geojson", "geopackage"])
def test_failed_write_keeps_the_old_file(
    writer: str, hand_layer: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    target = tmp_path / ("out.geojson" if writer == "geojson" else "out.gpkg")
    target.write_bytes(b"the previous, complete file")
    if writer == "geojson":
        broken = hand_layer.assign(actor=[object(), object()])  # not JSON: fails mid-stream
        with pytest.raises(TypeError):
            write_geojson(broken, target)
    else:
        no_crs = gpd.GeoDataFrame({"a": [1]}, geometry=[shapely.Point(97, 22)])
        with pytest.raises(TerritoryError, match="has no CRS"):
            write_layers({"good": hand_layer, "bad": no_crs}, target)
    assert target.read_bytes() == b"the previous, complete file"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_write_into_missing_directory(hand_layer: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(TerritoryError, match="does not exist"):
        write_geojson(hand_layer, tmp_path / "no" / "such.geojson")


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module", params=CASES)
def timeline(request: pytest.FixtureRequest) -> ControlTimeline:
    """The real ControlTimeline on the synthetic case and on the embedded Shan data."""
    return build(request.param)


def _feature_count(summary: str) -> int:
    return int(re.search(r"Feature Count: (\d+)", summary).group(1))  # type: ignore[union-attr]


def test_real_geopackage_read_by_gdal(timeline: ControlTimeline, tmp_path: Path) -> None:
    tl = timeline
    ds = tl.dataset
    path = write_geopackage(tl, tmp_path / "territory.gpkg")
    listing = _ogrinfo(str(path))
    for name in ("control_intervals", "places", "crossings", "events", "changes"):
        assert re.search(rf"^\d+: {name} \(", listing, re.MULTILINE), name
    intervals = tl.intervals()
    expected = {
        "control_intervals": len(intervals),
        "places": len(ds.places),
        "events": int(ds.events["place"].notna().sum()),
        "changes": len(tl.changes(ds.baseline_date, ds.as_of)),
    }
    for name, count in expected.items():
        summary = _ogrinfo("-so", str(path), name)
        assert _feature_count(summary) == count, name
        assert 'ID["EPSG",4326]' in summary
    for name in ("control_intervals", "crossings"):
        summary = _ogrinfo("-so", str(path), name)
        assert re.search(r"^valid_from: DateTime", summary, re.MULTILINE)
        assert re.search(r"^valid_to: DateTime", summary, re.MULTILINE)
    gates = int(ds.places["kind"].isin(["crossing", "trade_zone"]).sum())
    assert _feature_count(_ogrinfo("-so", str(path), "crossings")) >= gates
    open_rows = _ogrinfo(
        str(path), "-sql", "SELECT COUNT(*) AS n FROM control_intervals WHERE valid_to IS NULL"
    )
    assert f"n (Integer) = {int(intervals['valid_to'].isna().sum())}" in open_rows
    # Every gate has exactly one open interval (someone holds it on the as-of date).
    per_crossing = _ogrinfo(
        str(path),
        "-sql",
        "SELECT COUNT(*) AS n FROM crossings WHERE valid_to IS NULL",
    )
    assert f"n (Integer) = {gates}" in per_crossing


def test_real_intervals_geojson_read_by_gdal(timeline: ControlTimeline, tmp_path: Path) -> None:
    intervals = timeline.intervals()
    path = write_geojson(intervals, tmp_path / "intervals.geojson")
    summary = _ogrinfo("-so", "-al", str(path))
    assert _feature_count(summary) == len(intervals)
    assert re.search(r"^valid_from: Date", summary, re.MULTILINE)
    for feature in json.loads(path.read_text())["features"]:
        polygons = feature["geometry"]["coordinates"]
        if feature["geometry"]["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            assert _shoelace(polygon[0]) > 0


def test_place_intervals_agree_with_places_at_every_day(timeline: ControlTimeline) -> None:
    """The crossings layer's holder intervals, read day by day, give what
    ``places_at`` gives on each day from the baseline to the as-of date."""
    crossings = list(timeline.dataset.places.query("kind in ['crossing', 'trade_zone']").index)
    intervals = timeline.place_intervals(crossings)
    columns = ["holder", "status", "challenger"]
    for day in pd.date_range(timeline.dataset.baseline_date, timeline.as_of, freq="D"):
        covering = intervals[
            (intervals["valid_from"] <= day)
            & (intervals["valid_to"].isna() | (day < intervals["valid_to"]))
        ].set_index("place")
        assert sorted(covering.index) == sorted(crossings), day  # exactly one each
        expected = timeline.places_at(day).loc[crossings, columns].fillna("-")
        got = covering.loc[crossings, columns].fillna("-")
        assert got.to_numpy().tolist() == expected.to_numpy().tolist(), day
