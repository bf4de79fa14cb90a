"""Sides over time: every roll-up by side uses each actor's side on that day.

The oracle is a brute-force replay written here: for each day, each zone's
holder from ``tl.holder`` and that holder's side from the period table read
by hand, summed over the zones' areas.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

import territory
from synthetic import event, make_dataset
from territory.sides import RESERVED_SIDES, SHAN_SIDES, SideHistory, parse_sides

PLACES = [
    ("a", "town", 96.4, 20.5),
    ("b", "town", 97.5, 20.5),
    ("c", "town", 96.5, 21.5),
    ("d", "town", 97.5, 21.6),
]
#: MNDAA stands aside from 2024-03-01 to 2024-06-01; UWSA sides with the junta from 2024-05-10.
PERIODS = pd.DataFrame(
    {
        "actor": ["MNDAA", "UWSA"],
        "side": ["neutral", "junta"],
        "valid_from": pd.to_datetime(["2024-03-01", "2024-05-10"]),
        "valid_to": pd.to_datetime(["2024-06-01", None]),
        "source": ["synthetic", "synthetic"],
        "confidence": ["high", "high"],
        "note": [None, None],
    }
)
DAYS = pd.date_range("2024-01-01", "2024-12-31", freq="7D").union(
    pd.to_datetime(["2024-02-29", "2024-03-01", "2024-05-09", "2024-05-10", "2024-06-01"])
)


def _oracle_side(actor: str, day: pd.Timestamp) -> str:
    side = {"SAC": "junta", "MNDAA": "resistance", "TNLA": "resistance", "UWSA": "neutral"}[actor]
    for row in PERIODS.itertuples():
        if (
            row.actor == actor
            and row.valid_from <= day
            and (pd.isna(row.valid_to) or day < row.valid_to)
        ):
            side = row.side
    return side


@pytest.fixture(scope="module")
def timeline() -> territory.ControlTimeline:
    ds = make_dataset(
        PLACES,
        {"a": "SAC", "b": "SAC", "c": "UWSA", "d": "SAC"},
        [
            event("2024-02-01", "b", "SAC", "MNDAA", "capture"),
            event("2024-04-01", "d", "SAC", "TNLA", "capture"),
            event("2024-07-01", "a", "SAC", "MNDAA", "capture", uncertainty=5),
        ],
    )
    return territory.ControlTimeline(dataclasses.replace(ds, actor_sides=PERIODS))


def test_series_by_side_uses_the_side_on_each_day(timeline: territory.ControlTimeline) -> None:
    series = timeline.series(DAYS[0], DAYS[-1], by="side")
    areas = timeline.zones["area_km2"]
    for day in DAYS:
        expected: dict[str, float] = {}
        for zone, area in areas.items():
            side = _oracle_side(timeline.holder(str(zone), day), day)
            expected[side] = expected.get(side, 0.0) + float(area)
        row = series.reindex([day]).iloc[0] if day in series.index else None
        at = timeline.at(day, by="side").set_index("side")["area_km2"]
        for side in timeline.side_ids:
            assert float(at.get(side, 0.0)) == pytest.approx(expected.get(side, 0.0))
            if row is not None:
                assert float(row[side]) == pytest.approx(expected.get(side, 0.0))
        places = timeline.places_at(day)
        assert places["side"].tolist() == [_oracle_side(h, day) for h in places["holder"]]


def test_daily_series_matches_at_on_every_side_change(timeline: territory.ControlTimeline) -> None:
    daily = timeline.series("2024-01-01", "2024-12-31", freq="D", by="side")
    for day in ["2024-02-29", "2024-03-01", "2024-05-31", "2024-06-01"]:
        at = timeline.at(day, by="side").set_index("side")["area_km2"]
        row = daily.loc[day]
        assert row[row > 0].round(6).to_dict() == at.round(6).to_dict()


def test_a_side_change_is_not_a_change_of_holder(timeline: territory.ControlTimeline) -> None:
    assert timeline.holder("b", "2024-02-29") == timeline.holder("b", "2024-03-01") == "MNDAA"
    intervals = timeline.place_intervals(["b"])
    # the holding from 2024-02-01 is cut where MNDAA stands aside and comes back, holder kept
    assert intervals["valid_from"].dt.strftime("%Y-%m-%d").tolist() == [
        "2024-01-01", "2024-02-01", "2024-03-01", "2024-06-01"
    ]  # fmt: skip
    assert intervals["holder"].tolist() == ["SAC", "MNDAA", "MNDAA", "MNDAA"]
    assert intervals["side"].tolist() == ["junta", "resistance", "neutral", "resistance"]
    changes = timeline.changes("2024-02-29", "2024-03-01")
    assert changes.empty  # nobody moved
    changes = timeline.changes("2024-01-15", "2024-03-15")
    assert changes[["from_actor", "to_actor", "from_side", "to_side"]].to_numpy().tolist() == [
        ["SAC", "MNDAA", "junta", "neutral"]
    ]


def test_bands_use_the_side_on_the_event_day(timeline: territory.ControlTimeline) -> None:
    series = timeline.series("2024-06-20", "2024-07-10", by="side", bounds=True)
    value, low, high = series["value"], series["low"], series["high"]
    assert (low <= value + 1e-9).all().all() and (value <= high + 1e-9).all().all()
    # a's capture (+-5 days) moves ground to the resistance: its band is wide on 06-28.
    assert high.loc["2024-06-28", "resistance"] > low.loc["2024-06-28", "resistance"]


def test_without_periods_sides_are_the_actors_sides() -> None:
    actors = pd.DataFrame({"side": ["junta", "resistance"]}, index=["SAC", "KIA"])
    history = SideHistory(actors)
    assert history.on("2024-01-01") == {"SAC": "junta", "KIA": "resistance"}
    assert len(history.change_days) == 0


def test_vocabulary() -> None:
    assert parse_sides(None) == (SHAN_SIDES, [])
    vocab, problems = parse_sides(
        {"incumbent": "government", "labels": {"government": "Government", "rebels": "Rebels"}}
    )
    assert problems == [] and vocab.others == ("rebels",) and vocab.label("rebels") == "Rebels"
    assert parse_sides({"incumbent": "x"})[1]  # no labels
    assert parse_sides({"incumbent": "Gov", "labels": {"Gov": "G"}})[1]  # not lowercase


def _copy(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(territory.embedded_data_path(), data)
    return data


def test_actor_sides_file_is_validated(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    (data / "events/actor_sides.csv").write_text(
        "actor,side,valid_from,valid_to,source,confidence,note\n"
        "MNDAA,neutral,2025-01-18,,Test source 2026-12-01,high,\n"
        "MNDAA,junta,2025-03-01,2025-02-01,Test source 2026-12-01,high,\n"
        "NOBODY,neutral,2025-01-18,,Test source 2026-12-01,high,\n"
        "TNLA,rebels,2025-01-18,,Test source 2026-12-01,high,\n",
        encoding="utf-8",
    )
    problems = {(p.row, p.column): p.message for p in territory.validate(data)}
    assert set(problems) == {(3, "valid_to"), (3, "valid_from"), (4, "actor"), (5, "side")}
    assert "overlaps its period of row 2" in problems[(3, "valid_from")]
    assert "'rebels'" in problems[(5, "side")]


def test_a_dataset_names_its_own_sides(tmp_path: Path) -> None:
    data = _copy(tmp_path)
    meta = json.loads((data / "dataset.json").read_text(encoding="utf-8"))
    meta["sides"] = {
        "incumbent": "government",
        "labels": {"government": "Government", "opposition": "Opposition", "neutral": "Neutral"},
    }
    (data / "dataset.json").write_text(json.dumps(meta), encoding="utf-8")
    problems = territory.validate(data)
    assert problems and all(p.column == "side" for p in problems)  # actors still say junta
    actors = (data / "events/actors.csv").read_text(encoding="utf-8")
    actors = actors.replace(",junta,", ",government,").replace(",resistance,", ",opposition,")
    (data / "events/actors.csv").write_text(actors, encoding="utf-8")
    ds = territory.load_dataset(data)
    assert ds.sides.incumbent == "government"
    # The dataset's own sides, and the reserved holders' (territory.sides.RESERVED_SIDES).
    assert set(territory.ControlTimeline(ds).side_ids) <= {
        "government",
        "opposition",
        "neutral",
        *RESERVED_SIDES,
    }


def test_dask_series_by_side_follows_the_side_changes(
    timeline: territory.ControlTimeline,
) -> None:
    from territory import parallel

    if not parallel.available():
        pytest.skip("dask is not installed")
    fresh = territory.ControlTimeline(timeline.dataset)
    on_dask = parallel.series(fresh, "2024-01-01", "2024-12-31", by="side", states_per_task=2)
    pd.testing.assert_frame_equal(on_dask, timeline.series("2024-01-01", "2024-12-31", by="side"))


def test_summary_gives_each_actor_its_side_on_the_day(timeline: territory.ControlTimeline) -> None:
    from territory.summary import summarise

    for day, expected in (("2024-02-15", "resistance"), ("2024-03-15", "neutral")):
        rows = {r["actor"]: r["side"] for r in summarise(timeline, day)["actors"]}
        assert rows["MNDAA"] == expected
        sides = {r["side"]: r["area_km2"] for r in summarise(timeline, day)["sides"]}
        at = timeline.at(day, by="side").set_index("side")["area_km2"].to_dict()
        assert sides == pytest.approx(at)


def test_bands_across_a_side_change_equal_full_replays_of_the_shifted_logs() -> None:
    """Oracle: for each side, shift the uncertain events for and against it (by the
    actors' sides on the event day) and replay each shifted log in full."""
    events = [
        # MNDAA is neutral on 2024-05-25 and back with the resistance from 06-01:
        # the window 05-15..06-04 spans its side change.
        event("2024-05-25", "b", "SAC", "MNDAA", "capture", uncertainty=10),
        event("2024-05-30", "d", "SAC", "TNLA", "capture", uncertainty=3),
    ]
    ds = dataclasses.replace(
        make_dataset(PLACES, {"a": "SAC", "b": "SAC", "c": "UWSA", "d": "SAC"}, events),
        actor_sides=PERIODS,
    )
    tl = territory.ControlTimeline(ds)
    start, end = "2024-05-10", "2024-06-10"
    bands = tl.series(start, end, by="side", bounds=True)
    log = ds.events
    spread = pd.to_timedelta(log["date_uncertainty_days"].fillna(0).astype(int), unit="D")
    for side in tl.side_ids:
        gets = [
            _oracle_side(a, d) == side for a, d in zip(log["to_actor"], log["date"], strict=True)
        ]
        loses = [
            isinstance(a, str) and _oracle_side(a, d) == side
            for a, d in zip(log["from_actor"], log["date"], strict=True)
        ]
        gain = pd.Series(gets, index=log.index) & ~pd.Series(loses, index=log.index)
        loss = pd.Series(loses, index=log.index) & ~pd.Series(gets, index=log.index)
        for band, gain_to, loss_to in (("low", 1, -1), ("high", -1, 1)):
            shifted = log.assign(
                date=log["date"]
                + spread * gain.map({True: gain_to, False: 0})
                + spread * loss.map({True: loss_to, False: 0})
            )
            replayed = territory.ControlTimeline(dataclasses.replace(ds, events=shifted))
            expected = replayed.series(start, end, by="side")
            both = pd.concat([expected[side], bands["value"][side]], axis=1)
            # series() keeps each band on its side of the value
            want = both.min(axis=1) if band == "low" else both.max(axis=1)
            assert bands[band][side].to_numpy() == pytest.approx(want.to_numpy())
    # MNDAA's gain of b counts for the neutral (its side on 05-25): the neutral's high
    # band has b from the early end of the window (05-15).
    b_km2 = float(tl.zones.loc["b", "area_km2"])
    assert bands["high"].loc["2024-05-20", "neutral"] - bands["value"].loc[
        "2024-05-20", "neutral"
    ] == pytest.approx(b_km2)
