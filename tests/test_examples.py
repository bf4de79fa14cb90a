"""The scripts in ``examples/`` run, each in a fresh directory, and make what they promise.

They run as real subprocesses with the test venv's Python, in a temporary
working directory, so they can only use the embedded data (or what they
write themselves).  ``docs/bring_your_own.md`` is checked against its script:
every Python block of the guide must appear verbatim in
``examples/bring_your_own.py``, so running the script runs the guide.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GUIDE = ROOT / "docs" / "bring_your_own.md"


def run_example(name: str, workdir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / name), str(workdir / "out"), *args],
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    return done


def test_every_example_is_tested() -> None:
    tested = {
        "analysis.py",
        "report_map.py",
        "qgis_export.py",
        "bring_your_own.py",
        "illustrative.py",
    }
    assert {p.name for p in EXAMPLES.glob("*.py")} == tested


def guide_blocks() -> list[str]:
    text = GUIDE.read_text(encoding="utf-8")
    part_1 = text.split("<!-- part 2: examples/illustrative.py -->")[0]
    return re.findall(r"```python\n(.*?)```", part_1, flags=re.S)  # part 2: test_illustrative.py


def test_the_guide_is_the_script() -> None:
    script = (EXAMPLES / "bring_your_own.py").read_text(encoding="utf-8")
    blocks = guide_blocks()
    assert len(blocks) >= 5
    for block in blocks:
        assert block in script, f"this block of {GUIDE.name} is not in the script:\n{block}"
    # and in the same order
    positions = [script.index(block) for block in blocks]
    assert positions == sorted(positions)


def test_bring_your_own(tmp_path: Path) -> None:
    done = run_example("bring_your_own.py", tmp_path)
    data = tmp_path / "out" / "norland"
    meta = json.loads((data / "dataset.json").read_text(encoding="utf-8"))
    assert meta["baseline_date"] == "2024-04-30"
    assert "<Dataset 'Norland, Eastern Province (invented)': 8 places, 3 actors, 10 events" in (
        done.stdout
    )
    for name in (
        "boundaries/places.csv",
        "boundaries/routes.csv",
        "events/actors.csv",
        "events/baseline.csv",
        "events/events.csv",
        "trade/border_trade.csv",
    ):
        assert (data / name).is_file(), name
    lines = done.stdout.splitlines()
    assert lines[1] == "ELF"  # Carrow on 2024-08-01: handed over by the militia on 07-15
    # the trade shares worked out by hand in docs/bring_your_own.md
    assert lines[-7:-1] == [
        "2024-04-30 held: 0% [0%, 0%]",
        "2024-04-30 cut: 25% [25%, 25%]",
        "2024-06-25 held: 55% [25%, 85%]",
        "2024-06-25 cut: 85% [85%, 85%]",
        "2024-10-10 held: 85% [85%, 85%]",
        "2024-10-10 cut: 85% [85%, 85%]",
    ]
    assert (tmp_path / "out" / "norland.gpkg").is_file()
    assert "L.map(" in (tmp_path / "out" / "norland_2024-10-10.html").read_text(encoding="utf-8")


def test_analysis(tmp_path: Path) -> None:
    import pandas as pd

    done = run_example("analysis.py", tmp_path)
    for heading in (
        "Holder by town and day",
        "Area by side (km²), quarterly",
        "Ground that changed hands, 2023-10-26 to 2024-08-10 (km²)",
    ):
        assert heading in done.stdout
    # Laukkai's junta command surrendered to the MNDAA in early January 2024 (Reuters,
    # 2024-01-05; The Irrawaddy, 2024-01-05); on the eve of the offensive the junta held it.
    row = next(line for line in done.stdout.splitlines() if line.startswith("Laukkai "))
    assert row.split()[1:3] == ["SAC", "MNDAA"]
    quarters = pd.read_csv(tmp_path / "out" / "area_by_side.csv", parse_dates=["date"])
    assert quarters["date"].iloc[0] == pd.Timestamp("2024-01-01")
    assert {"junta", "resistance"} <= set(quarters.columns)


def test_report_map(tmp_path: Path) -> None:
    done = run_example("report_map.py", tmp_path, "2024-08-10")
    page = tmp_path / "out" / "report_map.html"
    assert done.stdout.strip() == f"wrote {tmp_path / 'out' / 'report_map.html'}"
    html = page.read_text(encoding="utf-8")
    assert "L.map(" in html
    assert "Lashio: held by MNDAA on 2024-08-10" in html  # Lashio fell on 2024-08-03


def test_qgis_export(tmp_path: Path) -> None:
    import pyogrio
    import rasterio

    run_example("qgis_export.py", tmp_path)
    out = tmp_path / "out"
    layers = [name for name, _ in pyogrio.list_layers(out / "territory.gpkg")]
    assert layers == [
        "control_intervals",
        "places",
        "crossings",
        "events",
        "changes",
        "layer_styles",
    ]
    doc = json.loads((out / "control_2024-08-10.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    with rasterio.open(out / "control_quarterly.tif") as raster:
        # the eve of the offensive, then the first day of each quarter
        assert raster.descriptions[:3] == ("2023-10-26", "2024-01-01", "2024-04-01")


def test_the_quickstart_runs(tmp_path: Path) -> None:
    """The Python blocks of docs/quickstart.md, run in order as one script."""
    blocks = re.findall(
        r"```python\n(.*?)```", (ROOT / "docs" / "quickstart.md").read_text(encoding="utf-8"),
        flags=re.S,
    )  # fmt: skip
    assert len(blocks) == 2
    script = tmp_path / "quickstart.py"
    script.write_text("\n".join(blocks) + '\nprint(tl.holder("Lashio", "2024-09-01"))\n')
    done = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    # Lashio fell to the MNDAA on 2024-08-03 (AFP via The Star, 2024-08-03)
    assert done.stdout.splitlines()[-1] == "MNDAA"
    for name in ("map.html", "timeline.html", "territory.gpkg", "control_intervals.geojson"):
        assert (tmp_path / name).is_file(), name
