"""Unknown population is NaN, never 0, and the coverage is said in words."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from synthetic import event, make_dataset, make_townships
from territory.timeline import ControlTimeline

PLACES = [("west", "township_seat", 96.5, 21.0), ("east", "township_seat", 97.5, 21.0)]
BASELINE = {"west": "SAC", "east": "SAC"}
CAPTURE = event("2024-03-10", "east", "SAC", "MNDAA", "capture")


def _timeline() -> ControlTimeline:
    # only T1 (the western township) has a census figure
    ds = make_dataset(
        PLACES,
        BASELINE,
        [CAPTURE],
        population=pd.DataFrame({"ts_pcode": ["T1"], "township": ["t1"], "population": [1000]}),
    )
    townships = make_townships({"T1": (96.0, 20.0, 97.0, 22.0), "T2": (97.0, 20.0, 98.0, 22.0)})
    return ControlTimeline(ds, townships=townships)


def test_a_side_holding_only_unknown_ground_has_nan_people() -> None:
    s = _timeline().series("2024-03-09", "2024-03-10", measure="population", by="actor")
    # before the capture the junta holds T1 (1,000 known) and T2 (unknown): the known part
    assert s.loc["2024-03-09", "SAC"] == pytest.approx(1000)
    # after it the MNDAA holds only T2, whose population is unknown: NaN, not 0
    assert math.isnan(s.loc["2024-03-10", "MNDAA"])
    # a side that holds nothing has truly 0 people
    assert s.loc["2024-03-09", "MNDAA"] == 0
    assert s.attrs["population_known"] == "population known for 1 of 2 townships, 50% of the area"
    assert s.attrs["population_coverage"] == pytest.approx(0.5, abs=0.01)


def test_dissolved_holdings_and_changes_give_nan_for_unknown_people() -> None:
    tl = _timeline()
    at = tl.at("2024-03-10").set_index("actor")
    assert at.loc["SAC", "population"] == pytest.approx(1000)
    assert math.isnan(at.loc["MNDAA", "population"])
    assert math.isnan(tl.changes("2024-03-01", "2024-03-20")["population"].iloc[0])


def test_population_of_held_towns_matches_a_hand_sum_of_places_csv() -> None:
    import csv

    import territory
    from territory.dataset import embedded_data_path
    from territory.held_towns import held_town_population

    shan = territory.load_shan()
    tl = ControlTimeline(shan)
    table = held_town_population(tl, ["2023-10-26", "2024-08-10"], by="actor")
    with (embedded_data_path() / "boundaries" / "places.csv").open(encoding="utf-8") as handle:
        rows = {r["id"]: r for r in csv.DictReader(handle)}
    # oracle: add up the file's figures for the towns the timeline gives each holder
    for day in ("2023-10-26", "2024-08-10"):
        expected: dict[str, float] = {}
        for pid, row in rows.items():
            if row["kind"] in ("town", "township_seat") and row["population"]:
                holder = tl.holder(pid, day)
                expected[holder] = expected.get(holder, 0.0) + float(row["population"])
        got = table.loc[day]
        assert {k: v for k, v in got.items() if v} == pytest.approx(expected)
    lashio = float(rows["lashio"]["population"])
    moved = table.loc["2024-08-10", "MNDAA"] - table.loc["2023-10-26", "MNDAA"]
    assert moved >= lashio  # Lashio's town population passed to the MNDAA with the town
    assert table.attrs["towns_with_population"] < table.attrs["towns"]
