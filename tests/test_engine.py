"""Tests of the engine's state matrix, views and date policy.

Each bug the engine issue lists has a test here that failed before the fix:
ambiguous and numeric dates, same-day replay order, ``place_intervals`` with
one name, and exports of timelines that end before the dataset does.
"""

from __future__ import annotations

import datetime
import subprocess

import numpy as np
import pandas as pd
import pytest
import rasterio

from synthetic import event, make_dataset, make_townships
from territory.dates import date_grid, parse_day
from territory.errors import DateFormatError, DateRangeError, DateTypeError, TerritoryError
from territory.export import timeline_map, write_geopackage, write_geotiff
from territory.export.maps import control_map
from territory.timeline import ControlTimeline

PLACES = [
    ("west", "township_seat", 96.5, 21.0),
    ("east", "township_seat", 97.5, 21.0),
    ("gate", "crossing", 97.99, 21.0),
]
BASELINE = {"west": "SAC", "east": "SAC", "gate": "SAC"}
EVENTS = [
    event("2024-03-10", "east", "SAC", "MNDAA", "capture", reported="2024-03-20"),
    event("2024-06-01", "west", "SAC", "TNLA", "contested"),
    event("2024-06-05", "west", "SAC", "TNLA", "capture", reported="2024-09-01"),
    event("2024-10-01", "gate", "SAC", "MNDAA", "capture"),
]


def _timeline(events=EVENTS, **options) -> ControlTimeline:
    ds = make_dataset(PLACES, BASELINE, events)
    townships = make_townships({"T1": (96.0, 20.0, 97.0, 22.0), "T2": (97.0, 20.0, 98.0, 22.0)})
    return ControlTimeline(ds, townships=townships, **options)


# ----------------------------------------------------------------- the date policy
@pytest.mark.parametrize("value", ["03/08/2024", "2024/08/03", "3 Aug 2024", "20240803", ""])
def test_ambiguous_text_is_refused_with_the_accepted_forms(value) -> None:
    tl = _timeline()
    with pytest.raises(DateFormatError, match=r"expected an ISO day 'YYYY-MM-DD'") as info:
        tl.holder("east", value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("value", [20240803, 1.5e18, True, None, np.int64(5)])
def test_numbers_are_not_dates(value) -> None:
    tl = _timeline()
    with pytest.raises(DateTypeError, match=r"is not a date; expected an ISO day") as info:
        tl.holder("east", value)
    assert isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    "call",
    [
        lambda tl: tl.at("03/08/2024"),
        lambda tl: tl.series("03/08/2024", "2024-12-31"),
        lambda tl: tl.changes("2024-01-01", "03/08/2024"),
        lambda tl: tl.holders(["03/08/2024"]),
        lambda tl: tl.until("03/08/2024"),
        lambda tl: ControlTimeline(tl.dataset, as_of="03/08/2024"),
        lambda tl: control_map(tl, "03/08/2024", tiles=None),
        lambda tl: timeline_map(tl, end="03/08/2024", tiles=None),
        lambda tl: write_geotiff(tl, ["03/08/2024"], "never.tif"),
    ],
)
def test_every_date_argument_goes_through_the_one_parser(call) -> None:
    with pytest.raises(DateFormatError, match="'03/08/2024' is not a date"):
        call(_timeline())


@pytest.mark.parametrize(
    "value",
    [
        "2024-08-03",
        " 2024-08-03 ",
        datetime.date(2024, 8, 3),
        datetime.datetime(2024, 8, 3, 18, 45),
        pd.Timestamp("2024-08-03 06:00"),
        np.datetime64("2024-08-03"),
    ],
)
def test_the_accepted_forms_give_the_day(value) -> None:
    assert parse_day(value) == pd.Timestamp("2024-08-03")


def test_a_time_zone_is_refused() -> None:
    with pytest.raises(DateFormatError, match="time zone"):
        parse_day(pd.Timestamp("2024-08-03", tz="Asia/Yangon"))


