"""Every bad input becomes a DataProblem with file, row and column, and validation goes on.

Each case copies the embedded dataset, breaks one file the way a user's file
breaks (an encoding, a delimiter, a truncated GeoJSON …) and ALSO breaks
``actors.csv`` (a bad colour), then checks that ``validate`` lists the
expected problem and the unrelated one, that ``load_dataset`` raises
``DataError`` and nothing else, and that ``territory validate`` exits 1 with
no traceback.  The rows and columns expected are counted by hand from the
bytes each case writes.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from territory.cli import main
from territory.dataset import embedded_data_path, load_dataset, validate
from territory.errors import DataError, DataProblem

DATA = embedded_data_path()
ACTORS = "events/actors.csv"
EVENTS = "events/events.csv"
PLACES = "boundaries/places.csv"
STATE = "boundaries/state.geojson"
COUNTRY = "boundaries/myanmar.geojson"
NEIGHBOURS = "boundaries/neighbours.geojson"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder)
    return folder


def _append(path: Path, line: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")


def _break_actor_colour(folder: Path) -> int:
    """Give the first actor a bad colour; return its row (2)."""
    path = folder / ACTORS
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",#4d4d33,", ",red,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 2


def _square(west: float, south: float, size: float) -> list[list[float]]:
    return [
        [west, south],
        [west + size, south],
        [west + size, south + size],
        [west, south + size],
        [west, south],
    ]


def _feature_collection(geometry: dict, crs: bool = False) -> str:
    document: dict = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name": "x"}, "geometry": geometry}],
    }
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    return json.dumps(document)


# Each case: (how to break the folder, the file it breaks, its row, its column, words in
# the message).
Case = tuple[Callable[[Path], None], str, int | None, str | None, str]


def _write(relative: str, content: str | bytes) -> Callable[[Path], None]:
    def breaker(folder: Path) -> None:
        path = folder / relative
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return breaker


def _truncate(relative: str) -> Callable[[Path], None]:
    def breaker(folder: Path) -> None:
        path = folder / relative
        path.write_bytes(path.read_bytes()[:300])

    return breaker


def _cp1252_in_places(folder: Path) -> None:
    path = folder / PLACES
    lines = path.read_bytes().split(b"\n")
    # row 6, column 'name' (the 2nd): an é written as the single cp1252 byte 0xE9
    first, second, rest = lines[5].split(b",", 2)
    lines[5] = b",".join([first, second + b"\xe9", rest])
    path.write_bytes(b"\n".join(lines))


def _semicolons(folder: Path) -> None:
    path = folder / "trade/border_trade.csv"
    import csv
    import io

    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _unclosed_quote(folder: Path) -> None:
    # the new last row opens a quote in its source cell that nothing closes
    _append(folder / EVENTS, 'zz-1,2024-05-01,0,,lashio,SAC,TNLA,capture,high,"test source,')


def _excel_blank_rows(folder: Path) -> None:
    path = folder / PLACES
    lines = path.read_text(encoding="utf-8").splitlines()
    blank = "," * (lines[0].count(","))
    lines[3:3] = [blank]
    lines.append(blank)
    lines.append(blank)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _dataset_json_list(folder: Path) -> None:
    (folder / "dataset.json").write_text('["Shan", "2023-10-26"]', encoding="utf-8")


def _uncertainty(folder: Path) -> None:
    path = folder / EVENTS
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = "999999999"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _huge_population(folder: Path) -> None:
    import pandas as pd

    path = folder / PLACES
    places = pd.read_csv(path, dtype=str, keep_default_na=False)
    places.loc[0, ["population", "population_year", "population_source"]] = [
        "99999999999999999999",
        "2014",
        "census",
    ]
    places.to_csv(path, index=False)


def _year_zero(folder: Path) -> None:
    import pandas as pd

    path = folder / EVENTS
    events = pd.read_csv(path, dtype=str, keep_default_na=False)
    events.loc[0, "date"] = "0000-01-01"
    events.to_csv(path, index=False)


def _too_many_cells(folder: Path) -> None:
    _append(folder / ACTORS, "XX,Name,,junta,,#000000,src,note,extra,cells")


SQUARE_3857 = {"type": "Polygon", "coordinates": [_square(10_800_000, 2_300_000, 200_000)]}
BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[97, 21], [99, 23], [99, 21], [97, 23], [97, 21]]],
}


def _duplicate_column(folder: Path) -> None:
    path = folder / "events/baseline.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace(",note", ",source")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


CASES: dict[str, Case] = {
    "duplicate column": (
        _duplicate_column,
        "events/baseline.csv",
        1,
        "source",
        "column 'source' appears twice",
    ),
    "geojson empty": (_write(STATE, ""), STATE, None, None, "empty file"),
    "geojson not json": (
        _write(STATE, "this is not JSON"),
        STATE,
        None,
        None,
        "not valid JSON: Expecting value at line 1, character 1",
    ),
    "geojson truncated": (_truncate(COUNTRY), COUNTRY, None, None, "cut short"),
    "neighbours truncated": (_truncate(NEIGHBOURS), NEIGHBOURS, None, None, "not valid JSON"),
    "geojson holds a list": (_write(STATE, "[]"), STATE, None, None, "FeatureCollection"),
    "outline in EPSG:3857 without crs": (
        _write(COUNTRY, _feature_collection(SQUARE_3857)),
        COUNTRY,
        None,
        "geometry",
        "cannot be degrees",
    ),
    "state holds a Point": (
        _write(STATE, _feature_collection({"type": "Point", "coordinates": [97, 22]})),
        STATE,
        1,
        "geometry",
        "is a Point; this file must hold Polygon or MultiPolygon",
    ),
    "self-intersecting outline": (
        _write(STATE, _feature_collection(BOWTIE, crs=True)),
        STATE,
        1,
        "geometry",
        "Self-intersection[98 22]",
    ),
    "dataset.json is a list": (_dataset_json_list, "dataset.json", None, None, "JSON list"),
    "date uncertainty of 999999999 days": (
        _uncertainty,
        EVENTS,
        2,
        "date_uncertainty_days",
        "999999999 days; expected at most 3653",
    ),
    "integer beyond int64": (
        _huge_population,
        PLACES,
        2,
        "population",
        "'99999999999999999999' is not valid: expected a whole number of at most 19 digits",
    ),
    "year 0 (found by the fuzz test)": (
        _year_zero,
        EVENTS,
        2,
        "date",
        "'0000-01-01' is not valid: expected a real day as YYYY-MM-DD",
    ),
    "cp1252 byte": (_cp1252_in_places, PLACES, 6, "name", "byte 0xe9 (a 'é' in Windows-1252)"),
    "semicolon-delimited": (_semicolons, "trade/border_trade.csv", 1, None, "separated by ';'"),
    "unclosed quote": (_unclosed_quote, EVENTS, None, None, "never closed"),
    "too many cells": (_too_many_cells, ACTORS, None, None, "10 cells; the header has 8"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file_is_a_problem_and_other_files_are_still_checked(data: Path, name: str) -> None:
    breaker, relative, row, column, words = CASES[name]
    colour_row = _break_actor_colour(data)
    breaker(data)
    problems = validate(data)
    mine = [p for p in problems if p.file == str(data / relative) and words in p.message]
    assert mine, "\n".join(map(str, problems))
    if row is not None:
        assert mine[0].row == row, mine[0]
    if column is not None:
        assert mine[0].column == column, mine[0]
    assert (
        DataProblem(
            str(data / ACTORS),
            colour_row,
            "colour",
            "'red' is not valid: expected a colour as #rrggbb",
        )
        in problems
    ), "\n".join(map(str, problems))
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert any(words in p.message for p in caught.value.problems)


@pytest.mark.parametrize("name", ["geojson truncated", "cp1252 byte", "dataset.json is a list"])
def test_cli_validate_lists_problems_without_a_traceback(data: Path, name: str) -> None:
    CASES[name][0](data)
    result = CliRunner().invoke(main, ["validate", str(data)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert CASES[name][4] in result.output


def test_unreadable_files_are_problems(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    targets = {data / PLACES, data / NEIGHBOURS}
    if os.geteuid() != 0:
        for path in targets:
            path.chmod(0)
    else:  # root reads any file: make the reads fail as they do for a user
        real = Path.read_bytes

        def read_bytes(self: Path) -> bytes:
            if self in targets:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)
    problems = validate(data)
    for path in targets:
        assert any(
            p.file == str(path) and p.message.startswith("permission denied (make it readable)")
            for p in problems
        ), problems
    # nothing else is wrong: the other files' checks ran and passed
    assert {p.file for p in problems} == {str(p) for p in targets}


def test_excel_blank_rows_are_skipped_with_one_note(data: Path) -> None:
    lines = len((data / PLACES).read_text(encoding="utf-8").splitlines())  # header + places
    _excel_blank_rows(data)  # one blank at row 4, two after the last (moved down by one)
    problems = validate(data)
    skipped = f"3 blank row(s) skipped: 4, {lines + 2}, {lines + 3}"
    assert problems == [DataProblem(str(data / PLACES), None, None, skipped, "note")], "\n".join(
        map(str, problems)
    )
    load_dataset(data)  # a note does not stop loading


def test_a_row_after_blank_rows_keeps_its_own_row_number(data: Path) -> None:
    path = data / ACTORS
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2:2] = [",,,,,,,", ",,,,,,,"]  # the second actor moves from row 3 to row 5
    lines[4] = lines[4].replace(",resistance,", ",rebel,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    problems = [p for p in validate(data) if p.severity == "error"]
    assert [(p.row, p.column) for p in problems] == [(5, "side")], problems


def test_symlink_out_of_the_data_folder_is_a_problem(data: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    shutil.copy(data / ACTORS, outside)
    (data / ACTORS).unlink()
    (data / ACTORS).symlink_to(outside)
    problems = validate(data)
    assert any(
        p.file == str(data / ACTORS) and "outside the data folder" in p.message for p in problems
    ), problems


def test_missing_file_does_not_stop_the_other_checks(data: Path) -> None:
    (data / PLACES).unlink()
    _append(data / EVENTS, "zz-1,2024-05-01,0,,lashio,SAC,NOBODY,capture,high,test,")
    problems = validate(data)
    files = {(Path(p.file).name, p.column) for p in problems}
    assert ("places.csv", None) in files
    assert ("events.csv", "to_actor") in files  # a reference check that needs no places


def _holder_free_place(folder: Path) -> tuple[str, str]:
    """A place no event names, and its baseline holder."""
    import pandas as pd

    events = pd.read_csv(folder / EVENTS, dtype=str)
    baseline = pd.read_csv(folder / "events/baseline.csv", dtype=str)
    free = baseline.loc[~baseline["place"].isin(events["place"])].iloc[0]
    return free["place"], free["holder"]


def test_suspicious_logic_is_a_warning_and_strict_makes_it_an_error(data: Path) -> None:
    place, holder = _holder_free_place(data)
    rows = len((data / EVENTS).read_text(encoding="utf-8").splitlines())
    _append(data / EVENTS, f"zz-1,2024-05-01,0,,{place},{holder},{holder},handover,high,test,")
    _append(data / EVENTS, f"zz-2,2024-05-02,0,,{place},{holder},TNLA,repelled,high,test,")
    problems = validate(data)
    assert [(p.row, p.column, p.severity) for p in problems] == [
        (rows + 1, "to_actor", "warning"),
        (rows + 2, "kind", "warning"),
    ], problems
    assert "who already holds it" in problems[0].message
    assert "no 'contested' event there before it" in problems[1].message
    assert {p.severity for p in validate(data, strict=True)} == {"error"}
    load_dataset(data)  # warnings do not stop loading
    runner = CliRunner()
    assert runner.invoke(main, ["validate", str(data)]).exit_code == 0
    strict = runner.invoke(main, ["validate", "--strict", str(data)])
    assert strict.exit_code == 1 and "who already holds it" in strict.output


def test_unclosed_quote_names_the_row_it_opens_in(data: Path) -> None:
    rows = len((data / EVENTS).read_text(encoding="utf-8").splitlines())
    _unclosed_quote(data)
    problems = [p for p in validate(data) if p.file == str(data / EVENTS)]
    assert [(p.row, p.column) for p in problems] == [(rows + 1, None)], problems


# --------------------------------------------------------------------------- API misuse
@pytest.fixture(scope="module")
def tl():  # type: ignore[no-untyped-def]
    import territory

    return territory.ControlTimeline(territory.load_shan())


def _misuses(tl, folder: Path):  # type: ignore[no-untyped-def]
    import math

    import territory as t

    layer = tl.at("2024-06-01")
    day = "2024-06-01"
    return {
        "control_map(tl, None)": (lambda: t.control_map(tl, None), "date", TypeError),
        "control_map(None, day)": (lambda: t.control_map(None, day), "tl", TypeError),
        "control_map tiles=3": (lambda: t.control_map(tl, day, tiles=3), "tiles", TypeError),
        "control_map simplify_m=nan": (
            lambda: t.control_map(tl, day, simplify_m=math.nan),
            "simplify_m",
            ValueError,
        ),
        "timeline_map start=[1]": (lambda: t.timeline_map(tl, start=[1]), "start", TypeError),
        "timeline_map freq=3": (lambda: t.timeline_map(tl, freq=3), "freq", TypeError),
        "write_geotiff [None]": (
            lambda: t.write_geotiff(tl, [None], folder / "a.tif"),
            "dates",
            TypeError,
        ),
        "write_geotiff resolution_m=1": (
            lambda: t.write_geotiff(tl, [day], folder / "a.tif", resolution_m=1),
            "resolution_m",
            ValueError,
        ),
        "write_geotiff resolution_m=inf": (
            lambda: t.write_geotiff(tl, [day], folder / "a.tif", resolution_m=math.inf),
            "resolution_m",
            ValueError,
        ),
        "write_geotiff crs=None": (
            lambda: t.write_geotiff(tl, [day], folder / "a.tif", crs=None),
            "crs",
            TypeError,
        ),
        "write_geotiff path=None": (
            lambda: t.write_geotiff(tl, [day], None),
            "path",
            TypeError,
        ),
        "write_geojson decimals=-1": (
            lambda: t.write_geojson(layer, folder / "a.geojson", decimals=-1),
            "decimals",
            ValueError,
        ),
        "write_geojson decimals=16": (
            lambda: t.write_geojson(layer, folder / "a.geojson", decimals=16),
            "decimals",
            ValueError,
        ),
        "write_geojson decimals=1.5": (
            lambda: t.write_geojson(layer, folder / "a.geojson", decimals=1.5),
            "decimals",
            TypeError,
        ),
        "write_geojson missing folder": (
            lambda: t.write_geojson(layer, folder / "no" / "a.geojson"),
            "path",
            ValueError,
        ),
        "write_geopackage changes_between='x'": (
            lambda: t.write_geopackage(tl, folder / "a.gpkg", changes_between="x"),
            "changes_between",
            TypeError,
        ),
        "trade_share side=3": (lambda: t.trade_share(tl, day, side=3), "side", TypeError),
        "trade_share basis='x'": (lambda: t.trade_share(tl, day, basis="x"), "basis", ValueError),
        "trade_share date=None": (lambda: t.trade_share(tl, None), "date", ValueError),
        "crossings_at(None, day)": (lambda: t.crossings_at(None, day), "tl", TypeError),
        "area_km2([1])": (lambda: t.area_km2([1]), "geometries", TypeError),
        "ControlTimeline(None)": (lambda: t.ControlTimeline(None), "dataset", TypeError),
        "load_dataset(3)": (lambda: t.load_dataset(3), "path", TypeError),
        "validate strict='yes'": (
            lambda: t.validate(DATA, strict="yes"),
            "strict",
            TypeError,
        ),
        "read_townships(None)": (lambda: t.read_townships(None), "path", TypeError),
    }


MISUSE_NAMES = [
    "control_map(tl, None)",
    "control_map(None, day)",
    "control_map tiles=3",
    "control_map simplify_m=nan",
    "timeline_map start=[1]",
    "timeline_map freq=3",
    "write_geotiff [None]",
    "write_geotiff resolution_m=1",
    "write_geotiff resolution_m=inf",
    "write_geotiff crs=None",
    "write_geotiff path=None",
    "write_geojson decimals=-1",
    "write_geojson decimals=16",
    "write_geojson decimals=1.5",
    "write_geojson missing folder",
    "write_geopackage changes_between='x'",
    "trade_share side=3",
    "trade_share basis='x'",
    "trade_share date=None",
    "crossings_at(None, day)",
    "area_km2([1])",
    "ControlTimeline(None)",
    "load_dataset(3)",
    "validate strict='yes'",
    "read_townships(None)",
]


@pytest.mark.parametrize("name", MISUSE_NAMES)
def test_misused_arguments_get_a_clean_error(tl, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    from territory.errors import TerritoryError

    call, argument, kind = _misuses(tl, tmp_path)[name]
    with pytest.raises(TerritoryError) as caught:
        call()
    assert isinstance(caught.value, kind), type(caught.value).__mro__
    assert str(caught.value).startswith(f"{argument}:") or f"{argument} " in str(caught.value)
    assert "expected" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_nan_trade_built_in_memory_is_an_error(tl) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    import territory

    trade = tl.dataset.trade.copy()
    trade.loc[0, "total_usd"] = float("nan")
    dataset = dataclasses.replace(tl.dataset, trade=trade)
    with pytest.raises(DataError) as caught:
        territory.trade_share(territory.ControlTimeline(dataset), "2024-06-01")
    assert (caught.value.row, caught.value.column) == (2, "total_usd")
    assert "nan is not valid" in str(caught.value)


def test_csv_outputs_neutralise_formulas(tmp_path: Path) -> None:
    import pandas as pd

    from territory.demo import write_series_csv

    series = pd.DataFrame(
        {"value": [-0.5], "notes": [['=HYPERLINK("http://x","y")', "+1", "ok"]]},
        index=pd.to_datetime(["2024-01-01"]),
    )
    series["source"] = ["@SUM(A1)"]
    text = write_series_csv(series, tmp_path / "s.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text
    assert ",-0.5," in text  # a number stays a number
    import csv

    row = next(csv.DictReader(text.splitlines()))
    assert all(not cell.startswith(("=", "+", "@")) for cell in row.values())


def test_attributions_that_are_not_a_list_of_lines_are_a_problem(data: Path) -> None:
    meta = json.loads((data / "dataset.json").read_text(encoding="utf-8"))
    meta["attributions"] = "GeoNames"
    (data / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    problems = [p for p in validate(data) if p.severity == "error"]
    assert [(Path(p.file).name, p.column) for p in problems] == [("dataset.json", "attributions")]
