"""Tests of the spatial models (territory.models, territory.ranges).

Synthetic cases (tests/synthetic.py) have expected values worked out by hand
in the comments: discs of known radius, boxes of known area.  The embedded
Shan data is checked for the partition and for the shipped township frame,
read back with GDAL.
"""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import territory
from synthetic import ACTORS, event, make_dataset, make_townships
from territory.crs import MYANMAR_ALBERS, area_km2
from territory.errors import DataError, TerritoryError
from territory.models import (
    DEFAULT_FOOTPRINT_M,
    UNASSESSED,
    footprint_radii,
    model_zones,
)
from territory.ranges import available_models
from territory.timeline import ControlTimeline
from territory.townships import TOWNSHIP_ATTRIBUTION, countryside_id

WEST_BOX = (96.0, 20.0, 97.0, 22.0)
EAST_BOX = (97.0, 20.0, 98.0, 22.0)
WITH_RESERVED = {
    **ACTORS,
    "UNASSESSED": ("unassessed", "#bdbdbd"),
    "CONTESTED": ("contested", "#f0e442"),
}
PLACES = [
    ("west", "township_seat", 96.5, 21.0),
    ("east", "township_seat", 97.5, 21.0),
    ("gate", "crossing", 97.99, 21.0),
    ("cs_t1", "countryside", 96.3, 21.5),
    ("cs_t2", "countryside", 97.3, 21.5),
]
BASELINE = {"west": "SAC", "east": "SAC", "gate": "SAC", "cs_t1": "TNLA", "cs_t2": UNASSESSED}


def _dataset(events=(), places=PLACES, baseline=BASELINE, path: Path | None = None):
    ds = make_dataset(places, baseline, events, actors=WITH_RESERVED)
    frame = ds.places.copy()
    # countryside places name their township (make_townships names them t1, t2)
    frame["township"] = [
        pid.removeprefix("cs_") if kind == "countryside" else None
        for pid, kind in zip(frame.index, frame["kind"], strict=True)
    ]
    return dataclasses.replace(ds, places=frame, path=path or Path("synthetic"))


def _townships():
    return make_townships({"T1": WEST_BOX, "T2": EAST_BOX})


def _timeline(events=(), model="layered", **options) -> ControlTimeline:
    return ControlTimeline(_dataset(events), townships=_townships(), model=model, **options)


def _box_km2(bounds) -> float:
    return float(area_km2(make_townships({"X": bounds}).geometry).iloc[0])


def _disc_km2(radius_m: float) -> float:
    """The area of the 64-gon shapely draws for a disc (quad_segs=16), in km²."""
    n = 64
    return 0.5 * n * radius_m**2 * math.sin(2 * math.pi / n) / 1e6


# -------------------------------------------------------------------- layered zones
def test_footprint_is_the_disc_of_its_kind_and_the_countryside_the_rest() -> None:
    zones = _timeline().zones
    seat = DEFAULT_FOOTPRINT_M["township_seat"]
    assert zones.loc["west", "layer"] == "footprint"
    assert zones.loc["west", "area_km2"] == pytest.approx(_disc_km2(seat), rel=1e-6)
    # T1's countryside is the box minus the west seat's disc
    assert zones.loc["cs_t1", "layer"] == "countryside"
    assert zones.loc["cs_t1", "area_km2"] == pytest.approx(
        _box_km2(WEST_BOX) - _disc_km2(seat), rel=1e-5
    )
    assert "gate" not in zones.index  # a crossing commands no ground


def test_countryside_holder_is_its_own_never_the_towns() -> None:
    capture_town = event("2024-03-10", "west", "SAC", "MNDAA", "capture")
    tl = _timeline([capture_town])
    assert tl.holder("cs_t1", "2024-04-01") == "TNLA"  # the town's capture leaves it
    assert tl.holder("cs_t2", "2024-04-01") == UNASSESSED
    take_country = event("2024-05-01", "cs_t2", UNASSESSED, "MNDAA", "handover")
    tl = _timeline([capture_town, take_country])
    sides = tl.at("2024-06-01", by="side").set_index(["side", "layer"])["area_km2"]
    # resistance: TNLA's T1 countryside + MNDAA's T2 countryside + the west seat's disc
    expected = _box_km2(WEST_BOX) + _box_km2(EAST_BOX) - _disc_km2(3000.0)
    assert sides.xs("resistance").sum() == pytest.approx(expected, rel=1e-5)
    assert sides[("junta", "footprint")] == pytest.approx(_disc_km2(3000.0), rel=1e-6)