def test_weeks_end_on_sundays_and_ends_are_added_only_when_asked() -> None:
    grid = date_grid("2024-01-03", "2024-01-31", "W")
    assert [d.day for d in grid] == [7, 14, 21, 28]
    assert all(d.day_name() == "Sunday" for d in grid)
    with_ends = date_grid("2024-01-03", "2024-01-31", "W", ends=True)
    assert [d.day for d in with_ends] == [3, 7, 14, 21, 28, 31]


def test_series_and_timeline_map_step_on_the_same_grid() -> None:
    tl = _timeline()
    series = tl.series("2024-01-03", "2024-02-20", "W")
    assert list(series.index) == list(date_grid("2024-01-03", "2024-02-20", "W"))
    html = timeline_map(tl, "2024-01-03", "2024-02-20", freq="W", tiles=None).get_root().render()
    for day in date_grid("2024-01-03", "2024-02-20", "W", ends=True):
        assert str(int(day.timestamp())) in html


# ----------------------------------------------------------------- the state matrix
def test_holders_is_the_one_state_matrix() -> None:
    tl = _timeline()
    days = pd.date_range(tl.baseline_date, tl.as_of, freq="D")
    h = tl.holders(days)
    assert h.holder.shape == h.status.shape == (len(days), len(tl.place_ids))
    assert list(h.places) == tl.place_ids and list(h.actors) == tl.actor_ids
    frame, status = h.holder_frame(), h.status_frame()
    # Worked out by hand from EVENTS.
    assert frame.loc["2024-03-09", "east"] == "SAC" and frame.loc["2024-03-10", "east"] == "MNDAA"
    assert status.loc["2024-06-01", "west"] == "contested"
    assert status.loc["2024-06-04", "west"] == "contested"
    assert (frame.loc["2024-06-05", "west"], status.loc["2024-06-05", "west"]) == ("TNLA", "held")
    for day in ("2024-01-01", "2024-06-02", "2024-12-31"):
        places = tl.places_at(day)
        assert frame.loc[day].tolist() == places.loc[tl.place_ids, "holder"].tolist()
        assert status.loc[day].tolist() == places.loc[tl.place_ids, "status"].tolist()


def test_holders_takes_one_place_by_name() -> None:
    h = _timeline().holders("2024-07-01", "East")
    assert h.places == ("east",) and h.holder_frame().iloc[0, 0] == "MNDAA"


def test_active_intervals_point_at_the_interval_of_each_day() -> None:
    tl = _timeline()
    iv = tl.intervals()
    days = pd.date_range(tl.baseline_date, tl.as_of, freq="D")
    rows = tl.active_intervals(days)
    zone_ids = list(dict.fromkeys(iv["zone_id"]))
    h = tl.holders(days, zone_ids)
    assert (iv["actor"].to_numpy()[rows] == h.holder_frame().to_numpy()).all()
    start, end = iv["valid_from"].to_numpy()[rows], iv["valid_to"].to_numpy()[rows]
    stamps = days.to_numpy()[:, None]
    assert ((start <= stamps) & (np.isnat(end) | (stamps < end))).all()


def test_zones_cannot_be_swapped() -> None:
    tl = _timeline()
    with pytest.raises(AttributeError):
        tl.zones = tl.zones.iloc[:1]  # type: ignore[misc]


# ----------------------------------------------------------------- same-day order
def _same_day(first_id: str, second_id: str) -> ControlTimeline:
    # File order: MNDAA then TNLA take "east" on one day, then nothing more.
    events = [
        event("2024-03-10", "east", "SAC", "MNDAA", "capture", event_id=first_id),
        event("2024-03-10", "east", "MNDAA", "TNLA", "capture", event_id=second_id),
    ]
    return ControlTimeline(make_dataset(PLACES, BASELINE, events))


def test_same_day_events_replay_in_file_order_whatever_their_ids() -> None:
    # "e10" sorts before "e9" as text: replaying by id would end with MNDAA.
    a, b = _same_day("e9", "e10"), _same_day("e10", "e9")
    days = pd.date_range("2024-03-09", "2024-03-12")
    assert np.array_equal(a.holders(days).holder, b.holders(days).holder)
    assert a.holder("east", "2024-03-11") == b.holder("east", "2024-03-11") == "TNLA"
    assert a.status("east", "2024-03-10") == "contested"  # two new holders on one day


