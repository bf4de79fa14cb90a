"""The engine against the independent day-by-day oracle (tests/oracle.py).

Hypothesis generates small logs (several events per place per day, ids in an
order unrelated to the file's) and checks the holder and status of every
place on every day through ``holders``, ``at``, ``intervals`` and the
GeoPackage read back with pyogrio (GDAL).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyogrio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oracle import replay_days
from synthetic import event, make_dataset
from territory.export import write_geopackage
from territory.timeline import ControlTimeline

PLACES = [
    ("north", "town", 96.5, 21.5),
    ("south", "town", 96.5, 20.5),
    ("east", "township_seat", 97.5, 21.0),
    ("gate", "crossing", 97.99, 21.0),
]
ACTORS = ["SAC", "MNDAA", "TNLA", "UWSA"]
KINDS = ["capture", "handover", "contested", "repelled", "ceasefire"]
FIRST, LAST = date(2024, 1, 1), date(2024, 1, 20)


@st.composite
def logs(draw):
    baseline = {p[0]: draw(st.sampled_from(ACTORS)) for p in PLACES}
    n = draw(st.integers(0, 14))
    rows = []
    for _ in range(n):
        day = FIRST + timedelta(days=draw(st.integers(1, (LAST - FIRST).days)))
        # Few days, so that one place often has several events on one day.
        day = min(day, FIRST + timedelta(days=draw(st.integers(1, 6))))
        rows.append(
            (
                day,
                draw(st.sampled_from([p[0] for p in PLACES])),
                draw(st.sampled_from(KINDS)),
                draw(st.sampled_from(ACTORS)),
            )
        )
    ids = draw(st.permutations([f"e{i}" for i in range(len(rows))]))
    return baseline, rows, ids


def _timeline(baseline, rows, ids) -> ControlTimeline:
    events = [
        event(day.isoformat(), place, "SAC", to_actor, kind, event_id=event_id)
        for (day, place, kind, to_actor), event_id in zip(rows, ids, strict=True)
    ]
    ds = make_dataset(PLACES, baseline, events, baseline_date=str(FIRST), as_of=str(LAST))
    return ControlTimeline(ds)


def _expected(baseline, rows) -> dict:
    return replay_days(baseline, rows, FIRST, LAST)


def _days() -> list[date]:
    return [FIRST + timedelta(days=i) for i in range((LAST - FIRST).days + 1)]


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(logs())
def test_holders_and_at_agree_with_the_oracle(log) -> None:
    baseline, rows, ids = log
    tl = _timeline(baseline, rows, ids)
    expected = _expected(baseline, rows)
    days = _days()
    h = tl.holders(days)
    holder, status = h.holder_frame(), h.status_frame()
    for day in days:
        for place in baseline:
            got = (holder.loc[pd.Timestamp(day), place], status.loc[pd.Timestamp(day), place])
            assert got == expected[day][place], (day, place)
            assert tl.holder(place, day) == expected[day][place][0]
    areas = tl.zones["area_km2"]
    for day in days[::3]:
        at = tl.at(day).set_index("actor")
        want: dict[str, float] = {}
        contested: dict[str, float] = {}
        for zone in areas.index:
            actor, state = expected[day][zone]
            want[actor] = want.get(actor, 0.0) + float(areas[zone])
            if state == "contested":
                contested[actor] = contested.get(actor, 0.0) + float(areas[zone])
        assert sorted(at.index) == sorted(want)
        for actor, km2 in want.items():
            assert abs(at.loc[actor, "area_km2"] - km2) < 1e-6
            assert abs(at.loc[actor, "contested_km2"] - contested.get(actor, 0.0)) < 1e-6


def _check_intervals(frame: pd.DataFrame, expected: dict, zones: list[str]) -> None:
    """Each zone, each day: exactly one interval covers it, with the oracle's state."""
    start = pd.to_datetime(frame["valid_from"]).dt.tz_localize(None).to_numpy()
    end = pd.to_datetime(frame["valid_to"]).dt.tz_localize(None).to_numpy()
    for day in _days():
        stamp = np.datetime64(day, "ns")
        covering = frame[(start <= stamp) & (np.isnat(end) | (stamp < end))]
        assert sorted(covering["zone_id"]) == sorted(zones), day
        for row in covering.itertuples():
            assert (row.actor, row.status) == expected[day][row.zone_id], (day, row.zone_id)


