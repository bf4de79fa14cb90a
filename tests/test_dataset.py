"""Loading and validating datasets: the embedded one, and broken copies of it.

Every broken case starts from a copy of the real embedded dataset with one
cell changed, so the checks run on real files and must name the exact file,
row (numbered as a spreadsheet does: header = 1) and column.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon

import territory
from shared_files import mimu_townships
from territory import DataError, embedded_data_path, load_dataset, read_townships, validate


@pytest.fixture(scope="module")
def shan() -> territory.Dataset:
    return territory.load_shan()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(embedded_data_path(), target)
    return target


def _csv(root: Path, relative: str) -> pd.DataFrame:
    return pd.read_csv(root / relative, dtype=str, keep_default_na=False)


def _write(root: Path, relative: str, frame: pd.DataFrame) -> None:
    frame.to_csv(root / relative, index=False)


def test_embedded_dataset_counts(shan: territory.Dataset) -> None:
    assert len(shan.places) >= 120, f"{len(shan.places)} places"
    assert len(shan.events) >= 80, f"{len(shan.events)} events"
    assert {
        "SAC",
        "MNDAA",
        "TNLA",
        "AA",
        "KIA",
        "BPLA",
        "PDF",
        "UWSA",
        "NDAA",
        "SSPP",
        "RCSS",
    } <= set(shan.actors.index)
    # contested and unassessed: the sides of the reserved holders CONTESTED and UNASSESSED
    assert set(shan.actors["side"]) <= {
        "junta",
        "resistance",
        "neutral",
        "contested",
        "unassessed",
    }
    assert shan.events["date"].min() > shan.baseline_date
    assert shan.events["date"].max() <= shan.as_of


def test_every_row_has_a_source(shan: territory.Dataset) -> None:
    for table in (shan.events, shan.baseline, shan.actors, shan.routes, shan.trade):
        assert table["source"].str.len().gt(3).all()
    assert shan.places["coord_source"].str.len().gt(3).all()
    with_population = shan.places["population"].notna()
    assert shan.places.loc[with_population, "population_source"].notna().all()


# Every gate and trade zone named in the dataset issue, with the town it must be
# kept apart from (None where the gate is its own settlement).
GATES = [
    ("muse_105_mile", "trade_zone", "muse"),
    ("kyin_san_kyawt", "crossing", "muse"),
    ("sin_phyu_shin", "crossing", "muse"),
    ("mang_wein", "crossing", "muse"),
    ("chinshwehaw", "crossing", None),
    ("pang_hseng", "crossing", None),
    ("mongko_gate", "crossing", "mongko"),
    ("laukkai_nansan", "crossing", "laukkai"),
    ("mong_la_daluo", "crossing", "mong_la"),
    ("tachileik_mae_sai", "crossing", "tachileik"),
    ("kenglat", "crossing", None),
    ("lweje", "crossing", None),
    ("kanpiketi", "crossing", None),
]


@pytest.mark.parametrize(("gate", "kind", "town"), GATES)
def test_crossings_are_points_of_their_own(
    shan: territory.Dataset, gate: str, kind: str, town: str | None
) -> None:
    place = shan.places.loc[gate]
    assert place["kind"] == kind
    assert place["post"], f"{gate} names no trade post"
    if kind == "crossing":
        assert place["partner_country"] in {"CHN", "THA", "LAO"}
    if town is not None:
        assert shan.places.loc[town, "kind"] in {"town", "township_seat"}
        assert not place.geometry.equals(shan.places.loc[town].geometry)


def test_alt_names_record_spellings(shan: territory.Dataset) -> None:
    alt = {p: {n.lower() for n in names} for p, names in shan.places["alt_names"].items()}
    assert "monekoe" in alt["mongko"]
    assert "laukkaing" in alt["laukkai"] | {shan.places.loc["laukkai", "name"].lower()}


def test_routes_include_the_mandalay_muse_corridor(shan: territory.Dataset) -> None:
    corridor = [
        "mandalay",
        "pyin_oo_lwin",
        "nawnghkio",
        "kyaukme",
        "hsipaw",
        "lashio",
        "hsenwi",
        "kutkai",
    ]
    chains = [stops for stops in shan.routes["places"]]
    assert any(stops[: len(corridor)] == corridor and stops[-1] == "muse" for stops in chains)


def test_events_sorted_and_reported_filled(shan: territory.Dataset) -> None:
    events = shan.events
    assert events["date"].is_monotonic_increasing
    assert events["reported"].notna().all()
    assert (
        events["reported"]
        >= events["date"] - pd.to_timedelta(events["date_uncertainty_days"], "D")
    ).all()


def test_embedded_data_validates_clean() -> None:
    assert validate(embedded_data_path()) == []


def _first_capture(events: pd.DataFrame) -> int:
    return int(events.index[events["kind"] == "capture"][0])


def _set(
    relative: str, column: str, value: str, pick: Callable[[pd.DataFrame], int] = lambda f: 0
):
    """A mutation that puts ``value`` into one cell; returns (file, row, column)."""

    def mutate(root: Path) -> tuple[str, int, str]:
        frame = _csv(root, relative)
        position = pick(frame)
        frame.loc[position, column] = value
        _write(root, relative, frame)
        return Path(relative).name, position + 2, column

    return mutate


def _first_of_kind(kind: str) -> Callable[[pd.DataFrame], int]:
    return lambda frame: int(frame.index[frame["kind"] == kind][0])


def _far_from_border(root: Path) -> tuple[str, int, str]:
    """Move the first crossing to Taunggyi, ~200 km from any border."""
    frame = _csv(root, "boundaries/places.csv")
    position = int(frame.index[frame["kind"] == "crossing"][0])
    frame.loc[position, ["lon", "lat"]] = ["97.0378", "20.7892"]
    _write(root, "boundaries/places.csv", frame)
    return "places.csv", position + 2, "lon"


def _swap_lon_lat(root: Path) -> tuple[str, int, str]:
    frame = _csv(root, "boundaries/places.csv")
    frame.loc[3, ["lon", "lat"]] = frame.loc[3, ["lat", "lon"]].to_numpy()
    _write(root, "boundaries/places.csv", frame)
    return "places.csv", 5, "lon"


def _duplicate_place_id(root: Path) -> tuple[str, int, str]:
    frame = _csv(root, "boundaries/places.csv")
    frame.loc[7, "id"] = frame.loc[6, "id"]
    _write(root, "boundaries/places.csv", frame)
    return "places.csv", 9, "id"


def _wrong_from_actor(root: Path) -> tuple[str, int, str]:
    frame = _csv(root, "events/events.csv")
    position = _first_capture(frame)
    frame.loc[position, "from_actor"] = (
        "NDAA" if frame.loc[position, "from_actor"] != "NDAA" else "UWSA"
    )
    _write(root, "events/events.csv", frame)
    return "events.csv", position + 2, "from_actor"


BROKEN = {
    "unknown actor": (_set("events/events.csv", "to_actor", "XYZ"), "unknown actor id 'XYZ'"),
    "unknown place": (
        _set("events/events.csv", "place", "atlantis"),
        "unknown place id 'atlantis'",
    ),
    "far-future date": (
        _set("events/events.csv", "date", "2202-02-02"),
        "outside the data's range",
    ),
    "impossible date": (
        _set("events/events.csv", "date", "2024-02-30"),
        "a real day as YYYY-MM-DD",
    ),
    "date before baseline": (
        _set("events/events.csv", "date", "2023-10-01"),
        "outside the data's range",
    ),
    "not a date": (_set("events/events.csv", "date", "27/10/2023"), "a real day as YYYY-MM-DD"),
    "swapped lon/lat": (_swap_lon_lat, "lon and lat look swapped"),
    "outside neighbourhood": (
        _set("boundaries/places.csv", "lon", "10.5", lambda f: 2),
        "outside the country",
    ),
    "crossing far from border": (_far_from_border, "km from the international border"),
    "duplicate place id": (_duplicate_place_id, "duplicate id"),
    "place id not a slug": (
        _set("boundaries/places.csv", "id", "Bad Id", lambda f: 2),
        "expected a lowercase slug",
    ),
    "duplicate actor id": (
        _set(
            "events/actors.csv", "id", "MNDAA", lambda f: int(f.index[f["id"] == "MNDAA"][0]) + 1
        ),
        "duplicate id",
    ),
    "from_actor not holder": (_wrong_from_actor, "is not the holder of"),
    "missing event source": (_set("events/events.csv", "source", ""), "empty"),
    "missing baseline source": (_set("events/baseline.csv", "source", ""), "empty"),
    "missing coordinate source": (_set("boundaries/places.csv", "coord_source", ""), "empty"),
    "bad confidence": (
        _set("events/events.csv", "confidence", "certain"),
        "one of ['high', 'medium', 'low']",
    ),
    "negative uncertainty": (
        _set("events/events.csv", "date_uncertainty_days", "-3"),
        "a number in [0",
    ),
    "bad kind": (_set("boundaries/places.csv", "kind", "village"), "one of ["),
    "bad colour": (_set("events/actors.csv", "colour", "red"), "#rrggbb"),
    "unknown route stop": (
        _set("boundaries/routes.csv", "places", "mandalay;nowhere_town"),
        "unknown place id",
    ),
    "ceasefire-only empty place": (
        _set("events/events.csv", "place", "", lambda f: _first_capture(f)),
        "only a ceasefire may omit the place",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_bad_input_names_file_row_column(data_copy: Path, case: str) -> None:
    mutate, message = BROKEN[case]
    file, row, column = mutate(data_copy)
    with pytest.raises(DataError) as caught:
        load_dataset(data_copy)
    located = [
        p
        for p in caught.value.problems
        if Path(p.file).name == file and p.row == row and p.column == column
    ]
    assert located, f"no problem at {file} row {row} column {column}: {caught.value.problems[:5]}"
    assert any(message in p.message for p in located), located
    assert file in str(caught.value) and f"row {row}" in str(caught.value)


def test_validate_reports_every_problem_at_once(data_copy: Path) -> None:
    _set("events/events.csv", "to_actor", "XYZ")(data_copy)
    _swap_lon_lat(data_copy)
    _set("events/baseline.csv", "source", "", lambda f: 4)(data_copy)
    problems = validate(data_copy)
    files = {Path(p.file).name for p in problems}
    assert {"events.csv", "places.csv", "baseline.csv"} <= files


def test_validate_a_single_csv(data_copy: Path) -> None:
    _set("events/events.csv", "confidence", "sure", lambda f: 3)(data_copy)
    problems = validate(data_copy / "events" / "events.csv")
    assert [(Path(p.file).name, p.row, p.column) for p in problems] == [
        ("events.csv", 5, "confidence")
    ]


def test_missing_column_is_named(data_copy: Path) -> None:
    frame = _csv(data_copy, "events/events.csv").drop(columns="source")
    _write(data_copy, "events/events.csv", frame)
    with pytest.raises(DataError, match="missing column 'source'"):
        load_dataset(data_copy)


def test_missing_directory() -> None:
    with pytest.raises(DataError, match="no such directory"):
        load_dataset("/nonexistent/territory-data")


# -- township polygons: read from ../shared at test time, never copied ----------


def test_read_townships_real_file() -> None:
    townships = read_townships(mimu_townships())
    assert len(townships) == 55
    assert townships.crs.to_epsg() == 4326
    assert townships.loc["MMR015009", "TS"] == "Muse"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.to_crs(32647), "expected EPSG:4326"),
        (lambda f: f.drop(columns="TS_PCODE"), "TS_PCODE"),
        (
            lambda f: f.assign(
                geometry=[
                    Polygon([(97, 22), (98, 23), (98, 22), (97, 23)]),
                    *list(f.geometry.iloc[1:]),
                ]
            ),
            "invalid geometry",
        ),
    ],
    ids=["wrong-crs", "no-pcode", "invalid-geometry"],
)
def test_read_townships_rejects(tmp_path: Path, change, message: str) -> None:
    broken = change(gpd.read_file(mimu_townships()))
    path = tmp_path / "townships.gpkg"
    broken.to_file(path)
    with pytest.raises(DataError, match=message) as caught:
        read_townships(path)
    assert str(path) in str(caught.value)
