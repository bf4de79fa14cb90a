"""Export, then read back with GDAL: the files hold exactly the library's own state.

Hypothesis generates small datasets (tests/synthetic.py: a few places in a
2° box, a baseline and a valid chain of captures), builds the timeline,
writes the GeoPackage and a GeoJSON snapshot, and reads them back with
pyogrio (GDAL's OGR).  Every interval row (zone, actor, valid_from,
valid_to, geometry) and every snapshot polygon must match what
``ControlTimeline`` itself returns.  The oracle is the timeline's own
in-memory frames, the thing the files claim to hold; the reader is GDAL,
not our code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synthetic import ACTORS, event, make_dataset
from territory.export import write_geojson, write_geopackage
from territory.timeline import ControlTimeline

EXAMPLES = int(os.environ.get("TERRITORY_FUZZ_EXAMPLES", "8"))
ROUNDTRIP = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=EXAMPLES <= 10,
)
#: GeoJSON keeps 6 decimals (about 0.1 m): a vertex may move by half of 1e-6 degrees.
GEOJSON_TOLERANCE = 1e-6


@st.composite
def datasets(draw: st.DrawFn) -> object:
    count = draw(st.integers(2, 5))
    # grid points 0.1° apart inside the 2° box: distinct by construction
    cells = draw(
        st.lists(
            st.tuples(st.integers(1, 19), st.integers(1, 19)),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    places = [
        (f"p{number}", "town", 96.0 + 0.1 * x, 20.0 + 0.1 * y)
        for number, (x, y) in enumerate(cells)
    ]
    actors = list(ACTORS)
    holder = {pid: draw(st.sampled_from(actors)) for pid, *_ in places}
    baseline = dict(holder)
    days = sorted(draw(st.lists(st.integers(1, 360), max_size=6, unique=True)))
    events = []
    for day in days:
        pid = draw(st.sampled_from([p[0] for p in places]))
        to = draw(st.sampled_from([a for a in actors if a != holder[pid]]))
        date = (pd.Timestamp("2024-01-01") + pd.Timedelta(days=day)).date().isoformat()
        events.append(event(date, pid, holder[pid], to, "capture"))
        holder[pid] = to
    return make_dataset(places=places, baseline=baseline, events=events)


def _same_geometry(a: object, b: object, tolerance: float) -> bool:
    return bool(
        shapely.normalize(a).equals_exact(shapely.normalize(b), tolerance)  # type: ignore[arg-type]
        or shapely.symmetric_difference(a, b).area < tolerance  # type: ignore[arg-type]
    )


@ROUNDTRIP
@given(dataset=datasets(), day=st.integers(0, 365))
def test_geopackage_and_geojson_read_back_as_the_timeline(
    tmp_path: Path, dataset: object, day: int
) -> None:
    tl = ControlTimeline(dataset)  # type: ignore[arg-type]
    gpkg = write_geopackage(tl, tmp_path / "t.gpkg")
    read = pyogrio.read_dataframe(gpkg, layer="control_intervals")
    mine = tl.intervals().reset_index(drop=True)
    assert len(read) == len(mine)
    order = ["zone_id", "valid_from"]
    read = read.sort_values(order).reset_index(drop=True)
    mine = mine.sort_values(order).reset_index(drop=True)
    assert read["zone_id"].tolist() == mine["zone_id"].tolist()
    assert read["actor"].tolist() == mine["actor"].tolist()
    for column in ("valid_from", "valid_to"):
        assert pd.to_datetime(read[column]).tolist() == pd.to_datetime(mine[column]).tolist()
    for a, b in zip(read.geometry, mine.geometry, strict=True):
        assert _same_geometry(a, b, 1e-9)

    date = tl.dataset.baseline_date + pd.Timedelta(days=day)
    snapshot = tl.at(date)
    geojson = write_geojson(snapshot, tmp_path / "at.geojson")
    back = pyogrio.read_dataframe(geojson)
    assert back.crs.to_epsg() == 4326
    assert sorted(back["actor"]) == sorted(snapshot["actor"])
    by_actor = snapshot.set_index("actor").geometry
    for actor, geometry in zip(back["actor"], back.geometry, strict=True):
        assert _same_geometry(geometry, by_actor[actor], GEOJSON_TOLERANCE)
    layers = [name for name, _ in pyogrio.list_layers(gpkg)]
    assert layers == [
        "control_intervals",
        "places",
        "crossings",
        "events",
        "changes",
        "layer_styles",
    ]
    events = pyogrio.read_dataframe(gpkg, layer="events")
    assert len(events) == len(tl.dataset.events)


@pytest.mark.parametrize("name", ["places"])
def test_places_layer_holds_each_place_once(tmp_path: Path, name: str) -> None:
    dataset = make_dataset(
        places=[("a", "town", 96.5, 21.0), ("b", "town", 97.5, 21.0)],
        baseline={"a": "SAC", "b": "TNLA"},
    )
    gpkg = write_geopackage(ControlTimeline(dataset), tmp_path / "t.gpkg")
    read = pyogrio.read_dataframe(gpkg, layer=name)
    assert sorted(read["id"]) == ["a", "b"]
    assert dict(zip(read["id"], read["holder"], strict=True)) == {"a": "SAC", "b": "TNLA"}
