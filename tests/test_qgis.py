"""The GeoPackage and the GeoTIFF stack opened in QGIS itself.

QGIS is Debian's ``python3-qgis`` (built for /usr/bin/python3, not the
venv), so ``qgis_helper.py`` runs in a subprocess, headless, and reports
what QGIS sees as JSON.  Locally these tests skip when QGIS is missing; on CI
(``CI=true``, where ``.ci/run`` installs it) they fail instead.

The oracle for "what should be shown on a day" is the timeline's state
matrix through ``tl.places_at`` (each zone's place and its holder), not the
interval table the GeoPackage is written from.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import rasterio

from browser.harness import require
from territory.export import write_geopackage, write_geotiff
from territory.export.raster import raster_style_path
from territory.timeline import ControlTimeline

HELPER = Path(__file__).with_name("qgis_helper.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")
#: Three days: the eve of Operation 1027, mid-offensive, and the data's last day.
DAYS = ["2023-10-26", "2024-01-15", "as-of"]


def _day_of(tl: ControlTimeline, name: str) -> str:
    return tl.as_of.date().isoformat() if name == "as-of" else name


def _has_qgis() -> bool:
    if not SYSTEM_PYTHON.exists():
        return False
    done = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import qgis.core"], capture_output=True, timeout=120
    )
    return done.returncode == 0


def _qgis(*args: str) -> Any:
    require(_has_qgis(), "QGIS missing: apt-get install python3-qgis qgis-providers")
    runtime = tempfile.mkdtemp(prefix="qgis-runtime-")  # private (0700), as Qt wants
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": runtime}
    env.pop("PYTHONPATH", None)  # the venv's packages are not for the system Python
    done = subprocess.run(
        [str(SYSTEM_PYTHON), str(HELPER), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def timeline() -> ControlTimeline:
    import territory

    return ControlTimeline(territory.load_shan())


def _week_starts(tl: ControlTimeline) -> list[pd.Timestamp]:
    return list(pd.date_range(tl.baseline_date, tl.as_of, freq="7D"))


@pytest.fixture(scope="module")
def seen(timeline: ControlTimeline, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """QGIS's report on the GeoPackage: layers, frames and one render."""
    folder = tmp_path_factory.mktemp("qgis")
    gpkg = write_geopackage(timeline, folder / "territory.gpkg")
    day = pd.Timedelta(days=1)
    days = [_day_of(timeline, d) for d in DAYS]
    frames = [[d, (pd.Timestamp(d) + day).date().isoformat()] for d in days]
    frames += [
        [w.date().isoformat(), (w + 7 * day).date().isoformat()] for w in _week_starts(timeline)
    ]
    after = timeline.as_of + day
    frames.append([after.date().isoformat(), (after + 7 * day).date().isoformat()])
    request = folder / "request.json"
    request.write_text(json.dumps({"frames": frames, "render": frames[1]}))
    return _qgis("vector", str(gpkg), str(request))


def _holders(tl: ControlTimeline, day: Any) -> dict[str, str]:
    """Zone id -> holder on ``day``, from the state matrix (not the intervals)."""
    places = tl.places_at(day).set_index("id")
    return {zone: str(places.loc[zone, "holder"]) for zone in tl.zones.index}


@pytest.mark.parametrize("where", ["alone", "project"])
def test_every_layer_opens_with_its_style(
    seen: Any, timeline: ControlTimeline, where: str
) -> None:
    """Added on its own (style from layer_styles) or through the stored project."""
    layers = seen[where]
    assert sorted(layers) == ["changes", "control_intervals", "crossings", "events", "places"]
    assert all(info["valid"] and info["crs"] == "EPSG:4326" for info in layers.values())
    assert all(info["renderer"] == "RuleRenderer" for info in layers.values())
    rules = {rule["label"]: rule for rule in layers["control_intervals"]["rules"]}
    colours = timeline.dataset.actors["colour"].str.lower().to_dict()
    for actor, colour in colours.items():
        assert rules[actor]["colour"] == colour
        assert rules[actor]["filter"] == f"\"actor\" = '{actor}'"
    assert rules["contested"]["symbol_layers"] == ["LinePatternFill"]
    assert rules["contested"]["filter"] == "\"status\" = 'contested'"
    for name in ("control_intervals", "places", "crossings"):
        assert layers[name]["labels"] and layers[name]["label_field"] == "name"