def test_at_says_which_layer_each_row_is() -> None:
    at = _timeline().at("2024-02-01")
    assert set(at["layer"]) == {"footprint", "countryside"}
    grey = at.loc[at["actor"] == UNASSESSED]
    assert grey["layer"].tolist() == ["countryside"]
    assert grey["side"].tolist() == ["unassessed"]
    assert set(_timeline().intervals()["layer"]) == {"footprint", "countryside"}


def test_footprint_radius_from_dataset_json_and_from_a_place_column(tmp_path: Path) -> None:
    (tmp_path / "dataset.json").write_text(json.dumps({"footprint_m": {"township_seat": 5000}}))
    ds = _dataset(path=tmp_path)
    places = ds.places.copy()
    places["footprint_m"] = ["", "1500", "", "", ""]  # east: per place
    ds = dataclasses.replace(ds, places=places)
    radii = footprint_radii(ds)
    assert (radii["west"], radii["east"]) == (5000.0, 1500.0)
    zones = model_zones("layered", ds, _townships())
    assert zones.loc["west", "area_km2"] == pytest.approx(_disc_km2(5000.0), rel=1e-6)
    assert zones.loc["east", "area_km2"] == pytest.approx(_disc_km2(1500.0), rel=1e-6)


def test_bad_footprints_are_all_reported(tmp_path: Path) -> None:
    (tmp_path / "dataset.json").write_text(json.dumps({"footprint_m": {"palace": 10, "town": -1}}))
    ds = _dataset(path=tmp_path)
    places = ds.places.copy()
    places["footprint_m"] = ["wide", "", "", "", ""]
    with pytest.raises(DataError) as caught:
        footprint_radii(dataclasses.replace(ds, places=places))
    text = str(caught.value)
    assert "'palace' is not a settlement kind" in text
    assert "town: -1 is not a positive number" in text
    assert "places.csv" in text and "row 2" in text and "'wide' is not valid" in text


def test_urban_polygon_and_finer_area_units(tmp_path: Path) -> None:
    boundaries = tmp_path / "boundaries"
    boundaries.mkdir()
    urban = shapely.box(96.45, 20.95, 96.55, 21.05)
    gpd.GeoDataFrame({"place": ["west"]}, geometry=[urban], crs="EPSG:4326").to_file(
        boundaries / "footprints.geojson"
    )
    zone = shapely.box(96.0, 21.5, 96.5, 22.0)  # a self-administered zone in T1's north-west
    gpd.GeoDataFrame({"place": ["saz"]}, geometry=[zone], crs="EPSG:4326").to_file(
        boundaries / "areas.geojson"
    )
    places = [*PLACES, ("saz", "countryside", 96.2, 21.8)]
    ds = _dataset(places=places, baseline={**BASELINE, "saz": "UWSA"}, path=tmp_path)
    zones = model_zones("layered", ds, _townships())
    assert zones.loc["west", "area_km2"] == pytest.approx(_box_km2(urban.bounds), rel=1e-3)
    assert zones.loc["saz", "area_km2"] == pytest.approx(_box_km2(zone.bounds), rel=1e-3)
    assert zones.loc["cs_t1", "area_km2"] == pytest.approx(
        _box_km2(WEST_BOX) - _box_km2(urban.bounds) - _box_km2(zone.bounds), rel=1e-3
    )


def test_a_township_without_a_countryside_place_is_an_error() -> None:
    places = [p for p in PLACES if p[0] != "cs_t2"]
    baseline = {k: v for k, v in BASELINE.items() if k != "cs_t2"}
    with pytest.raises(DataError, match=r"countryside.*\['t2'\]"):
        model_zones("layered", _dataset(places=places, baseline=baseline), _townships())


@pytest.mark.parametrize(
    ("model", "townships", "message"),
    [
        ("voronoi", True, "model: 'voronoi' is not known"),
        ("layered", False, "model: 'layered' needs township polygons"),
        ("seat", False, "model: 'seat' needs township polygons"),
    ],
)
def test_model_errors(model: str, townships: bool, message: str) -> None:
    ds = make_dataset(PLACES[:3], {k: BASELINE[k] for k in ("west", "east", "gate")})
    with pytest.raises(TerritoryError, match=message):
        _ = ControlTimeline(ds, model=model, townships=_townships() if townships else None).zones


# -------------------------------------------------------------------- seat and nearest
def test_seat_model_gives_each_township_to_its_seat() -> None:
    tl = _timeline([event("2024-03-10", "east", "SAC", "MNDAA", "capture")], model="seat")
    sides = tl.at("2024-04-01", by="side").set_index("side")["area_km2"]
    assert sides["junta"] == pytest.approx(_box_km2(WEST_BOX), rel=1e-6)
    assert sides["resistance"] == pytest.approx(_box_km2(EAST_BOX), rel=1e-6)