@SETTINGS
@given(logs())
def test_intervals_agree_with_the_oracle(log) -> None:
    baseline, rows, ids = log
    tl = _timeline(baseline, rows, ids)
    _check_intervals(tl.intervals(), _expected(baseline, rows), list(tl.zones.index))


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(logs())
def test_the_geopackage_read_back_agrees_with_the_oracle(tmp_path, log) -> None:
    baseline, rows, ids = log
    tl = _timeline(baseline, rows, ids)
    path = write_geopackage(tl, tmp_path / "oracle.gpkg")
    frame = pyogrio.read_dataframe(path, layer="control_intervals")
    _check_intervals(frame, _expected(baseline, rows), list(tl.zones.index))


def test_the_oracle_on_a_hand_worked_day() -> None:
    # Two new holders on 3 January: contested that day, the last one from the 4th.
    rows = [
        (date(2024, 1, 3), "a", "capture", "TNLA"),
        (date(2024, 1, 3), "a", "capture", "MNDAA"),
        (date(2024, 1, 5), "a", "contested", "SAC"),
        (date(2024, 1, 7), "a", "repelled", "SAC"),
    ]
    days = replay_days({"a": "SAC"}, rows, date(2024, 1, 1), date(2024, 1, 8))
    assert [days[date(2024, 1, d)]["a"] for d in range(2, 9)] == [
        ("SAC", "held"),
        ("SAC", "contested"),
        ("MNDAA", "held"),
        ("MNDAA", "contested"),
        ("MNDAA", "contested"),
        ("MNDAA", "held"),
        ("MNDAA", "held"),
    ]


@st.composite
def uncertain_logs(draw):
    baseline, rows, _ids = draw(logs())
    froms = [draw(st.sampled_from(ACTORS)) for _ in rows]
    spreads = [draw(st.integers(0, 3)) for _ in rows]
    return baseline, rows, froms, spreads


def _shifted(rows, froms, spreads, actor: str, band: str) -> list:
    """The log of one actor's band, shifted as the module docs of territory.timeline say."""
    out = []
    for (day, place, kind, to_actor), from_actor, spread in zip(rows, froms, spreads, strict=True):
        gives = to_actor == actor and from_actor != actor
        takes = from_actor == actor and to_actor != actor
        if spread and kind in ("capture", "handover") and (gives or takes):
            late = (band == "low") == gives
            day = day + timedelta(days=spread) if late else day - timedelta(days=spread)
            day = max(day, FIRST + timedelta(days=1))
        out.append((day, place, kind, to_actor))
    return sorted(out, key=lambda e: e[0])  # stable: file order within a day


@SETTINGS
@given(uncertain_logs())
def test_series_bounds_agree_with_the_oracle(log) -> None:
    baseline, rows, froms, spreads = log
    events = [
        event(day.isoformat(), place, from_actor, to_actor, kind, uncertainty=spread)
        for (day, place, kind, to_actor), from_actor, spread in zip(
            rows, froms, spreads, strict=True
        )
    ]
    ds = make_dataset(PLACES, baseline, events, baseline_date=str(FIRST), as_of=str(LAST))
    tl = ControlTimeline(ds)
    s = tl.series(measure="places", by="actor", bounds=True)
    days = _days()
    plain = replay_days(baseline, rows, FIRST, LAST)
    for actor in tl.actor_ids:
        bands = {
            b: replay_days(baseline, _shifted(rows, froms, spreads, actor, b), FIRST, LAST)
            for b in ("low", "high")
        }
        for day in days:
            value = sum(plain[day][p][0] == actor for p in baseline)
            low = sum(bands["low"][day][p][0] == actor for p in baseline)
            high = sum(bands["high"][day][p][0] == actor for p in baseline)
            got = s.loc[pd.Timestamp(day)]
            assert got[("value", actor)] == value
            assert got[("low", actor)] == min(low, value), (actor, day)
            assert got[("high", actor)] == max(high, value), (actor, day)
