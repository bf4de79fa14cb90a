"""The equal-area CRS for the study area, checked against geodesic areas and distances.

The oracle is :class:`pyproj.Geod` on the WGS84 ellipsoid: areas of polygons
(with edges densified so that a parallel is followed, not cut across) and
geodesic distances from sample points to each town.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely
from shapely import box, segmentize

import territory
from synthetic import make_dataset
from territory.crs import MYANMAR_ALBERS, check_equal_area, study_area_crs
from territory.zones import build_zones

GEOD = pyproj.Geod(ellps="WGS84")


def geodesic_km2(geometry: shapely.Geometry) -> float:
    area, _ = GEOD.geometry_area_perimeter(segmentize(geometry, 0.005))
    return abs(area) / 1e6


def _towns(lon0: float, lat0: float, n: int, seed: int) -> list[tuple[str, str, float, float]]:
    rng = np.random.default_rng(seed)
    lons = rng.uniform(lon0 - 0.95, lon0 + 0.95, n)
    lats = rng.uniform(lat0 - 0.95, lat0 + 0.95, n)
    return [
        (f"t{i}", "town", float(x), float(y))
        for i, (x, y) in enumerate(zip(lons, lats, strict=True))
    ]


@pytest.mark.parametrize("lat0", [0.0, 30.0, 55.0])
def test_zone_areas_match_geodesic_areas(lat0: float) -> None:
    lon0 = 20.0
    state = segmentize(box(lon0 - 1, lat0 - 1, lon0 + 1, lat0 + 1), 0.01)
    towns = _towns(lon0, lat0, 8, seed=int(lat0))
    ds = make_dataset(towns, {t[0]: "SAC" for t in towns}, state=state)
    tl = territory.ControlTimeline(ds)
    zones = tl.zones
    assert zones["area_km2"].sum() == pytest.approx(geodesic_km2(state), rel=0.005)
    for geometry, area in zip(zones.geometry, zones["area_km2"], strict=True):
        assert area == pytest.approx(geodesic_km2(geometry), rel=0.005)
    by_side = tl.series(ds.baseline_date, ds.baseline_date, by="side")
    assert float(by_side.iloc[0].sum()) == pytest.approx(geodesic_km2(state), rel=0.005)


@pytest.mark.parametrize(
    ("bounds", "proj"),
    [
        ((19.0, -1.0, 21.0, 1.0), "laea"),
        ((19.0, 29.0, 21.0, 31.0), "aea"),
        ((19, 54, 21, 56), "aea"),
    ],
)
def test_projection_kind_by_latitude(bounds: tuple[float, ...], proj: str) -> None:
    crs = study_area_crs(bounds)
    assert crs.startswith(f"+proj={proj} ")
    assert check_equal_area(crs) == crs
    centre = pyproj.Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(
        (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
    )
    assert np.allclose(centre, (0.0, 0.0), atol=1e-6)


def test_nearest_town_at_high_latitude_matches_geodesic_nearest() -> None:
    """Each sample point lies in the zone of its geodesically nearest town.

    The same zones cut in the Myanmar Albers projection (the library's old
    fixed choice) misplace several times as many points: the oracle tells them
    apart, so the test can fail.
    """
    lon0, lat0 = 30.0, 62.0
    state = segmentize(box(lon0 - 1, lat0 - 1, lon0 + 1, lat0 + 1), 0.01)
    towns = _towns(lon0, lat0, 25, seed=7)
    ds = make_dataset(towns, {t[0]: "SAC" for t in towns}, state=state)
    rng = np.random.default_rng(1)
    xs = rng.uniform(lon0 - 0.99, lon0 + 0.99, 3000)
    ys = rng.uniform(lat0 - 0.99, lat0 + 0.99, 3000)
    town_lon = np.array([t[2] for t in towns])
    town_lat = np.array([t[3] for t in towns])
    ids = np.array([t[0] for t in towns])
    distances = np.empty((len(xs), len(towns)))
    for j in range(len(towns)):
        _, _, distances[:, j] = GEOD.inv(
            xs, ys, np.full(len(xs), town_lon[j]), np.full(len(xs), town_lat[j])
        )
    nearest = ids[np.argmin(distances, axis=1)]
    points = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs="EPSG:4326")

    def wrong_share(crs: str) -> float:
        zones = build_zones(ds.places, ds.state, crs=crs)
        hit = gpd.sjoin(gpd.GeoDataFrame(geometry=points), zones[["zone_id", "geometry"]])
        hit = hit[~hit.index.duplicated()]
        assert len(hit) == len(points)
        return float((hit.sort_index()["zone_id"].to_numpy() != nearest).mean())

    assert territory.ControlTimeline(ds).dataset.equal_area_crs.startswith("+proj=aea +lat_0=62 ")
    fitted = wrong_share(ds.equal_area_crs)
    assert fitted < 0.005
    assert wrong_share(MYANMAR_ALBERS) > max(0.02, 4 * fitted)


def test_check_equal_area_refuses_utm_and_degrees() -> None:
    for crs in ("EPSG:32647", "EPSG:4326", "EPSG:3857"):
        with pytest.raises(ValueError, match="not an equal-area projection"):
            check_equal_area(crs)
    with pytest.raises(ValueError, match="not a CRS PROJ understands"):
        check_equal_area("+proj=nonsense")


def test_shan_keeps_its_albers_and_the_old_outline_name(tmp_path: Path) -> None:
    ds = territory.load_shan()
    assert pyproj.CRS(ds.equal_area_crs) == pyproj.CRS(MYANMAR_ALBERS)
    assert (ds.path / "boundaries/myanmar.geojson").is_file()  # the old name still loads


def test_dataset_json_crs_is_used_and_checked(tmp_path: Path) -> None:
    data = tmp_path / "shan"
    shutil.copytree(territory.embedded_data_path(), data)
    (data / "boundaries/myanmar.geojson").rename(data / "boundaries/country.geojson")
    meta = json.loads((data / "dataset.json").read_text(encoding="utf-8"))
    meta.pop("equal_area_crs")
    (data / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    ds = territory.load_dataset(data)  # the generic outline name
    assert ds.equal_area_crs == study_area_crs(ds.state)
    meta["equal_area_crs"] = "EPSG:32647"
    (data / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    problems = territory.validate(data)
    assert [(p.column, "Transverse Mercator" in p.message) for p in problems] == [
        ("equal_area_crs", True)
    ]


def test_area_of_nothing_is_zero() -> None:
    empty = box(0, 0, 1, 1).difference(box(0, 0, 1, 1))
    got = territory.area_km2(gpd.GeoSeries([empty, None], crs="EPSG:4326"))
    assert got.tolist() == [0.0, 0.0]