def test_nearest_model_is_the_old_cells() -> None:
    ds, tws = _dataset(), _townships()
    old = territory.zones.build_zones(ds.places, ds.state, tws)
    new = ControlTimeline(ds, townships=tws, model="nearest").zones
    assert new.index.tolist() == old.index.tolist()
    np.testing.assert_allclose(new["area_km2"], old["area_km2"])


def test_the_default_model() -> None:
    assert _timeline(model=None).model == "layered"
    bare = make_dataset(PLACES[:3], {k: BASELINE[k] for k in ("west", "east", "gate")})
    assert ControlTimeline(bare, townships=_townships()).model == "nearest"  # no countryside
    assert ControlTimeline(territory.load_shan()).model == "layered"


# -------------------------------------------------------------------- model range
def test_model_range_is_the_min_and_max_of_each_model() -> None:
    events = [event("2024-03-10", "east", "SAC", "MNDAA", "capture")]
    tl = _timeline(events)
    ranged = tl.series("2024-03-01", "2024-03-20", model_range=True)
    assert available_models(tl) == ["layered", "nearest", "seat"]
    alone = [
        _timeline(events, model=m).series("2024-03-01", "2024-03-20")
        for m in ("layered", "nearest", "seat")
    ]
    pd.testing.assert_frame_equal(ranged["value"], alone[0], check_names=False)
    low = np.minimum.reduce([f.to_numpy() for f in alone])
    high = np.maximum.reduce([f.to_numpy() for f in alone])
    np.testing.assert_allclose(ranged["low"].to_numpy(), low)
    np.testing.assert_allclose(ranged["high"].to_numpy(), high)
    # the junta holds the west seat: all of T1 under seat and nearest, only the
    # seat's disc under layered (T1's countryside is the TNLA's)
    day = pd.Timestamp("2024-03-20")
    assert ranged.loc[day, ("low", "junta")] == pytest.approx(_disc_km2(3000.0), rel=1e-6)
    assert ranged.loc[day, ("high", "junta")] == pytest.approx(_box_km2(WEST_BOX), rel=1e-6)


# -------------------------------------------------------------------- partition property
@st.composite
def _layouts(draw):
    """Random settlements in two township boxes, each township with its countryside."""
    n = draw(st.integers(min_value=1, max_value=8))
    coords = draw(
        st.lists(
            st.tuples(
                st.floats(96.01, 97.99, allow_nan=False), st.floats(20.01, 21.99, allow_nan=False)
            ),
            min_size=n,
            max_size=n,
        )
    )
    kinds = draw(
        st.lists(
            st.sampled_from(["town", "base", "outpost", "township_seat"]), min_size=n, max_size=n
        )
    )
    radii = draw(st.lists(st.sampled_from(["", "500", "5000", "40000"]), min_size=n, max_size=n))
    places = [(f"p{i}", kinds[i], lon, lat) for i, (lon, lat) in enumerate(coords)]
    return places, radii


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_layouts())
# Found by hypothesis: a footprint near the outline, whose hole in the countryside
# crossed its shell once reprojected and was filled by the repair.
@example(([("p0", "town", 97.0, 21.0), ("p1", "town", 97.953125, 21.0)], ["", "5000"]))
def test_layered_zones_partition_the_study_area(layout) -> None:
    places, radii = layout
    all_places = [*places, *PLACES[3:]]
    baseline = {p[0]: "SAC" for p in places} | {"cs_t1": "TNLA", "cs_t2": UNASSESSED}
    ds = _dataset(places=all_places, baseline=baseline)
    frame = ds.places.copy()
    frame["footprint_m"] = [*radii, "", ""]
    ds = dataclasses.replace(ds, places=frame)
    _assert_partition(model_zones("layered", ds, _townships()), ds)


def _assert_partition(zones: gpd.GeoDataFrame, ds: territory.Dataset) -> None:
    # Measured in the CRS the zones are built in: the dataset's equal-area CRS
    # (the Shan Albers for the embedded data, fitted to the area otherwise).
    shapes = zones.to_crs(ds.equal_area_crs).geometry.to_numpy()
    outline = ds.state.to_crs(ds.equal_area_crs).union_all()
    union = shapely.union_all(shapes)
    total = sum(g.area for g in shapes)
    # no gaps: the union is the study area; no overlaps: the areas add up to it
    assert shapely.symmetric_difference(union, outline).area / outline.area < 1e-6
    assert total / outline.area == pytest.approx(1.0, abs=1e-6)
    assert zones["area_km2"].sum() == pytest.approx(zones.attrs["state_area_km2"], rel=1e-6)
    assert zones.attrs["pieces"]["area_km2"].sum() == pytest.approx(
        zones.attrs["state_area_km2"], rel=1e-6
    )


