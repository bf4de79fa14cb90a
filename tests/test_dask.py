"""territory.parallel on a local Dask cluster gives what the in-memory path gives.

Data: the embedded Shan State dataset, and a small made-up dataset from
``tests/synthetic.py`` with two townships and census totals (so the
``population`` and ``townships`` measures are covered).  Each Dask result is
compared with a fresh timeline's in-memory result, value for value.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

import territory
from shared_files import mimu_townships
from synthetic import event, make_dataset, make_townships
from territory import parallel
from territory.errors import DateRangeError, TerritoryError
from territory.export import write_geotiff
from territory.timeline import ControlTimeline

needs_dask = pytest.mark.skipif(
    not parallel.available(),
    reason="the optional extra territory[dask] (dask, distributed) is not installed",
)


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed", reason="territory[dask] is not installed")
    with (
        distributed.LocalCluster(
            processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _townships_timeline() -> ControlTimeline:
    west, east = (96.0, 20.0, 97.0, 22.0), (97.0, 20.0, 98.0, 22.0)
    ds = make_dataset(
        places=[
            ("a", "township_seat", 96.5, 21.0),
            ("b", "town", 96.5, 20.5),
            ("c", "township_seat", 97.5, 21.0),
            ("d", "outpost", 97.5, 21.6),
        ],
        baseline={"a": "SAC", "b": "SAC", "c": "SAC", "d": "SAC"},
        events=[
            event("2024-02-01", "b", "SAC", "MNDAA", "capture"),
            event("2024-03-01", "c", "SAC", "TNLA", "contested"),
            event("2024-03-10", "c", "SAC", "TNLA", "capture"),
            event("2024-06-01", "d", "SAC", "TNLA", "capture"),
        ],
        population=pd.DataFrame(
            {"ts_pcode": ["T1", "T2"], "township": ["t1", "t2"], "population": [1000, 3000]}
        ),
    )
    return ControlTimeline(ds, townships=make_townships({"T1": west, "T2": east}))


CASES = {
    "shan": (lambda: ControlTimeline(territory.load_shan()), ["area_km2", "places"]),
    "townships": (_townships_timeline, ["area_km2", "places", "population", "townships"]),
}


@needs_dask
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("by", ["side", "actor"])
@pytest.mark.parametrize("states_per_task", [1, 7, 10_000])
def test_series_equals_in_memory(client, case: str, by: str, states_per_task: int) -> None:
    build, measures = CASES[case]
    on_dask, in_memory = build(), build()
    for measure in measures:
        got = parallel.series(on_dask, by=by, measure=measure, states_per_task=states_per_task)
        expected = in_memory.series(by=by, measure=measure)
        pd.testing.assert_frame_equal(got, expected, check_exact=True)
        assert got.attrs == expected.attrs


@needs_dask
@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("by", ["actor", "side"])
def test_at_many_equals_in_memory(client, case: str, by: str) -> None:
    build, _ = CASES[case]
    on_dask, in_memory = build(), build()
    dates = pd.date_range(on_dask.baseline_date, on_dask.as_of, periods=9).normalize()
    dates = dates.append(dates[:2])  # repeated dates share a task
    got = parallel.at_many(on_dask, dates, by=by)
    assert len(got) == len(dates)
    for day, frame in zip(dates, got, strict=True):
        assert_geodataframe_equal(frame, in_memory.at(day, by=by), check_less_precise=False)


@needs_dask
@pytest.mark.parametrize("npartitions", [None, 1, 7])
def test_build_zones_equals_in_memory(client, npartitions: int | None) -> None:
    """The township-by-township cells on dask-geopandas, on MIMU's 55 townships."""
    townships = territory.read_townships(mimu_townships())
    ds = territory.load_shan()
    on_dask = ControlTimeline(ds, townships=townships, model="nearest")
    in_memory = ControlTimeline(ds, townships=townships, model="nearest")
    zones = parallel.build_zones(on_dask, npartitions=npartitions)
    assert on_dask.zones is zones  # cached: later calls use it
    assert_geodataframe_equal(zones, in_memory.zones, check_less_precise=False)
    pd.testing.assert_frame_equal(zones.attrs["pieces"], in_memory.zones.attrs["pieces"])
    day = "2024-08-10"
    assert_geodataframe_equal(
        on_dask.at(day, level="township"), in_memory.at(day, level="township")
    )


def test_build_zones_needs_townships() -> None:
    with pytest.raises(TerritoryError, match="no townships"):
        parallel.build_zones(ControlTimeline(territory.load_shan(), model="nearest"))


def _colormap(src, band: int) -> dict | None:
    try:
        return src.colormap(band)
    except ValueError:  # GDAL keeps one colour table, on the first band
        return None


def _read(path: Path) -> dict[str, object]:
    import rasterio

    with rasterio.open(path) as src:
        return {
            "pixels": src.read(),
            "profile": {k: v for k, v in src.profile.items() if k != "blockxsize"},
            "tags": src.tags(),
            "band_tags": [src.tags(b) for b in src.indexes],
            "descriptions": src.descriptions,
            "colormap": [_colormap(src, b) for b in src.indexes],
        }


@needs_dask
@pytest.mark.parametrize(
    ("resolution_m", "crs", "block"), [(2000, "albers", 64), (3000, "EPSG:4326", 16)]
)
def test_chunked_geotiff_equals_write_geotiff(
    client, tmp_path: Path, resolution_m: float, crs: str, block: int
) -> None:
    tl = ControlTimeline(territory.load_shan())
    dates = ["2023-10-26", "2024-01-15", "2024-08-04", tl.as_of]
    a = write_geotiff(tl, dates, tmp_path / "a.tif", resolution_m=resolution_m, crs=crs)
    b = parallel.write_geotiff_chunked(
        tl, dates, tmp_path / "b.tif", resolution_m=resolution_m, crs=crs, block=block
    )
    one, other = _read(a), _read(b)
    assert one["pixels"].shape[1] > block and one["pixels"].shape[2] > block  # several windows
    np.testing.assert_array_equal(one.pop("pixels"), other.pop("pixels"))
    assert one == other


@needs_dask
def test_chunked_geotiff_checks_its_arguments(client, tmp_path: Path) -> None:
    tl = ControlTimeline(territory.load_shan())
    with pytest.raises(TerritoryError, match="block: 100"):
        parallel.write_geotiff_chunked(tl, [tl.as_of], tmp_path / "x.tif", block=100)
    with pytest.raises(DateRangeError, match="dates: 2020-01-01"):
        parallel.write_geotiff_chunked(tl, ["2020-01-01"], tmp_path / "x.tif")
    assert not (tmp_path / "x.tif").exists()


@needs_dask
def test_series_checks_its_arguments() -> None:
    tl = ControlTimeline(territory.load_shan())
    with pytest.raises(TerritoryError, match="states_per_task: 0"):
        parallel.series(tl, states_per_task=0)
    with pytest.raises(TerritoryError, match="by: 'zone'"):
        parallel.at_many(tl, [tl.as_of], by="zone")


def test_without_dask_every_function_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setattr(parallel, "available", lambda: False)
    tl = ControlTimeline(territory.load_shan())
    for call in (
        lambda: parallel.series(tl),
        lambda: parallel.at_many(tl, [tl.as_of]),
        lambda: parallel.build_zones(tl),
        lambda: parallel.write_geotiff_chunked(tl, [tl.as_of], "never.tif"),
    ):
        with pytest.raises(TerritoryError, match=r"territory\[dask\]"):
            call()
