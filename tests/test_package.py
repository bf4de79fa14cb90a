"""The package as users get it: a light import, and data inside the wheel."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import territory

ROOT = Path(__file__).resolve().parents[1]


HEAVY = (
    "folium",
    "branca",
    "rasterio",
    "matplotlib",
    "selenium",
    "dask",
    "distributed",
    "dask_geopandas",
)


@pytest.mark.parametrize("modules", ["territory", "territory.export", "territory.parallel"])
def test_import_is_light(modules: str) -> None:
    """folium, rasterio, matplotlib, a browser driver and Dask load only when used."""
    code = f"import sys, {modules}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_public_api_is_declared() -> None:
    for name in territory.__all__:
        assert hasattr(territory, name), name
    assert (Path(territory.__file__).parent / "py.typed").is_file()


def test_wheel_ships_the_data(tmp_path: Path) -> None:
    """A plain, non-editable install of the wheel loads the data from outside the repo."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(wheel_dir),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheel_dir.glob("territory-*.whl")
    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # The fresh venv gets our dependencies (not territory itself) from the test venv,
    # then the wheel is installed into it, without the source tree anywhere on its path.
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            site,
            str(wheel),
        ],
        check=True,
    )
    code = "import territory; ds = territory.load_shan(); print(territory.__file__); print(ds.path); print(len(ds.events))"
    out = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    module_file, data_path, events = out.stdout.split()
    assert module_file.startswith(site)
    assert data_path.startswith(site) and not data_path.startswith(str(ROOT))
    assert int(events) == len(territory.load_shan().events)