# ----------------------------------------------------------------- one name, not letters
def test_place_intervals_takes_one_name() -> None:
    tl = _timeline()
    one = tl.place_intervals("East")
    assert set(one["place"]) == {"east"}
    assert one.drop(columns="geometry").equals(
        tl.place_intervals(["east"]).drop(columns="geometry")
    )


# ----------------------------------------------------------------- views
def test_views_share_the_zones_and_equal_fresh_timelines() -> None:
    class Mine(ControlTimeline):
        pass

    parent = Mine(_timeline().dataset, townships=_timeline().townships)
    zones = parent.zones
    for view, fresh in (
        (parent.until("2024-06-03"), Mine(parent.dataset, as_of="2024-06-03")),
        (parent.known_on("2024-08-01"), Mine(parent.dataset, known_by="2024-08-01")),
    ):
        assert type(view) is Mine and view.zones is zones
        assert view.as_of == fresh.as_of and view.known_by == fresh.known_by
        days = pd.date_range(parent.baseline_date, view.as_of)
        assert np.array_equal(view.holders(days).holder, fresh.holders(days).holder)
        assert np.array_equal(view.holders(days).status, fresh.holders(days).status)
    assert parent.as_of == pd.Timestamp("2024-12-31")  # the parent is unchanged
    known = parent.known_on("2024-08-01")
    # West's capture of 5 June was reported on 1 September.
    assert known.holder("west", "2024-07-01") == "SAC"
    assert parent.holder("west", "2024-07-01") == "TNLA"
    with pytest.raises(DateRangeError):
        known.holder("west", "2024-08-02")


# ----------------------------------------------------------------- exports of a shorter timeline
def _ogr_rows(path, layer: str) -> list[str]:
    out = subprocess.run(
        ["ogrinfo", "-ro", "-q", "-al", str(path), layer],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.splitlines()


@pytest.mark.parametrize(
    ("make", "west"),
    [
        # West's capture of 5 June was reported on 1 September.
        (lambda: _timeline(known_by="2024-08-01"), "SAC"),
        (lambda: _timeline(as_of="2024-08-01"), "TNLA"),
        (lambda: _timeline().until("2024-08-01"), "TNLA"),
        (lambda: _timeline().known_on("2024-08-01"), "SAC"),
    ],
)
def test_write_geopackage_of_a_timeline_ending_early(tmp_path, make, west) -> None:
    path = write_geopackage(make(), tmp_path / "early.gpkg")
    lines = _ogr_rows(path, "places")
    ids = [line.split("=")[1].strip() for line in lines if line.strip().startswith("id (")]
    holders = [line.split("=")[1].strip() for line in lines if line.strip().startswith("holder (")]
    assert dict(zip(ids, holders, strict=True))["west"] == west
    crossings = "\n".join(_ogr_rows(path, "crossings"))
    assert "valid_from (DateTime) = 2024/01/01" in crossings
    assert "2024/10/01" not in crossings  # the gate's capture, after the end


def test_write_geotiff_refuses_days_past_the_timeline_end(tmp_path) -> None:
    view = _timeline().until("2024-06-30")
    with pytest.raises(DateRangeError, match=r"2024-10-01.*2024-06-30"):
        write_geotiff(view, ["2024-10-01"], tmp_path / "late.tif")
    path = write_geotiff(view, ["2024-06-30"], tmp_path / "ok.tif", resolution_m=20_000)
    with rasterio.open(path) as src:
        assert src.descriptions == ("2024-06-30",)


def test_timeline_map_ends_on_the_timeline_end() -> None:
    view = _timeline().known_on("2024-08-01")
    html = timeline_map(view, tiles=None).get_root().render()
    assert "Control from 2024-01-01 to 2024-08-01" in html
    with pytest.raises(DateRangeError):
        timeline_map(view, end="2024-12-31", tiles=None)


def test_a_bad_freq_is_refused() -> None:
    with pytest.raises(TerritoryError, match="freq: 'fortnightly'"):
        _timeline().series(freq="fortnightly")