def test_the_project_opens_temporal_over_the_data(seen: Any, timeline: ControlTimeline) -> None:
    assert seen["project_read"]
    layers = seen["project"]
    for name in ("control_intervals", "crossings"):
        info = layers[name]
        assert info["temporal"], name
        assert info["mode"] == 4  # start and end from expressions
        assert info["limit_mode"] == 0  # include the start, exclude the end
        assert "@map_start_time" in info["start_expression"]
        end = timeline.as_of + pd.Timedelta(days=1)
        assert info["end_expression"] == (
            f'coalesce("valid_to", make_datetime({end.year},{end.month},{end.day},0,0,0))'
        )
    assert layers["events"]["temporal"] and layers["events"]["mode"] == 1  # instants
    assert not layers["places"]["temporal"]  # a snapshot on the as-of date
    assert seen["time_range"] == [
        f"{timeline.baseline_date.date()}T00:00:00Z",
        f"{(timeline.as_of + pd.Timedelta(days=1)).date()}T00:00:00Z",
    ]
    assert seen["time_step"] == [7.0, "days"]
    # Points above the polygons in the layer tree (top first).
    assert seen["tree"][-2:] == ["changes", "control_intervals"]


@pytest.mark.parametrize("index", range(len(DAYS)), ids=DAYS)
def test_features_shown_on_a_day_are_the_librarys(
    seen: Any, timeline: ControlTimeline, index: int
) -> None:
    shown = seen["frames"][index]
    assert len(shown) == len(timeline.zones)
    assert dict(shown) == _holders(timeline, _day_of(timeline, DAYS[index]))


def test_a_week_frame_shows_each_zone_once_with_its_holder_on_the_first_day(
    seen: Any, timeline: ControlTimeline
) -> None:
    weeks = _week_starts(timeline)
    frames = seen["frames"][len(DAYS) : len(DAYS) + len(weeks)]
    changed_inside = 0
    for start, shown in zip(weeks, frames, strict=True):
        zones = [zone for zone, _ in shown]
        assert len(zones) == len(set(zones)) == len(timeline.zones), start
        assert dict(shown) == _holders(timeline, start), start
        end = min(start + pd.Timedelta(days=6), timeline.as_of)
        changed_inside += _holders(timeline, start) != _holders(timeline, end)
    # The rule matters: many weeks have a zone changing hands inside them.
    assert changed_inside >= 10


def test_nothing_is_shown_after_the_as_of_date(seen: Any) -> None:
    assert seen["frames"][-1] == []


def test_a_render_is_not_blank_and_shows_actor_colours(
    seen: Any, timeline: ControlTimeline
) -> None:
    counts = seen["render"]
    total = sum(counts.values())
    assert counts.get("#ffffff", 0) < 0.9 * total
    colours = timeline.dataset.actors["colour"].str.lower().to_dict()
    held = set(_holders(timeline, DAYS[1]).values())
    drawn = {actor for actor in held if counts.get(colours[actor], 0) > 0}
    assert len(drawn) >= 0.6 * len(held), (held, drawn)


def test_a_four_band_stack_is_paletted_in_actor_colours_on_every_band(
    timeline: ControlTimeline, tmp_path: Path
) -> None:
    days = ["2023-10-26", "2024-01-15", "2024-08-10", "2025-06-01"]
    path = write_geotiff(timeline, days, tmp_path / "stack.tif", resolution_m=4000)
    assert raster_style_path(path).is_file()
    seen = _qgis("raster", str(path))
    assert seen["valid"] and seen["bands"] == 4
    assert seen["renderer"] == "paletted"
    assert [name.split(": ")[1] for name in seen["band_names"]] == days
    with rasterio.open(path) as src:
        codes = {int(k): v for k, v in json.loads(src.tags()["ACTOR_CODES"]).items()}
    colours = timeline.dataset.actors["colour"].str.lower().to_dict()
    assert {value: (label, colour) for value, label, colour in seen["classes"]} == {
        code: (actor, colours[actor]) for code, actor in codes.items()
    }
    actor_colours = set(colours.values())
    assert [band["band"] for band in seen["per_band"]] == [1, 2, 3, 4]
    for band in seen["per_band"]:
        drawn = set(band["colours"]) - {"#ffffff"}
        assert len(drawn) >= 3 and drawn <= actor_colours, band
