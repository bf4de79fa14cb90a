"""Fault injection: full disks, GDAL failures and kills mid-write never lose the old file.

A full disk is simulated without root by running the writer in a subprocess
under ``RLIMIT_FSIZE`` (Python ignores SIGXFSZ, so a write past the limit
fails with EFBIG as it would with ENOSPC).  Kills are real signals sent to a
subprocess that is known to be inside a write (it prints ``ready`` from
within the GDAL writer's block and waits).  Every check reads the files back:
the old file byte for byte, the directory for leftovers.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rasterio

from territory.errors import TerritoryError, WriteError
from territory.export.atomic import atomic_path, layers_check, remove_stale_temporaries

TERRITORY = [sys.executable, "-m", "territory.cli"]
SRC = str(Path(__file__).resolve().parents[1] / "src")
ENV = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
#: Far smaller than any file below: every write past it fails with EFBIG.
LIMIT_BYTES = 2048


def _limit_file_size() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT_BYTES, LIMIT_BYTES))


def _cli(*args: str, limited: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*TERRITORY, *args],
        capture_output=True,
        text=True,
        env=ENV,
        preexec_fn=_limit_file_size if limited else None,
        timeout=300,
    )


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """A good file of each format, written once by the CLI without limits."""
    folder = tmp_path_factory.mktemp("good")
    good = {}
    for name in ("old.tif", "old.gpkg", "old.geojson"):
        result = _cli("export", "-o", str(folder / name))
        assert result.returncode == 0, result.stderr
        good[name] = (folder / name).read_bytes()
        assert len(good[name]) > LIMIT_BYTES
    return good


@pytest.mark.parametrize("name", ["old.tif", "old.gpkg", "old.geojson"])
def test_full_disk_keeps_the_old_file_and_exits_non_zero(
    exported: dict[str, bytes], name: str, tmp_path: Path
) -> None:
    target = tmp_path / name
    target.write_bytes(exported[name])
    result = _cli("export", "-o", str(target), limited=True)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "wrote" not in result.stdout
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"territory: error: path {str(target)!r}: the write failed"), last
    assert "the existing file is kept" in last
    assert ".tmp" not in last  # the target is named, not the hidden temporary file
    assert target.read_bytes() == exported[name]
    assert _leftovers(tmp_path) == []


def test_the_kept_geotiff_still_opens_in_gdal(exported: dict[str, bytes], tmp_path: Path) -> None:
    target = tmp_path / "old.tif"
    target.write_bytes(exported["old.tif"])
    _cli("export", "-o", str(target), limited=True)
    info = subprocess.run(["gdalinfo", str(target)], capture_output=True, text=True)
    assert info.returncode == 0, info.stderr
    assert "Band 1" in info.stdout


def test_gdal_failure_inside_a_writer_names_the_target(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geopandas as gpd
    import pyogrio
    from shapely import Point

    from territory.export import write_layers

    target = tmp_path / "layers.gpkg"
    target.write_bytes(b"old")

    def failing_write(frame: object, path: object, **kwargs: object) -> None:
        raise pyogrio.errors.DataSourceError(f"sqlite3_exec(COMMIT) failed in {path}: disk I/O")

    monkeypatch.setattr(pyogrio, "write_dataframe", failing_write)
    layer = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(97, 22)], crs="EPSG:4326")
    with pytest.raises(WriteError) as caught:
        write_layers({"places": layer}, target)
    assert caught.value.path == target
    assert f"{target}: disk I/O" in str(caught.value)
    assert ".tmp" not in str(caught.value)
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_a_file_that_does_not_read_back_is_not_renamed(tmp_path: Path) -> None:
    target = tmp_path / "layers.gpkg"
    target.write_bytes(b"old")
    check = layers_check({"places": 1})
    with (
        pytest.raises(WriteError, match="does not read back whole"),
        atomic_path(target, verify=check) as temporary,
    ):
        temporary.write_bytes(b"not a GeoPackage")
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_gdal_io_errors_logged_but_not_raised_stop_the_rename(tmp_path: Path) -> None:
    """rasterio logs GDAL errors that it does not raise; an I/O one must still fail."""
    import logging

    target = tmp_path / "a.tif"
    target.write_bytes(b"old")
    with (
        pytest.raises(WriteError, match="IO error writing directory"),
        atomic_path(target) as temporary,
    ):
        temporary.write_bytes(b"new")
        logging.getLogger("rasterio._env").info(
            "GDAL signalled an error: err_no=1, msg='TIFFWriteDirectorySec:IO error "
            "writing directory at seek to offset'"
        )
    assert target.read_bytes() == b"old"


WRITER_SCRIPT = textwrap.dedent(
    """
    import signal, sys, time
    import numpy as np, pandas as pd
    from affine import Affine
    from territory.export.raster import open_code_raster
    target = sys.argv[1]
    if sys.argv[2] == "handler":
        def handler(signum, frame):
            print("previous handler ran", flush=True)
            sys.exit(7)
        signal.signal(signal.SIGTERM, handler)
    dates = pd.to_datetime(["2024-01-01", "2024-02-01"])
    with open_code_raster(target, (64, 64), Affine(1000, 0, 0, 0, -1000, 0),
                          "EPSG:3857", dates, {"SAC": 1}, {"SAC": "#ff0000"}) as dst:
        dst.write(np.ones((64, 64), dtype="uint8"), 1)
        print("ready", flush=True)
        time.sleep(120)
    print("finished", flush=True)
    """
)


def _start_writer(target: Path, mode: str = "default") -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER_SCRIPT, str(target), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.strip() == "ready", line + process.stderr.read()  # type: ignore[union-attr]
    return process


def test_sigterm_mid_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "codes.tif"
    target.write_bytes(b"old")
    process = _start_writer(target)
    assert len(_leftovers(tmp_path)) == 1  # the write is under way in its hidden directory
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    assert process.returncode == -signal.SIGTERM  # the default action still ends the process
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_sigterm_calls_the_programs_own_handler_after_cleanup(tmp_path: Path) -> None:
    target = tmp_path / "codes.tif"
    target.write_bytes(b"old")
    process = _start_writer(target, "handler")
    process.send_signal(signal.SIGTERM)
    out, _ = process.communicate(timeout=60)
    assert process.returncode == 7
    assert "previous handler ran" in out and "finished" not in out
    assert target.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


def test_after_sigkill_the_next_write_removes_the_leftover(tmp_path: Path) -> None:
    target = tmp_path / "codes.tif"
    target.write_bytes(b"old")
    process = _start_writer(target)
    process.kill()
    process.wait(timeout=60)
    assert target.read_bytes() == b"old"
    assert len(_leftovers(tmp_path)) == 1  # SIGKILL cannot be caught
    with atomic_path(target) as temporary:
        temporary.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


def test_a_live_writers_temporary_is_not_removed(tmp_path: Path) -> None:
    target = tmp_path / "codes.tif"
    process = _start_writer(target)
    try:
        assert remove_stale_temporaries(target) == []
        assert len(_leftovers(tmp_path)) == 1
    finally:
        process.kill()
        process.wait(timeout=60)


def test_the_sigterm_handler_is_only_installed_during_a_write(tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    with atomic_path(tmp_path / "a.txt") as temporary:
        assert signal.getsignal(signal.SIGTERM) is not before
        temporary.write_text("x")
    assert signal.getsignal(signal.SIGTERM) is before


def test_write_errors_are_territory_errors_and_os_errors(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    with pytest.raises(TerritoryError) as caught, atomic_path(target) as temporary:
        raise OSError(28, "No space left on device", str(temporary))
    assert isinstance(caught.value, OSError)
    assert str(target) in str(caught.value) and ".tmp" not in str(caught.value)


def test_a_written_geotiff_reads_back_whole(tmp_path: Path) -> None:
    """The check itself passes on a good file (it is not a check that always fails)."""
    import numpy as np
    import pandas as pd
    from affine import Affine

    from territory.export.raster import open_code_raster

    dates = pd.to_datetime(["2024-01-01", "2024-02-01"])
    target = tmp_path / "ok.tif"
    with open_code_raster(
        target, (8, 8), Affine(1000, 0, 0, 0, -1000, 0), "EPSG:3857", dates, {"SAC": 1}, {}
    ) as dst:
        for band in (1, 2):
            dst.write(np.full((8, 8), band, dtype="uint8"), band)
    with rasterio.open(target) as src:
        assert src.count == 2 and int(src.read(2).max()) == 2