# -------------------------------------------------------------------- embedded data
@pytest.fixture(scope="module")
def shan() -> territory.Dataset:
    return territory.load_shan()


@pytest.mark.parametrize("model", ["layered", "seat", "nearest"])
def test_embedded_zones_partition_shan(shan: territory.Dataset, model: str) -> None:
    assert shan.equal_area_crs == MYANMAR_ALBERS
    _assert_partition(model_zones(model, shan, shan.townships), shan)


def test_embedded_townships_ship_with_their_attribution(shan: territory.Dataset) -> None:
    path = territory.embedded_data_path() / "boundaries" / "townships.geojson"
    info = subprocess.run(
        ["ogrinfo", "-so", "-al", str(path)], capture_output=True, text=True, check=True
    )
    assert "Feature Count: 61" in info.stdout
    assert (shan.townships["ST"] == "Shan").sum() == 55
    assert shan.townships.loc["MMR015001", "TS"] == "Lashio"  # the census pcode joins
    assert shan.attributions == (TOWNSHIP_ATTRIBUTION,)
    sources = (territory.embedded_data_path() / "boundaries" / "SOURCES.md").read_text()
    assert TOWNSHIP_ATTRIBUTION in sources


def test_every_embedded_township_has_a_sourced_countryside_unit(shan: territory.Dataset) -> None:
    countryside = shan.places.loc[shan.places["kind"] == "countryside"]
    assert sorted(countryside.index) == sorted(countryside_id(n) for n in shan.townships["TS"])
    rows = shan.baseline.set_index("place").loc[countryside.index]
    assert rows["source"].str.strip().ne("").all()
    unassessed = rows["holder"] == UNASSESSED
    # an assessed holder names a dated publication; an unassessed one says none was found
    assert rows.loc[~unassessed, "source"].str.contains(r"\d{4}").all()
    assert rows.loc[unassessed, "source"].str.startswith("no source consulted").all()
    assert 0 < unassessed.sum() < len(rows)


def test_geopackage_layers_carry_the_township_attribution(tmp_path: Path) -> None:
    tl = ControlTimeline(territory.load_shan())
    path = territory.write_geopackage(tl, tmp_path / "shan.gpkg")
    info = subprocess.run(
        ["ogrinfo", "-so", str(path), "control_intervals"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert f"ATTRIBUTION={TOWNSHIP_ATTRIBUTION}" in info.stdout
    # the layered intervals say which layer each polygon is, for styling
    assert "layer: String" in info.stdout


@pytest.mark.parametrize("model", ["layered", "seat", "nearest"])
def test_changes_match_at_under_every_model(shan: territory.Dataset, model: str) -> None:
    """Gains minus losses in changes() equal each actor's change of ground in at()."""
    tl = ControlTimeline(shan, model=model, townships=shan.townships)
    d0, d1 = "2023-10-26", "2024-09-01"
    before = tl.at(d0).groupby("actor")["area_km2"].sum()
    after = tl.at(d1).groupby("actor")["area_km2"].sum()
    moved = tl.changes(d0, d1)
    net = (
        moved.groupby("to_actor")["area_km2"]
        .sum()
        .sub(moved.groupby("from_actor")["area_km2"].sum(), fill_value=0.0)
    )
    delta = after.sub(before, fill_value=0.0)
    for actor in set(delta.index) | set(net.index):
        assert delta.get(actor, 0.0) == pytest.approx(net.get(actor, 0.0), abs=1e-6)
    assert before.sum() == pytest.approx(tl.zones.attrs["state_area_km2"], rel=1e-6)


def test_layered_on_mimu_townships_keeps_their_pcodes(shan: territory.Dataset) -> None:
    """A user's MIMU layer (read where it lies, never copied): countryside units match by name."""
    from shared_files import mimu_townships

    townships = territory.read_townships(mimu_townships())
    tl = ControlTimeline(shan, townships=townships)
    assert tl.model == "layered"
    pieces = tl.zones.attrs["pieces"]
    muse = pieces.loc[pieces["ts_pcode"] == "MMR015009"]  # MIMU's pcode for Muse
    assert "cs_muse" in set(muse["zone_id"])
    assert set(pieces["ts_pcode"].dropna()) <= set(townships["TS_PCODE"])
    _assert_partition(tl.zones, shan)
