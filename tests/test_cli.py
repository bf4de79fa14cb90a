"""The ``territory`` command, driven through click's runner and as a real subprocess.

The small dataset these tests run on is the invented "Norland" dataset that
``examples/bring_your_own.py`` writes (the script is the guide
``docs/bring_your_own.md``).  Its expected numbers below are worked out by
hand from that script's tables, not by the code under test.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from shared_files import mimu_townships
from territory.cli import main, parse_date

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "bring_your_own.py"
TERRITORY = Path(sys.executable).with_name("territory")


@pytest.fixture(autouse=True)
def _restore_the_territory_logger() -> Iterator[None]:
    """The command sets the ``territory`` logger's level and handler: undo it after each test."""
    logger = logging.getLogger("territory")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.fixture(scope="module")
def norland(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The invented Norland dataset, written by the guide's script."""
    import territory

    out = tmp_path_factory.mktemp("byo")
    # The script writes and validates the dataset first, then uses the library on it;
    # these tests need only the dataset (test_examples.py checks the whole script).
    subprocess.run(
        [sys.executable, str(EXAMPLE), str(out)], cwd=out, capture_output=True, timeout=300
    )
    assert territory.validate(out / "norland") == []
    return out / "norland"


@pytest.fixture
def broken(norland: Path, tmp_path: Path) -> Path:
    """Norland with three known faults in events.csv."""
    copy = tmp_path / "broken"
    shutil.copytree(norland, copy)
    events = copy / "events" / "events.csv"
    text = events.read_text(encoding="utf-8")
    text = text.replace("e03,2024-06-01,", "e03,2024-13-01,")  # row 4: no such month
    text = text.replace(",hill_camp,NAF,ELF,capture", ",hill_camp,NAF,ELF,capturd")  # row 4
    text = text.replace("e09,2024-10-05,0,,dunmore_gate", "e09,2024-10-05,0,,dunmore_gat")
    events.write_text(text, encoding="utf-8")
    return copy


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed ``territory`` command as a real subprocess, output piped."""
    return subprocess.run(
        [str(TERRITORY), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "COLUMNS": "200"},
    )


def invoke(*args: str | Path):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def assert_one_line_error(stderr: str, *fragments: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("territory: error: "), stderr
    assert "Traceback" not in stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


# ---------------------------------------------------------------------- basics
def test_entry_point_is_installed() -> None:
    assert TERRITORY.is_file(), f"{TERRITORY} missing: pip install -e . registers the command"


def test_version_in_process_and_subprocess() -> None:
    import territory

    expected = f"territory, version {territory.__version__}"
    assert invoke("--version").output.strip() == expected
    done = run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == expected


@pytest.mark.parametrize("args", [("--help",), ("-h",), ()], ids=["--help", "-h", "bare"])
def test_help_lists_every_subcommand(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 0
    assert done.stdout.startswith("Usage: territory [OPTIONS] COMMAND [ARGS]...")
    for name in ("summary", "crossings", "map", "animate", "export", "validate", "demo"):
        assert f"  {name} " in done.stdout, name


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2023-10-27", pd.Timestamp(2023, 10, 27)), (" 2024-02-29 ", pd.Timestamp(2024, 2, 29))],
)
def test_parse_date_accepts_iso_days(text: str, expected: pd.Timestamp) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    ["2024/08/10", "10-08-2024", "2024-8-10", "2024-08-10T00:00", "yesterday", "2023-02-29"],
)
def test_parse_date_refuses_anything_else(text: str) -> None:
    import click

    with pytest.raises(click.BadParameter, match="YYYY-MM-DD"):
        parse_date(text)


@pytest.mark.parametrize(
    ("flags", "level"),
    [((), "WARNING"), (("-v",), "INFO"), (("-vv",), "DEBUG"), (("-q",), "ERROR")],
)
def test_verbosity_sets_the_territory_logger(
    norland: Path, flags: tuple[str, ...], level: str
) -> None:
    result = invoke(*flags, "validate", norland)
    assert result.exit_code == 0
    assert logging.getLevelName(logging.getLogger("territory").level) == level


# ---------------------------------------------------------------------- validate
def test_validate_accepts_the_guide_dataset(norland: Path) -> None:
    done = run("validate", norland, norland / "events" / "events.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{norland}: ok",
        f"{norland / 'events' / 'events.csv'}: ok",
    ]


def test_validate_lists_every_problem_one_per_line(broken: Path) -> None:
    events = broken / "events" / "events.csv"
    done = run("validate", broken)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines() == [
        f"{events}, row 4, column 'date': '2024-13-01' is not valid: expected a real day as "
        "YYYY-MM-DD",
        f"{events}, row 4, column 'kind': 'capturd' is not valid: expected one of "
        "['capture', 'handover', 'contested', 'repelled', 'ceasefire']",
        f"{events}, row 10, column 'place': unknown place id 'dunmore_gat'",
    ]
    assert done.stderr.strip().splitlines()[-1] == "territory: 3 problem(s) found"


def test_validate_a_single_csv_checks_only_its_own_columns(broken: Path) -> None:
    done = run("validate", broken / "events" / "events.csv")
    assert done.returncode == 1
    assert len(done.stdout.splitlines()) == 2  # the unknown place needs places.csv


@pytest.mark.parametrize("target", ["no_such_dir", "no_such_file.csv"])
def test_validate_a_missing_path(tmp_path: Path, target: str) -> None:
    done = run("validate", tmp_path / target)
    assert done.returncode == 1
    assert done.stdout.strip() == f"{tmp_path / target}: no such file or directory"
    assert "Traceback" not in done.stderr


# ---------------------------------------------------------------------- bad input
BAD_DATES = [
    ("summary", "--date", "2024/08/10"),
    ("summary", "--date", "2024-02-30"),
    ("crossings", "--date", "10 Aug 2024"),
    ("map", "--date", "20240810", "-o", "x.html"),
    ("animate", "--start", "2024-8-1", "-o", "x.html"),
    ("export", "--format", "tif", "--end", "2024-08", "-o", "x.tif"),
]


@pytest.mark.parametrize(
    "args", BAD_DATES, ids=lambda a: f"{a[0]} {a[-1] if a[0] != 'map' else a[2]}"
)
def test_unknown_date_format_is_one_line_in_process(args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 2
    assert_one_line_error(
        result.stderr if hasattr(result, "stderr") else result.output, "YYYY-MM-DD"
    )


@pytest.mark.parametrize("args", BAD_DATES[:2], ids=["slashes", "no-such-day"])
def test_unknown_date_format_is_one_line_in_a_subprocess(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert_one_line_error(done.stderr, "--date", "YYYY-MM-DD")


def test_missing_data_directory(tmp_path: Path) -> None:
    done = run("summary", "--data", tmp_path / "nowhere")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "--data", "does not exist")


def test_missing_townships_file(norland: Path, tmp_path: Path) -> None:
    done = run("summary", "--data", norland, "--townships", tmp_path / "townships.gpkg")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "--townships", "does not exist")


def test_bad_csv_in_the_data_is_one_line(broken: Path) -> None:
    done = run("summary", "--data", broken)
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "3 problems", "row 4", f"territory validate {broken}")


def test_unreadable_csv_is_one_line(norland: Path, tmp_path: Path) -> None:
    copy = tmp_path / "garbled"
    shutil.copytree(norland, copy)
    (copy / "events" / "actors.csv").write_bytes(b"\xff\xfe\x00garbage\x00\n\x81\x82")
    done = run("crossings", "--data", copy)
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "actors.csv", "UTF-8")


def test_unknown_option_is_one_line() -> None:
    done = run("summary", "--colour", "red")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "--colour")


def test_date_outside_the_data_is_one_line(norland: Path) -> None:
    done = run("summary", "--data", norland, "--date", "2023-01-01")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "2023-01-01", "2024-04-30", "2024-12-31")


# ---------------------------------------------------------------------- the library at work
# Norland's holders, worked out by hand from examples/bring_your_own.py:
# on 2024-06-25 (after events e01-e04) NAF holds port_alder, brindle, dunmore and
# dunmore_gate; ELF holds east_gate (e02), hill_camp (e03) and dunmore_ford (e04); the
# militia CMV still holds carrow.  On 2024-10-10 (after e09, before e10) NAF holds only
# port_alder and brindle.  Trade, FY2023-24: post dunmore 60 M USD (two gates), east_gate
# 25 M, west_port 15 M (not on the map, so junta-held): 100 M in all.
HOLDERS = {
    "2024-06-25": {"NAF": 4, "ELF": 3, "CMV": 1},
    "2024-10-10": {"NAF": 2, "ELF": 6},
}
# (value, low, high) of the resistance's share, by basis.  On 2024-06-25 ELF holds one of
# Dunmore's two gates: value counts half the post (30 M), low none of it, high all of it.
# "cut": the road from port_alder is blocked at hill_camp (ELF) for Dunmore and at carrow
# (CMV, neutral) for East Gate, so every gate is out of the junta's reach.  On the
# baseline, only East Gate is (behind the neutral militia's Carrow).
TRADE = {
    ("2024-04-30", "held"): (0.0, 0.0, 0.0),
    ("2024-04-30", "cut"): (0.25, 0.25, 0.25),
    ("2024-06-25", "held"): (0.55, 0.25, 0.85),
    ("2024-06-25", "cut"): (0.85, 0.85, 0.85),
    ("2024-10-10", "held"): (0.85, 0.85, 0.85),
    ("2024-10-10", "cut"): (0.85, 0.85, 0.85),
}


def province_km2() -> float:
    """Eastern Province (lon 2..3, lat -0.9..-0.1) on the WGS84 ellipsoid, by pyproj's Geod."""
    from pyproj import Geod

    area, _ = Geod(ellps="WGS84").polygon_area_perimeter([2, 3, 3, 2], [-0.9, -0.9, -0.1, -0.1])
    return abs(area) / 1e6


@pytest.mark.parametrize("day", sorted(HOLDERS))
def test_summary_json_counts_holders_and_area(norland: Path, day: str) -> None:
    result = invoke("summary", "--data", norland, "--date", day, "--format", "json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["date"] == day
    assert {r["actor"]: r["places"] for r in summary["actors"] if r["places"]} == HOLDERS[day]
    total = sum(r["area_km2"] for r in summary["sides"])
    assert total == pytest.approx(province_km2(), rel=5e-3)
    assert sum(r["share"] for r in summary["sides"]) == pytest.approx(1.0)


def test_summary_neutral_ground_goes_with_the_handover(norland: Path) -> None:
    before = json.loads(
        invoke("summary", "--data", norland, "--date", "2024-06-25", "--format", "json").stdout
    )
    after = json.loads(
        invoke("summary", "--data", norland, "--date", "2024-10-10", "--format", "json").stdout
    )
    assert {r["side"]: r["area_km2"] for r in before["sides"]}.get("neutral", 0) > 0
    assert {r["side"]: r["area_km2"] for r in after["sides"]}.get("neutral", 0) == 0


@pytest.mark.parametrize(("day", "basis"), sorted(TRADE))
def test_summary_trade_share(norland: Path, day: str, basis: str) -> None:
    summary = json.loads(
        invoke("summary", "--data", norland, "--date", day, "--format", "json").stdout
    )
    (row,) = [r for r in summary["trade"] if r["basis"] == basis]
    assert (row["value"], row["low"], row["high"]) == pytest.approx(TRADE[day, basis])
    assert row["denominator_usd"] == pytest.approx(100e6)


def test_summary_table_in_a_subprocess(norland: Path) -> None:
    done = run("summary", "--data", norland, "--date", "2024-06-25")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Norland, Eastern Province (invented) on 2024-06-25"
    assert any(
        line.startswith("basis held") and "25.0–85.0 %, central 55.0 % under" in line
        for line in lines
    ), done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (
            "2024-04-30",
            {
                "dunmore_gate": ("NAF", True),
                "dunmore_ford": ("NAF", True),
                "east_gate": ("NAF", False),
            },
        ),
        (
            "2024-06-25",
            {
                "dunmore_gate": ("NAF", False),
                "dunmore_ford": ("ELF", False),
                "east_gate": ("ELF", False),
            },
        ),
    ],
)
def test_crossings_csv(norland: Path, day: str, expected: dict[str, tuple[str, bool]]) -> None:
    import csv
    import io

    done = run("crossings", "--data", norland, "--date", day, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    got = {r["id"]: (r["holder"], r["reachable_by_incumbent"] == "True") for r in rows}
    assert got == expected
    assert {r["lon"] for r in rows} == {"2.45", "2.58", "2.88"}


def test_crossings_json(norland: Path) -> None:
    result = invoke("crossings", "--data", norland, "--date", "2024-10-10", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["date"] == "2024-10-10"
    assert {c["id"]: c["holder"] for c in doc["crossings"]} == {
        "dunmore_gate": "ELF",
        "dunmore_ford": "ELF",
        "east_gate": "ELF",
    }


# ---------------------------------------------------------------------- maps and layers
def test_map_writes_a_leaflet_page(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    done = run("map", "--data", norland, "--date", "2024-06-25", "-o", out)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr.strip()) == ("", f"wrote {out}")
    html = out.read_text(encoding="utf-8")
    assert "L.map(" in html
    assert "2024-06-25" in html
    assert "L.tileLayer(" in html


def test_map_without_tiles(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "offline.html"
    result = invoke("map", "--data", norland, "--tiles", "none", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "L.map(" in html
    assert "L.tileLayer(" not in html


def test_animate_writes_one_step_per_month_plus_both_ends(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "timeline.html"
    result = invoke("animate", "--data", norland, "--freq", "MS", "-o", out)
    assert result.exit_code == 0, result.output
    # 2024-04-30 (baseline), the first of May ... December (8 steps), 2024-12-31 (as-of)
    assert (result.stdout, result.stderr.strip()) == ("", f"wrote {out} (10 steps)")
    assert "L.map(" in out.read_text(encoding="utf-8")


def test_export_geopackage_has_the_timeline_layers(norland: Path, tmp_path: Path) -> None:
    import pyogrio

    out = tmp_path / "norland.gpkg"
    result = invoke("export", "--data", norland, "-o", out)  # the format from the extension
    assert result.exit_code == 0, result.output
    names = [name for name, _ in pyogrio.list_layers(out)]
    assert names == [
        "control_intervals",
        "places",
        "crossings",
        "events",
        "changes",
        "layer_styles",
    ]
    places = pyogrio.read_dataframe(out, layer="places")
    assert len(places) == 8


def test_export_geojson_intervals(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "intervals.geojson"
    result = invoke("export", "--data", norland, "--format", "geojson", "-o", out)
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert "crs" not in doc
    actors = {f["properties"]["actor"] for f in doc["features"]}
    assert actors == {"NAF", "ELF", "CMV"}
    opened = {f["properties"]["valid_from"] for f in doc["features"]}
    assert "2024-04-30" in opened  # the baseline
    assert "2024-06-01" in opened  # e03: ELF takes Brindle Hill Camp


def test_export_geojson_snapshots_one_per_step(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "june.geojson"
    result = invoke(
        "export", "--data", norland, "-o", out,
        "--start", "2024-06-01", "--end", "2024-06-30", "--freq", "W",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    # 2024-06-01 is a Saturday: the start, then the Sundays of June ("W" = W-SUN)
    assert sorted({f["properties"]["date"] for f in doc["features"]}) == [
        "2024-06-01", "2024-06-02", "2024-06-09", "2024-06-16", "2024-06-23", "2024-06-30"
    ]  # fmt: skip


def test_export_geotiff_one_band_per_date(norland: Path, tmp_path: Path) -> None:
    import rasterio

    out = tmp_path / "control.tif"
    result = invoke(
        "export", "--data", norland, "--format", "tif", "-o", out,
        "--start", "2024-05-01", "--end", "2024-08-01", "--freq", "MS",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with rasterio.open(out) as raster:
        assert raster.count == 4
        assert raster.descriptions == ("2024-05-01", "2024-06-01", "2024-07-01", "2024-08-01")
    assert out.with_suffix(".qml").is_file()  # its QGIS style


def test_export_netcdf_time_cube(norland: Path, tmp_path: Path) -> None:
    xr = pytest.importorskip("xarray", reason="the territory[cube] extra is not installed")
    out = tmp_path / "norland.nc"
    done = run("export", "--data", norland, "--start", "2024-05-01", "--freq", "MS", "-o", out)
    assert done.returncode == 0, done.stderr
    with xr.open_dataset(out, decode_coords="all") as cube:
        days = [str(t)[:10] for t in cube["time"].to_numpy()]
    # From 2024-05-01 to the as-of date 2024-12-31: 8 month starts and the end.
    assert days[0] == "2024-05-01" and days[-1] == "2024-12-31" and len(days) == 9


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("-o", "x.shp"), ("--format", "x.shp")),
        (("-o", "x.gpkg", "--start", "2024-06-01"), ("--start", "gpkg")),
        (("-o", "x.tif", "--start", "2024-06-01", "--freq", "fortnightly"), ("--freq",)),
        (("-o", "x.tif", "--start", "2024-07-01", "--end", "2024-06-01"), ("--end",)),
    ],
)
def test_export_bad_options(
    norland: Path, tmp_path: Path, args: tuple[str, ...], fragments: tuple[str, ...]
) -> None:
    result = CliRunner().invoke(main, ["export", "--data", str(norland), *args])
    assert result.exit_code == 2
    assert_one_line_error(result.stderr, *fragments)


def test_export_into_a_missing_directory(norland: Path, tmp_path: Path) -> None:
    done = run("export", "--data", norland, "-o", tmp_path / "nowhere" / "x.gpkg")
    assert done.returncode == 1
    assert_one_line_error(done.stderr, "nowhere")


# ---------------------------------------------------------------------- progress bars
def run_in_terminal(*args: str | Path) -> str:
    """Run ``territory`` with stdout and stderr on a pseudo-terminal; return what it showed."""
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(TERRITORY), *map(str, args)], stdout=follower, stderr=follower, close_fds=True
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=600) == 0, b"".join(chunks).decode(errors="replace")
    return b"".join(chunks).decode(errors="replace")


SNAPSHOTS = ("export", "--format", "geojson", "--freq", "D", "--start", "2024-05-01")


def test_progress_bar_on_a_terminal(norland: Path, tmp_path: Path) -> None:
    shown = run_in_terminal(*SNAPSHOTS, "--data", norland, "-o", tmp_path / "daily.geojson")
    # 2024-05-01 to the as-of date 2024-12-31: 245 days
    assert "245/245" in shown


def test_no_progress_bar_when_piped(norland: Path, tmp_path: Path) -> None:
    done = run(*SNAPSHOTS, "--data", norland, "-o", tmp_path / "daily.geojson")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip() == f"wrote {tmp_path / 'daily.geojson'}"  # no progress bar


# ---------------------------------------------------------------------- the main job
DEMO_FILES = (
    "map.html",
    "timeline.html",
    "territory.gpkg",
    "control_intervals.geojson",
    "trade_share_weekly.csv",
    "trade_share_weekly.png",
)


def check_demo_output(out: Path) -> pd.DataFrame:
    for name in DEMO_FILES:
        assert (out / name).stat().st_size > 0, name
    assert (out / "trade_share_weekly.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    series = pd.read_csv(out / "trade_share_weekly.csv", parse_dates=["date"])
    assert {"date", "value", "low", "high"} <= set(series.columns)
    assert (series["low"] <= series["value"] + 1e-12).all()
    assert (series["value"] <= series["high"] + 1e-12).all()
    return series


def test_demo_on_your_own_data(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = run("demo", "--data", norland, "--out", out)
    assert done.returncode == 0, done.stderr
    series = check_demo_output(out)
    # weekly (Sundays) from the baseline 2024-04-30 to the as-of date 2024-12-31
    assert series["date"].iloc[0] == pd.Timestamp("2024-05-05")
    assert series["date"].iloc[-1] == pd.Timestamp("2024-12-29")
    # after 2024-10-05 every gate is ELF's: 85 M of 100 M
    assert series.loc[series["date"] == "2024-10-06", "value"].item() == pytest.approx(0.85)
    headings = [line for line in done.stdout.splitlines() if line.startswith("== ")]
    assert headings == ["== baseline date ==", "== middle of the period ==", "== as-of date =="]


def test_demo_on_the_embedded_data(tmp_path: Path) -> None:
    """The main job, as ``make demo`` runs it."""
    out = tmp_path / "out"
    done = run("demo", "--out", out)
    assert done.returncode == 0, done.stderr
    check_demo_output(out)
    headings = [line for line in done.stdout.splitlines() if line.startswith("== ")]
    assert headings == [
        "== eve of Operation 1027 ==",
        "== end of November 2023 ==",
        "== after the Haigeng ceasefire ==",
        "== after the fall of Lashio ==",
        "== after Lashio's return ==",
        "== as-of date of the data ==",
    ]


# ---------------------------------------------------------------------- townships
def norland_townships(path: Path) -> Path:
    """Three invented townships for Norland's province, one per township seat."""
    brindle = [[2.0, -0.45], [2.5, -0.45], [2.5, -0.1], [2.0, -0.1], [2.0, -0.45]]
    dunmore = [[2.0, -0.9], [2.6, -0.9], [2.6, -0.45], [2.0, -0.45], [2.0, -0.9]]
    carrow = [[2.6, -0.9], [3.0, -0.9], [3.0, -0.1], [2.5, -0.1], [2.5, -0.45], [2.6, -0.45],
              [2.6, -0.9]]  # fmt: skip
    features = [
        {
            "type": "Feature",
            "properties": {"TS_PCODE": pcode, "TS": name, "DT": "Eastern"},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }
        for pcode, name, ring in [
            ("NOR001", "Brindle", brindle),
            ("NOR002", "Dunmore", dunmore),
            ("NOR003", "Carrow", carrow),
        ]
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # the seats' holders: Brindle NAF, Dunmore NAF, Carrow the militia CMV
        ("2024-06-25", {"incumbent": 2, "neutral": 1}),
        # Dunmore fell to the ELF on 2024-09-25 and the militia handed Carrow over on 07-15
        ("2024-10-10", {"incumbent": 1, "opposition": 2}),
    ],
)
def test_summary_counts_townships_by_side(
    norland: Path, tmp_path: Path, day: str, expected: dict[str, int]
) -> None:
    townships = norland_townships(tmp_path / "townships.geojson")
    result = invoke(
        "summary", "--data", norland, "--date", day, "--townships", townships, "--format", "json"
    )
    assert result.exit_code == 0, result.output
    counts = {r["side"]: r["townships"] for r in json.loads(result.stdout)["townships"]}
    assert counts == expected


def test_contested_places_and_ground(norland: Path) -> None:
    """Dunmore is contested from e07 (2024-09-10) until its capture (e08, 2024-09-25)."""
    summary = json.loads(
        invoke("summary", "--data", norland, "--date", "2024-09-15", "--format", "json").stdout
    )
    naf = next(r for r in summary["actors"] if r["actor"] == "NAF")
    assert naf["contested"] == 1
    assert 0 < naf["contested_km2"] < naf["area_km2"]
    elf = next(r for r in summary["actors"] if r["actor"] == "ELF")
    assert (elf["contested"], elf["contested_km2"]) == (0, 0.0)


def test_verbose_logs_to_stderr_only(norland: Path) -> None:
    quiet = run("summary", "--data", norland, "--format", "json")
    loud = run("-v", "summary", "--data", norland, "--format", "json")
    assert loud.stdout == quiet.stdout
    assert quiet.stderr == ""
    assert loud.stderr.startswith("territory: INFO: loaded <Dataset 'Norland")


def test_summary_with_mimu_townships_on_the_embedded_data() -> None:
    """MIMU's township polygons are read where they lie, never copied into the repository."""
    import pyogrio

    townships = mimu_townships()
    result = invoke("summary", "--date", "2024-08-10", "--townships", townships,
                    "--format", "json", "--model", "nearest")  # fmt: skip
    assert result.exit_code == 0, result.output
    counts = {r["side"]: r["townships"] for r in json.loads(result.stdout)["townships"]}
    assert sum(counts.values()) == pyogrio.read_info(townships)["features"]
    assert set(counts) <= {"junta", "resistance", "neutral"}


# ---------------------------------------------------------------------- series, changes, trade
@pytest.mark.parametrize(("day", "basis"), sorted(TRADE))
def test_trade_on_a_day_matches_the_hand_worked_share(norland: Path, day: str, basis: str) -> None:
    result = invoke("trade", "--data", norland, "--date", day, "--basis", basis, "-o", "-")
    assert result.exit_code == 0, result.output
    csv_result = invoke(
        "trade", "--data", norland, "--date", day, "--basis", basis, "--format", "json"
    )
    document = json.loads(csv_result.stdout)
    (row,) = document["rows"]
    assert (row["value"], row["low"], row["high"]) == pytest.approx(TRADE[day, basis])
    # without --side: every side of dataset.json but its incumbent
    sides = json.loads((norland / "dataset.json").read_text())["sides"]
    assert set(document["side"].split("+")) == set(sides["labels"]) - {sides["incumbent"]}
    assert row["denominator_usd"] == pytest.approx(100e6)
    value, low, high = (100 * x for x in TRADE[day, basis])
    assert result.stdout.splitlines()[0].startswith(  # the range leads
        f"{low:.1f}–{high:.1f} %, central {value:.1f} %"
    )


def test_trade_series_csv_holds_the_hand_worked_days(norland: Path) -> None:
    done = run(
        "trade", "--data", norland, "--start", "2024-06-25", "--end", "2024-10-10",
        "--freq", "D", "--format", "csv",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    series = pd.read_csv(io.StringIO(done.stdout), parse_dates=["date"]).set_index("date")
    for day in ("2024-06-25", "2024-10-10"):
        got = series.loc[pd.Timestamp(day), ["value", "low", "high"]].to_numpy().tolist()
        assert got == pytest.approx(TRADE[day, "held"])


@pytest.mark.parametrize("day", sorted(HOLDERS))
def test_series_places_by_actor_counts_the_hand_worked_holders(norland: Path, day: str) -> None:
    result = invoke(
        "series", "--data", norland, "--start", day, "--end", day, "--freq", "D",
        "--by", "actor", "--measure", "places", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["rows"]
    assert row.pop("date") == day
    assert {actor: n for actor, n in row.items() if n} == HOLDERS[day]


def test_series_area_adds_up_to_the_province(norland: Path, tmp_path: Path) -> None:
    out = tmp_path / "area.csv"
    done = run("series", "--data", norland, "--freq", "MS", "--format", "csv", "-o", out)
    assert done.returncode == 0, done.stderr
    assert (done.stdout, done.stderr.strip()) == ("", f"wrote {out}")
    series = pd.read_csv(out, index_col="date")
    assert series.sum(axis=1).to_numpy() == pytest.approx(province_km2(), rel=5e-3)


def test_changes_between_the_hand_worked_days(norland: Path) -> None:
    result = invoke(
        "changes", "--data", norland, "--from", "2024-06-25", "--to", "2024-10-10",
        "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    # NAF loses dunmore (and its gate) to ELF; the militia CMV hands carrow over.
    moved = {p: (r["from_actor"], r["to_actor"]) for r in rows for p in r["places"].split(";")}
    assert moved.get("dunmore") == ("NAF", "ELF")
    assert all(a != b for a, b in moved.values())


@pytest.mark.parametrize("day", sorted(HOLDERS))
def test_places_on_a_day_counts_the_hand_worked_holders(norland: Path, day: str) -> None:
    done = run("places", "--data", norland, "--date", day, "--format", "csv")
    assert done.returncode == 0, done.stderr
    table = pd.read_csv(io.StringIO(done.stdout))
    assert table["holder"].value_counts().to_dict() == HOLDERS[day]


def test_places_history_of_one_place(norland: Path) -> None:
    result = invoke("places", "--data", norland, "--place", "Brindle Hill Camp", "--history",
                    "--format", "json")  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["rows"]
    # hill_camp: NAF from the baseline, ELF from e03 (2024-06-01 in the guide's data).
    assert [r["holder"] for r in rows] == ["NAF", "ELF"]
    assert rows[0]["valid_to"] == rows[1]["valid_from"]
    assert rows[-1]["valid_to"] is None


def test_global_options_after_the_subcommand(norland: Path) -> None:
    before = run("-v", "--data", norland, "summary", "--date", "2024-06-25")
    after = run("summary", "--date", "2024-06-25", "--data", norland, "--verbose")
    assert before.returncode == after.returncode == 0, (before.stderr, after.stderr)
    assert before.stdout == after.stdout
    assert "INFO: loaded" in before.stderr and "INFO: loaded" in after.stderr


def test_known_by_drops_later_reports(norland: Path) -> None:
    early = invoke("summary", "--data", norland, "--known-by", "2024-06-01", "--format", "json")
    assert early.exit_code == 0, early.output
    assert json.loads(early.stdout)["date"] == "2024-06-01"  # the timeline ends there


def test_map_unknown_tiles_is_a_usage_error(norland: Path, tmp_path: Path) -> None:
    done = run("map", "--data", norland, "--tiles", "nosuchtiles", "-o", tmp_path / "m.html")
    assert done.returncode == 2
    assert_one_line_error(done.stderr, "--tiles", "nosuchtiles")
    assert not (tmp_path / "m.html").exists()


# ---------------------------------------------------------------------- no input gives a traceback
#: Bad values for each option: malformed, of the wrong kind, or out of the data's range.
BAD_VALUES: dict[str, list[str]] = {
    "--date": ["2024-13-01", "yesterday", "1900-01-01"],
    "--start": ["2024-02-30", "2099-01-01"],
    "--end": ["24-01-01", "1900-01-01"],
    "--from": ["soon", "2099-01-01"],
    "--to": ["2024/01/01", "1900-01-01"],
    "--known-by": ["later", "1900-01-01"],
    "--format": ["xml"],
    "--townships": ["{missing}", "{not_townships}"],
    "--model": ["voronoi", "seat"],
    "--origin": ["atlantis"],
    "--data": ["{missing}", "{empty_dir}"],
    "--freq": ["fortnightly", "-1D", "0W"],
    "--by": ["township"],
    "--measure": ["people", "population"],
    "--side": ["martians"],
    "--basis": ["reach"],
    "--denominator": ["galaxy"],
    "--reference-period": ["FY1066"],
    "--events-days": ["-3", "many"],
    "--tiles": ["nosuchtiles"],
    "-o": ["{missing}/out.file"],
}
COMMAND_OPTIONS: dict[str, list[str]] = {
    "summary": ["--date", "--format", "--townships", "--known-by", "--model", "--origin", "--data"],
    "crossings": ["--date", "--format", "--known-by", "--model", "--origin", "--data"],
    "map": [
        "--date", "--events-days", "--tiles", "--origin", "--known-by", "--model", "--format",
        "-o", "--data",
    ],
    "animate": ["--start", "--end", "--freq", "--tiles", "--model", "-o", "--data"],
    "export": ["--start", "--end", "--freq", "--known-by", "--model", "-o", "--data"],
    "series": [
        "--start", "--end", "--freq", "--by", "--measure", "--format", "--known-by",
        "--model", "--townships", "-o", "--data",
    ],
    "changes": ["--from", "--to", "--format", "--known-by", "--model", "-o", "--data"],
    "trade": [
        "--date", "--start", "--end", "--freq", "--side", "--basis", "--denominator",
        "--reference-period", "--format", "--origin", "--known-by", "--model", "-o", "--data",
    ],
    "demo": ["--origin", "--data"],
}  # fmt: skip
COMMAND_OPTIONS["places"] = ["--date", "--place", "--format", "--known-by", "--model", "--data"]
BAD_VALUES["--place"] = ["atlantis"]
#: Options a command needs to reach the option under test.
NEEDS = {"export": ["-o", "{tmp}/x.gpkg"], "series": [], "trade": [], "places": []}
CASES_BAD = [
    (command, option, value)
    for command, options in COMMAND_OPTIONS.items()
    for option in options
    for value in BAD_VALUES[option]
]


@pytest.mark.parametrize(("command", "option", "value"), CASES_BAD)
def test_bad_values_give_one_line_and_no_traceback(
    norland: Path, tmp_path: Path, command: str, option: str, value: str
) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "not_townships.geojson").write_text("{}", encoding="utf-8")
    fill = {
        "missing": str(tmp_path / "no_such"),
        "empty_dir": str(tmp_path / "empty"),
        "not_townships": str(tmp_path / "not_townships.geojson"),
        "tmp": str(tmp_path),
    }
    args = [command, option, value.format(**fill)]
    if option != "--data":
        args += ["--data", str(norland)]
    if option != "-o":
        args += [a.format(**fill) for a in NEEDS.get(command, ["-o", "{tmp}/out.html"])]
    if command == "demo" and option != "--data":
        args += ["--out", str(tmp_path / "demo")]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code in (1, 2), (args, result.output)
    assert_one_line_error(result.stderr)
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("name", "fmt", "magic"),
    [("m.png", None, b"\x89PNG"), ("m.pdf", None, b"%PDF"), ("m.out", "svg", b"<?xml")],
)
def test_map_writes_the_print_map(
    tmp_path: Path, name: str, fmt: str | None, magic: bytes
) -> None:
    out = tmp_path / name
    args = ["map", "--date", "2024-08-10", "-o", out] + (["--format", fmt] if fmt else [])
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(magic)  # the file is what its format says
    assert f"wrote {out}" in result.stderr
