"""The fictional Vellmark dataset (examples/vellmark, 50°N) runs end to end.

Part 2 of docs/bring_your_own.md is examples/illustrative.py; the script runs
in a subprocess, and its results are checked against oracles written here:
geodesic areas (pyproj.Geod) of the zones, summed by the side each place's
holder is on, worked out by hand from events.csv and actor_sides.csv; the
GeoPackage read back with GDAL's ogrinfo.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyproj
import pytest
from shapely import segmentize

import territory

ROOT = Path(__file__).resolve().parents[1]
DATASET = ROOT / "examples" / "vellmark"
SCRIPT = ROOT / "examples" / "illustrative.py"
GUIDE = ROOT / "docs" / "bring_your_own.md"
MARK = "<!-- part 2: examples/illustrative.py -->"
GEOD = pyproj.Geod(ellps="WGS84")

#: Each place's side, worked out by hand from the log and actor_sides.csv.
SIDES_BY_HAND = {
    # HLM (Kell) is neutral until 1 June, NRC opposition until 1 August.
    "2025-03-10": {
        "harlow": "incumbent", "brenn": "opposition", "ostvik": "incumbent",
        "kell": "neutral", "marsh_camp": "opposition", "tarn": "incumbent",
        "eldmoor": "opposition", "ridge_post": "incumbent", "fenwick": "incumbent",
    },
    "2025-08-15": {
        "harlow": "incumbent", "brenn": "opposition", "ostvik": "neutral",
        "kell": "opposition", "marsh_camp": "opposition", "tarn": "incumbent",
        "eldmoor": "opposition", "ridge_post": "neutral", "fenwick": "incumbent",
    },
    "2025-12-31": {
        "harlow": "incumbent", "brenn": "opposition", "ostvik": "neutral",
        "kell": "opposition", "marsh_camp": "incumbent", "tarn": "opposition",
        "eldmoor": "opposition", "ridge_post": "neutral", "fenwick": "incumbent",
    },
}  # fmt: skip


def geodesic_km2(geometry) -> float:
    return abs(GEOD.geometry_area_perimeter(segmentize(geometry, 0.01))[0]) / 1e6


def test_the_guide_part_2_is_the_script() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert text.count(MARK) == 1
    blocks = re.findall(r"```python\n(.*?)```", text.split(MARK)[1], flags=re.S)
    script = SCRIPT.read_text(encoding="utf-8")
    assert len(blocks) >= 6
    positions = []
    for block in blocks:
        assert block in script, f"this block of part 2 is not in {SCRIPT.name}:\n{block}"
        positions.append(script.index(block))
    assert positions == sorted(positions)


def test_dataset_is_marked_fictional_and_has_no_optional_parts() -> None:
    ds = territory.load_dataset(DATASET)
    assert "fictional" in ds.name
    assert all("Fictional" in s for s in ds.events["source"])
    assert ds.trade.empty and ds.routes.empty and ds.population.empty
    assert ds.places.geometry.y.min() > 49 and ds.places.geometry.y.max() < 51
    assert ds.sides.incumbent == "incumbent"
    assert ds.equal_area_crs.startswith("+proj=aea +lat_0=50 ")


@pytest.mark.parametrize("day", sorted(SIDES_BY_HAND))
def test_areas_by_side_match_geodesic_areas(day: str) -> None:
    tl = territory.ControlTimeline(territory.load_dataset(DATASET))
    expected: dict[str, float] = {}
    for zone, geometry in zip(tl.zones.index, tl.zones.geometry, strict=True):
        side = SIDES_BY_HAND[day][str(zone)]
        expected[side] = expected.get(side, 0.0) + geodesic_km2(geometry)
    got = tl.at(day, by="side").set_index("side")["area_km2"].to_dict()
    assert set(got) == set(expected)
    for side, area in expected.items():
        assert got[side] == pytest.approx(area, rel=0.005)
    series = tl.series(day, day, by="side").iloc[0]
    assert series[series > 0].to_dict() == pytest.approx(got)


def test_the_script_runs_end_to_end(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    zones, geodesic = re.search(
        r"study area: ([\d,]+) km² \(geodesic: ([\d,]+) km²\)", out
    ).groups()
    assert float(zones.replace(",", "")) == pytest.approx(
        float(geodesic.replace(",", "")), rel=0.005
    )
    assert "has no trade data" in out
    assert "unmatched ACLED locations: ['Stonebridge']" in out
    assert "after accepting: valid" in out
    assert "14 events in the log" in out
    assert (DATASET / "events/events.csv").read_text(encoding="utf-8").count("acled_") == 0
    gpkg = tmp_path / "out" / "vellmark.gpkg"
    if shutil.which("ogrinfo"):
        info = subprocess.run(
            ["ogrinfo", "-ro", "-so", "-al", str(gpkg)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert info.returncode == 0, info.stderr
        assert "EPSG" in info.stdout and "4326" in info.stdout
        assert re.search(r"Feature Count: [1-9]", info.stdout)
    html = (tmp_path / "out" / "vellmark_2025-08-15.html").read_text(encoding="utf-8")
    assert "leaflet" in html.lower()


def test_demo_and_summary_run_without_trade(tmp_path: Path) -> None:
    territory_cli = [sys.executable, "-m", "territory.cli"]
    demo = subprocess.run(
        [*territory_cli, "demo", "--data", str(DATASET), "--out", str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    assert "trade share skipped" in demo.stdout
    assert (tmp_path / "demo" / "territory.gpkg").is_file()
    crossings = subprocess.run(
        [*territory_cli, "crossings", "--data", str(DATASET)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert crossings.returncode == 1
    message = crossings.stderr.strip().splitlines()
    assert len(message) == 1 and "no trade data" in message[0]
