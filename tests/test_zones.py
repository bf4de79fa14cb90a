"""Tests of the nearest-place zones (territory.zones).

Synthetic places come from tests/synthetic.py.  The real Shan outline is
data/boundaries/state.geojson (Natural Earth, see data/boundaries/SOURCES.md);
MIMU township polygons are read from the shared geodata folder at test time
only (never copied into the repository) and the tests that need them skip
when that folder is absent.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely import Point, box

from shared_files import mimu_townships
from synthetic import STATE, make_dataset, make_townships
from territory.crs import MYANMAR_ALBERS, area_km2
from territory.errors import DataError
from territory.zones import SAME_SPOT_M, area_places, build_zones, check_townships

ROOT = Path(__file__).resolve().parents[1]
SHAN = ROOT / "data" / "boundaries" / "state.geojson"


def _places(rows: list[tuple[str, str, float, float]]) -> gpd.GeoDataFrame:
    return make_dataset(rows, {r[0]: "SAC" for r in rows}).places


def _assert_partition(zones: gpd.GeoDataFrame, outline: gpd.GeoSeries) -> None:
    """Valid polygons, no overlaps, no gaps: the parts add up to the union, which is the outline."""
    assert zones.is_valid.all(), f"invalid zones: {list(zones.index[~zones.is_valid])}"
    state_area = float(area_km2(outline).sum())
    parts = float(area_km2(zones.geometry).sum())
    union = float(area_km2(gpd.GeoSeries([zones.union_all()], crs=zones.crs)).sum())
    assert parts == pytest.approx(state_area, rel=1e-4)
    assert union == pytest.approx(parts, rel=1e-6)  # overlaps would make parts > union
    gap = (
        outline.to_crs(MYANMAR_ALBERS)
        .union_all()
        .difference(zones.to_crs(MYANMAR_ALBERS).union_all())
    )
    assert gap.area / 1e6 < state_area * 1e-4


def test_crossings_and_trade_zones_bear_no_area() -> None:
    places = _places(
        [
            ("town_a", "town", 96.5, 21.0),
            ("seat_b", "township_seat", 97.5, 21.0),
            ("gate", "crossing", 97.99, 21.0),
            ("zone", "trade_zone", 97.9, 21.1),
        ]
    )
    zones = build_zones(places, gpd.GeoSeries([STATE], crs="EPSG:4326"))
    assert sorted(zones.index) == ["seat_b", "town_a"]
    # Two points symmetric about lon 97: the cells meet on the meridian 97.
    west = zones.loc["town_a", "geometry"]
    assert west.bounds[2] == pytest.approx(97.0, abs=1e-3)


def test_places_outside_the_state_bear_no_area() -> None:
    places = _places([("inside", "town", 97.0, 21.0), ("mandalay", "town", 96.08, 21.97 + 1.0)])
    assert area_places(places, gpd.GeoSeries([STATE], crs="EPSG:4326")).to_dict() == {
        "inside": "inside"
    }


@pytest.mark.parametrize(("km_outside", "bears"), [(1.0, True), (3.0, False)])
def test_a_place_just_outside_a_coarse_outline_still_bears_area(km_outside, bears) -> None:
    # The state box's north edge is the parallel 22°N; 1° of latitude is ~110.7 km here.
    lat = 22.0 + km_outside / 110.7
    places = _places([("inside", "town", 97.0, 21.0), ("border", "town", 97.5, lat)])
    zones = area_places(places, gpd.GeoSeries([STATE], crs="EPSG:4326"))
    assert ("border" in zones.index) is bears


def test_places_at_one_spot_share_one_zone_borne_by_the_seat() -> None:
    offset = SAME_SPOT_M / 2 / 111_000  # half the threshold, in degrees of latitude
    places = _places(
        [
            ("camp", "base", 97.0, 21.0),
            ("seat", "township_seat", 97.0, 21.0 + offset),
            ("other", "town", 96.3, 20.5),
        ]
    )
    zones = build_zones(places, gpd.GeoSeries([STATE], crs="EPSG:4326"))
    assert sorted(zones.index) == ["other", "seat"]
    assert zones.loc["seat", "merged"] == "camp"


def test_zones_partition_the_real_shan_outline() -> None:
    state = gpd.read_file(SHAN)
    rng = np.random.default_rng(1027)
    xmin, ymin, xmax, ymax = state.total_bounds
    outline = state.union_all()
    rows = []
    while len(rows) < 40:
        lon, lat = rng.uniform(xmin, xmax), rng.uniform(ymin, ymax)
        if outline.contains(Point(lon, lat)):
            rows.append((f"p{len(rows)}", "town", lon, lat))
    zones = build_zones(_places(rows), state)
    assert len(zones) == 40
    _assert_partition(zones, state.geometry)
    for pid, zone in zones.geometry.items():
        lon, lat = next((r[2], r[3]) for r in rows if r[0] == pid)
        assert zone.covers(Point(lon, lat))


def test_township_cells_stay_within_their_township() -> None:
    # Two townships split at lon 97; "a" sits just west of the line, "b" far east.
    # Without townships, a's cell would cross into the east township.
    townships = make_townships({"T1": (96.0, 20.0, 97.0, 22.0), "T2": (97.0, 20.0, 98.0, 22.0)})
    places = _places([("a", "town", 96.95, 21.0), ("b", "town", 97.9, 21.0)])
    zones = build_zones(places, gpd.GeoSeries([STATE], crs="EPSG:4326"), townships)
    west = box(96.0, 20.0, 97.0, 22.0)
    assert zones.loc["a", "geometry"].symmetric_difference(west).area < 1e-6 * west.area
    plain = build_zones(places, gpd.GeoSeries([STATE], crs="EPSG:4326"))
    assert plain.loc["a", "geometry"].bounds[2] > 97.1


def test_a_township_without_places_goes_to_the_nearest_places() -> None:
    townships = make_townships({"T1": (96.0, 20.0, 97.0, 22.0), "T2": (97.0, 20.0, 98.0, 22.0)})
    places = _places([("a", "town", 96.5, 20.5), ("b", "town", 96.5, 21.5)])
    zones = build_zones(places, gpd.GeoSeries([STATE], crs="EPSG:4326"), townships)
    _assert_partition(zones, gpd.GeoSeries([STATE], crs="EPSG:4326"))
    # T2 is split between a and b by their bisector, the parallel 21.0.
    east_of_a = zones.loc["a", "geometry"].intersection(box(97.0, 20.0, 98.0, 22.0))
    assert east_of_a.bounds[3] == pytest.approx(21.0, abs=0.01)


def test_zones_with_real_townships_partition_the_state() -> None:
    from territory import read_townships

    state = gpd.read_file(SHAN)
    townships = read_townships(mimu_townships())
    # One point per township: its representative point, which lies inside it.
    points = townships.geometry.representative_point()
    rows = [(f"t{i}", "town", p.x, p.y) for i, p in enumerate(points)]
    zones = build_zones(_places(rows), state, townships, crs=MYANMAR_ALBERS)
    _assert_partition(zones, state.geometry)
    # With one place per township, each township's ground inside the state
    # belongs to its own place.
    albers_zones = zones.to_crs(MYANMAR_ALBERS)
    albers_state = state.to_crs(MYANMAR_ALBERS).union_all()
    for i, township in enumerate(townships.to_crs(MYANMAR_ALBERS).geometry):
        ground = township.intersection(albers_state)
        if ground.area < 1e6:
            continue
        own = albers_zones.loc[f"t{i}", "geometry"].intersection(ground)
        assert own.area == pytest.approx(ground.area, rel=1e-6)


def test_embedded_places_in_real_townships_partition_the_state() -> None:
    """The embedded places cut by MIMU's townships: every zone valid in EPSG:4326
    (reprojection from Albers can fold a ring; build_zones repairs it)."""
    import territory

    ds = territory.load_shan()
    zones = build_zones(ds.places, ds.state, territory.read_townships(mimu_townships()))
    _assert_partition(zones, ds.state.geometry)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.drop(columns="TS_PCODE"), "TS_PCODE"),
        (lambda t: t.to_crs(MYANMAR_ALBERS), "expected EPSG:4326"),
        (
            lambda t: t.set_geometry(
                [shapely.Polygon([(96, 20), (97, 21), (97, 20), (96, 21)]), *t.geometry[1:]]
            ),
            "invalid geometry for TS_PCODE 'T1'",
        ),
    ],
    ids=["no TS_PCODE", "wrong CRS", "bowtie"],
)
def test_bad_townships_get_a_data_error_that_says_which(change, expected) -> None:
    townships = change(make_townships({"T1": (96, 20, 97, 22), "T2": (97, 20, 98, 22)}))
    with pytest.raises(DataError, match=expected):
        check_townships(townships)


def test_no_area_bearing_place_is_an_error() -> None:
    places = _places([("gate", "crossing", 97.99, 21.0)])
    with pytest.raises(DataError, match="no place of kind"):
        build_zones(places, gpd.GeoSeries([STATE], crs="EPSG:4326"))
